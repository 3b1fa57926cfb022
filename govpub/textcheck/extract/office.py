"""OOXML (.docx / .xlsx) read from the raw XML parts, with size limits.

python-docx/openpyxl hide exactly what a reviewer must see (tracked deletions, hidden text,
comments, hidden rows), and read without limits; so the parts are read here directly.
"""

from __future__ import annotations

import io
from bisect import bisect_right
import posixpath
import re
import zipfile
import xml.etree.ElementTree as ET

from . import (MAX_MEMBER_BYTES, MAX_MEMBERS, MAX_RATIO, MAX_UNCOMPRESSED, Document,
               ExtractionError)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class _Zip:
    def __init__(self, data: bytes, name: str):
        self.name = name
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            raise ExtractionError(f"文件“{name}”已损坏或不是有效的 Office 文档") from None
        if len(infos) > MAX_MEMBERS:
            raise ExtractionError(f"文件“{name}”包含的部件过多，疑似恶意文件")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED:
            raise ExtractionError(f"文件“{name}”解压后过大（疑似压缩炸弹），拒绝处理")
        # Per member and for the whole archive: many medium members of repeated XML would each pass.
        ratios = [(i.file_size, i.compress_size) for i in infos] + [(total, len(data))]
        for size, compressed in ratios:
            if size > 10 * 1024 * 1024 and compressed and size / compressed > MAX_RATIO:
                raise ExtractionError(f"文件“{name}”压缩比异常（疑似压缩炸弹），拒绝处理")
        self.names = {i.filename for i in infos}
        self.budget = MAX_UNCOMPRESSED

    def read(self, member: str) -> bytes | None:
        if member not in self.names:
            return None
        try:
            with self.zf.open(member) as fh:
                data = fh.read(MAX_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
            raise ExtractionError(f"文件“{self.name}”已损坏（部件 {member} 无法解压）") from None
        if len(data) > MAX_MEMBER_BYTES:
            raise ExtractionError(f"文件“{self.name}”的部件 {member} 解压后过大（疑似压缩炸弹）")
        self.budget -= len(data)
        if self.budget < 0:
            raise ExtractionError(f"文件“{self.name}”解压后过大（疑似压缩炸弹），拒绝处理")
        return data

    def xml(self, member: str):
        data = self.read(member)
        if data is None:
            return None
        return parse_xml(data, self.name)


def parse_xml(data: bytes, name: str):
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data:
        raise ExtractionError(f"文件“{name}”包含不允许的 XML 实体声明，疑似恶意文件")
    try:
        return ET.fromstring(data)
    except ET.ParseError:
        raise ExtractionError(f"文件“{name}”的内容已损坏（XML 解析失败）") from None


def _rels(z: _Zip, part: str, type_suffix: str | None = None) -> dict[str, str]:
    """Relationship id -> internal part name (optionally only of one relationship type)."""
    d, b = posixpath.split(part)
    root = z.xml(posixpath.join(d, "_rels", b + ".rels"))
    out = {}
    if root is None:
        return out
    for rel in root.iter(PR + "Relationship"):
        tgt = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        if type_suffix and not rel.get("Type", "").endswith(type_suffix):
            continue
        out[rel.get("Id", "")] = posixpath.normpath(posixpath.join(d, tgt)) if not tgt.startswith("/") else tgt[1:]
    return out


def _props(z: _Zip, doc: Document) -> None:
    labels = {"title": "标题", "subject": "主题", "creator": "作者", "keywords": "关键词",
              "description": "备注", "lastModifiedBy": "最后修改者", "category": "类别",
              "Company": "单位", "Manager": "经理", "contentStatus": "状态"}
    for part in ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"):
        root = z.xml(part)
        if root is None:
            continue
        for el in root.iter():
            tag = el.tag.rsplit("}", 1)[-1]
            txt = (el.text or "").strip()
            if not txt or len(el) or tag in ("TotalTime", "Pages", "Words", "Characters",
                                               "Application", "DocSecurity", "Lines",
                                               "Paragraphs", "AppVersion", "revision",
                                               "created", "modified", "Template",
                                               "CharactersWithSpaces", "ScaleCrop",
                                               "LinksUpToDate", "SharedDoc",
                                               "HyperlinksChanged"):
                continue
            if part.endswith("custom.xml"):
                label = "自定义属性"
            else:
                label = labels.get(tag, tag)
            doc.add_runs([(txt, "文档属性", True)], f"文档属性：{label}")


# --- docx ---------------------------------------------------------------------------------

def _vanish(rpr) -> bool:
    if rpr is None:
        return False
    v = rpr.find(W + "vanish")
    if v is None:
        v = rpr.find(W + "specVanish")
    return v is not None and v.get(W + "val", "true") not in ("0", "false", "off")


def _docx_part(z: _Zip, part: str, doc: Document, where: str) -> None:
    root = z.xml(part)
    if root is None:
        return
    counter = [0]

    def walk(el, runs, state, hidden, depth):
        if depth > 200:
            raise ExtractionError(f"文件“{z.name}”结构嵌套过深")
        tag = el.tag
        if tag == W + "p":
            mine: list = []
            for ch in el:
                walk(ch, mine, state, hidden, depth + 1)
            counter[0] += 1
            loc = f"{where}第{counter[0]}段" if where == "正文" else where
            doc.add_runs(mine, loc)
            return
        if tag == W + "del" or tag == W + "moveFrom":
            state = "del"
        elif tag == W + "ins" or tag == W + "moveTo":
            state = state or "ins"
        elif tag == W + "r":
            hidden = hidden or _vanish(el.find(W + "rPr"))
        elif tag in (W + "t", W + "delText", W + "instrText") and el.text:
            if tag == W + "instrText":
                m = re.search(r'HYPERLINK\s+"([^"]+)"', el.text)
                if m:
                    runs.append((" ", None, False))
                return
            if state == "del":
                runs.append((el.text, "修订删除内容", True))
            elif hidden:
                runs.append((el.text, "隐藏文字", True))
            elif state == "ins":
                runs.append((el.text, "修订插入内容", False))
            else:
                runs.append((el.text, None, False))
            return
        elif tag == W + "tab":
            runs.append(("\t", None, False))
            return
        elif tag in (W + "br", W + "cr"):
            runs.append((" ", None, False))
            return
        for ch in el:
            walk(ch, runs, state, hidden, depth + 1)

    top: list = []
    walk(root, top, None, False, 0)
    if top:
        doc.add_runs(top, where)


def extract_docx(data: bytes, name: str) -> Document:
    z = _Zip(data, name)
    if "word/document.xml" not in z.names:
        raise ExtractionError(f"文件“{name}”不是有效的 Word（.docx）文档")
    doc = Document()
    _docx_part(z, "word/document.xml", doc, "正文")
    rels = _rels(z, "word/document.xml")
    # Hyperlinks in the body (external targets are in the rels with TargetMode=External).
    relroot = z.xml("word/_rels/document.xml.rels")
    if relroot is not None:
        for rel in relroot.iter(PR + "Relationship"):
            if rel.get("TargetMode") == "External" and rel.get("Type", "").endswith("/hyperlink"):
                doc.add_runs([(rel.get("Target", ""), "超链接地址", False)], "超链接")
    for part in sorted(z.names):
        m = re.fullmatch(r"word/(header|footer)\d*\.xml", part)
        if m:
            _docx_part(z, part, doc, "页眉" if m.group(1) == "header" else "页脚")
    for part, label in (("word/footnotes.xml", "脚注"), ("word/endnotes.xml", "尾注")):
        _docx_part(z, part, doc, label)
    croot = z.xml("word/comments.xml")
    if croot is not None:
        for c in croot.findall(W + "comment"):  # children only: nested ones would be walked again and again
            author = c.get(W + "author", "")
            texts = []
            for t in c.iter(W + "t"):
                if t.text:
                    texts.append(t.text)
            if texts:
                doc.add_runs([("".join(texts), "批注", True)],
                             f"批注（{author}）" if author else "批注")
    _props(z, doc)
    del rels
    return doc


# What a Word file holds that a reader of the printed page does not see; a file with any of it is marked
# 含隐藏内容 (document properties are not counted: every file has an author).
HIDDEN_CONTENT = ("批注", "修订删除内容", "修订插入内容", "隐藏文字")


def hidden_content(doc: Document) -> list[str]:
    """The kinds of hidden content an extracted .docx holds: comments, tracked changes, hidden text."""
    present = {label for _start, _end, label, _hidden in doc.marks}
    return [label for label in HIDDEN_CONTENT if label in present]


# --- xlsx ---------------------------------------------------------------------------------

_REF = re.compile(r"([A-Z]+)(\d+)")


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def _si_text(si) -> str:
    # Phonetic runs (rPh) also contain t elements; they are skipped by identity, not by value
    # (removing by value was quadratic and could drop a real run with the same text).
    phonetic = {id(t) for ph in si.iter(S + "rPh") for t in ph.findall(S + "t")}
    return "".join(el.text for el in si.iter(S + "t") if el.text and id(el) not in phonetic)


def _num(v: str) -> str:
    if re.fullmatch(r"-?\d+(\.\d+)?[eE][+-]?\d+", v):
        try:
            f = float(v)
            if f.is_integer() and abs(f) < 1e21:
                return str(int(f))
        except ValueError:
            pass
    if v.endswith(".0"):
        return v[:-2]
    return v


def extract_xlsx(data: bytes, name: str) -> Document:
    z = _Zip(data, name)
    wb = z.xml("xl/workbook.xml")
    if wb is None:
        raise ExtractionError(f"文件“{name}”不是有效的 Excel（.xlsx）工作簿")
    rels = _rels(z, "xl/workbook.xml")
    shared: list[str] = []
    sst = z.xml("xl/sharedStrings.xml")
    if sst is not None:
        # Direct children only: nested <si> (or <row>, <comment> below) would otherwise be walked once per
        # ancestor — quadratic in the nesting depth (a 100 000-deep <si> took minutes).
        shared = [_si_text(si) for si in sst.findall(S + "si")]
    doc = Document()
    cells = 0
    sheets_read: set[str] = set()
    for sh in wb.iter(S + "sheet"):
        sname = sh.get("name", "")
        state = sh.get("state", "visible")
        part = rels.get(sh.get(R + "id", ""), "")
        if part in sheets_read:
            continue  # many <sheet> entries naming one part would parse it again and again
        sheets_read.add(part)
        root = z.xml(part) if part else None
        if root is None:
            continue
        sheet_hidden = state in ("hidden", "veryHidden")
        # Hidden column ranges, merged into disjoint sorted intervals (a set of every column
        # number took seconds for a few KB of overlapping <col min max> elements).
        ranges = sorted((int(col.get("min", "0")), int(col.get("max", "0")))
                        for col in root.iter(S + "col") if col.get("hidden") in ("1", "true"))
        hidden_lo: list[int] = []
        hidden_hi: list[int] = []
        for lo, hi in ranges:
            if hidden_hi and lo <= hidden_hi[-1] + 1:
                hidden_hi[-1] = max(hidden_hi[-1], hi)
            else:
                hidden_lo.append(lo)
                hidden_hi.append(hi)
        for row in root.iter(S + "row"):
            row_hidden = row.get("hidden") in ("1", "true")
            for c in row.findall(S + "c"):
                cells += 1
                if cells > 2_000_000:
                    raise ExtractionError(f"文件“{name}”单元格过多，无法检查")
                ref = c.get("r", "")
                t = c.get("t", "n")
                if t == "inlineStr":
                    is_ = c.find(S + "is")
                    val = _si_text(is_) if is_ is not None else ""
                else:
                    v = c.find(S + "v")
                    raw = v.text if v is not None and v.text else ""
                    if t == "s":
                        try:
                            val = shared[int(raw)]
                        except (ValueError, IndexError):
                            val = ""
                    elif t in ("str", "e", "b"):
                        val = raw if t != "b" else ""
                    else:
                        val = _num(raw)
                if not val:
                    continue
                m = _REF.match(ref)
                col_hidden = False
                if m and hidden_lo:
                    ci = _col_index(m.group(1))
                    k = bisect_right(hidden_lo, ci) - 1
                    col_hidden = k >= 0 and ci <= hidden_hi[k]
                label = None
                if sheet_hidden:
                    label = "隐藏工作表"
                elif row_hidden and col_hidden:
                    label = "隐藏行列"
                elif row_hidden:
                    label = "隐藏行"
                elif col_hidden:
                    label = "隐藏列"
                doc.add_runs([(val, label, bool(label))], f"工作表“{sname}”!{ref}")
        for target in _rels(z, part, "/comments").values():
            if True:
                croot = z.xml(target)
                if croot is None:
                    continue
                for cm in croot.findall(f"{S}commentList/{S}comment"):
                    txt = "".join(t.text or "" for t in cm.iter(S + "t"))
                    if txt:
                        doc.add_runs([(txt, "批注", True)],
                                     f"工作表“{sname}”!{cm.get('ref', '')} 批注")
    _props(z, doc)
    return doc
