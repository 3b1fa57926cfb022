"""Word import: .docx → clean HTML (mammoth), after the same bomb/corruption guards as the machine check."""

from __future__ import annotations

import io
import re

import mammoth
from django.core.exceptions import ValidationError

from govpub.textcheck import ExtractionError, extract

from .sanitize import sanitize_html

STYLE_MAP = """
p[style-name='Title'] => h2:fresh
p[style-name='标题'] => h2:fresh
p[style-name='heading 1'] => h2:fresh
p[style-name='heading 2'] => h3:fresh
p[style-name='heading 3'] => h4:fresh
"""


def docx_to_html(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """(title guess, body html, notes for the editor). Raises ValidationError in plain Chinese."""
    try:
        extract(data=data, name=name if name.lower().endswith(".docx") else name + ".docx")
    except ExtractionError as error:
        raise ValidationError(f"无法导入 Word 文件：{error}") from None
    images = []

    def drop_image(image):
        images.append(image)
        return {}

    try:
        result = mammoth.convert_to_html(io.BytesIO(data), style_map=STYLE_MAP,
                                         convert_image=mammoth.images.img_element(drop_image))
    except Exception:  # mammoth raises many kinds of errors on malformed documents
        raise ValidationError(f"无法导入 Word 文件“{name}”：文件已损坏或不是有效的 .docx 文档。") from None
    html = sanitize_html(result.value)
    notes = []
    if images:
        notes.append(f"Word 文件中的 {len(images)} 张图片未导入正文，请作为图片单独上传。")
    title = ""
    match = re.search(r"<h2>(.*?)</h2>", html) or re.search(r"<p>(.*?)</p>", html)
    if match:
        title = re.sub(r"<[^>]+>", "", match.group(1)).strip()[:200]
        if match.re.pattern.startswith("<h2>"):
            html = html.replace(match.group(0), "", 1).strip()
    if not html:
        raise ValidationError(f"Word 文件“{name}”中没有可导入的正文。")
    return title, html, notes
