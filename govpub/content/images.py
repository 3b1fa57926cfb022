"""Accepting an image for an item: decoded in full, refused unless it is a plain JPEG, PNG or GIF that cannot
exhaust the server, and re-encoded so that only its pixels are kept — no EXIF (GPS position, author, camera
serial), XMP or comments leave the building with a published photo. Also makes the smaller copies the portal
serves and the copy WeChat accepts (media/uploadimg takes JPG/PNG up to 1 MB).

Animated GIFs keep their animation: every frame is re-encoded (comments and application blocks such as
XMP are dropped), but they get no smaller web copies — shrinking an animation frame by frame is costly and
would change what reviewers saw; WeChat gets its first frame as a still image.
"""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = int(os.environ.get("GOVPUB_MAX_IMAGE_MB", "20")) * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 10_000
MAX_FRAMES = 300
MAX_ANIMATION_PIXELS = 200_000_000  # frames × width × height: what decoding every frame costs
WEB_WIDTHS = (640, 1280)
WECHAT_LIMIT = 1024 * 1024
WECHAT_WIDTHS = (1280, 1080, 900, 720, 540, 360)
MAX_ICC_BYTES = 64 * 1024
JPEG_QUALITY = 88

FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"), "GIF": ("image/gif", ".gif")}
ALLOWED_LABEL = "JPEG、PNG、GIF"


@dataclass(frozen=True)
class Encoded:
    data: bytes
    content_type: str
    width: int
    height: int


@dataclass
class Accepted:
    name: str  # the upload's name, its extension made to match the real format
    image: Encoded  # the cleaned full-size image: what is stored, reviewed and hashed
    web: list[Encoded] = field(default_factory=list)  # smaller copies for the portal, narrowest first
    wechat: Encoded | None = None  # only when the image itself is not something WeChat accepts


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="image")


def _decode(data: bytes, name: str) -> Image.Image:
    """The fully decoded image, or a Chinese refusal. Dimensions are checked from the header, before any pixel
    is decoded, so a small file declaring a huge canvas (a decompression bomb) costs nothing."""
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head:
        raise _refuse(f"“{name}”是 SVG 矢量图，可能含有脚本，不能作为图片上传；请导出为 PNG 或 JPEG 后上传。")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            kind = probe.format
            width, height = probe.size
            frames = getattr(probe, "n_frames", 1) if kind == "GIF" else 1
            if kind in FORMATS:
                _check_dimensions(name, width, height, frames)
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
            for index in range(1, frames):  # every frame decodes, not only the first
                image.seek(index)
                image.load()
            image.seek(0)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(f"图片“{name}”的尺寸过大，不能超过 {MAX_SIDE} 像素宽或高、共 {MAX_PIXELS // 10000} 万像素。") from None
    except UnidentifiedImageError:
        raise _refuse(f"“{name}”不是可识别的图片（允许 {ALLOWED_LABEL}）。") from None
    except (OSError, SyntaxError, ValueError, EOFError):  # what Pillow raises for truncated or corrupt data
        raise _refuse(f"图片“{name}”的文件不完整或已损坏，无法读取；请重新导出后上传。") from None
    if kind not in FORMATS:
        raise _refuse(f"图片“{name}”是 {kind} 格式，只接受 {ALLOWED_LABEL} 图片；请转换格式后上传。")
    return image


def _check_dimensions(name: str, width: int, height: int, frames: int) -> None:
    if max(width, height) > MAX_SIDE or width * height > MAX_PIXELS:
        raise _refuse(f"图片“{name}”的尺寸过大（{width}×{height} 像素），不能超过 {MAX_SIDE} 像素宽或高、"
                      f"共 {MAX_PIXELS // 10000} 万像素；请缩小后上传。")
    if frames > MAX_FRAMES or frames * width * height > MAX_ANIMATION_PIXELS:
        raise _refuse(f"动图“{name}”的帧数过多（{frames} 帧，{width}×{height} 像素），请压缩后上传。")


def _harmless_icc(image: Image.Image) -> bytes | None:
    """The colour profile, kept only if it is small, parses as a profile and fits the pixels: a wrong or
    hostile profile is dropped and the image shown as sRGB, which is what a browser assumes anyway."""
    icc = image.info.get("icc_profile")
    if not icc or len(icc) > MAX_ICC_BYTES or image.mode not in ("RGB", "RGBA", "L", "LA"):
        return None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    except (ImageCms.PyCMSError, OSError, TypeError, ValueError):
        return None
    wanted = "GRAY" if image.mode in ("L", "LA") else "RGB"
    return icc if profile.profile.xcolor_space.strip() == wanted else None


def _pixels_only(image: Image.Image) -> Image.Image:
    """The image upright (EXIF orientation applied) with every piece of metadata gone but transparency."""
    upright = ImageOps.exif_transpose(image)
    if upright is image:
        upright = image.copy()
    keep = {k: image.info[k] for k in ("transparency",) if k in image.info}
    upright.info = keep
    return upright


