"""A published item whose body shows uploaded images (issue 16 item 1): WeChat gets every one re-hosted through
media/uploadimg — an image over its 1 MB limit as the smaller copy made at upload, not refused — and the website
serves the web copies with their sizes."""

import hashlib
import io
import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from govpub.channels.models import Channel, ChannelKind
from govpub.content import actions as content_actions
from govpub.content.files import stored_path
from govpub.content.models import Rendition
from govpub.publishing import actions as publishing_actions
from govpub.publishing import delivery
from govpub.publishing.models import Publication, PublicationStatus

from .conftest import approve, connect_wechat, new_item, people

pytestmark = pytest.mark.django_db


def image_file(name, size, noisy=False, kind="PNG"):
    picture = (Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)) if noisy
               else Image.new("RGB", size, (200, 60, 40)))
    out = io.BytesIO()
    picture.save(out, kind)
    return SimpleUploadedFile(name, out.getvalue())


def test_body_images_reach_wechat_rehosted_and_the_portal_as_web_copies(fake_wechat,
                                                                        django_capture_on_commit_callbacks):
    channel = connect_wechat(fake_wechat)
    column = Channel.objects.get(kind=ChannelKind.WEBSITE).columns.get(slug="gzdt")
    item = new_item(targets=[f"column:{column.pk}", f"channel:{channel.pk}"])
    editor = people("demo-editor")
    big = content_actions.add_body_image(item, image_file("航拍.png", (1500, 1000), noisy=True), acting_user=editor,
                                         alt="航拍全景")
    small = content_actions.add_body_image(item, image_file("合影.jpg", (500, 300), kind="JPEG"), acting_user=editor,
                                           alt="参会人员合影")
    assert big.size > 1024 * 1024  # over WeChat's limit for body images
    body = (f'<p>会议现场。</p><figure><img src="/staff/attachments/{big.pk}/download/" alt="航拍全景">'
            f'<figcaption>航拍</figcaption></figure><p><img src="/staff/attachments/{small.pk}/download/" alt="参会人员合影"></p>')
    content_actions.save_revision(item, acting_user=editor, body_html=body)
    item = approve(item)
    with django_capture_on_commit_callbacks(execute=True):  # the website at once, WeChat through the outbox
        publishing_actions.publish_item(item, acting_user=editor, revision_hash=item.current_revision.content_hash)
    publication = Publication.objects.get(item=item, channel=channel)
    delivery.run(publication.pk)
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.LIVE, publication.last_error

    [post] = fake_wechat.live_posts()
    urls = re.findall(r'<img src="([^"]+)"', post["content"])
    assert len(urls) == 2 and all(u.startswith("http://mmbiz.qpic.cn/") for u in urls)
    assert "/staff/attachments/" not in post["content"] and "/files/" not in post["content"]
    sent = {hashlib.sha256(data).hexdigest() for data in fake_wechat.images.values()}
    wechat_copy = big.renditions.get(use=Rendition.Use.WECHAT)
    assert sent == {wechat_copy.sha256, small.sha256}  # the big one as its copy, the small one as it is
    assert all(len(data) <= 1024 * 1024 for data in fake_wechat.images.values())

    html = Client().get(f"/articles/{item.pk}/").content.decode()
    body_html = html.split('class="body"', 1)[1].split("</div>", 1)[0]
    tags = re.findall(r"<img\b[^>]*>", body_html)
    assert len(tags) == 2 and "/staff/" not in body_html
    big_tag = next(t for t in tags if 'alt="航拍全景"' in t)
    assert 'loading="lazy"' in big_tag and 'width="1280" height="853"' in big_tag
    srcset = re.search(r'srcset="([^"]+)"', big_tag).group(1)
    assert [w for _, w in (c.split() for c in srcset.split(", "))] == ["640w", "1280w"]  # the original is not offered
    src = re.search(r'src="([^"]+)"', big_tag).group(1)
    served = Client().get(src)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    copy_1280 = big.renditions.get(use=Rendition.Use.WEB, width=1280)
    assert b"".join(served.streaming_content) == stored_path(copy_1280.storage_name).read_bytes()
    small_tag = next(t for t in tags if 'alt="参会人员合影"' in t)
    assert 'width="500" height="300"' in small_tag and 'loading="lazy"' in small_tag
    assert Client().get(f"/files/{item.pk}/{big.pk}/{'0' * 16}.png").status_code == 404  # only named bytes
