"""One save is one transaction and one revision; a refused save keeps no file (issue 12 item 1, issue 13)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govpub.content.models import Attachment, Item

from .test_bad_input import form_data
from support.images import png_bytes

pytestmark = pytest.mark.django_db
PNG = png_bytes()


def pdf(n):
    return SimpleUploadedFile(f"附件{n}.pdf", f"%PDF-1.4\n{n}\n%%EOF\n".encode())


def test_refused_edit_stores_no_attachment(make_item, client_for, column):
    item = make_item()
    response = client_for("demo-editor").post(f"/staff/items/{item.pk}/edit/", form_data(
        column, source_url="ftp://example.com/a", attachments=[pdf(1)], cover=SimpleUploadedFile("新封面.png", PNG)))
    assert response.status_code == 200 and "来源网址格式不正确" in response.content.decode()
    assert not item.attachments.exists()
    item.refresh_from_db()
    assert item.current_revision.number == 1


def test_item_created_with_attachments_starts_at_revision_one(client_for, column):
    response = client_for("demo-editor").post("/staff/items/new/", form_data(
        column, attachments=[pdf(1), pdf(2)], cover=SimpleUploadedFile("封面.png", PNG)))
    assert response.status_code == 302, response.content.decode()
    item = Item.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert item.revisions.count() == 1
    revision = item.current_revision
    assert sorted(revision.attachments.values_list("name", flat=True)) == ["附件1.pdf", "附件2.pdf"]
    assert revision.cover.name == "封面.png"


def test_refused_create_keeps_no_item_and_no_file(client_for, column):
    before_items, before_files = Item.objects.count(), Attachment.objects.count()
    response = client_for("demo-editor").post("/staff/items/new/", form_data(
        column, source_url="ftp://example.com/b", attachments=[pdf(3)]))
    assert response.status_code == 200
    assert (Item.objects.count(), Attachment.objects.count()) == (before_items, before_files)


@pytest.mark.parametrize("field", ["title", "summary", "doc_no"])
def test_control_characters_in_single_line_fields_are_refused(make_item, client_for, column, field):
    item = make_item()
    response = client_for("demo-editor").post(f"/staff/items/{item.pk}/edit/", form_data(
        column, **{field: "第一行\r\nBcc: everyone@example.com"}))
    assert response.status_code == 200
    assert "控制字符" in response.content.decode()
    item.refresh_from_db()
    assert item.current_revision.number == 1


def test_body_may_only_show_the_items_own_images(make_item, client_for, column):
    other = make_item(title="另一篇稿件")
    from govpub.content import actions

    from .conftest import people

    foreign = actions.add_attachment(other, SimpleUploadedFile("他人.png", PNG), acting_user=people("demo-editor"),
                                     kind=Attachment.Kind.IMAGE)
    item = make_item()
    body = f'<p>图：<img src="/staff/attachments/{foreign.pk}/download/" alt="他人的图"></p>'
    response = client_for("demo-editor").post(f"/staff/items/{item.pk}/edit/", form_data(column, body_html=body))
    assert response.status_code == 200 and "不属于本稿件" in response.content.decode()
    item.refresh_from_db()
    assert item.current_revision.number == 1
