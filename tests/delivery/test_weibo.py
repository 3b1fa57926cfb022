"""The Weibo connector against the fake Weibo over real HTTP on 127.0.0.1."""

import pytest

from govpub.channels.models import Channel, ChannelKind
from govpub.publishing import actions as publishing_actions
from govpub.publishing import delivery
from govpub.publishing.connectors import connector_for
from govpub.publishing.connectors.weibo import status_text
from govpub.publishing.models import Publication, PublicationStatus, WithdrawState

from .conftest import approve, connect_weibo, key_of, new_item, people

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


LONG_BODY = "<p>" + "区党政办公室召开全区政务公开工作推进会。" * 20 + "</p>"
ARTICLE = "/proxy/article/publish.json"


def published_long_item(fake_weibo, capture):
    """A long item (headline article + post) published to Weibo through the real actions."""
    channel = connect_weibo(fake_weibo)
    site = Channel.objects.get(kind=ChannelKind.WEBSITE)
    item = approve(new_item(title="全区政务公开工作推进会召开", body=LONG_BODY, summary="会议部署下一阶段重点任务。",
                            targets=[f"column:{site.columns.get(slug='gzdt').pk}", f"channel:{channel.pk}"]))
    with capture(execute=True):
        publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                        revision_hash=item.current_revision.content_hash)
    return item, Publication.objects.get(item=item, channel=channel, column__isnull=True)


def test_lost_reply_to_the_article_call_is_found_instead_of_posting_a_second_article(fake_weibo):
    channel = connect_weibo(fake_weibo)
    publication = row_for(new_item(title="全区政务公开工作推进会召开", body=LONG_BODY), channel)
    fake_weibo.configure(lost_reply_rate=1.0, fail_paths={ARTICLE})
    assert delivery.run(publication.pk) == "transient"  # the platform created the article, we saw a 502
    assert len(fake_weibo.live_articles()) == 1 and fake_weibo.live_posts() == []
    fake_weibo.configure(lost_reply_rate=0.0)
    import time

    time.sleep(0.03)
    assert delivery.run(publication.pk) == "ok"
    [article] = fake_weibo.live_articles()
    assert [p for _, p in fake_weibo.calls].count(ARTICLE) == 1
    assert key_of(publication) in article["source_url"]
    [post] = fake_weibo.live_posts()
    assert article["url"] in post["text"]
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.LIVE
    assert publication.remote_state["article_id"] == article["object_id"]


def test_withdrawal_removes_the_headline_article_and_the_post(fake_weibo, django_capture_on_commit_callbacks):
    item, publication = published_long_item(fake_weibo, django_capture_on_commit_callbacks)
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.LIVE
    assert len(fake_weibo.live_articles()) == 1 and len(fake_weibo.live_posts()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        publishing_actions.withdraw_item(item, acting_user=people("demo-editor"), reason="内容需要调整")
    assert fake_weibo.live_articles() == [] and fake_weibo.live_posts() == []
    publication.refresh_from_db()
    assert publication.withdraw_state == WithdrawState.DONE
    # withdrawing again (a retried task) is harmless: both objects are already gone
    Publication.objects.filter(pk=publication.pk).update(withdraw_state=WithdrawState.PENDING,
                                                         remote_state={**publication.remote_state, "deleted": False})
    assert delivery.run(publication.pk, "withdraw") == "ok"


def test_withdrawal_after_a_lost_article_reply_finds_and_removes_the_article(
        fake_weibo, django_capture_on_commit_callbacks):
    fake_weibo.configure(lost_reply_rate=1.0, fail_paths={ARTICLE})
    item, publication = published_long_item(fake_weibo, django_capture_on_commit_callbacks)
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.QUEUED and publication.last_error_code == "http_502"
    assert "article_id" not in publication.remote_state and len(fake_weibo.live_articles()) == 1
    fake_weibo.configure(lost_reply_rate=0.0)
    with django_capture_on_commit_callbacks(execute=True):
        publishing_actions.withdraw_item(item, acting_user=people("demo-editor"), reason="发现错误，撤稿")
    assert fake_weibo.live_articles() == [] and fake_weibo.live_posts() == []
    publication.refresh_from_db()
    assert publication.withdraw_state == WithdrawState.DONE
    assert delivery.run(publication.pk) == "skipped"  # the withdrawn row is never posted afterwards
    assert [p for _, p in fake_weibo.calls].count(ARTICLE) == 1
