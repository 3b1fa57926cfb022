"""Real, decodable test images (uploads are decoded in full: a few hand-written PNG bytes no longer pass)."""

from __future__ import annotations

import io

from PIL import Image


def png_bytes(size=(1, 1), rgb=(0x20, 0x40, 0x60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, rgb).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(size=(64, 48), rgb=(0x80, 0x40, 0x20), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, rgb).save(out, "JPEG", **save)
    return out.getvalue()
