"""Files a body refers to: `<img src>` and `<a href>` pointing at one of the item's stored attachments.

A revision carries every file its body refers to, so the content hash covers those bytes and
whatever leaves is derived from the approved revision alone (DESIGN.md §2 invariant 1).
"""

from __future__ import annotations

import re
from html import unescape

ATTACHMENT_SRC = re.compile(r"/attachments/(\d+)/download/?")
IMG_SRC = re.compile(r"<img\b[^>]*?\bsrc=\"([^\"]*)\"[^>]*>", re.I)
LINK_HREF = re.compile(r"<a\b[^>]*?\bhref=\"([^\"]*)\"", re.I)
IMG_TAG = re.compile(r"<img\b[^>]*>", re.I)
ALT = re.compile(r"\balt=\"([^\"]*)\"", re.I)
SRC = re.compile(r"\bsrc=\"([^\"]*)\"", re.I)


def body_url(attachment_id: int) -> str:
    """How a body refers to one of its item's stored files (what ATTACHMENT_SRC recognises)."""
    from django.urls import reverse

    return reverse("attachment_download", args=[attachment_id])


def image_sources(body_html: str) -> list[str]:
    """Every distinct <img src> of a (sanitised) body, in order of appearance."""
    return list(dict.fromkeys(IMG_SRC.findall(body_html or "")))


def attachment_id(url: str) -> int | None:
    match = ATTACHMENT_SRC.search(url or "")
    return int(match.group(1)) if match else None


def image_attachment_ids(body_html: str) -> list[int]:
    """The ids of stored attachments the body shows as images."""
    return list(dict.fromkeys(i for i in map(attachment_id, image_sources(body_html)) if i is not None))


def referenced_attachment_ids(body_html: str) -> list[int]:
    """The ids of stored attachments the body shows (images) or links to, in order of appearance."""
    urls = image_sources(body_html) + LINK_HREF.findall(body_html or "")
    return list(dict.fromkeys(i for i in map(attachment_id, urls) if i is not None))


def foreign_images(body_html: str) -> list[str]:
    """Images the body shows from elsewhere: their bytes were never reviewed."""
    return [src for src in image_sources(body_html) if attachment_id(src) is None]


def images_without_alt(body_html: str) -> list[int]:
    """The positions (1 = the body's first image) of every <img> without alternative text."""
    return [n for n, tag in enumerate(IMG_TAG.findall(body_html or ""), start=1)
            if not unescape((ALT.search(tag) or [None, ""])[1]).strip()]


def empty_images(body_html: str) -> int:
    """How many <img> show nothing: no src, or an empty one (left by old imports; the sanitiser drops them now)."""
    return sum(1 for tag in IMG_TAG.findall(body_html or "") if not (SRC.search(tag) or [None, ""])[1].strip())
