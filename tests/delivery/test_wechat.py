"""The WeChat connector against the fake WeChat over real HTTP on 127.0.0.1."""

import hashlib
import io
import re

import pytest
from django.test import Client
from PIL import Image as PILImage

from govpub.content.files import stored_path
from govpub.content.models import Attachment
from govpub.content import actions as content_actions
from govpub.publishing import actions as publishing_actions
from govpub.publishing import delivery
from govpub.publishing.connectors import PermanentError, connector_for
from govpub.publishing.connectors.adapt import default_cover_png
from govpub.publishing.connectors.wechat import TOKENS
from govpub.publishing.models import DeliveryAttempt, Publication, PublicationStatus, WithdrawState

from .conftest import CALLBACK_TOKEN, connect_wechat, key_of, new_item, people, queue_publications

pytestmark = pytest.mark.django_db


def test_token_is_cached_and_refreshed_once_on_40001_and_42001(fake_wechat, settings):
    settings.GOVPUB_WECHAT_TOKEN_MARGIN = 0
    channel = connect_wechat(fake_wechat)
    connector = connector_for(channel)
    for _ in range(3):
        connector.fetch_recent()
    assert fake_wechat.token_calls == 1  # cached

    fake_wechat.expire_tokens()  # every issued token now answers 42001
    assert connector.fetch_recent() == []
    assert fake_wechat.token_calls == 2
    assert ("/cgi-bin/freepublish/batchget") in [p for _, p in fake_wechat.calls]

    # someone else force-refreshes: our cached token is invalidated → 40001 → one refresh and the call succeeds
    import httpx

    httpx.post(f"{fake_wechat.url}/cgi-bin/stable_token", json={"grant_type": "client_credential", "appid": "wx_test_appid",
                                                                 "secret": "s3cr3t-Wx-AppSecret-9f2c", "force_refresh": True})
    before = len(fake_wechat.calls)
    connector.fetch_recent()
    assert [p for _, p in fake_wechat.calls[before:]] == ["/cgi-bin/freepublish/batchget", "/cgi-bin/stable_token",
                                                         "/cgi-bin/freepublish/batchget"]


def test_token_refreshed_before_expiry(fake_wechat, settings):
    settings.GOVPUB_WECHAT_TOKEN_MARGIN = 300
    fake_wechat.token_ttl = 200  # shorter than the margin: never trusted from cache
    channel = connect_wechat(fake_wechat)
    connector = connector_for(channel)
    connector.fetch_recent()
    connector.fetch_recent()
    assert fake_wechat.token_calls == 2


def test_wrong_secret_is_a_permanent_plain_chinese_error(fake_wechat):
    channel = connect_wechat(fake_wechat)
    fake_wechat.accounts["wx_test_appid"] = "another"
    TOKENS.forget(channel.pk)
    with pytest.raises(PermanentError) as error:
        connector_for(channel).check_credentials()
    assert error.value.code == "40125" and "AppSecret" in error.value.message


def test_publish_adapts_content_and_posts_once(fake_wechat):
    channel = connect_wechat(fake_wechat)
    summary = "摘" * 150
    item = new_item(title="全区政务公开工作推进会召开", summary=summary,
                    body='<h2>一、会议要求</h2><p>详见<a href="https://www.example.gov.cn/x">通知</a>。</p><figure><figcaption>图注</figcaption></figure>')
    [publication] = bulk_for(item, channel)
    assert delivery.run(publication.pk) == "ok"
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.LIVE and publication.url.startswith("http://mp.weixin.qq.com/s/")
    [post] = fake_wechat.live_posts()
    assert post["title"] == "全区政务公开工作推进会召开"
    assert len(post["digest"]) == 120 and post["digest"].endswith("…")
    assert "<h2>" not in post["content"] and "<figure>" not in post["content"]
    assert "通知（https://www.example.gov.cn/x）" in post["content"]
    assert key_of(publication) in post["content_source_url"]
    assert DeliveryAttempt.objects.get(publication=publication).outcome == "ok"
    # running it again changes nothing
    assert delivery.run(publication.pk) == "skipped"
    assert len(fake_wechat.posts) == 1


def bulk_for(item, channel):
    revision = item.current_revision
    return Publication.objects.bulk_create([Publication(
        item=item, revision=revision, revision_hash=revision.content_hash, target=f"channel:{channel.pk}",
        channel=channel, published_by=people("demo-editor"), status=PublicationStatus.QUEUED)])


