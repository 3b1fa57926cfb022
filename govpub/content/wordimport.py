"""Word import: .docx (or .doc / .wps, converted by LibreOffice first) → clean HTML (mammoth), its images
kept in place, after the same bomb/corruption guards as the machine check."""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass, field

import mammoth
from django.core.exceptions import ValidationError
from lxml import etree
from PIL import Image

from govpub.textcheck import ExtractionError, extract
from govpub.textcheck.extract.office import hidden_content

from .convert import OLD_WORD, to_docx
from .files import ALLOWED, IMAGE_TYPES, WORD_TYPES, checked_type, clean_name, sniff
from .sanitize import sanitize_html

STYLE_MAP = """
p[style-name='Title'] => h2:fresh
p[style-name='标题'] => h2:fresh
p[style-name='heading 1'] => h2:fresh
p[style-name='heading 2'] => h3:fresh
p[style-name='heading 3'] => h4:fresh
"""
# A relative address survives sanitising; the action replaces it with the stored image's address.
PLACEHOLDER = "/word-import/image/{}"
MAX_IMAGES = 100
MAX_PIXELS = 40_000_000  # a picture to redraw as PNG; JPEG/PNG/GIF are kept as they are, not decoded here
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# The parts mammoth turns into HTML.
TEXT_PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")


@dataclass
class WordImage:
    data: bytes
    name: str
    alt: str
    placeholder: str


@dataclass
class WordImport:
    """What an import puts into an item: the body (images as placeholders), a title guess, the images,
    notes for the editor, and the original file with the kinds of hidden content it holds."""
    name: str
    original: bytes
    title: str
    body_html: str
    images: list[WordImage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)


def word_docx(data: bytes, name: str) -> bytes:
    """The .docx of a Word/WPS file: itself, or what LibreOffice makes of a .doc/.wps."""
    return to_docx(data, name) if os.path.splitext(name)[1].lower() in OLD_WORD else data


def hidden_kinds(docx: bytes, name: str) -> list[str]:
    """The hidden content (comments, tracked changes, hidden text) of a .docx, read with the machine check's
    limits (zip bombs, nesting, size). Raises ValidationError in plain Chinese."""
    stem = os.path.splitext(name)[0]
    try:
        return hidden_content(extract(data=docx, name=f"{stem}.docx"))
    except ExtractionError as error:
        raise ValidationError(f"无法导入 Word 文件：{error}") from None


def read_upload(uploaded) -> WordImport:
    """An uploaded Word/WPS file, its type decided by content, imported. Raises ValidationError in plain Chinese."""
    name = clean_name(getattr(uploaded, "name", ""))
    uploaded.seek(0)
    data = uploaded.read()
    if checked_type(data, name) not in WORD_TYPES:
        raise ValidationError(f"文件“{name}”不是 Word 或 WPS 文件：只能导入 .docx、.doc、.wps 文件。")
    return read_word(data, name)


def read_word(data: bytes, name: str) -> WordImport:
    """Raises ValidationError in plain Chinese."""
    docx = word_docx(data, name)
    hidden = hidden_kinds(docx, name)
    images: list[WordImage] = []
    dropped = {"unreadable": 0, "too_many": 0}
    stem = os.path.splitext(clean_name(name))[0][:100]  # room for "-图12.png" within a file name's 200

    def convert_image(image):
        if len(images) >= MAX_IMAGES:
            dropped["too_many"] += 1
            return []
        picture = _picture(image)
        if picture is None:
            dropped["unreadable"] += 1
            return []
        data, ext = picture
        placeholder = PLACEHOLDER.format(len(images))
        images.append(WordImage(data=data, name=f"{stem}-图{len(images) + 1}{ext}", alt=(image.alt_text or "").strip(),
                                placeholder=placeholder))
        return [mammoth.html.element("img", {"src": placeholder, "alt": images[-1].alt})]

    try:
        # A picture linked by address is not fetched (the server would call whatever address the file names).
        result = mammoth.convert_to_html(io.BytesIO(_without_hidden_text(docx)), style_map=STYLE_MAP,
                                         convert_image=convert_image, external_file_access=False)
    except Exception:  # lxml and mammoth raise many kinds of errors on malformed documents
        raise ValidationError(f"无法导入 Word 文件“{name}”：文件已损坏或不是有效的 Word 文档。") from None
    html = re.sub(r"<p>\s*</p>", "", sanitize_html(result.value))
    title = ""
    match = re.search(r"<h2>(.*?)</h2>", html) or re.search(r"<p>(.*?)</p>", html)
    if match:
        title = re.sub(r"<[^>]+>", "", match.group(1)).strip()[:200]
        if match.re.pattern.startswith("<h2>"):
            html = html.replace(match.group(0), "", 1).strip()
    if not html:
        raise ValidationError(f"Word 文件“{name}”中没有可导入的正文。")
    return WordImport(name=name, original=data, title=title or stem[:200], body_html=html, images=images,
                      notes=_notes(images, dropped, hidden), hidden=hidden)


