"""Word / WPS import through the item form: .docx, .doc and .wps (LibreOffice, bounded), images kept where they
stood, hidden content of the original marked and machine-checked, and bad files refused without losing anything.

These tests need LibreOffice (scripts/test.sh and .ci/run install libreoffice-writer-nogui): they run, never skip.
"""

import os
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.wordfiles import ID_IN_COMMENT, ID_IN_HIDDEN_TEXT, as_doc, docx_with_pictures, full_docx, plain_docx

from govpub.content.files import OLE_MAGIC, sniff
from govpub.content.models import Attachment, Item

pytestmark = pytest.mark.django_db
TYPED_TITLE = "编辑刚刚输入、尚未保存的标题"
TYPED_BODY = "<p>编辑刚刚写好的一段正文，不能因为转换出错而丢失。</p>"
IMG = re.compile(r"<img\b[^>]*>")


@pytest.fixture(scope="module")
def word_files():
    docx = full_docx()
    doc = as_doc(docx)
    return {".docx": docx, ".doc": doc, ".wps": doc}  # see support/wordfiles.py for what the .wps is and is not


def form(column, **extra):
    data = {"title": "", "body_html": "", "targets": [f"column:{column.pk}"], "source_kind": "original"}
    data.update(extra)
    return data


def created(response) -> Item:
    assert response.status_code == 302, response.content.decode()[:3000]
    return Item.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def notes_of(client, response) -> str:
    return client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("ext", [".docx", ".doc", ".wps"])
def test_import_keeps_text_table_and_images_in_place(client_for, column, word_files, ext):
    editor = client_for("demo-editor")
    response = editor.post("/staff/items/new/", form(column, word_file=SimpleUploadedFile(f"推进会通知{ext}",
                                                                                        word_files[ext])))
    item = created(response)
    revision = item.current_revision
    body = revision.body_html
    assert revision.title == "关于召开推进会的通知"
    assert "各镇街：现将有关事项通知如下。" in body and "<td><p>三楼会议室</p></td>" in body
    # PNG, PNG and the BMP (redrawn as PNG) are the item's images, each where it stood; the EMF is left out.
    images = list(item.attachments.filter(kind=Attachment.Kind.IMAGE).order_by("pk"))
    assert len(images) == 3 and all(a.content_type == "image/png" for a in images)
    shown = IMG.findall(body)
    assert [re.search(r'src="([^"]*)"', tag).group(1) for tag in shown] == [
        f"/staff/attachments/{a.pk}/download/" for a in images]
    assert body.index("第一张图片之前的文字") < body.index(shown[0]) < body.index("两张图片之间的文字") < body.index(shown[1])
    assert body.index(shown[2]) < body.index("<table>")
    assert set(revision.attachments.all()) == set(images)  # the revision carries (and hashes) what the body shows
    assert all(editor.get(f"/staff/attachments/{a.pk}/download/").getvalue().startswith(b"\x89PNG") for a in images)
    # Hidden text stays out of what will be published; tracked deletions too; insertions are the text now.
    assert ID_IN_HIDDEN_TEXT not in body and "已删除的内部意见" not in body and "新插入的文字" in body
    original = item.attachments.get(kind=Attachment.Kind.SOURCE_DOCX)
    assert original.name == f"推进会通知{ext}" and original.has_hidden_content
    assert not revision.attachments.filter(kind=Attachment.Kind.SOURCE_DOCX).exists()
    page = notes_of(editor, response)
    assert "图片无法导入" not in page  # that wording would say nothing about why
    assert "1 张图片无法读取或转换（如 EMF/WMF 矢量图、按网址链接的图片），未导入正文" in page
    assert "Word 原稿含隐藏内容" in page and "含隐藏内容</span>" in page


def test_description_becomes_alt_text_and_the_rest_is_left_to_the_editor(client_for, column, word_files):
    editor = client_for("demo-editor")
    response = editor.post("/staff/items/new/", form(column, word_file=SimpleUploadedFile("通知.docx",
                                                                                        word_files[".docx"])))
    body = created(response).current_revision.body_html
    alts = [re.search(r'alt="([^"]*)"', tag).group(1) for tag in IMG.findall(body)]
    assert alts == ["会场全景", "", ""]  # never a made-up "图片2"
    assert "请为导入的 2 张图片填写替代文字" in notes_of(editor, response)