def image_attachment(item, data, name="photo.png", content_type="image/png"):
    digest = hashlib.sha256(data).hexdigest()
    storage = f"{digest[:2]}/{digest[2:4]}/{digest}"
    path = stored_path(storage)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return Attachment.objects.create(item=item, kind=Attachment.Kind.IMAGE, name=name, content_type=content_type,
                                     size=len(data), sha256=digest, storage_name=storage,
                                     uploaded_by=people("demo-editor"))


def test_body_images_are_rehosted_and_cover_uploaded(fake_wechat):
    channel = connect_wechat(fake_wechat)
    item = new_item()
    picture = image_attachment(item, default_cover_png(rgb=(1, 2, 3)))
    content_actions.save_revision(item, acting_user=people("demo-editor"),
                                  body_html=f'<p>现场</p><p><img src="/staff/attachments/{picture.pk}/download/" alt="现场"></p>')
    item.refresh_from_db()
    [publication] = bulk_for(item, channel)
    assert delivery.run(publication.pk) == "ok"
    [post] = fake_wechat.live_posts()
    assert "http://mmbiz.qpic.cn/mmbiz_png/" in post["content"] and "/staff/attachments/" not in post["content"]
    assert post["thumb_media_id"] in fake_wechat.materials
    paths = [p for _, p in fake_wechat.calls]
    assert paths.count("/cgi-bin/media/uploadimg") == 1 and paths.count("/cgi-bin/material/add_material") == 1


@pytest.mark.parametrize("title,body,code", [
    ("标" * 33, "<p>正文。</p>", "title_too_long"),
    ("外部图片", '<p><img src="https://elsewhere.example.com/a.png" alt="外部"></p>', "foreign_image"),
    ("超长正文", "<p>" + "字" * 20001 + "</p>", "content_too_long"),
])
def test_what_cannot_be_adapted_is_refused_before_any_call(fake_wechat, title, body, code):
    channel = connect_wechat(fake_wechat)
    item = new_item(title=title, body=body)
    [publication] = bulk_for(item, channel)
    assert delivery.run(publication.pk) == "permanent"
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.FAILED and publication.last_error_code == code
    assert publication.last_error
    assert not [p for _, p in fake_wechat.calls if p != "/cgi-bin/stable_token"]  # nothing sent
    if code == "title_too_long":
        assert "33 个字" in publication.last_error and "不会自动截断" in publication.last_error
    assert fake_wechat.posts == []


def test_a_gif_stored_before_copies_were_made_goes_out_as_a_still_and_a_broken_one_is_refused_clearly(fake_wechat):
    """WeChat takes no GIF: a GIF stored without its WeChat copy gets one derived from its reviewed bytes."""
    channel = connect_wechat(fake_wechat)
    item = new_item()
    out = io.BytesIO()
    PILImage.new("P", (40, 30), 3).save(out, "GIF")
    gif = image_attachment(item, out.getvalue(), name="a.gif", content_type="image/gif")
    content_actions.save_revision(item, acting_user=people("demo-editor"),
                                  body_html=f'<p><img src="/staff/attachments/{gif.pk}/download/" alt="动图"></p>')
    item.refresh_from_db()
    [publication] = bulk_for(item, channel)
    assert delivery.run(publication.pk) == "ok"
    [post] = fake_wechat.live_posts()
    [url] = re.findall(r'<img src="([^"]+)"', post["content"])
    assert url.startswith("http://mmbiz.qpic.cn/mmbiz_jpg/")  # no transparency: a JPG
    assert PILImage.open(io.BytesIO(fake_wechat.images[url.split("/")[4]])).size == (40, 30)

    broken = new_item(title="损坏的动图")
    bad = image_attachment(broken, b"GIF89a" + b"\x00" * 20, name="b.gif", content_type="image/gif")
    content_actions.save_revision(broken, acting_user=people("demo-editor"),
                                  body_html=f'<p><img src="/staff/attachments/{bad.pk}/download/" alt="坏图"></p>')
    broken.refresh_from_db()
    [publication] = bulk_for(broken, channel)
    assert delivery.run(publication.pk) == "permanent"
    publication.refresh_from_db()
    assert publication.last_error_code == "image_type" and "不是可识别的图片" in publication.last_error


