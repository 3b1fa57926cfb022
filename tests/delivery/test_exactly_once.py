"""500 publications, 20% injected transient failures, lost replies, and a worker killed mid-run:
after the sweeper and retries every publication is on the platform exactly once. Weibo's two creates
(headline article, then the post linking to it) are held to the same rule, and withdrawal leaves nothing."""

import collections
import datetime as dt
import random
import re
import threading
import time

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from govpub.publishing import delivery
from govpub.content.models import Item, ItemState
from govpub.publishing.connectors.wechat import WeChatConnector
from govpub.publishing.models import DeliveryAttempt, Publication, PublicationStatus, WithdrawState

from .conftest import connect_wechat, connect_weibo, new_item, people, queue_publications

COUNT = 500


class Killed(BaseException):
    pass


def worker(stop_at, errors, lock):
    try:
        while time.monotonic() < stop_at:
            ids = delivery.due("publish", limit=60)
            random.shuffle(ids)  # workers spread over the rows instead of racing for the same ones
            if not ids:
                if not Publication.objects.filter(status__in=[PublicationStatus.QUEUED, PublicationStatus.SENDING]).exists():
                    return
                time.sleep(0.02)
                continue
            for pub_id in ids:
                delivery.run(pub_id)
    except Exception as error:  # asserted by the test
        with lock:
            errors.append(error)
    finally:
        close_old_connections()
        connection.close()


