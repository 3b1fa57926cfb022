"""Attachment intake: type by content (not by name), size limits, content-addressed storage outside the web root."""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from govpub.ops.filemodes import private_dir

MAX_ATTACHMENT_BYTES = int(os.environ.get("GOVPUB_MAX_ATTACHMENT_MB", "50")) * 1024 * 1024

# extension → (content type, label); what a government item may carry.
ALLOWED = {
    ".pdf": ("application/pdf", "PDF"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
    ".doc": ("application/msword", "Word（.doc）"),
    ".wps": ("application/wps-office.wps", "WPS 文字"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint"),
    ".ofd": ("application/ofd", "OFD"),
    ".jpg": ("image/jpeg", "JPEG 图片"),
    ".jpeg": ("image/jpeg", "JPEG 图片"),
    ".png": ("image/png", "PNG 图片"),
    ".gif": ("image/gif", "GIF 图片"),
}
IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif"}
WORD_TYPES = {ALLOWED[ext][0] for ext in (".docx", ".doc", ".wps")}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def allowed_kinds() -> str:
    """What may be uploaded, as a person recognises it: each kind with the extensions its files carry."""
    kinds: dict[str, list[str]] = {}
    for ext, (_ctype, label) in ALLOWED.items():
        kinds.setdefault(label, []).append(ext)
    return "、".join(label if "（." in label else f"{label}（{'、'.join(exts)}）" for label, exts in kinds.items())


def sniff(head: bytes, data_for_zip: bytes | None = None, ext: str = "") -> str | None:
    """The real type of a file from its first bytes (and, for zip containers, its member names).
    Word's .doc and WPS 文字's .wps are both OLE compound files: between those two the extension decides,
    and an OLE file named anything else (.pdf, .xls …) is none of the allowed types."""
    if head.startswith(OLE_MAGIC):
        return ext if ext in (".doc", ".wps") else None
    if head.startswith(b"%PDF-"):
        return ".pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return ".jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return ".png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return ".gif"
    if head.startswith(b"PK\x03\x04") and data_for_zip is not None:
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data_for_zip)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return ".docx"
            if any(n.startswith("xl/") for n in names):
                return ".xlsx"
            if any(n.startswith("ppt/") for n in names):
                return ".pptx"
        if "OFD.xml" in names:
            return ".ofd"
    return None


@dataclass
class StoredFile:
    name: str
    content_type: str
    size: int
    sha256: str
    storage_name: str


def clean_name(name: str) -> str:
    name = os.path.basename(name or "").strip().replace("\x00", "")
    name = re.sub(r"[\\/:*?\"<>|\r\n\t]", "_", name)
    return name[:200] or "附件"


def _too_large(name: str, size: int) -> ValidationError:
    return ValidationError(f"文件“{name}”过大（{size / 1048576:.1f} MB），单个附件不能超过 "
                           f"{MAX_ATTACHMENT_BYTES // 1048576} MB。")


def checked_type(data: bytes, name: str, *, images_only: bool = False) -> str:
    """The content type of a file that may be uploaded. Raises ValidationError with a Chinese message."""
    size = len(data)
    if size == 0:
        raise ValidationError(f"文件“{name}”是空文件。")
    if size > MAX_ATTACHMENT_BYTES:
        raise _too_large(name, size)
    ext = os.path.splitext(name)[1].lower()
    real = sniff(data[:16], data, ext)
    if real is None:
        raise ValidationError(f"文件“{name}”的内容不是允许的类型。可以上传的文件：{allowed_kinds()}。")
    if {ext, real} != {".jpg", ".jpeg"} and ext != real:
        raise ValidationError(f"文件“{name}”的扩展名与实际内容（{ALLOWED[real][1]}）不符，请检查后重新上传。")
    content_type = ALLOWED[real][0]
    if images_only and content_type not in IMAGE_TYPES:
        raise ValidationError(f"文件“{name}”不是图片（允许 JPEG、PNG、GIF）。")
    return content_type


def store_upload(uploaded, *, images_only: bool = False) -> StoredFile:
    """Check and store an uploaded file. Raises ValidationError with a Chinese message."""
    name = clean_name(getattr(uploaded, "name", ""))
    size = uploaded.size
    if size > MAX_ATTACHMENT_BYTES:  # refused before it is read into memory
        raise _too_large(name, size)
    uploaded.seek(0)
    return store_bytes(uploaded.read(), name, images_only=images_only)


def store_bytes(data: bytes, name: str, *, images_only: bool = False) -> StoredFile:
    """Check and store a file's bytes (an upload's, or an image taken out of a Word file)."""
    name = clean_name(name)
    return keep_bytes(data, name=name, content_type=checked_type(data, name, images_only=images_only))


def keep_bytes(data: bytes, *, name: str, content_type: str) -> StoredFile:
    """Content-addressed: the same bytes are stored once, under their SHA-256. The caller vouches for the type
    (an image as content/images.py re-encoded it, or a file checked_type accepted)."""
    digest = hashlib.sha256(data).hexdigest()
    storage_name = f"{digest[:2]}/{digest[2:4]}/{digest}"
    path = Path(settings.MEDIA_ROOT) / storage_name
    if not path.exists():
        private_dir(path.parent)  # the file itself is 0600 (NamedTemporaryFile), its directories 0700
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
            tmp.write(data)
        os.replace(tmp.name, path)
    return StoredFile(name=name, content_type=content_type, size=len(data), sha256=digest, storage_name=storage_name)


def stored_path(storage_name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / storage_name


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading an oversized upload early instead of spooling hundreds of MB to disk."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > MAX_ATTACHMENT_BYTES:
            self.request.upload_too_large = getattr(self, "file_name", "") or "文件"
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None
