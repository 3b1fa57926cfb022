"""The site's identity as the pages show it: the administrator's SiteIdentity row over the
deployment's settings and the registered website channel. Read-only."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

from .models import SiteIdentity

IMAGE_FIELDS = {  # field → (largest width, largest height, label)
    "logo": (800, 200, "网站标识图片"),
    "favicon": (256, 256, "浏览器图标"),
    "banner": (1920, 480, "页头横幅"),
}
MAX_UPLOAD = 2 * 1024 * 1024
MIIT_URL, PSB_URL = "https://beian.miit.gov.cn/", "https://beian.mps.gov.cn/"


@dataclass
class Identity:
    name: str
    sponsor: str
    operator: str
    id_code: str
    icp: str
    psb: str
    conac_url: str
    link_registries: bool
    phone: str
    email: str
    address: str
    images: dict  # field → short digest of the stored PNG (for cache-busting URLs); absent when none

    @property
    def miit_url(self) -> str:
        return MIIT_URL if self.link_registries and self.icp else ""

    @property
    def psb_url(self) -> str:
        return PSB_URL if self.link_registries and self.psb else ""


def stored() -> SiteIdentity:
    return SiteIdentity.objects.order_by("pk").first() or SiteIdentity()


def current(channel=None) -> Identity:
    """What the site shows now. channel: the website channel (its units and 网站标识码)."""
    row = stored()
    sponsor = channel.sponsor_unit.name if channel is not None and channel.sponsor_unit_id else ""
    operator = channel.operator_unit.name if channel is not None and channel.operator_unit_id else ""
    return Identity(
        name=row.site_name or settings.GOVPUB_SITE_SPONSOR,
        sponsor=sponsor or settings.GOVPUB_SITE_SPONSOR, operator=operator,
        id_code=settings.GOVPUB_SITE_ID_CODE or (channel.site_code if channel is not None else ""),
        icp=row.icp or settings.GOVPUB_ICP, psb=row.psb or settings.GOVPUB_PSB,
        conac_url=row.conac_url, link_registries=row.link_registries,
        phone=row.phone, email=row.email, address=row.address,
        images={field: digest(bytes(getattr(row, field))) for field in IMAGE_FIELDS if getattr(row, field)},
    )


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def clean_image(upload, field: str) -> bytes:
    """An uploaded picture as a PNG with nothing but pixels (EXIF, GPS, author and scripts gone), no
    larger than the field allows; a clear Chinese message for anything else."""
    from PIL import Image, UnidentifiedImageError

    width, height, label = IMAGE_FIELDS[field]
    if upload.size > MAX_UPLOAD:
        raise ValidationError(f"{label}不能超过 2 MB。")
    try:
        with Image.open(upload) as image:
            if image.format not in ("PNG", "JPEG", "GIF", "ICO", "WEBP"):
                raise ValidationError(f"{label}须为 PNG、JPEG、GIF、ICO 或 WebP 图片。")
            if image.width * image.height > 40_000_000:
                raise ValidationError(f"{label}像素过多，请缩小后再上传。")
            image.load()
            picture = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(f"{label}无法识别，请上传 PNG 或 JPEG 图片。") from None
    picture.thumbnail((width, height))
    out = io.BytesIO()
    picture.save(out, "PNG", optimize=True)
    return out.getvalue()
