"""Real Word files for the import tests: a .docx built with python-docx, and .doc / .wps made of it by LibreOffice.

LibreOffice writes .doc (its "MS Word 97" filter) but no WPS 文字 format. WPS 文字's .wps is Word's binary format
with Kingsoft's own extensions (LibreOffice's "MS Word 97" type registers the .wps extension for exactly that),
so the .wps used here is that Word 97 binary under a .wps name: it goes the way a WPS file goes, but it does not
carry Kingsoft's extensions — no test here has a file written by WPS Office itself.
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import tempfile
import zipfile
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from PIL import Image

ID_IN_COMMENT = "110101199003071234"
ID_IN_HIDDEN_TEXT = "410102199001011234"
PHONE = "13800138000"


def picture(fmt: str = "PNG", color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), color).save(buffer, fmt)
    return buffer.getvalue()


def emf() -> bytes:
    """A minimal Windows enhanced metafile (header and end record): Pillow recognises it but cannot draw it here."""
    header = struct.pack("<II4i4iIIIIHHIIIii ii", 1, 108, 0, 0, 10, 10, 0, 0, 100, 100, 0x464D4520, 0x10000,
                         128, 2, 1, 0, 0, 0, 0, 1024, 768, 320, 240)
    return header + struct.pack("<IIIII", 14, 20, 0, 16, 20)


def _tracked(paragraph, tag: str, text: str, rid: str) -> None:
    change = OxmlElement(tag)
    change.set(qn("w:id"), rid)
    change.set(qn("w:author"), "李四")
    change.set(qn("w:date"), "2026-01-01T00:00:00Z")
    run = OxmlElement("w:r")
    t = OxmlElement("w:delText" if tag == "w:del" else "w:t")
    t.text = text
    run.append(t)
    change.append(run)
    paragraph._p.append(change)


def _swap_picture(document, index: int, blob: bytes, ext: str, content_type: str) -> None:
    """Give the index-th picture other bytes (python-docx inserts only the formats it can measure)."""
    blip = document.inline_shapes[index]._inline.xpath(".//a:blip")[0]
    part = document.part.related_parts[blip.get(qn("r:embed"))]
    part._blob = blob
    part._content_type = content_type
    part.partname = part.partname.__class__(str(part.partname).rsplit(".", 1)[0] + ext)


PICTURES = {"png": None, "jpeg": None, "gif": None, "bmp": None,
            "emf": (emf, ".emf", "image/x-emf"), "garbage": (lambda: b"\x00not a picture" * 20, ".png", "image/png")}


def docx_with_pictures(pictures: list[tuple[str, str]]) -> bytes:
    """A paragraph before and after each picture; pictures are (kind from PICTURES, description or "")."""
    document = Document()
    for index, (kind, description) in enumerate(pictures):
        document.add_paragraph(f"第{index + 1}段")
        swap = PICTURES[kind]
        document.add_picture(io.BytesIO(picture("PNG" if swap else kind.upper(), color=(index * 20 % 255, 0, 0))))
        if description:
            document.inline_shapes[index]._inline.docPr.set("descr", description)
        if swap:
            make, ext, content_type = swap
            _swap_picture(document, index, make(), ext, content_type)
    document.add_paragraph("结尾")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def full_docx(*, emf_picture: bool = True) -> bytes:
    """Heading, text, hidden text, four pictures (PNG with a description, PNG, BMP, EMF), a table, a comment with
    an ID number and phone, and a tracked deletion and insertion."""
    document = Document()
    document.add_heading("关于召开推进会的通知", level=1)
    paragraph = document.add_paragraph("各镇街：现将有关事项通知如下。")
    paragraph.add_run(f"内部备注{ID_IN_HIDDEN_TEXT}").font.hidden = True
    document.add_paragraph("第一张图片之前的文字。")
    document.add_picture(io.BytesIO(picture()))
    document.inline_shapes[0]._inline.docPr.set("descr", "会场全景")
    document.add_paragraph("两张图片之间的文字。")
    document.add_picture(io.BytesIO(picture(color=(0, 0, 200))))
    document.add_picture(io.BytesIO(picture("BMP", color=(0, 150, 0))))
    if emf_picture:
        document.add_picture(io.BytesIO(picture(color=(90, 90, 90))))
        _swap_picture(document, 3, emf(), ".emf", "image/x-emf")
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {(0, 0): "时间", (0, 1): "地点", (1, 0): "上午九点", (1, 1): "三楼会议室"}.items():
        table.cell(row, col).text = text
    contact = document.add_paragraph("联系人：办公室。")
    document.add_comment(contact.runs[0], text=f"张三 身份证 {ID_IN_COMMENT} 电话 {PHONE}", author="张三")
    changed = document.add_paragraph("保留的文字")
    _tracked(changed, "w:del", "已删除的内部意见", "91")
    _tracked(changed, "w:ins", "新插入的文字", "92")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def plain_docx(text: str = "正文内容。", title: str = "导入的标题") -> bytes:
    document = Document()
    document.add_heading(title, level=1)
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def linked_picture_docx(url: str) -> bytes:
    """A .docx whose only picture is linked by address, not embedded: whoever opens it fetches the address."""
    document = Document(io.BytesIO(plain_docx("正文里有一张链接的图片。")))
    document.add_picture(io.BytesIO(picture()))
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                data = re.sub(rb'Target="media/image1.png"', f'Target="{url}" TargetMode="External"'.encode(), data)
            elif info.filename == "word/document.xml":
                data = data.replace(b"r:embed=", b"r:link=")
            elif info.filename.startswith("word/media/"):
                continue
            target.writestr(info, data)
    return out.getvalue()


def soffice_convert(data: bytes, ext: str, to: str) -> bytes:
    """What a plain LibreOffice (none of GovPub's limits) makes of a file."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is needed: scripts/test.sh installs libreoffice-writer-nogui"
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        (work / f"in{ext}").write_bytes(data)
        subprocess.run([soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                        "--convert-to", to, "--outdir", str(work), str(work / f"in{ext}")],
                       check=True, capture_output=True, timeout=120)
        return (work / f"in.{to}").read_bytes()


def as_doc(docx: bytes) -> bytes:
    """The Word 97 binary LibreOffice writes of a .docx."""
    return soffice_convert(docx, ".docx", "doc")
