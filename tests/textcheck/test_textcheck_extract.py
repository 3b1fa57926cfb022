import time

import pytest

from govpub.textcheck import ExtractionError, extract

from .conftest import assert_offsets
from .filemakers import VALID_ID, make_docx, make_pdf, make_xlsx, make_zip


def by_rule(res, rule):
    return [f for f in res.findings if f.rule == rule]


def test_docx_all_parts(checker, tmp_path):
    p = tmp_path / "a.docx"
    make_docx(p)
    res = checker.check_file(p)
    assert_offsets(res.text, res.findings)
    typo = by_rule(res, "typo.lexicon")
    assert typo and typo[0].location.startswith("正文第")
    hidden_mobile = by_rule(res, "privacy.mobile")
    assert hidden_mobile and hidden_mobile[0].severity == "block" and "隐藏" in hidden_mobile[0].message
    assert any(f.category == "advertising" for f in res.findings)  # table cell
    secret = [f for f in res.findings if f.category == "secret"]
    assert secret and "页眉" in secret[0].location
    assert any(f.rule == "link.ip_address" and "页脚" in f.location for f in res.findings)
    inserted = [f for f in res.findings if f.category == "prohibited"]
    assert any("修订插入" in f.location for f in inserted)
    ids = by_rule(res, "privacy.id_card")
    locs = " ".join(f.location for f in ids)
    assert "修订删除" in locs and "文档属性" in locs
    assert all(f.severity == "block" for f in ids)
    comment = [f for f in res.findings if "批注" in (f.location or "") and f.category == "prohibited"]
    assert comment and comment[0].severity in ("warn", "block")


def test_xlsx_hidden_parts(checker, tmp_path):
    p = tmp_path / "a.xlsx"
    make_xlsx(p)
    res = checker.check_file(p)
    assert_offsets(res.text, res.findings)
    ids = by_rule(res, "privacy.id_card")
    assert ids and ids[0].severity == "block" and "隐藏列" in ids[0].location
    assert "名单" in ids[0].location and "C2" in ids[0].location
    assert any(f.category == "advertising" and "隐藏行" in f.location for f in res.findings)
    assert any(f.category == "secret" and "隐藏工作表" in f.location for f in res.findings)
    assert any(f.category == "prohibited" and "批注" in f.location for f in res.findings)
    assert any(f.rule == "privacy.mobile" and "A4" in f.location for f in res.findings)
    assert any(f.rule == "typo.jiezhi" for f in res.findings)


def test_pdf_pages_and_metadata(checker, tmp_path):
    p = tmp_path / "a.pdf"
    p.write_bytes(make_pdf([f"ID card {VALID_ID}", "see http://10.0.0.8/x"], title="mobile 13912345678"))
    res = checker.check_file(p)
    ids = by_rule(res, "privacy.id_card")
    assert ids and ids[0].location == "第1页"
    mob = by_rule(res, "privacy.mobile")
    assert mob and "文档属性" in mob[0].location and mob[0].severity == "block"
    assert by_rule(res, "link.ip_address")


def test_txt_and_html_files(checker, tmp_path):
    t = tmp_path / "a.txt"
    t.write_bytes("各单位要认真布署。".encode("gb18030"))
    res = checker.check_file(t)
    assert res.text == "各单位要认真布署。" and by_rule(res, "typo.lexicon")[0].start == 6
    h = tmp_path / "a.html"
    h.write_text('<p>正文</p><p hidden>身份证号' + VALID_ID + '</p>', "utf-8")
    res = checker.check_file(h)
    assert by_rule(res, "privacy.id_card")[0].severity == "block"


def test_bytes_input_uses_name(checker, tmp_path):
    p = tmp_path / "a.docx"
    make_docx(p)
    res = checker.check_file("上传.docx", data=p.read_bytes())
    assert res.findings


@pytest.mark.parametrize("name,data", [
    ("bad.docx", b"this is not a zip"),
    ("bad.xlsx", b"PK\x03\x04garbage"),
    ("bad.pdf", b"%PDF-1.4\ngarbage"),
    ("old.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 100),
    ("bin.txt", b"\x00\x01\x02\xff\xfe\x00\x81"),
    ("empty.docx", make_zip({"[Content_Types].xml": b"<Types/>"})),
    ("broken.docx", make_zip({"word/document.xml": b"<w:document><unclosed>"})),
])
def test_corrupt_files_raise_clear_error(name, data):
    with pytest.raises(ExtractionError) as ei:
        extract(data=data, name=name)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(ei.value))


def test_zip_bomb_rejected():
    bomb = make_zip({"word/document.xml": b"\0" * (20 * 1024 * 1024)})
    with pytest.raises(ExtractionError, match="压缩"):
        extract(data=bomb, name="bomb.docx")


def test_many_medium_members_bomb_rejected_at_once():
    # Each 8 MB member is under the per-member check; together the archive expands ~1000-fold.
    members = {"word/document.xml": b"<w:document/>"}
    members.update({f"word/header{n}.xml": b"<a>" + b"x" * (8 * 1024 * 1024) + b"</a>" for n in range(6)})
    started = time.process_time()
    with pytest.raises(ExtractionError, match="压缩比"):
        extract(data=make_zip(members), name="bomb.docx")
    assert time.process_time() - started < 2


def test_xml_entity_bomb_rejected():
    xml = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
           b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&lol2;</w:document>')
    with pytest.raises(ExtractionError, match="实体"):
        extract(data=make_zip({"word/document.xml": xml}), name="x.docx")


def test_size_limit(monkeypatch, tmp_path):
    import importlib

    ex = importlib.import_module("govpub.textcheck.extract")  # the package, not the function

    monkeypatch.setattr(ex, "MAX_FILE_BYTES", 10)
    p = tmp_path / "big.txt"
    p.write_text("一二三四五六七八九十", "utf-8")
    with pytest.raises(ExtractionError, match="过大"):
        extract(p)


def test_missing_file():
    with pytest.raises(ExtractionError, match="不存在"):
        extract("/nonexistent/x.docx")