def test_import_into_an_existing_item_replaces_the_body_in_one_revision(make_item, client_for, column):
    item = make_item()
    editor = client_for("demo-editor")
    response = editor.post(f"/staff/items/{item.pk}/edit/", form(
        column, title="全区政务公开工作推进会召开", word_file=SimpleUploadedFile("新正文.docx", full_docx(emf_picture=False))))
    assert response.status_code == 302, response.content.decode()[:2000]
    item.refresh_from_db()
    revision = item.current_revision
    assert revision.number == 2 and revision.title == "全区政务公开工作推进会召开"
    assert "推进会" not in revision.body_html.split("<p>")[0] and "各镇街" in revision.body_html
    assert revision.attachments.filter(kind=Attachment.Kind.IMAGE).count() == 3


def test_the_original_is_machine_checked_and_its_findings_say_so(client_for, column, word_files):
    editor = client_for("demo-editor")
    item = created(editor.post("/staff/items/new/", form(column, word_file=SimpleUploadedFile(
        "通知.doc", word_files[".doc"]))))
    editor.post(f"/staff/items/{item.pk}/check/")
    from_original = item.current_revision.findings.filter(location__startswith="Word 原稿“通知.doc”")
    comment = [f for f in from_original if f.text == ID_IN_COMMENT]
    assert comment, list(from_original.values_list("text", "location", "message"))
    assert comment[0].category == "privacy" and "批注" in comment[0].message
    assert comment[0].message.startswith("【Word 原稿，不发布】")
    # Never published and not removable by the editor: it is said, it does not block.
    assert not from_original.filter(severity="block").exists()


@pytest.mark.parametrize("ext", [".doc", ".wps"])
def test_a_doc_or_wps_attachment_is_read_by_the_machine_check(make_item, client_for, column, word_files, ext):
    item = make_item()
    editor = client_for("demo-editor")
    response = editor.post(f"/staff/items/{item.pk}/edit/", form(
        column, title="全区政务公开工作推进会召开", body_html="<p>正文。</p>",
        attachments=SimpleUploadedFile(f"会议材料{ext}", word_files[ext])))
    assert response.status_code == 302, response.content.decode()[:2000]
    attachment = item.attachments.get(kind=Attachment.Kind.FILE)
    assert attachment.has_hidden_content and attachment.content_type != "application/octet-stream"
    editor.post(f"/staff/items/{item.pk}/check/")
    item.refresh_from_db()
    found = item.current_revision.findings.filter(field="attachment", text=ID_IN_COMMENT)
    assert found.filter(severity="block", category="privacy").exists()  # published hidden content blocks
    assert "含隐藏内容" in editor.get(f"/staff/items/{item.pk}/").content.decode()


# --- bad input: a clear Chinese message on the same form, everything typed kept, nothing stored ---------------

def assert_refused(response, message):
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html, re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    assert TYPED_TITLE in html and "编辑刚刚写好的一段正文" in html


def post_broken(client_for, column, name, payload):
    before = (Item.objects.count(), Attachment.objects.count())
    response = client_for("demo-editor").post("/staff/items/new/", form(
        column, title=TYPED_TITLE, body_html=TYPED_BODY, word_file=SimpleUploadedFile(name, payload)))
    assert (Item.objects.count(), Attachment.objects.count()) == before
    return response


def test_a_doc_libreoffice_cannot_read_is_refused(client_for, column):
    response = post_broken(client_for, column, "损坏.doc", OLE_MAGIC + os.urandom(6000))
    assert_refused(response, "无法转换文件“损坏.doc”：文件已损坏或不是Word（.doc）文档")


def test_an_ole_file_named_pdf_is_refused_with_kinds_a_person_recognises(make_item, client_for, column, word_files):
    item = make_item()
    response = client_for("demo-editor").post(f"/staff/items/{item.pk}/edit/", form(
        column, title=TYPED_TITLE, body_html=TYPED_BODY,
        attachments=SimpleUploadedFile("通知.pdf", word_files[".doc"])))
    assert_refused(response, "文件“通知.pdf”的内容不是允许的类型。可以上传的文件：PDF（.pdf）、Word（.docx）、"
                             "Word（.doc）、WPS 文字（.wps）")
    assert item.revisions.count() == 1


