"""Adapting an approved revision to a platform — or refusing, clearly, what cannot be adapted.

Adaptation never rewrites what reviewers approved: it changes markup (tags the platform drops),
re-hosts images and derives the digest from the approved summary. A title that does not fit is
refused, never cut.
"""

from __future__ import annotations

import functools
import hashlib
import re
import struct
import zlib
from dataclasses import dataclass
from html import unescape
from urllib.parse import urljoin

import nh3
from django.conf import settings
from django.urls import reverse

from govpub.content.files import stored_path
from govpub.content.models import Attachment
from govpub.content.references import IMG_SRC, attachment_id, image_sources

from .base import PermanentError

LINK_TAG = re.compile(r"<a\b[^>]*?\bhref=\"([^\"]*)\"[^>]*>(.*?)</a>", re.I | re.S)
TAGS = re.compile(r"<[^>]+>")

# WeChat article bodies keep this subset; <figure>/<figcaption>/<h*> become paragraphs.
WECHAT_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "blockquote", "ul", "ol", "li",
               "img", "table", "thead", "tbody", "tr", "th", "td", "caption", "hr", "section", "span"}
WECHAT_ATTRIBUTES = {"img": {"src", "alt"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


def plain_text(html: str) -> str:
    text = TAGS.sub("", re.sub(r"</(p|h\d|li|tr|figcaption|blockquote)>|<br\s*/?>", "\n", html or "", flags=re.I))
    return re.sub(r"\n\s*\n+", "\n", unescape(text)).strip()


def public_url(publication) -> str:
    base = getattr(settings, "GOVPUB_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    return urljoin(base + "/", reverse("public_article", args=[publication.item_id]).lstrip("/"))


def source_url(publication) -> str:
    """The “阅读原文” link: the article on the government website, tagged with the idempotency key
    so a post can be recognised on the platform after a crash."""
    return f"{public_url(publication)}?from=gp&key={idempotency_key(publication)}"


def idempotency_key(publication) -> str:
    return f"{publication.pk}-{publication.revision_hash[:16]}"


def check_title(title: str, limit: int, platform: str) -> str:
    title = (title or "").strip()
    if not title:
        raise PermanentError(f"标题为空，{platform}不接受无标题的文章。", code="title_empty")
    if len(title) > limit:
        raise PermanentError(
            f"标题有 {len(title)} 个字，超过{platform}的 {limit} 字上限。为保证发布内容与审核通过的内容一致，"
            f"系统不会自动截断；请修改稿件标题（不超过 {limit} 字）并重新审核后发布。", code="title_too_long")
    return title


def digest(summary: str, body_html: str, limit: int = 120) -> str:
    text = re.sub(r"\s+", " ", (summary or "").strip()) or re.sub(r"\s+", " ", plain_text(body_html))
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Image:
    attachment: Attachment
    data: bytes
    content_type: str


def attachment_images(revision, platform: str) -> dict[str, Image]:
    """Every <img> of the approved body, mapped src → that revision's stored image. An image that is not one
    of the revision's own files (from elsewhere, or a file of the item the revision does not hold) is refused."""
    own = {a.pk: a for a in revision.attachments.all()}
    found = {}
    for src in image_sources(revision.body_html):
        attachment = own.get(attachment_id(src))
        if attachment is None:
            raise PermanentError(f"正文中的图片“{src[:80]}”不是本稿件审核通过的图片，{platform}无法转存外部图片。"
                                 f"请将图片作为本稿件的图片上传后重新审核。", code="foreign_image")
        found[src] = Image(attachment, read_attachment(attachment, platform), attachment.content_type)
    return found


def read_attachment(attachment: Attachment, platform: str, copy=None) -> bytes:
    """The stored bytes, proven to be the ones reviewed (their hash is part of the revision's content hash) —
    or those of a copy made from them at upload (content.models.Rendition), proven to be that copy."""
    stored = copy or attachment
    try:
        data = stored_path(stored.storage_name).read_bytes()
    except OSError:
        raise PermanentError(f"图片“{attachment.name}”的文件缺失，无法发送到{platform}。请联系系统管理员。",
                             code="image_missing") from None
    if hashlib.sha256(data).hexdigest() != stored.sha256:
        raise PermanentError(f"文件“{attachment.name}”与审核时的内容不一致（存储的文件被改动），未发送到{platform}。"
                             f"请联系系统管理员核查。", code="file_changed")
    return data


def wechat_html(body_html: str, image_urls: dict[str, str]) -> str:
    """The approved body in WeChat's subset: images re-hosted, links spelled out (WeChat drops outside links)."""
    html = IMG_SRC.sub(lambda m: f'<img src="{image_urls[m.group(1)]}">' if m.group(1) in image_urls else "",
                       body_html or "")
    html = LINK_TAG.sub(lambda m: m.group(2) if m.group(1) in m.group(2) else f"{m.group(2)}（{m.group(1)}）", html)
    html = re.sub(r"<(/?)(figure|figcaption|h2|h3|h4)\b[^>]*>", lambda m: f"<{m.group(1)}p>", html, flags=re.I)
    return nh3.clean(html, tags=WECHAT_TAGS, attributes=WECHAT_ATTRIBUTES, url_schemes={"http", "https"},
                     link_rel=None, strip_comments=True).strip()


@functools.lru_cache(maxsize=4)
def default_cover_png(width: int = 360, height: int = 153, rgb=(0xB7, 0x1C, 0x1C)) -> bytes:
    """A plain cover for items without one (WeChat articles must have a cover image); stdlib-only PNG."""
    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height, 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))
