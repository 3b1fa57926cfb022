"""The API's Word / WPS import: the same action as the form, multipart, documented in OpenAPI."""

import re

import pytest
from django.test import Client
from support.wordfiles import as_doc, full_docx, plain_docx

from govpub.api.actions import create_token
from govpub.content.models import Attachment, Item
from govpub.orgs.models import Person

pytestmark = pytest.mark.django_db


def client(username="demo-editor"):
    _, raw = create_token(Person.objects.get(username=username), name="pytest")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_import_creates_an_item_for_the_editors_only_unit():
    response = client().post("/api/v1/items/import", {"file": upload("推进会通知.docx", full_docx())})
    assert response.status_code == 201, response.content.decode()
    data = response.json()
    item = Item.objects.get(pk=data["id"])
    assert item.unit.name == "区党政办公室" and data["revision"]["number"] == 1
    assert data["revision"]["title"] == "关于召开推进会的通知"
    images = list(item.attachments.filter(kind=Attachment.Kind.IMAGE).order_by("pk"))
    assert data["images"] == 3 == len(images)
    assert re.findall(r'src="([^"]*)"', data["revision"]["body_html"]) == [
        f"/staff/attachments/{a.pk}/download/" for a in images]
    assert any("请为导入的 2 张图片填写替代文字" in note for note in data["notes"])
    assert data["source_document"]["name"] == "推进会通知.docx" and data["source_document"]["has_hidden_content"]
    detail = client().get(f"/api/v1/items/{item.pk}").json()
    assert [(d["name"], d["has_hidden_content"]) for d in detail["source_documents"]] == [("推进会通知.docx", True)]


def test_import_replaces_the_body_of_an_item_in_one_new_revision():
    editor = client()
    item_id = editor.post("/api/v1/items/import", {"file": upload("初稿.docx", plain_docx("初稿正文。"))}).json()["id"]
    response = editor.post(f"/api/v1/items/{item_id}/import", {"file": upload("定稿.doc", as_doc(plain_docx(
        "定稿正文。", title="另一个标题")))})
    assert response.status_code == 200, response.content.decode()
    data = response.json()
    assert data["created"] and data["revision"]["number"] == 2
    assert data["revision"]["title"] == "导入的标题"  # the item's title stays; only the body is replaced
    assert "定稿正文" in data["revision"]["body_html"] and "初稿正文" not in data["revision"]["body_html"]
    assert not data["source_document"]["has_hidden_content"] and data["source_document"]["name"] == "定稿.doc"
    assert Item.objects.get(pk=item_id).revisions.count() == 2


@pytest.mark.parametrize("body, message", [
    ({}, "请在 file 字段上传要导入的 Word 或 WPS 文件"),
    ({"file": ("说明.txt", "只是文字".encode())}, "文件“说明.txt”的内容不是允许的类型"),
    ({"file": ("损坏.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 3000)}, "无法转换文件“损坏.doc”"),
])
def test_bad_files_get_a_chinese_400_and_create_nothing(body, message):
    before = (Item.objects.count(), Attachment.objects.count())
    files = {key: upload(*value) for key, value in body.items()}
    response = client().post("/api/v1/items/import", files)
    assert response.status_code == 400 and message in response.json()["detail"], response.content.decode()
    assert (Item.objects.count(), Attachment.objects.count()) == before


def test_an_editor_of_two_units_must_name_one():
    from govpub.orgs.models import Role, RoleAssignment, Unit

    person = Person.objects.get(username="demo-editor")
    other = Unit.objects.exclude(pk__in=person.roles.values("unit")).order_by("pk").first()
    RoleAssignment.objects.create(person=person, unit=other, role=Role.EDITOR)
    response = client().post("/api/v1/items/import", {"file": upload("通知.docx", plain_docx())})
    assert response.status_code == 400 and "请用 unit 指明" in response.json()["detail"]
    response = client().post("/api/v1/items/import", {"file": upload("通知.docx", plain_docx()), "unit": other.pk})
    assert response.status_code == 201 and Item.objects.get(pk=response.json()["id"]).unit == other


def test_openapi_documents_both_imports_as_multipart():
    schema = Client().get("/api/v1/openapi.json").json()
    for path in ("/api/v1/items/import", "/api/v1/items/{item_id}/import"):
        operation = schema["paths"][path]["post"]
        content = operation["requestBody"]["content"]
        assert list(content) == ["multipart/form-data"], content
        ref = content["multipart/form-data"]["schema"]
        props = schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[-1]]["properties"] if "$ref" in ref \
            else ref["properties"]
        assert props["file"]["format"] == "binary"
        assert {"400", "401", "403", "404"} <= set(operation["responses"])
