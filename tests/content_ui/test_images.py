"""Accepting an image (govpub/content/images.py): only plain JPEG/PNG/GIF, decoded in full, nothing but pixels kept,
copies for the portal and WeChat (issue 16 item 1)."""

import io
import os
import struct
import time
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms

from govpub.content.images import MAX_IMAGE_BYTES, WECHAT_LIMIT, accept_image, wechat_copy

GPS_IFD, EXIF_IFD = 0x8825, 0x8769


def accept(data: bytes, name="照片.jpg"):
    return accept_image(SimpleUploadedFile(name, data), name)


def refusal(data: bytes, name="照片.jpg") -> str:
    with pytest.raises(ValidationError) as refused:
        accept(data, name)
    return " ".join(refused.value.messages)


def jpeg_with_metadata(orientation=1, size=(60, 40)) -> bytes:
    """Left half red, right half blue, with what a phone writes: GPS position, author, camera serial, XMP, comment."""
    picture = Image.new("RGB", size, "red")
    picture.paste((0, 0, 255), (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x013B] = "王晓明-作者"  # Artist
    exif.get_ifd(EXIF_IFD)[0xA431] = "SN-4417-CAMERA"  # BodySerialNumber
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (30.0, 23.0, 1.5), 3: "E", 4: (114.0, 53.0, 2.0)})
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif.tobytes(), comment=b"secret-comment", xmp=b"<x:xmpmeta>creator-zhang</x:xmpmeta>")
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG declaring a huge canvas with almost no data: what a decompression bomb looks like to a parser."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b""))


def test_gps_author_serial_xmp_and_comment_are_gone():
    original = jpeg_with_metadata()
    assert b"SN-4417-CAMERA" in original and b"creator-zhang" in original  # the test image carries them
    accepted = accept(original)
    data = accepted.image.data
    for secret in (b"SN-4417-CAMERA", "王晓明".encode(), b"secret-comment", b"creator-zhang", b"Exif\x00\x00"):
        assert secret not in data
    cleaned = Image.open(io.BytesIO(data))
    assert dict(cleaned.getexif()) == {} and cleaned.getexif().get_ifd(GPS_IFD) == {}
    assert not {"exif", "xmp", "comment"} & set(cleaned.info)
    assert cleaned.format == "JPEG" and accepted.image.content_type == "image/jpeg"


def test_exif_rotation_is_applied_before_the_metadata_goes():
    accepted = accept(jpeg_with_metadata(orientation=6))  # 6: shown turned 90° clockwise
    picture = Image.open(io.BytesIO(accepted.image.data)).convert("RGB")
    assert picture.size == (40, 60) and (accepted.image.width, accepted.image.height) == (40, 60)
    top, bottom = picture.getpixel((20, 5)), picture.getpixel((20, 55))
    assert top[0] > 200 and top[2] < 60  # the stored left (red) half is now on top
    assert bottom[2] > 200 and bottom[0] < 60


def test_a_100_mb_image_is_refused_before_it_is_read():
    class Huge:
        name, size = "航拍.jpg", 100 * 1024 * 1024

        def seek(self, *_):
            raise AssertionError("must not be read")

        read = seek

    started = time.monotonic()
    with pytest.raises(ValidationError) as refused:
        accept_image(Huge(), Huge.name)
    assert time.monotonic() - started < 0.5
    assert "过大（100.0 MB）" in refused.value.messages[0]
    assert f"不能超过 {MAX_IMAGE_BYTES // 1048576} MB" in refused.value.messages[0]


@pytest.mark.parametrize("width,height", [(50_000, 50_000), (7_000, 7_000), (10_001, 10)])
def test_decompression_bombs_and_oversized_canvases_are_refused_without_decoding(width, height):
    started = time.monotonic()
    message = refusal(png_header_only(width, height), "炸弹.png")
    assert time.monotonic() - started < 0.5
    assert "尺寸过大" in message


@pytest.mark.parametrize("svg", [
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    b'  <svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>',
    b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x"><svg><script>alert(1)</script></svg>',
])
def test_svg_is_never_accepted(svg):
    assert "SVG" in refusal(svg, "图标.png") and "脚本" in refusal(svg, "图标.svg")


