"""Plain text and HTML files."""

from __future__ import annotations

from . import Document, ExtractionError


def decode_text(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise ExtractionError(f"文件“{name}”不是文本文件，无法读取")
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ExtractionError(f"文件“{name}”的文字编码无法识别（请使用 UTF-8 或 GBK）") from None


def extract_txt(data: bytes, name: str) -> Document:
    text = decode_text(data, name)
    doc = Document()
    if text:
        # One part: offsets index the file's text exactly.
        doc.parts.append(text)
        doc.spans.append((0, len(text), name))
        doc._len = len(text)
    return doc


def extract_html(data: bytes, name: str) -> Document:
    from ..htmltext import html_to_text

    ht = html_to_text(decode_text(data, name))
    doc = Document()
    doc.parts.append(ht.text)
    doc._len = len(ht.text)
    doc.spans.append((0, len(ht.text), name))
    doc.marks.extend((a, b, "HTML隐藏元素", True) for a, b in ht.hidden)
    doc.links.extend(ht.links)
    return doc