def test_a_hanging_conversion_is_killed_at_the_limit(client_for, column, tmp_path, monkeypatch, word_files):
    child = tmp_path / "child.pid"
    fake = tmp_path / "soffice"
    # It starts a child of its own and hangs: the whole process group must die, not just the script.
    fake.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {child}\nwait\n")
    fake.chmod(0o755)
    monkeypatch.setenv("GOVPUB_SOFFICE", str(fake))
    monkeypatch.setenv("GOVPUB_CONVERT_TIMEOUT", "2")
    started = time.monotonic()
    response = post_broken(client_for, column, "大文件.wps", word_files[".wps"])
    assert time.monotonic() - started < 10
    assert_refused(response, "转换文件“大文件.wps”超时（超过 2 秒）")
    pid = int(child.read_text())
    status = f"/proc/{pid}/status"
    assert not os.path.exists(status) or "\nState:\tZ" in open(status).read()  # gone (or a zombie nobody reaps)


def test_without_libreoffice_the_editor_is_told_to_save_as_docx(client_for, column, monkeypatch, word_files, tmp_path):
    monkeypatch.setenv("GOVPUB_SOFFICE", str(tmp_path / "no-such-soffice"))
    response = post_broken(client_for, column, "通知.doc", word_files[".doc"])
    assert_refused(response, "服务器未安装 LibreOffice，暂不能导入 .doc/.wps 文件，请另存为 .docx 后导入")
    # A .docx needs no LibreOffice.
    editor = client_for("demo-editor")
    assert editor.post("/staff/items/new/", form(column, word_file=SimpleUploadedFile(
        "通知.docx", plain_docx()))).status_code == 302


def test_a_spreadsheet_is_not_imported_as_a_word_file(client_for, column):
    import io

    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    response = post_broken(client_for, column, "名单.xlsx", buffer.getvalue())
    assert_refused(response, "文件“名单.xlsx”不是 Word 或 WPS 文件：只能导入 .docx、.doc、.wps 文件。")


# --- the pieces, directly ------------------------------------------------------------------------------------

def test_the_converter_runs_sandboxed_and_limited(tmp_path, monkeypatch):
    """What LibreOffice is started with: its own profile and working directory (removed afterwards), a forced
    Word import filter, CPU / address-space / file-size limits, and a bare environment."""
    from django.core.exceptions import ValidationError

    from govpub.content import convert

    seen = tmp_path / "seen"
    fake = tmp_path / "soffice"
    fake.write_text(f'#!/bin/sh\n{{ ulimit -t; ulimit -v; ulimit -f; pwd; echo "$HOME"; env | wc -l; echo "$@"; }} > {seen}\n')
    fake.chmod(0o755)
    monkeypatch.setenv("GOVPUB_SOFFICE", str(fake))
    monkeypatch.setenv("GOVPUB_CONVERT_TIMEOUT", "7")
    with pytest.raises(ValidationError, match="无法转换文件“通知.doc”"):  # it wrote no .docx
        convert.to_docx(OLE_MAGIC + b"\x00" * 100, "通知.doc")
    cpu, memory, size, cwd, home, env_lines, args = seen.read_text().splitlines()
    assert int(cpu) == 12 and int(memory) * 1024 == convert.MEMORY_BYTES
    assert int(size) == (convert.MAX_OUTPUT_BYTES + 1) // 512  # dash counts 512-byte blocks
    assert home == cwd and "govpub-convert-" in cwd and not os.path.exists(cwd)
    assert int(env_lines) <= 8  # PATH, HOME, TMPDIR, LANG and what sh itself adds: no secrets from the server's env
    assert f"-env:UserInstallation=file://{cwd}/profile" in args and "--infilter=MS Word 97" in args


