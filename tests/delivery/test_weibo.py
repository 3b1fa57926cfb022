"""The Weibo connector against the fake Weibo over real HTTP on 127.0.0.1."""

import pytest

from govpub.publishing import delivery
from govpub.publishing.connectors import connector_for
from govpub.publishing.connectors.weibo import status_text
from govpub.publishing.models import Publication, PublicationStatus

from .conftest import connect_weibo, key_of, new_item, people

pytestmark = pytest.mark.django_db


def row_for(item, channel):
    revision = item.current_revision
    return Publication.objects.create(item=item, revision=revision, revision_hash=revision.content_hash,
                                      target=f"channel:{channel.pk}", channel=channel,
                                      published_by=people("demo-editor"), status=PublicationStatus.QUEUED)


def test_short_item_goes_out_as_one_post_and_reads_back(fake_weibo):
    channel = connect_weibo(fake_weibo)
    publication = row_for(new_item(title="明日停水通知", body="<p>因管网检修，明日9时至17时停水。</p>"), channel)
    assert delivery.run(publication.pk) == "ok"
    [post] = fake_weibo.live_posts()
    assert post["text"].startswith("【明日停水通知】因管网检修") and key_of(publication) in post["text"]
    assert fake_weibo.articles == {}
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.LIVE and publication.remote_id == post["idstr"]
    assert [p.remote_id for p in connector_for(channel).fetch_recent()] == [post["idstr"]]


def test_long_item_becomes_a_headline_article_plus_a_post(fake_weibo):
    channel = connect_weibo(fake_weibo)
    body = "<p>" + "区党政办公室召开全区政务公开工作推进会。" * 20 + "</p>"
    publication = row_for(new_item(title="全区政务公开工作推进会召开", body=body, summary="会议部署下一阶段重点任务。"), channel)
    assert delivery.run(publication.pk) == "ok"
    [article] = fake_weibo.articles.values()
    [post] = fake_weibo.live_posts()
    assert article["title"] == "全区政务公开工作推进会召开"
    assert "weibo.com/ttarticle" in post["text"] and "会议部署下一阶段重点任务" in post["text"]


def test_expired_token_is_permanent_and_says_to_reauthorise(fake_weibo):
    channel = connect_weibo(fake_weibo)
    fake_weibo.expire_tokens()
    publication = row_for(new_item(title="明日停水通知", body="<p>停水。</p>"), channel)
    assert delivery.run(publication.pk) == "permanent"
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.FAILED and publication.last_error_code == "21327"
    assert "重新授权" in publication.last_error


def test_rate_limits_are_retried_and_repeat_content_is_permanent(fake_weibo):
    channel = connect_weibo(fake_weibo)
    publication = row_for(new_item(title="明日停水通知", body="<p>停水。</p>"), channel)
    fake_weibo.fail_next("/2/statuses/share.json", 10023, 10024)
    assert delivery.run(publication.pk) == "transient"
    publication.refresh_from_db()
    assert publication.last_error_code == "10023" and "稍后将自动重试" in publication.last_error
    import time

    for _ in range(5):
        time.sleep(0.03)
        delivery.run(publication.pk)
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.LIVE
    other = row_for(new_item(title="另一条", body="<p>停水。</p>"), channel)
    fake_weibo.fail_next("/2/statuses/share.json", 20019)
    assert delivery.run(other.pk) == "permanent"
    other.refresh_from_db()
    assert "重复发布" in other.last_error
    assert len(fake_weibo.live_posts()) == 1


def test_lost_reply_to_share_is_found_on_the_timeline(fake_weibo):
    channel = connect_weibo(fake_weibo)
    publication = row_for(new_item(title="明日停水通知", body="<p>停水。</p>"), channel)
    fake_weibo.configure(lost_reply_rate=1.0, fail_paths={"/2/statuses/share.json"})
    assert delivery.run(publication.pk) == "transient"
    fake_weibo.configure(lost_reply_rate=0.0)
    import time

    time.sleep(0.03)
    assert delivery.run(publication.pk) == "ok"
    assert len(fake_weibo.posts) == 1
    assert [p for _, p in fake_weibo.calls].count("/2/statuses/share.json") == 1


def test_title_over_32_refused_and_status_text_fits_140():
    with pytest.raises(Exception) as error:
        from govpub.publishing.connectors import adapt

        adapt.check_title("标" * 33, 32, "微博")
    assert "不会自动截断" in str(error.value)
    text = status_text("标题", "摘" * 300, "http://127.0.0.1:8000/articles/1/?from=gp&key=1-abc")
    assert len(text) <= 140 and text.endswith("key=1-abc") and "…" in text