def _encode(image: Image.Image, kind: str, icc: bytes | None = None) -> Encoded:
    out = io.BytesIO()
    if kind == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True,
                   **({"icc_profile": icc} if icc else {}))
    elif kind == "PNG":
        image.save(out, "PNG", optimize=image.width * image.height <= 4_000_000,
                   **({"icc_profile": icc} if icc else {}))
    else:
        image.save(out, "GIF")
    return Encoded(out.getvalue(), FORMATS[kind][0], image.width, image.height)


def _encode_animation(image: Image.Image) -> Encoded:
    frames, durations = [], []
    for index in range(image.n_frames):
        image.seek(index)
        durations.append(image.info.get("duration", 100))
        frame = image.convert("RGBA")
        frame.info = {}
        frames.append(frame)
    loop = image.info.get("loop", 0)
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=durations, loop=loop,
                   disposal=2, optimize=False)
    image.seek(0)
    return Encoded(out.getvalue(), "image/gif", image.width, image.height)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _resized(image: Image.Image, width: int) -> Image.Image:
    height = max(1, round(image.height * width / image.width))
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    return image.resize((width, height), Image.Resampling.LANCZOS)


def _web_copies(image: Image.Image, kind: str, icc: bytes | None) -> list[Encoded]:
    target = "JPEG" if kind == "JPEG" else "PNG"  # a still GIF shrinks better as PNG
    return [_encode(_resized(image, width), target, icc) for width in WEB_WIDTHS if image.width > width]


def _wechat_copy(image: Image.Image, name: str) -> Encoded:
    """A JPG or PNG of at most 1 MB: the picture as large as fits, narrower only as far as needed."""
    still = image.convert("RGBA" if _has_alpha(image) else "RGB")
    widths = sorted({min(w, still.width) for w in WECHAT_WIDTHS}, reverse=True)
    for width in widths:
        candidate = _resized(still, width) if width < still.width else still
        if _has_alpha(candidate):
            encoded = _encode(candidate, "PNG")
            if len(encoded.data) <= WECHAT_LIMIT:
                return encoded
            flat = Image.new("RGB", candidate.size, "white")
            flat.paste(candidate, mask=candidate.getchannel("A"))
            candidate = flat
        encoded = _encode(candidate, "JPEG")
        if len(encoded.data) <= WECHAT_LIMIT:
            return encoded
    raise _refuse(f"图片“{name}”无法压缩到微信要求的 1 MB 以内。")


def _renamed(name: str, kind: str) -> str:
    stem, ext = os.path.splitext(name)
    proper = FORMATS[kind][1]
    if ext.lower() in ((".jpg", ".jpeg") if kind == "JPEG" else (proper,)):
        return name
    return f"{stem or '图片'}{proper}"


def accept_image(uploaded, name: str) -> Accepted:
    """Check, clean and render one uploaded image. Raises ValidationError with a Chinese message."""
    size = uploaded.size
    if size == 0:
        raise _refuse(f"文件“{name}”是空文件。")
    if size > MAX_IMAGE_BYTES:  # refused before a byte is read
        raise _refuse(f"图片“{name}”过大（{size / 1048576:.1f} MB），单张图片不能超过 {MAX_IMAGE_BYTES // 1048576} MB；"
                      f"请压缩后上传。")
    uploaded.seek(0)
    data = uploaded.read(MAX_IMAGE_BYTES + 1)
    image = _decode(data, name)
    kind = image.format
    if kind == "GIF" and getattr(image, "n_frames", 1) > 1:
        animation = _encode_animation(image)
        return Accepted(_renamed(name, kind), animation, [], _wechat_copy(_pixels_only(image), name))
    if kind == "JPEG" and image.mode == "CMYK":
        image = image.convert("RGB")  # browsers and WeChat show CMYK JPEGs wrongly; its profile no longer fits
    icc = _harmless_icc(image)
    clean = _pixels_only(image)
    full = _encode(clean, kind, icc)
    fits_wechat = kind in ("JPEG", "PNG") and len(full.data) <= WECHAT_LIMIT
    return Accepted(_renamed(name, kind), full, _web_copies(clean, kind, icc),
                    None if fits_wechat else _wechat_copy(clean, name))


def wechat_copy(data: bytes, name: str) -> Encoded | None:
    """For an image stored before copies were made at upload: what WeChat should get instead (None: the bytes
    as they are). Derived from the reviewed bytes alone, so it shows what reviewers saw."""
    image = _decode(data, name)
    if image.format in ("JPEG", "PNG") and len(data) <= WECHAT_LIMIT:
        return None
    return _wechat_copy(_pixels_only(image), name)
