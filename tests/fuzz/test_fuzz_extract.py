"""Fuzzing the attachment extractors (govpub.textcheck.extract: .docx/.xlsx/.pdf/.txt/.html).

The module's contract (extract/__init__.py): every input ends either in a ``Document`` or in
``ExtractionError`` whose message is Chinese — never another exception, never a hang.  The seeds
are small valid documents made here with python-docx, openpyxl and pypdf; hypothesis mutates
their bytes, the XML inside their zip members, or writes hostile XML parts from a small grammar.
Time is measured as CPU time of this process, so a busy CI machine does not make it flaky.
"""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govpub.textcheck.extract import Document, ExtractionError, extract

from textcheck.filemakers import make_pdf as hand_pdf  # tests/textcheck: the hand-written PDF

FAST = dict(deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow,
                                                                     HealthCheck.data_too_large])
MAX_CPU_SECONDS = 5.0
CHINESE = re.compile(r"[\u4e00-\u9fff]")
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ID = "110101199003074514"


# ---- seeds: small valid documents ---------------------------------------------------------

def make_docx() -> bytes:
    import docx

    d = docx.Document()
    d.core_properties.title = "关于印发工作方案的通知"
    d.core_properties.author = "张三"
    d.add_paragraph("各单位要认真布署落实，联系电话13912345678。")
    p = d.add_paragraph("正文可见部分。")
    p.add_run(f"隐藏的身份证{ID}").font.hidden = True
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "单元格"
    t.cell(0, 1).text = "加微信abc12345"
    d.sections[0].header.paragraphs[0].text = "秘密★1年"
    d.sections[0].footer.paragraphs[0].text = "页脚 http://192.168.1.10/oa"
    cp = d.add_paragraph("批注所在段落")
    d.add_comment(cp.runs, text="批注：赌博网站", author="王五")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def make_xlsx() -> bytes:
    import openpyxl
    from openpyxl.comments import Comment

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    ws["A1"], ws["B1"], ws["C1"] = "姓名", "说明", "身份证号"
    ws["A2"], ws["B2"], ws["C2"] = "张三", "截止2023年底", ID
    ws.column_dimensions["C"].hidden = True
    ws["A3"] = "隐藏行：加微信abc12345"
    ws.row_dimensions[3].hidden = True
    ws["A4"] = 13912345678
    ws["B4"].comment = Comment("批注里的赌博网站", "王五")
    hidden = wb.create_sheet("隐藏表")
    hidden["A1"] = "内部资料"
    hidden.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def make_pdf(*, encrypt: str | None = None, compress: bool = True) -> bytes:
    """A two-page PDF written by pypdf (compressed content streams, metadata)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for lines in (["Contact 13912345678", f"ID {ID}"], ["http://192.168.1.10/oa", "page two"]):
        writer.add_page(PdfReader(io.BytesIO(hand_pdf(lines))).pages[0])
    if compress:
        for page in writer.pages:
            page.compress_content_streams()
    writer.add_metadata({"/Title": "工作方案", "/Author": "张三"})
    if encrypt is not None:
        writer.encrypt(user_password=encrypt, owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def make_html() -> bytes:
    return ("<html><head><title>通知</title><style>p{}</style></head><body><p>联系电话13912345678</p>"
            "<div style='display:none'>隐藏的赌博网站</div><a href='http://192.168.1.10/oa'>内网</a>"
            "<script>alert(1)</script></body></html>").encode()


SEEDS: dict[str, bytes] = {}


def seeds() -> dict[str, bytes]:
    if not SEEDS:
        SEEDS.update({"a.docx": make_docx(), "a.xlsx": make_xlsx(), "a.pdf": make_pdf(),
                      "raw.pdf": hand_pdf(["hello 13912345678"]), "a.html": make_html(),
                      "a.txt": "政务公开\n身份证110101199003074514\n".encode(),
                      "gbk.txt": "政务公开工作要点，联系电话13912345678".encode("gbk")})
    return SEEDS


def zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def make_zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


# ---- the property every input must satisfy ------------------------------------------------

def assert_extracts_or_refuses(data: bytes, name: str, checker=None) -> Document | None:
    started = time.process_time()
    try:
        doc = extract(data=data, name=name)
    except ExtractionError as e:
        message = str(e)
        assert CHINESE.search(message), f"ExtractionError without a Chinese message: {message!r}"
        doc = None
    cpu = time.process_time() - started
    assert cpu < MAX_CPU_SECONDS, f"{name}: {cpu:.1f} s CPU for {len(data)} bytes"
    if doc is not None:
        assert isinstance(doc, Document)
        text = doc.text
        for s, e, location in doc.spans:
            assert 0 <= s <= e <= len(text) and isinstance(location, str)
        for s, e, _label, _hidden in doc.marks:
            assert 0 <= s <= e <= len(text)
        if checker is not None:
            result = checker.check_document(doc)
            assert result.text == text
            for f in result.findings:
                assert 0 <= f.start <= f.end <= len(text)
                assert text[f.start:f.end] == f.text
    return doc


def test_seeds_are_valid_and_extract(checker):
    for name, data in seeds().items():
        doc = assert_extracts_or_refuses(data, name, checker)
        assert doc is not None and doc.text.strip(), name
    assert "隐藏的身份证" in extract(data=seeds()["a.docx"], name="a.docx").text
    assert "内部资料" in extract(data=seeds()["a.xlsx"], name="a.xlsx").text
    assert "13912345678" in extract(data=seeds()["a.pdf"], name="a.pdf").text


# ---- byte-level mutation ------------------------------------------------------------------

OPS = st.lists(st.tuples(st.sampled_from(["flip", "set", "insert", "delete", "truncate", "dup"]),
                         st.floats(min_value=0, max_value=1, allow_nan=False),
                         st.integers(0, 255), st.integers(1, 64)), min_size=1, max_size=6)


def mutate(data: bytes, ops) -> bytes:
    b = bytearray(data)
    for kind, where, byte, n in ops:
        if not b:
            b = bytearray([byte])
            continue
        i = min(int(where * len(b)), len(b) - 1)
        if kind == "flip":
            b[i] ^= 1 << (byte % 8)
        elif kind == "set":
            b[i:i + n] = bytes([byte]) * min(n, len(b) - i)
        elif kind == "insert":
            b[i:i] = bytes([byte]) * n
        elif kind == "delete":
            del b[i:i + n]
        elif kind == "truncate":
            del b[i:]
        elif kind == "dup":
            b[i:i] = b[i:i + n] * 4
    return bytes(b)


EXTENSIONS = [".docx", ".xlsx", ".pdf", ".txt", ".html", ".bin"]


@settings(max_examples=200, **FAST)
@given(st.sampled_from(["a.docx", "a.xlsx", "a.pdf", "raw.pdf", "a.html", "a.txt", "gbk.txt"]), OPS,
       st.sampled_from(["same", "none"]))
def test_mutated_bytes_extract_or_fail_cleanly(checker, seed, ops, naming):
    data = mutate(seeds()[seed], ops)
    # "none": the kind is sniffed from the bytes (an upload without a useful extension).
    assert_extracts_or_refuses(data, seed if naming == "same" else "upload", checker)


@settings(max_examples=60, **FAST)
@given(st.binary(max_size=4096), st.sampled_from(EXTENSIONS),
       st.sampled_from([b"", b"PK\x03\x04", b"%PDF-1.7\n", b"\xd0\xcf\x11\xe0", b"\xef\xbb\xbf",
                        b"\xff\xfe", b"<html><body>", b"PK\x03\x04word/", b"PK\x03\x04xl/"]))
def test_random_bytes_extract_or_fail_cleanly(checker, data, ext, head):
    assert_extracts_or_refuses(head + data, "random" + ext, checker)


# ---- structure-aware: mutate the XML inside a valid zip -----------------------------------

@settings(max_examples=150, **FAST)
@given(st.sampled_from(["a.docx", "a.xlsx"]), st.data())
def test_mutated_xml_members_extract_or_fail_cleanly(checker, seed, data):
    members = zip_members(seeds()[seed])
    xml_names = sorted(n for n in members if n.endswith((".xml", ".rels")))
    victims = data.draw(st.lists(st.sampled_from(xml_names), min_size=1, max_size=3, unique=True))
    for victim in victims:
        members[victim] = mutate(members[victim], data.draw(OPS))
    if data.draw(st.booleans()):
        members.pop(data.draw(st.sampled_from(sorted(members))))
    assert_extracts_or_refuses(make_zip(members), seed, checker)


# A small grammar of WordprocessingML / SpreadsheetML with hostile attribute values.
WEIRD_VALUES = st.one_of(st.sampled_from(["", "0", "1", "-1", "true", "false", "off", "99999999999999999999",
                                          "-99999999999", "1e9", "abc", "A1", "ZZZZZZZZ1", "\u200b", "𠀀"]),
                         st.integers(-10**6, 10**6).map(str), st.text(max_size=5))
TEXTS = st.one_of(st.sampled_from(["赌博", ID, "13912345678", "秘密★", "http://10.0.0.1/x", " ", "&amp;", "]]>"]),
                  st.text(max_size=12))


def _esc(s: str) -> str:
    s = "".join(ch for ch in s if ch in "\t\n\r" or ("\x20" <= ch <= "\ud7ff") or ("\ue000" <= ch <= "\ufffd")
                or ch > "\uffff")
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def w_elements(depth: int = 0) -> st.SearchStrategy[str]:
    leaf = st.one_of(
        TEXTS.map(lambda t: f"<w:t>{_esc(t)}</w:t>"),
        TEXTS.map(lambda t: f"<w:delText>{_esc(t)}</w:delText>"),
        TEXTS.map(lambda t: f'<w:instrText>HYPERLINK "{_esc(t)}"</w:instrText>'),
        st.just("<w:tab/>"), st.just("<w:br/>"), st.just("<w:cr/>"),
        WEIRD_VALUES.map(lambda v: f'<w:rPr><w:vanish w:val="{_esc(v)}"/></w:rPr>'),
    )
    return st.recursive(leaf, lambda inner: st.tuples(
        st.sampled_from(["w:p", "w:r", "w:ins", "w:del", "w:moveFrom", "w:moveTo", "w:tbl", "w:tc", "w:sdt",
                         "w:hyperlink", "w:body", "w:smartTag"]),
        st.lists(inner, max_size=4)).map(lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"), max_leaves=25)


def s_cells() -> st.SearchStrategy[str]:
    cell = st.tuples(WEIRD_VALUES, st.sampled_from(["s", "n", "str", "e", "b", "inlineStr", "", "zz"]),
                     WEIRD_VALUES, TEXTS).map(
        lambda t: f'<c r="{_esc(t[0])}" t="{t[1]}"><v>{_esc(t[2])}</v><is><t>{_esc(t[3])}</t></is></c>')
    row = st.tuples(WEIRD_VALUES, st.lists(cell, max_size=5)).map(
        lambda t: f'<row r="1" hidden="{_esc(t[0])}">{"".join(t[1])}</row>')
    cols = st.lists(st.tuples(WEIRD_VALUES, WEIRD_VALUES, st.sampled_from(["1", "true", "0"])).map(
        lambda t: f'<col min="{_esc(t[0])}" max="{_esc(t[1])}" hidden="{t[2]}"/>'), max_size=4)
    return st.tuples(cols, st.lists(row, max_size=4)).map(
        lambda t: f'<worksheet xmlns="{S_NS}"><cols>{"".join(t[0])}</cols><sheetData>{"".join(t[1])}'
                  f'</sheetData></worksheet>')


def shared_strings() -> st.SearchStrategy[str]:
    si = st.lists(st.one_of(TEXTS.map(lambda t: f"<t>{_esc(t)}</t>"),
                            TEXTS.map(lambda t: f"<r><t>{_esc(t)}</t></r>"),
                            TEXTS.map(lambda t: f"<rPh><t>{_esc(t)}</t></rPh>")), max_size=5).map(
        lambda parts: f"<si>{''.join(parts)}</si>")
    return st.lists(si, max_size=6).map(lambda sis: f'<sst xmlns="{S_NS}">{"".join(sis)}</sst>')


@settings(max_examples=120, **FAST)
@given(st.data())
def test_generated_office_xml_extracts_or_fails_cleanly(checker, data):
    if data.draw(st.booleans()):
        members = zip_members(seeds()["a.docx"])
        body = data.draw(st.lists(w_elements(), max_size=6))
        members["word/document.xml"] = (f'<w:document xmlns:w="{W_NS}"><w:body>{"".join(body)}'
                                        f"</w:body></w:document>").encode()
        name = "g.docx"
    else:
        members = zip_members(seeds()["a.xlsx"])
        members["xl/worksheets/sheet1.xml"] = data.draw(s_cells()).encode()
        members["xl/sharedStrings.xml"] = data.draw(shared_strings()).encode()
        name = "g.xlsx"
    assert_extracts_or_refuses(make_zip(members), name, checker)


# ---- hand-made hostile inputs ---------------------------------------------------------------

def _deep(open_tag: str, close_tag: str, n: int, wrap=("", "")) -> bytes:
    return (wrap[0] + open_tag * n + close_tag * n + wrap[1]).encode()


def _with_member(seed: str, member: str, content: bytes) -> bytes:
    members = zip_members(seeds()[seed])
    members[member] = content
    return make_zip(members)


def _overlapping_zip(copies: int, size: int) -> bytes:
    """A zip whose central directory lists the same (highly compressed) local file many times."""
    one = make_zip({"word/document.xml": b"<a>" + b" " * size + b"</a>"})
    eocd = one.rindex(b"PK\x05\x06")
    cd_offset = int.from_bytes(one[eocd + 16:eocd + 20], "little")
    central = one[cd_offset:eocd]
    body = one[:cd_offset]
    entries = central * copies
    end = (b"PK\x05\x06" + b"\0\0\0\0" + copies.to_bytes(2, "little") * 2 + len(entries).to_bytes(4, "little")
           + len(body).to_bytes(4, "little") + b"\0\0")
    return body + entries + end


def _many_sheets_one_part() -> bytes:
    members = zip_members(seeds()["a.xlsx"])
    members["xl/worksheets/sheet1.xml"] = (f'<worksheet xmlns="{S_NS}"><sheetData>' + "<row/>" * 200_000
                                           + "</sheetData></worksheet>").encode()
    sheet = ('<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" name="s" '
             'sheetId="1" r:id="rId1"/>')
    members["xl/workbook.xml"] = f'<workbook xmlns="{S_NS}"><sheets>{sheet * 5000}</sheets></workbook>'.encode()
    return make_zip(members)


def _hostile() -> list[tuple[str, str, object]]:
    docx_xml = f'<w:document xmlns:w="{W_NS}"><w:body>'
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
              b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><w:document xmlns:w="' + W_NS.encode()
              + b'"><w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>')
    xxe = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b'<w:document xmlns:w="' + W_NS.encode() + b'"><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:document>')
    return [
        ("zip bomb (ratio)", "bomb.docx",
         lambda: make_zip({"word/document.xml": b"<a>" + b"\0" * (12 << 20) + b"</a>"})),
        ("overlapping-entry zip bomb", "overlap.docx", lambda: _overlapping_zip(300, 1 << 20)),
        ("too many members", "many.xlsx", lambda: make_zip({f"xl/m{i}.xml": b"" for i in range(10_050)},
                                                           zipfile.ZIP_STORED)),
        ("deep docx body", "deep.docx", lambda: _with_member("a.docx", "word/document.xml",
                                                             _deep("<w:sdt>", "</w:sdt>", 100_000,
                                                                   (docx_xml, "</w:body></w:document>")))),
        ("deep plain XML in props", "deep.docx", lambda: _with_member("a.docx", "docProps/core.xml",
                                                                      _deep("<a>", "</a>", 200_000))),
        ("deep workbook", "deep.xlsx",
         lambda: _with_member("a.xlsx", "xl/workbook.xml", _deep("<a>", "</a>", 200_000))),
        ("deep shared string", "deep.xlsx", lambda: _with_member(
            "a.xlsx", "xl/sharedStrings.xml", _deep("<si>", "</si>", 100_000, (f'<sst xmlns="{S_NS}">', "</sst>")))),
        ("billion laughs", "laughs.docx", lambda: _with_member("a.docx", "word/document.xml", laughs)),
        ("XXE", "xxe.docx", lambda: _with_member("a.docx", "word/document.xml", xxe)),
        ("overlapping hidden columns", "cols.xlsx", lambda: _with_member(
            "a.xlsx", "xl/worksheets/sheet1.xml",
            (f'<worksheet xmlns="{S_NS}"><cols>' + '<col min="1" max="99999" hidden="1"/>' * 20_000
             + '</cols><sheetData><row r="1"><c r="B1" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
               "</worksheet>").encode())),
        ("many phonetic runs", "rph.xlsx", lambda: _with_member(
            "a.xlsx", "xl/sharedStrings.xml",
            (f'<sst xmlns="{S_NS}"><si>' + "".join(f"<t>a{i}</t>" for i in range(40_000))
             + "".join(f"<rPh><t>b{i}</t></rPh>" for i in range(40_000)) + "</si></sst>").encode())),
        ("deep rows", "rows.xlsx", lambda: _with_member(
            "a.xlsx", "xl/worksheets/sheet1.xml",
            _deep("<row>", "</row>", 100_000, (f'<worksheet xmlns="{S_NS}"><sheetData>', "</sheetData></worksheet>")))),
        ("many sheets naming one part", "sheets.xlsx", lambda: _many_sheets_one_part()),
        ("deep docx comments", "comments.docx", lambda: _with_member(
            "a.docx", "word/comments.xml",
            _deep("<w:comment>", "</w:comment>", 100_000, (f'<w:comments xmlns:w="{W_NS}">', "</w:comments>")))),
        ("docx without document.xml", "empty.docx", lambda: make_zip({"word/other.xml": b"<a/>"})),
        ("zip of neither kind", "upload", lambda: make_zip({"x/y.xml": b"<a/>"})),
        ("truncated docx", "t.docx", lambda: seeds()["a.docx"][: len(seeds()["a.docx"]) // 3]),
        ("truncated xlsx", "t.xlsx", lambda: seeds()["a.xlsx"][:-30]),
        ("truncated pdf", "t.pdf", lambda: seeds()["a.pdf"][: len(seeds()["a.pdf"]) // 2]),
        ("encrypted pdf", "enc.pdf", lambda: make_pdf(encrypt="secret")),
        ("pdf with empty user password", "enc0.pdf", lambda: make_pdf(encrypt="")),
        ("pdf deeply nested arrays", "nest.pdf", lambda: seeds()["raw.pdf"].replace(
            b"/MediaBox [0 0 612 792]", b"/MediaBox " + b"[" * 50_000 + b"]" * 50_000)),
        ("pdf circular page tree", "loop.pdf", lambda: seeds()["raw.pdf"].replace(b"/Kids [3 0 R]", b"/Kids [2 0 R]")),
        ("pdf absurd page count", "count.pdf", lambda: seeds()["raw.pdf"].replace(b"/Count 1", b"/Count 99999999")),
        ("pdf huge stream length", "len.pdf",
         lambda: seeds()["raw.pdf"].replace(b"<< /Length ", b"<< /Length 9999999")),
        ("old .doc", "old.doc", lambda: b"\xd0\xcf\x11\xe0" + b"\0" * 512),
        ("OLE under a neutral name", "upload", lambda: b"\xd0\xcf\x11\xe0" + b"\0" * 512),
        ("binary .txt", "bin.txt", lambda: b"\x00\x01\xfe\xff" * 100 + b"\x80\x81"),
        ("utf-16 with odd length", "u16.txt", lambda: b"\xff\xfe" + "政务".encode("utf-16-le") + b"\x00"),
        ("html nested 100k deep", "deep.html", lambda: _deep("<div>", "</div>", 100_000)),
        ("empty file", "empty.pdf", lambda: b""),
        ("empty docx name", "empty.docx", lambda: b""),
    ]


@pytest.mark.parametrize("label,name,build", _hostile(), ids=[h[0] for h in _hostile()])
def test_hostile_files_extract_or_fail_cleanly(checker, label, name, build):
    assert_extracts_or_refuses(build(), name, checker)


def test_bombs_and_entities_are_refused():
    for label, name, build in _hostile():
        if label in ("zip bomb (ratio)", "overlapping-entry zip bomb", "too many members", "billion laughs", "XXE",
                     "deep docx body", "encrypted pdf"):
            with pytest.raises(ExtractionError):
                extract(data=build(), name=name)


def test_paths_that_are_not_files(tmp_path):
    for path in (tmp_path / "missing.docx", tmp_path):
        with pytest.raises(ExtractionError) as e:
            extract(path)
        assert CHINESE.search(str(e.value))
    with pytest.raises(ExtractionError):
        extract(None)
    with pytest.raises(ExtractionError):
        extract(data="not bytes", name="a.txt")  # type: ignore[arg-type]