def test_a_truncated_jpeg_is_refused():
    out = io.BytesIO()
    Image.frombytes("RGB", (200, 150), os.urandom(200 * 150 * 3)).save(out, "JPEG", quality=90)
    data = out.getvalue()
    assert "不完整或已损坏" in refusal(data[: len(data) // 2])


@pytest.mark.parametrize("data,expected", [
    (b"%PDF-1.4\n%%EOF\n", "不是可识别的图片"),
    (b"", "空文件"),
])
def test_what_is_not_an_image_is_refused(data, expected):
    assert expected in refusal(data, "通知.jpg")


def test_other_image_formats_are_refused_by_name():
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, "WEBP")
    assert "WEBP 格式" in refusal(out.getvalue(), "现场.webp")


def test_portal_copies_keep_format_and_aspect():
    out = io.BytesIO()
    Image.new("RGB", (2000, 1000), (10, 120, 200)).save(out, "JPEG")
    accepted = accept(out.getvalue(), "大图.JPG")
    assert [(c.width, c.height, c.content_type) for c in accepted.web] == [(640, 320, "image/jpeg"),
                                                                         (1280, 640, "image/jpeg")]
    assert accepted.wechat is None  # a small JPG goes to WeChat as it is
    transparent = io.BytesIO()
    Image.new("RGBA", (900, 300), (0, 0, 0, 0)).save(transparent, "PNG")
    copies = accept(transparent.getvalue(), "标志.png").web
    assert [(c.width, c.content_type) for c in copies] == [(640, "image/png")]
    assert Image.open(io.BytesIO(copies[0].data)).mode == "RGBA"
    small = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(small, "PNG")
    assert accept(small.getvalue(), "小图.png").web == []


def test_a_large_image_gets_a_wechat_copy_under_1_mb_instead_of_a_refusal():
    noisy = io.BytesIO()
    Image.frombytes("RGB", (1600, 1200), os.urandom(1600 * 1200 * 3)).save(noisy, "PNG")
    assert len(noisy.getvalue()) > WECHAT_LIMIT
    accepted = accept(noisy.getvalue(), "噪点.png")
    copy = accepted.wechat
    assert copy is not None and len(copy.data) <= WECHAT_LIMIT
    assert copy.content_type in ("image/jpeg", "image/png") and copy.width <= 1280
    assert Image.open(io.BytesIO(copy.data)).size == (copy.width, copy.height)
    assert wechat_copy(accepted.image.data, "噪点.png").data == copy.data  # the same copy from the same bytes


def test_an_animated_gif_keeps_its_frames_but_not_its_comment_and_wechat_gets_a_still():
    frames = [Image.new("RGB", (50, 40), colour).convert("P") for colour in ("red", "green", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=[100, 200, 300], loop=0,
                   comment=b"gif-comment-secret")
    accepted = accept(out.getvalue(), "动图.gif")
    assert b"gif-comment-secret" not in accepted.image.data
    animation = Image.open(io.BytesIO(accepted.image.data))
    assert animation.n_frames == 3 and animation.info.get("loop") == 0
    animation.seek(2)
    assert animation.convert("RGB").getpixel((1, 1)) == (0, 0, 255)
    assert accepted.web == []
    assert accepted.wechat.content_type in ("image/jpeg", "image/png")
    assert Image.open(io.BytesIO(accepted.wechat.data)).size == (50, 40)


def test_a_harmless_colour_profile_is_kept_and_a_bogus_one_dropped():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    for icc, kept in ((srgb, True), (b"not a profile" * 10, False)):
        out = io.BytesIO()
        Image.new("RGB", (30, 20), "orange").save(out, "JPEG", icc_profile=icc)
        cleaned = Image.open(io.BytesIO(accept(out.getvalue()).image.data))
        assert (cleaned.info.get("icc_profile") == srgb) is kept


def test_a_misnamed_image_is_renamed_to_what_it_is():
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, "PNG")
    assert accept(out.getvalue(), "现场.jpg").name == "现场.png"
    assert accept(out.getvalue(), "粘贴.PNG").name == "粘贴.PNG"
