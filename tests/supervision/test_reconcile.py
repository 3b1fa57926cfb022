"""What an account really shows, held against what GovPub approved: the bypass is seen.

Real connectors over HTTP against the fakes; posts delivered by GovPub are accounted for, a post made
in the platform's back-end is 未经审核发布, an edited one 内容不一致, a withdrawn one still online is named."""

import datetime as dt

import pytest
from django.utils import timezone

from delivery.conftest import (  # noqa: F401 (fixtures)
    _fast_delivery, connect_wechat, connect_weibo, deliver_now, fake_wechat, fake_weibo)
from govpub.publishing.connectors import connector_for
from govpub.publishing.models import Publication, PublicationStatus
from govpub.supervision.reconcile import MISMATCH, UNREVIEWED, WITHDRAWN_ONLINE, last_post_at, reconcile

pytestmark = pytest.mark.django_db


def _observed(channel):
    posts = connector_for(channel).read_posts()
    return posts, [(o.kind, o.post.title or o.post.extra["text"][:12]) for o in reconcile(channel, posts)]


def test_wechat_delivered_posts_are_accounted_for_and_the_bypass_is_not(fake_wechat):
    channel = connect_wechat(fake_wechat)
    published = deliver_now(channel, "全区政务公开工作推进会召开", "<p>区党政办公室召开全区政务公开工作推进会，部署重点任务。</p>")
    posts, found = _observed(channel)
    assert len(posts) == 1 and found == []  # GovPub's own post: reviewed, same text
    fake_wechat.post_directly(published_appid(fake_wechat), title="后台直接发的通知", content="没有经过任何审核的内容")
    posts, found = _observed(channel)
    assert found == [(UNREVIEWED, "后台直接发的通知")]
    assert last_post_at(posts) >= timezone.now() - dt.timedelta(minutes=5)
    # someone edits GovPub's post in the back-end after approval
    article = fake_wechat.articles[published.remote_id]["news_item"][0]
    article["content"] = article["content"].replace("部署重点任务", "部署重点任务，另附商业推广")
    assert (MISMATCH, "全区政务公开工作推进会召开") in _observed(channel)[1]
    # GovPub withdrew it, the platform still shows it (a failed or forgotten deletion)
    Publication.objects.filter(pk=published.pk).update(status=PublicationStatus.WITHDRAWN)
    assert (WITHDRAWN_ONLINE, "全区政务公开工作推进会召开") in _observed(channel)[1]


def published_appid(fake):
    return next(iter(fake.accounts))


def test_posts_from_before_the_account_was_registered_are_history_not_bypass(fake_wechat):
    channel = connect_wechat(fake_wechat)
    old = int((channel.created_at - dt.timedelta(days=400)).timestamp())
    fake_wechat.post_directly(published_appid(fake_wechat), title="接入前的旧文章", content="旧内容", update_time=old)
    posts, found = _observed(channel)
    assert len(posts) == 1 and found == []
    assert last_post_at(posts) < channel.created_at  # still counts for silence: it is what the public sees


def test_weibo_bypass_and_a_post_that_lost_its_reply_are_told_apart(fake_weibo):
    channel = connect_weibo(fake_weibo)
    published = deliver_now(channel, "明日停水通知", "<p>因管网检修，明日9时至17时停水。</p>")
    Publication.objects.filter(pk=published.pk).update(remote_id="")  # the reply was lost: only the key is left
    fake_weibo.post_directly(fake_weibo.uid, content="【紧急】某某小区今晚停电，请转发！")
    posts, found = _observed(channel)
    assert len(posts) == 2 and found == [(UNREVIEWED, "【紧急】某某小区今晚停电，请转发！")]


def test_paging_reads_every_post_the_platform_lists(fake_wechat):
    channel = connect_wechat(fake_wechat)
    for n in range(45):
        fake_wechat.post_directly(published_appid(fake_wechat), title=f"第{n}篇", content="内容")
    posts = connector_for(channel).read_posts(limit=1000)
    assert len(posts) == 45 and posts[0].title == "第44篇" and posts[-1].title == "第0篇"
    assert len(reconcile(channel, posts)) == 45