def test_the_converter_refuses_what_is_no_ole_file_before_starting_anything(monkeypatch, tmp_path):
    from django.core.exceptions import ValidationError

    from govpub.content import convert

    monkeypatch.setenv("GOVPUB_SOFFICE", str(tmp_path / "never-started"))
    with pytest.raises(ValidationError, match="不是WPS 文字文档"):
        convert.to_docx(b"PK\x03\x04" + b"\x00" * 100, "通知.wps")


def test_ole_files_are_told_apart_by_their_extension_only_between_doc_and_wps():
    from govpub.content.files import sniff

    head = OLE_MAGIC + b"\x00" * 8
    assert sniff(head, ext=".doc") == ".doc" and sniff(head, ext=".wps") == ".wps"
    assert sniff(head, ext=".xls") is None and sniff(head, ext=".pdf") is None and sniff(head) is None


def test_hidden_content_names_comments_tracked_changes_and_hidden_text():
    from govpub.textcheck import extract
    from govpub.textcheck.extract.office import hidden_content

    assert hidden_content(extract(data=full_docx(), name="a.docx")) == ["批注", "修订删除内容", "修订插入内容", "隐藏文字"]
    assert hidden_content(extract(data=plain_docx(), name="b.docx")) == []  # an author in the properties is not it


PICTURE = st.tuples(st.sampled_from(["png", "jpeg", "gif", "bmp", "emf", "garbage"]),
                    st.sampled_from(["", "", "区政府大楼", "会场 <b>全景</b> & 主席台"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pictures=st.lists(PICTURE, max_size=6))
def test_every_image_of_the_body_is_one_returned_in_order_and_none_is_empty(pictures):
    """Whatever mix of pictures a Word file holds: each <img> of the body is one of the returned images, in the
    file's order, with its description as alt (or alt=""), and what could not be kept is counted, not shown."""
    from govpub.content.wordimport import read_word

    word = read_word(docx_with_pictures(pictures), "图片.docx")
    tags = IMG.findall(word.body_html)
    assert [re.search(r'src="([^"]*)"', t).group(1) for t in tags] == [image.placeholder for image in word.images]
    kept = [(kind, description) for kind, description in pictures if kind not in ("emf", "garbage")]
    assert [image.alt for image in word.images] == [description for _, description in kept]
    assert all(sniff(image.data[:16]) in (".jpg", ".png", ".gif") for image in word.images)
    dropped = len(pictures) - len(kept)
    assert any(f"有 {dropped} 张图片无法读取或转换" in note for note in word.notes) == bool(dropped)
    missing = sum(1 for _, description in kept if not description)
    assert any(f"请为导入的 {missing} 张图片填写替代文字" in note for note in word.notes) == bool(missing)
    assert "<p></p>" not in word.body_html


@pytest.fixture
def listener():
    """A local HTTP server that records every request: what a Word file's linked picture would reach."""
    import http.server
    import threading

    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            self.send_error(404)

        do_HEAD = do_OPTIONS = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/tracker.png", seen
    server.shutdown()


@pytest.mark.parametrize("namespace", [True, False], ids=["own-network-namespace", "proxy-only"])
def test_a_linked_picture_does_not_make_the_server_fetch_its_address(listener, monkeypatch, namespace):
    from support.wordfiles import linked_picture_docx, soffice_convert

    from govpub.content import convert

    url, seen = listener
    doc = as_doc(linked_picture_docx(url))
    seen.clear()
    soffice_convert(doc, ".doc", "docx")
    assert seen, "a plain LibreOffice fetches the linked picture: the test file does what it should"
    seen.clear()
    if not namespace:
        monkeypatch.setattr(convert, "network_jail", lambda: ())
    else:
        assert convert.network_jail(), "unshare --net works on this machine (root, or user namespaces enabled)"
    assert convert.to_docx(doc, "链接图片.doc").startswith(b"PK")
    assert seen == []


def test_a_linked_picture_in_a_docx_is_not_fetched_either(listener):
    from support.wordfiles import linked_picture_docx

    from govpub.content.wordimport import read_word

    url, seen = listener
    word = read_word(linked_picture_docx(url), "链接图片.docx")
    assert seen == [] and word.images == [] and "<img" not in word.body_html
    assert any("1 张图片无法读取或转换" in note for note in word.notes)
