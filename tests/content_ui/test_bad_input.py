"""Bad input gets a clear Chinese error on the same page, and nothing typed or saved is lost (DESIGN.md §2 inv. 9)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govpub.content.models import Attachment, Item
from support.images import png_bytes


pytestmark = pytest.mark.django_db
TYPED_TITLE = "编辑刚刚输入、尚未保存的新标题"
TYPED_BODY = "<p>编辑刚刚写好的一段正文，不能因为附件出错而丢失。</p>"


def form_data(column, **extra):
    data = {"title": TYPED_TITLE, "body_html": TYPED_BODY, "summary": "新摘要", "targets": [f"column:{column.pk}"],
            "source_kind": "original", "index_no": "LK-2026-0001", "doc_no": "临党政办〔2026〕8号"}
    data.update(extra)
    return data


def assert_kept(html):
    """The form came back with what the editor typed."""
    assert TYPED_TITLE in html
    assert "编辑刚刚写好的一段正文" in html
    assert "临党政办〔2026〕8号" in html


def assert_untouched(item, revision_id):
    item.refresh_from_db()
    assert item.current_revision_id == revision_id and item.revisions.count() == 1
    assert item.current_revision.title == "全区政务公开工作推进会召开"


def docx_bytes(text="正文内容。"):
    from docx import Document

    buffer = io.BytesIO()
    document = Document()
    document.add_heading("导入的标题", level=1)
    document.add_paragraph(text)
    document.save(buffer)
    return buffer.getvalue()


def test_200_mb_upload_is_refused_and_the_form_kept(make_item, client_for, column, tmp_path, settings):
    item = make_item()
    revision_id = item.current_revision_id
    big = tmp_path / "会议录像.pdf"
    with open(big, "wb") as handle:  # sparse: 200 MB without writing 200 MB
        handle.write(b"%PDF-1.4\n")
        handle.truncate(200 * 1024 * 1024)
    with open(big, "rb") as upload:
        response = client_for("demo-editor").post(f"/staff/items/{item.pk}/edit/",
                                                  form_data(column, attachments=upload))
    html = response.content.decode()
    assert response.status_code == 200
    assert "过大" in html and "不能超过 50 MB" in html
    assert_kept(html)
    assert_untouched(item, revision_id)
    assert not item.attachments.exists()


def test_exe_renamed_pdf_is_refused(make_item, client_for, column):
    item = make_item()
    revision_id = item.current_revision_id
    exe = SimpleUploadedFile("通知.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 500,
                             content_type="application/pdf")
    response = client_for("demo-editor").post(f"/staff/items/{item.pk}/edit/", form_data(column, attachments=exe))
    html = response.content.decode()
    assert response.status_code == 200
    assert "文件“通知.pdf”的内容不是允许的类型" in html
    assert_kept(html)
    assert_untouched(item, revision_id)
    # A real PDF named .docx is refused too: the type is decided by content.
    pdf = SimpleUploadedFile("通知.docx", b"%PDF-1.4\n%%EOF\n")
    html = client_for("demo-editor").post(f"/staff/items/{item.pk}/edit/",
                                          form_data(column, attachments=pdf)).content.decode()
    assert "扩展名与实际内容（PDF）不符" in html
    assert_untouched(item, revision_id)


@pytest.mark.parametrize("payload, message", [
    (b"PK\x03\x04 this is not really a zip archive", "内容不是允许的类型"),
    ("broken_document", "无法导入 Word 文件"),
])
def test_corrupt_docx_is_refused(make_item, client_for, column, payload, message):
    if payload == "broken_document":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w:document><w:body><w:p>未闭合")
        payload = buffer.getvalue()
    item = make_item()
    revision_id = item.current_revision_id
    word = SimpleUploadedFile("会议纪要.docx", payload)
    response = client_for("demo-editor").post(f"/staff/items/{item.pk}/edit/", form_data(column, word_file=word))
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert_kept(html)
    assert_untouched(item, revision_id)
    assert not item.attachments.filter(kind=Attachment.Kind.SOURCE_DOCX).exists()


def test_failed_create_creates_nothing(client_for, column):
    before = Item.objects.count()
    exe = SimpleUploadedFile("申报表.xlsx", b"MZ" + b"\x00" * 100)
    response = client_for("demo-editor").post("/staff/items/new/", form_data(column, attachments=exe))
    assert response.status_code == 200
    assert "不是允许的类型" in response.content.decode()
    assert_kept(response.content.decode())
    assert Item.objects.count() == before


def test_hostile_html_is_sanitised(make_item, client_for, column):
    item = make_item()
    hostile = ('<p onclick="steal()">正文<img src="x" alt="图" onerror="alert(1)"><script>alert(document.cookie)</script>'
               '<a href="javascript:alert(1)">链接</a><iframe src="https://evil.example/"></iframe></p>')
    response = client_for("demo-editor").post(f"/staff/items/{item.pk}/edit/", form_data(column, body_html=hostile))
    assert response.status_code == 302
    item.refresh_from_db()
    body = item.current_revision.body_html
    for bad in ("<script", "onerror", "onclick", "javascript:", "<iframe"):
        assert bad not in body
    assert "正文" in body
    page = client_for("demo-editor").get(f"/staff/items/{item.pk}/").content.decode()
    assert "alert(" not in page and "<script>alert" not in page
    # The first revision is kept as it was.
    assert item.revisions.get(number=1).body_html == "<p>区党政办公室召开全区政务公开工作推进会。</p>"


def test_word_import_creates_item_and_keeps_the_original(client_for, column):
    word = SimpleUploadedFile("推进会.docx", docx_bytes("会议部署了下一阶段的重点任务。"))
    response = client_for("demo-editor").post("/staff/items/new/", {
        "title": "", "body_html": "", "targets": [f"column:{column.pk}"], "source_kind": "original",
        "word_file": word})
    assert response.status_code == 302
    item = Item.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert item.current_revision.title == "导入的标题"
    assert "会议部署了下一阶段的重点任务" in item.current_revision.body_html
    original = item.attachments.get(kind=Attachment.Kind.SOURCE_DOCX)
    assert original.name == "推进会.docx"
    assert not item.current_revision.attachments.exists()  # the original is kept, not published


def test_attachments_and_cover_upload(make_item, client_for, column):
    item = make_item()
    png = png_bytes()
    files = [SimpleUploadedFile("一.pdf", b"%PDF-1.4\n1\n%%EOF\n"), SimpleUploadedFile("二.pdf", b"%PDF-1.4\n2\n%%EOF\n")]
    response = client_for("demo-editor").post(f"/staff/items/{item.pk}/edit/", form_data(
        column, attachments=files, cover=SimpleUploadedFile("封面.png", png)))
    assert response.status_code == 302, response.content.decode()
    item.refresh_from_db()
    revision = item.current_revision
    assert revision.number == 2
    assert sorted(revision.attachments.values_list("name", flat=True)) == ["一.pdf", "二.pdf"]
    assert revision.cover.name == "封面.png"
    # Cover image supplied as a PDF is refused.
    response = client_for("demo-editor").post(f"/staff/items/{item.pk}/edit/", form_data(
        column, cover=SimpleUploadedFile("封面.pdf", b"%PDF-1.4\n%%EOF\n")))
    assert "不是可识别的图片" in response.content.decode()
    item.refresh_from_db()
    assert item.current_revision.number == 2


def test_unreadable_attachment_blocks_submit_until_dismissed(make_item, client_for, column):
    """A .docx 机审 could not read may hide anything: submitting is refused until it is removed or dismissed."""
    from govpub.content.models import ItemState

    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as z:  # passes the upload's type sniffing, but word/document.xml is no XML
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document><w:body>未闭合")
    png = png_bytes()
    item = make_item()
    editor = client_for("demo-editor")
    response = editor.post(f"/staff/items/{item.pk}/edit/", form_data(column, attachments=[
        SimpleUploadedFile("损坏的通知.docx", broken.getvalue()), SimpleUploadedFile("现场.png", png)]))
    assert response.status_code == 302, response.content.decode()

    html = editor.post(f"/staff/items/{item.pk}/submit/", follow=True).content.decode()
    assert "文件无法读取，机审无法检查其内容：请删除或更换该附件，或写明理由后忽略" in html and "阻断问题" in html
    item.refresh_from_db()
    assert item.state != ItemState.IN_REVIEW
    finding = item.current_revision.findings.get(severity="block")
    assert finding.location == "损坏的通知.docx"
    assert not item.current_revision.findings.filter(location="现场.png", severity="block").exists()  # images warn

    editor.post(f"/staff/findings/{finding.pk}/dismiss/", {"reason": "原件为扫描件，已人工逐页审读"})
    assert "已提交审核" in editor.post(f"/staff/items/{item.pk}/submit/", follow=True).content.decode()
    item.refresh_from_db()
    assert item.state == ItemState.IN_REVIEW