def _notes(images: list[WordImage], dropped: dict, hidden: list[str]) -> list[str]:
    notes = []
    if dropped["unreadable"]:
        notes.append(f"Word 文件中有 {dropped['unreadable']} 张图片无法读取或转换（如 EMF/WMF 矢量图、按网址链接的图片），"
                     f"未导入正文：请在 Word 或 WPS 中另存为 JPEG 或 PNG 图片后插入正文。")
    if dropped["too_many"]:
        notes.append(f"Word 文件中的图片超过 {MAX_IMAGES} 张，其余 {dropped['too_many']} 张未导入正文。")
    missing_alt = sum(1 for image in images if not image.alt)
    if missing_alt:
        notes.append(f"请为导入的 {missing_alt} 张图片填写替代文字（图片说明），方便视障读者使用读屏软件。")
    if "隐藏文字" in hidden:
        notes.append("Word 文件中的隐藏文字未导入正文。")
    if hidden:
        notes.append(f"Word 原稿含隐藏内容（{'、'.join(hidden)}），已标记“含隐藏内容”，机审会检查这些内容。")
    return notes


def _picture(image) -> tuple[bytes, str] | None:
    """(bytes, extension) of a JPEG/PNG/GIF as it is, anything else Pillow reads as PNG; None if neither."""
    try:
        with image.open() as handle:
            data = handle.read()
    except Exception:  # a picture part missing from the archive, or unreadable
        return None
    kind = sniff(data[:16])
    if kind is not None and ALLOWED[kind][0] in IMAGE_TYPES:
        return data, kind
    try:
        with Image.open(io.BytesIO(data)) as picture:
            if picture.width * picture.height > MAX_PIXELS:
                return None
            picture.load()  # EMF/WMF: Pillow identifies them but draws them only on Windows
            out = io.BytesIO()
            picture.convert("RGBA" if "A" in picture.getbands() or "transparency" in picture.info else "RGB").save(
                out, "PNG")
    except Exception:  # Pillow raises many kinds of errors (and DecompressionBombError) on what it cannot draw
        return None
    return out.getvalue(), ".png"


def _vanished(rpr) -> bool:
    for tag in ("vanish", "specVanish"):
        mark = rpr.find(f"{{{W}}}{tag}")
        if mark is not None and mark.get(f"{{{W}}}val", "true") not in ("0", "false", "off"):
            return True
    return False


def _without_hidden_text(docx: bytes) -> bytes:
    """The .docx without its hidden runs: mammoth would put hidden text into the body as ordinary text."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    out = io.BytesIO()
    changed = False
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in TEXT_PARTS:
                root = etree.fromstring(data, parser)
                runs = [run for run in root.iter(f"{{{W}}}r")
                        if run.find(f"{{{W}}}rPr") is not None and _vanished(run.find(f"{{{W}}}rPr"))]
                for run in runs:
                    run.getparent().remove(run)
                if runs:
                    changed = True
                    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(info, data)
    return out.getvalue() if changed else docx