def test_publish_job_finish_push_completes_the_publication(fake_wechat, settings, django_capture_on_commit_callbacks):
    settings.GOVPUB_WECHAT_POLL_TRIES = 1
    fake_wechat.publish_delay = 0.3  # the job is still running after the only poll
    channel = connect_wechat(fake_wechat)
    [publication] = queue_publications(channel, 1)
    assert delivery.run(publication.pk) == "pending"
    publication.refresh_from_db()
    publish_id = publication.remote_state["publish_id"]
    assert publication.status == PublicationStatus.QUEUED
    import time

    time.sleep(0.4)
    job = fake_wechat.jobs[publish_id]
    article = fake_wechat.articles[job["article_id"]]
    xml = (f"<xml><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event><PublishEventInfo>"
           f"<publish_id>{publish_id}</publish_id><publish_status>0</publish_status><article_id><![CDATA[{job['article_id']}]]>"
           f"</article_id><article_detail><count>1</count><item><idx>1</idx><article_url><![CDATA[{article['news_item'][0]['url']}]]>"
           f"</article_url></item></article_detail></PublishEventInfo></xml>")
    client = Client()
    bad = client.post(f"/hooks/wechat/{channel.pk}/?signature=x&timestamp=1&nonce=2", xml, content_type="text/xml")
    assert bad.status_code == 403
    timestamp, nonce = "1700000000", "abc"
    signature = hashlib.sha1("".join(sorted([CALLBACK_TOKEN, timestamp, nonce])).encode()).hexdigest()
    query = f"signature={signature}&timestamp={timestamp}&nonce={nonce}"
    assert client.get(f"/hooks/wechat/{channel.pk}/?{query}&echostr=hello").content == b"hello"
    calls_before = len(fake_wechat.calls)
    with django_capture_on_commit_callbacks(execute=True):
        with_commit = client.post(f"/hooks/wechat/{channel.pk}/?{query}", xml, content_type="text/xml")
    assert with_commit.status_code == 200 and with_commit.content == b"success"
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.LIVE and publication.url == article["news_item"][0]["url"]
    assert len(fake_wechat.calls) == calls_before  # finished from the pushed event, no extra platform call
    assert len(fake_wechat.posts) == 1


def test_fetch_recent_reads_back_posts(fake_wechat):
    channel = connect_wechat(fake_wechat)
    rows = queue_publications(channel, 3)
    for row in rows:
        delivery.run(row.pk)
    recent = connector_for(channel).fetch_recent(10)
    assert len(recent) == 3 and all(p.url.startswith("http://mp.weixin.qq.com/s/") for p in recent)


def withdraw(publication, capture):
    with capture(execute=True):
        publishing_actions.withdraw_item(publication.item, acting_user=people("demo-editor"), reason="内容需要调整")
    publication.refresh_from_db()
    return publication


def test_withdrawal_deletes_the_article_and_the_cover_material(fake_wechat, django_capture_on_commit_callbacks):
    channel = connect_wechat(fake_wechat)
    [publication] = queue_publications(channel, 1)
    assert delivery.run(publication.pk) == "ok"
    assert len(fake_wechat.live_posts()) == 1 and len(fake_wechat.materials) == 1
    publication = withdraw(publication, django_capture_on_commit_callbacks)
    assert publication.withdraw_state == WithdrawState.DONE
    assert fake_wechat.live_posts() == [] and fake_wechat.materials == {} and fake_wechat.drafts == {}


def test_withdrawal_of_a_refused_submit_deletes_the_draft_and_the_cover(fake_wechat,
                                                                        django_capture_on_commit_callbacks):
    channel = connect_wechat(fake_wechat)
    [publication] = queue_publications(channel, 1)
    fake_wechat.fail_next("/cgi-bin/freepublish/submit", 53503)
    assert delivery.run(publication.pk) == "permanent"
    assert len(fake_wechat.drafts) == 1 and len(fake_wechat.materials) == 1 and fake_wechat.posts == []
    publication = withdraw(publication, django_capture_on_commit_callbacks)
    assert publication.withdraw_state == WithdrawState.DONE
    assert fake_wechat.drafts == {} and fake_wechat.materials == {} and fake_wechat.posts == []
