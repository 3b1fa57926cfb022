"""Uploading body images (issue 16 item 1): the staff route and the API route store an image — cleaned — without
making a revision; the save of the body that shows it does. Alt text is required; empty images never go out."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from govpub.api.actions import create_token
from govpub.audit.models import AuditEvent
from govpub.content.files import stored_path
from govpub.content.models import Attachment, Rendition, Revision
from govpub.orgs.models import Person
from govpub.publishing.gate import gate_problems
from support.twofactor import pass_second_factor

from .test_bad_input import form_data

pytestmark = pytest.mark.django_db


def photo(size=(1600, 900), name="现场.jpg") -> SimpleUploadedFile:
    picture = Image.new("RGB", size, (30, 90, 160))
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (30.0, 23.0, 1.5)})
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def upload(client, item, headers=None, **data):
    data.setdefault("image", photo())
    data.setdefault("alt", "区政务服务中心办事大厅")
    return client.post(f"/staff/items/{item.pk}/images/", data, headers=headers)


def test_the_editor_uploads_an_image_without_a_revision_and_the_save_that_shows_it_holds_it(make_item, client_for,
                                                                                            column):
    item = make_item()
    editor = client_for("demo-editor")
    response = upload(editor, item)
    assert response.status_code == 201, response.content.decode()
    reply = response.json()
    image = Attachment.objects.get(pk=reply["id"])
    assert reply["url"] == f"/staff/attachments/{image.pk}/download/"
    assert (reply["width"], reply["height"]) == (1600, 900) and image.kind == Attachment.Kind.IMAGE
    assert b"Exif" not in stored_path(image.storage_name).read_bytes()  # GPS position gone
    assert sorted(image.renditions.values_list("use", "width")) == [(Rendition.Use.WEB, 640), (Rendition.Use.WEB, 1280)]
    item.refresh_from_db()
    assert item.revisions.count() == 1 and not item.current_revision.attachments.exists()  # no revision of its own
    event = AuditEvent.objects.filter(action="item.attachment").latest("seq")
    assert event.details["attachment"] == image.pk and event.details["alt"] == "区政务服务中心办事大厅"

    body = f'<p>大厅一角。</p><figure><img src="{reply["url"]}" alt="区政务服务中心办事大厅"><figcaption>办事大厅</figcaption></figure>'
    response = editor.post(f"/staff/items/{item.pk}/edit/", form_data(column, body_html=body))
    assert response.status_code == 302, response.content.decode()
    item.refresh_from_db()
    assert item.current_revision.number == 2
    assert list(item.current_revision.attachments.values_list("pk", flat=True)) == [image.pk]
    page = editor.get(f"/staff/items/{item.pk}/").content.decode()
    assert f'src="/staff/attachments/{image.pk}/download/"' in page and "办事大厅" in page


def test_an_upload_is_refused_clearly_and_stores_nothing(make_item, client_for):
    item = make_item()
    editor = client_for("demo-editor")
    before = Attachment.objects.count()
    no_alt = upload(editor, item, alt="   ")
    assert no_alt.status_code == 400 and "替代文字" in no_alt.json()["error"]
    svg = upload(editor, item, image=SimpleUploadedFile("图标.png", b'<svg xmlns="http://www.w3.org/2000/svg">'
                                                                    b'<script>alert(1)</script></svg>'))
    assert svg.status_code == 400 and "SVG" in svg.json()["error"]
    nothing = editor.post(f"/staff/items/{item.pk}/images/", {"alt": "说明"})
    assert nothing.status_code == 400 and nothing.json()["error"] == "请选择要上传的图片。"
    assert Attachment.objects.count() == before


def test_only_the_units_editors_may_upload(make_item, client_for):
    item = make_item()
    assert upload(client_for("yanji-editor"), item).status_code == 404  # another unit's editor: not even seen
    refused = upload(client_for("demo-office-head"), item)
    assert refused.status_code == 403 and "不能修改该稿件" in refused.json()["error"]
    assert upload(client_for("demo-supervisor"), item).status_code == 403
    assert client_for("demo-editor").get(f"/staff/items/{item.pk}/images/").status_code == 405
    assert not item.attachments.exists()


def test_the_upload_needs_the_csrf_token(make_item):
    item = make_item()
    person = Person.objects.get(username="demo-editor")
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    pass_second_factor(client, person)
    assert upload(client, item).status_code == 403
    assert not item.attachments.exists()
    client.get(f"/staff/items/{item.pk}/edit/")  # the edit page sets the token the editor sends back
    ok = upload(client, item, headers={"X-CSRFToken": client.cookies["csrftoken"].value})  # as editor.js sends it
    assert ok.status_code == 201


def test_a_save_whose_image_lacks_alt_text_is_refused_with_its_number(make_item, client_for, column):
    item = make_item()
    editor = client_for("demo-editor")
    first, second = (upload(editor, item).json()["url"] for _ in range(2))
    body = f'<p><img src="{first}" alt="大厅"></p><p>正文。</p><p><img src="{second}" alt=" "></p>'
    response = editor.post(f"/staff/items/{item.pk}/edit/", form_data(column, body_html=body))
    html = response.content.decode()
    assert response.status_code == 200 and "正文第 2 张图片缺少替代文字（图片说明）" in html
    assert "编辑刚刚输入、尚未保存的新标题" in html  # nothing typed is lost
    item.refresh_from_db()
    assert item.revisions.count() == 1


def test_an_image_without_a_source_is_dropped_on_save(make_item, client_for, column):
    item = make_item()
    body = '<p>前文。</p><p><img src="" alt="空"></p><p><img></p><figure><img src="data:image/png;base64,AA" alt="x"></figure>'
    response = client_for("demo-editor").post(f"/staff/items/{item.pk}/edit/", form_data(column, body_html=body))
    assert response.status_code == 302, response.content.decode()
    item.refresh_from_db()
    assert item.current_revision.body_html == "<p>前文。</p>"


def test_the_gate_refuses_an_empty_image_left_by_an_old_import(make_item):
    item = make_item()
    current = item.current_revision
    old = Revision.objects.create(item=item, number=current.number + 1, content_hash="e" * 64, title=current.title,
                                  targets=current.targets, body_html="<p>导入的正文。</p><p><img></p><p><img src=\"\"></p>",
                                  created_by=current.created_by)
    item.current_revision = old
    item.save()
    problems = gate_problems(item, old.content_hash)
    assert any("2 张没有图片地址的空图片" in p for p in problems), problems
    assert not any("外部网站的图片" in p for p in problems)  # an empty src is not an outside picture


def test_a_new_item_is_saved_as_a_draft_first_then_edited(client_for, column):
    editor = client_for("demo-editor")
    form = editor.get("/staff/items/new/").content.decode()
    assert "data-image-upload" not in form  # no item yet: the editor offers to save a draft first
    response = editor.post("/staff/items/new/", {**form_data(column), "then": "edit"})
    assert response.status_code == 302 and response["Location"].endswith("/edit/")
    page = editor.get(response["Location"]).content.decode()
    assert "现在可以在正文中插入图片" in page
    item_id = response["Location"].split("/")[-3]
    assert f'data-image-upload="/staff/items/{item_id}/images/"' in page


# --- the API: the same action ------------------------------------------------------------------------------

def api_client(username):
    _, raw = create_token(Person.objects.get(username=username), name="pytest")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_api_uploads_a_body_image_and_a_file(make_item):
    item = make_item()
    client, auth = Client(), api_client("demo-editor")
    response = client.post(f"/api/v1/items/{item.pk}/files", {"file": photo(), "kind": "image", "alt": "大厅"}, **auth)
    assert response.status_code == 201, response.content.decode()
    reply = response.json()
    assert reply["kind"] == "image" and reply["revision"] is None and reply["width"] == 1600
    assert reply["url"] == f"/staff/attachments/{reply['id']}/download/"
    item.refresh_from_db()
    assert item.revisions.count() == 1
    saved = client.patch(f"/api/v1/items/{item.pk}", {"body_html": f'<p><img src="{reply["url"]}" alt="大厅"></p>'},
                         content_type="application/json", **auth)
    assert saved.status_code == 200 and saved.json()["revision"]["number"] == 2
    item.refresh_from_db()
    assert list(item.current_revision.attachments.values_list("pk", flat=True)) == [reply["id"]]

    pdf = SimpleUploadedFile("通知.pdf", b"%PDF-1.4\n1\n%%EOF\n")
    response = client.post(f"/api/v1/items/{item.pk}/files", {"file": pdf, "kind": "file"}, **auth)
    assert response.status_code == 201 and response.json()["revision"] == 3  # an attachment joins a new revision


def test_the_api_refuses_what_the_staff_route_refuses(make_item):
    item = make_item()
    client = Client()
    no_alt = client.post(f"/api/v1/items/{item.pk}/files", {"file": photo(), "kind": "image"}, **api_client("demo-editor"))
    assert no_alt.status_code == 400 and "替代文字" in no_alt.json()["detail"]
    assert client.post(f"/api/v1/items/{item.pk}/files", {"file": photo(), "alt": "大厅"},
                       **api_client("yanji-editor")).status_code == 404
    assert client.post(f"/api/v1/items/{item.pk}/files", {"file": photo(), "alt": "大厅"},
                       **api_client("demo-office-head")).status_code == 403
    assert client.post(f"/api/v1/items/{item.pk}/files", {"file": photo(), "alt": "大厅"}).status_code == 401
    assert not item.attachments.exists()


def test_the_upload_is_documented_as_multipart():
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/items/{item_id}/files"]["post"]
    form = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert {"file", "kind", "alt"} <= set(form["properties"]) or "$ref" in str(form)
    assert "201" in operation["responses"] and "替代文字" in operation["summary"]
