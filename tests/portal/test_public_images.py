"""Body images and files of a published article, fetched by an anonymous visitor: public URLs that answer only
while the revision that carries them is live on the website."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from govpub.content import actions as content_actions
from govpub.content.files import stored_path
from govpub.content.models import Attachment
from govpub.orgs.models import Unit
from govpub.publishing import actions as publishing_actions
from govpub.publishing.connectors.adapt import default_cover_png
from govpub.review import actions as review_actions

from .conftest import decide, people

pytestmark = pytest.mark.django_db
EDITOR = "demo-editor"


def png(shade: int) -> bytes:
    return default_cover_png(8, 8, (shade, 0x40, 0x40))


def image_of(item, data: bytes, name: str) -> Attachment:
    return content_actions.add_attachment(item, SimpleUploadedFile(name, data), acting_user=people(EDITOR),
                                          kind=Attachment.Kind.IMAGE)


def review_and_publish(item, capture):
    review_actions.submit_for_review(item, acting_user=people(EDITOR))
    for step in ("first_review", "second_review", "final_review"):
        decide(item, step)
    item.refresh_from_db()
    with capture(execute=True):
        publishing_actions.publish_item(item, acting_user=people(EDITOR),
                                        revision_hash=item.current_revision.content_hash)
    item.refresh_from_db()
    return item


@pytest.fixture
def article(column_of, django_capture_on_commit_callbacks):
    """Publish an item whose body shows an uploaded image (referenced by its staff URL, as the editor saves it)."""

    def make(shade=0x10, title="全区防汛演练现场", src="/staff/attachments/{}/download/", hold_back=False):
        item = content_actions.create_item(acting_user=people(EDITOR), unit=Unit.objects.get(name="区党政办公室"),
                                           title=title, body_html="<p>演练现场。</p>",
                                           targets=[f"column:{column_of('gzdt').pk}"])
        image = image_of(item, png(shade), "现场.png")
        # Uploaded to the item but dropped before review, so never part of the live revision: unreachable.
        held = image_of(item, png(shade + 1), "未采用.png") if hold_back else None
        content_actions.save_revision(item, acting_user=people(EDITOR), attachment_ids=[image.pk], body_html=(
            f'<p>演练现场。</p><p><img src="{src.format(image.pk)}" alt="演练现场"></p>'))
        item = review_and_publish(item, django_capture_on_commit_callbacks)
        return item, image, held

    return make


def body_image_url(client, item) -> str:
    html = client.get(f"/articles/{item.pk}/").content.decode()
    assert "/attachments/" not in html.split('class="body"', 1)[1].split("</div>", 1)[0]
    [src] = re.findall(r'<img[^>]*\bsrc="([^"]+)"', html.split('class="body"', 1)[1])
    return src


@pytest.mark.parametrize("src", ["/staff/attachments/{}/download/", "/attachments/{}/download"])
def test_a_published_articles_body_image_is_public(article, src):
    item, image, _ = article(src=src)
    client = Client()
    url = body_image_url(client, item)
    assert url.startswith(f"/files/{item.pk}/{image.pk}/") and url.endswith(".png")
    response = client.get(url)
    assert response.status_code == 200
    served = b"".join(response.streaming_content)
    assert served == stored_path(image.storage_name).read_bytes()  # the upload as cleaned at upload (re-encoded)
    assert Image.open(io.BytesIO(served)).getpixel((0, 0)) == (0x10, 0x40, 0x40)
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    assert response["ETag"] == f'"{image.sha256}"'
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"{image.sha256}"').status_code == 304
    # The attachment list links to public URLs too, never to the staff download.
    page = client.get(f"/articles/{item.pk}/").content.decode()
    assert f'href="/articles/{item.pk}/files/{image.pk}/"' in page and "/staff/" not in page


def test_the_image_url_is_gone_after_withdrawal(article, django_capture_on_commit_callbacks):
    item, _, _ = article()
    client = Client()
    url = body_image_url(client, item)
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        publishing_actions.withdraw_item(item, acting_user=people(EDITOR), reason="图片有误，予以撤下")
    assert client.get(url).status_code == 404


def test_only_the_live_revisions_own_images_are_served(article):
    item, image, held = article(hold_back=True)
    other, other_image, _ = article(shade=0x90, title="另一篇稿件的图片")
    client = Client()
    url = body_image_url(client, item)
    assert client.get(url).status_code == 200
    # An image of the same item that no revision carries, even under a well-formed URL: 404.
    assert client.get(f"/files/{item.pk}/{held.pk}/{held.sha256[:16]}.png").status_code == 404
    # Another item's image under this item's id (both are live): 404; under its own item it is served.
    assert client.get(f"/files/{item.pk}/{other_image.pk}/{other_image.sha256[:16]}.png").status_code == 404
    assert client.get(body_image_url(client, other)).status_code == 200
    # The wrong digest or extension for this image, or an unknown id: 404.
    assert client.get(url.replace(image.sha256[:16], "0" * 16)).status_code == 404
    assert client.get(url.replace(".png", ".gif")).status_code == 404
    assert client.get(f"/files/{item.pk}/999999/{image.sha256[:16]}.png").status_code == 404


def test_a_superseded_revisions_image_is_gone(article, correct):
    item, image, _ = article()
    client = Client()
    url = body_image_url(client, item)
    correct(item, "删除了演练现场图片。", body_html="<p>演练现场。</p>", attachment_ids=[])
    assert item.live_revision.attachments.count() == 0
    assert client.get(url).status_code == 404
    assert client.get(f"/articles/{item.pk}/").status_code == 200