def test_500_publications_delivered_exactly_once(demo_committed, fake_wechat, settings, monkeypatch):
    settings.GOVPUB_DELIVERY_LEASE_SECONDS = 60
    settings.GOVPUB_WECHAT_POLL_TRIES = 1
    channel = connect_wechat(fake_wechat)
    rows = queue_publications(channel, COUNT, items=5)
    keys = {f"key={p.pk}-{p.revision_hash[:16]}": p.pk for p in rows}

    # A worker is killed mid-run: it dies right after draft/add for some rows and right after
    # freepublish/submit for others (the platform has posted, our database does not know yet).
    real_call = WeChatConnector.call
    deaths = {}

    def dying_after(where):
        def call(self, method, path, **kw):
            result = real_call(self, method, path, **kw)
            if path == where:
                raise Killed(path)
            return result

        return call

    for doomed, where in ((rows[:20], "draft/add"), (rows[20:40], "freepublish/submit")):
        monkeypatch.setattr(WeChatConnector, "call", dying_after(where))
        for publication in doomed:
            with pytest.raises(Killed):
                delivery.run(publication.pk)
            deaths[publication.pk] = where
    monkeypatch.setattr(WeChatConnector, "call", real_call)
    assert len(fake_wechat.posts) == 20  # the platform holds the 20 submitted ones already
    stuck = Publication.objects.filter(status=PublicationStatus.SENDING)
    assert stuck.count() == 40 and delivery.due("publish") and not set(delivery.due("publish", 1000)) & set(deaths)

    # The sweeper sees them once their lease has expired (here: made to expire now).
    stuck.update(claimed_until=timezone.now() - dt.timedelta(seconds=1))
    assert set(deaths) <= set(delivery.due("publish", 1000))

    # 20% of platform calls fail transiently; some replies to submit are lost after it took effect.
    fake_wechat.configure(failure_rate=0.2, fail_codes=[-1, 45009, 45011, "http_502"], seed=11)
    fake_wechat.configure(lost_reply_rate=0.05)

    errors, lock = [], threading.Lock()
    # A generous bound, not a speed target: workers stop as soon as nothing is left (a loaded CI machine is slow).
    stop_at = time.monotonic() + 150
    threads = [threading.Thread(target=worker, args=(stop_at, errors, lock)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert errors == []

    statuses = collections.Counter(Publication.objects.filter(pk__in=keys.values()).values_list("status", flat=True))
    assert statuses == {PublicationStatus.LIVE: COUNT}, (statuses, list(
        Publication.objects.filter(status=PublicationStatus.FAILED).values_list("last_error_code", "last_error")[:3]))
    posts = fake_wechat.posts
    per_key = collections.Counter(re.search(r"key=[\w-]+", p["content_source_url"]).group(0) for p in posts)
    assert set(per_key) == set(keys) and set(per_key.values()) == {1}, [k for k, n in per_key.items() if n > 1]
    assert len(posts) == COUNT
    assert fake_wechat.injected, "failures were injected"
    transient = DeliveryAttempt.objects.filter(outcome="transient").count()
    assert transient > 50
    assert DeliveryAttempt.objects.filter(outcome="ok").count() == COUNT
    # every publication's URL is the article the platform holds for it
    by_key = {re.search(r"key=[\w-]+", p["content_source_url"]).group(0): p["url"] for p in posts}
    assert {pk: url for pk, url in Publication.objects.filter(pk__in=keys.values()).values_list("pk", "url")} == \
        {keys[key]: url for key, url in by_key.items()}


def test_weibo_long_items_make_one_article_and_one_post_each_and_withdrawal_removes_both(db, fake_weibo):
    channel = connect_weibo(fake_weibo)
    body = "<p>" + "区党政办公室召开全区政务公开工作推进会，部署下一阶段重点任务。" * 10 + "</p>"
    rows = []
    for n in range(30):  # one item each: a post's text (title + article link) is unique per publication
        item = new_item(title=f"全区政务公开工作推进会召开{n}", body=body)
        Item.objects.filter(pk=item.pk).update(state=ItemState.PUBLISHED, live_revision=item.current_revision)
        rows.append(Publication(item=item, revision=item.current_revision, target=f"channel:{channel.pk}",
                                revision_hash=item.current_revision.content_hash, channel=channel,
                                published_by=people("demo-editor"), status=PublicationStatus.QUEUED))
    rows = Publication.objects.bulk_create(rows)
    keys = {f"key={p.pk}-{p.revision_hash[:16]}": p.pk for p in rows}
    # Both creates lose a third of their replies after taking effect; a fifth of all calls fail outright.
    fake_weibo.configure(failure_rate=0.2, fail_codes=[10001, 10023, "http_502"], lost_reply_rate=0.35,
                         fail_paths={"/proxy/article/publish.json", "/2/statuses/share.json",
                                     "/proxy/article/list.json", "/2/statuses/user_timeline.json"}, seed=5)
    for kind in ("publish", "withdraw"):
        for _ in range(300):
            if not Publication.objects.filter(delivery._needs_work(kind), pk__in=keys.values()).exists():
                break
            delivery.run_due(kind)
            time.sleep(0.01)
        if kind == "publish":
            assert collections.Counter(Publication.objects.filter(pk__in=keys.values()).values_list(
                "status", flat=True)) == {PublicationStatus.LIVE: len(rows)}
            assert fake_weibo.injected and ("GET", "/proxy/article/list.json") in fake_weibo.calls  # recovery ran
            articles = collections.Counter(re.search(r"key=[\w-]+", a["source_url"]).group(0)
                                           for a in fake_weibo.live_articles())
            assert articles == {key: 1 for key in keys}, [k for k, n in articles.items() if n > 1]
            urls = {a["url"] for a in fake_weibo.live_articles()}
            posts = fake_weibo.live_posts()
            assert len(posts) == len(rows) and len({re.search(r"https://weibo\.com/ttarticle\S+", p["text"]).group(0)
                                                    for p in posts} & urls) == len(rows)
            Publication.objects.filter(pk__in=keys.values()).update(
                status=PublicationStatus.WITHDRAWN, withdraw_state=WithdrawState.PENDING, attempts=0)
    assert set(Publication.objects.filter(pk__in=keys.values()).values_list("withdraw_state", flat=True)) == \
        {WithdrawState.DONE}
    assert fake_weibo.live_articles() == [] and fake_weibo.live_posts() == []
