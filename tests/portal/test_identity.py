"""The site says who runs it (《政府网站发展指引》): set by the administrator, audited, shown on every page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from govpub.audit.models import AuditEvent
from govpub.portal import identity

pytestmark = pytest.mark.django_db


def _png(size=(1200, 300), exif_gps=False) -> bytes:
    image = Image.new("RGB", size, (183, 28, 28))
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x8825] = {2: (30.0, 24.0, 0.0), 4: (114.0, 53.0, 0.0)}  # GPSInfo: latitude, longitude
        exif[0x013B] = "张三"  # Artist
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "PNG")
    return out.getvalue()


def test_the_admin_sets_the_identity_and_every_page_shows_it(client_for, client):
    admin = client_for("demo-admin")
    response = admin.post(reverse("site_identity"), {
        "site_name": "临空经济区政务网", "icp": "鄂ICP备12345678号-1", "psb": "鄂公网安备42070002000001号",
        "link_registries": "on", "phone": "0711-1234567", "address": "鄂州市临空经济区政务服务中心",
        "conac_url": "https://bszs.conac.cn/sitename?method=show&id=1",
        "logo": SimpleUploadedFile("logo.jpg", _png(exif_gps=True), "image/jpeg"),
        "favicon": SimpleUploadedFile("icon.png", _png((64, 64)), "image/png")})
    assert response.status_code == 302
    home = client.get("/").content.decode()
    assert "临空经济区政务网" in home and "主办单位：鄂州市临空经济区管理委员会" in home
    assert "承办单位：区党政办公室" in home and "电话：0711-1234567" in home
    assert 'href="https://beian.miit.gov.cn/"' in home and "党政机关网站标识" in home
    current = identity.current()
    logo_url = reverse("public_site_image", args=["logo", current.images["logo"]])
    assert logo_url in home and f'rel="icon" href="{reverse("public_site_image", args=["favicon", current.images["favicon"]])}' in home
    logo = client.get(logo_url)
    picture = Image.open(io.BytesIO(logo.content))
    assert logo["Content-Type"] == "image/png" and picture.width <= 800 and picture.height <= 200
    assert not picture.getexif() and b"GPS" not in logo.content and "张三".encode() not in logo.content
    assert client.get(reverse("public_favicon")).url.endswith(f"{current.images['favicon']}.png")
    event = AuditEvent.objects.filter(action="site.identity").latest("seq")
    assert "网站名称" in event.details["fields"] and "网站标识图片（PNG）" in event.details["fields"]


def test_without_an_identity_the_defaults_show_and_the_favicon_is_govpubs(client):
    home = client.get("/").content.decode()
    assert "主办单位：鄂州市临空经济区管理委员会" in home and "beian.miit.gov.cn" not in home  # no outside links in a demo
    assert client.get(reverse("public_favicon")).url.endswith("favicon.png")


@pytest.mark.parametrize("name, data, message", [
    ("logo.png", b"not a picture at all", "无法识别"),
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "无法识别"),
])
def test_a_bad_picture_is_refused_in_chinese_and_nothing_is_saved(client_for, name, data, message):
    admin = client_for("demo-admin")
    response = admin.post(reverse("site_identity"), {"site_name": "不应保存", "logo": SimpleUploadedFile(name, data)})
    assert response.status_code == 200 and message in response.content.decode()
    assert identity.current().name != "不应保存" and not AuditEvent.objects.filter(action="site.identity").exists()


def test_only_the_admin_may_change_it(client_for):
    assert client_for("demo-editor").get(reverse("site_identity")).status_code == 403
    assert client_for("demo-supervisor").post(reverse("site_identity"), {"site_name": "x"}).status_code == 403
