"""Delivery benchmark: publications per second through the outbox to the fake WeChat, with and without
injected failures, each next to baselines measured in the same run.

* A fresh GOVPUB_HOME (SQLite; or a fresh PostgreSQL database when DATABASE_URL=postgres://… is set,
  dropped afterwards) is migrated and seeded with the demo district; the demo WeChat account is pointed
  at a FakeWeChat on 127.0.0.1.
* N QUEUED publications are bulk-created per scenario (the outbox rows the publish transaction writes).
* Outbox: W worker threads run delivery.run() on due rows (claim with lease → connector → outcome,
  attempt record, audit event) until every row is LIVE. Backoff is set to milliseconds so the
  figure measures the machinery, not the waiting.
* Baselines, same fake, same process: (1) raw draft/add calls (one HTTP call per publication, no
  outbox, no database); (2) the connector's full raw call sequence per publication (add_material,
  draft/add, freepublish/submit, freepublish/get with a cached token) from W threads, no database.

Run:  .venv/bin/python bench/delivery.py                 (500 publications, 2 workers)
      .venv/bin/python bench/delivery.py --count 2000 --workers 4
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/delivery.py

Recorded (2026-11, 2 shared cores, 500 publications, 2 workers; publications/s, ratio to the raw call sequence):
                                  SQLite            PostgreSQL
  raw draft/add                   1545  (×5.62)     1064  (×5.55)
  raw call sequence                275  (×1.00)      192  (×1.00)
  outbox, no failures              106  (×0.39)       36  (×0.19)
  outbox, 20% injected failures     62  (×0.23)       27  (×0.14)
  (≈530 failures injected, ≈1030 attempts for 500 publications, 0 duplicate posts)
The outbox costs a few commits per attempt (claim + attempt record; pre-submit state; outcome + audit
event); on PostgreSQL the audit chain's advisory lock serialises the outcome commits.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govpub.ops.scratch import fresh_postgres_database  # noqa: E402


def setup_django(home: str) -> None:
    os.environ["GOVPUB_HOME"] = home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govpub.settings")
    os.environ.update(GOVPUB_DELIVERY_BACKOFF_BASE="0.005", GOVPUB_DELIVERY_BACKOFF_MAX="0.05",
                      GOVPUB_DELIVERY_POLL_SECONDS="0", GOVPUB_DELIVERY_MAX_ATTEMPTS="60",
                      GOVPUB_WECHAT_POLL_INTERVAL="0.005", GOVPUB_WECHAT_POLL_TRIES="2", GOVPUB_LOG_LEVEL="WARNING",
                      GOVPUB_TASKS_IMMEDIATE="1",
                      GOVPUB_ALLOW_PRIVATE_HOSTS="127.0.0.1")  # the fake platform listens on loopback (SSRF guard)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    import contextlib
    import io

    from govpub.web.demo import seed_demo

    with contextlib.redirect_stdout(io.StringIO()):  # the demo's notification e-mails go to the console
        seed_demo()


def make_rows(channel, count: int, tag: str):
    from govpub.content import actions as content_actions
    from govpub.content.models import Item, ItemState
    from govpub.orgs.models import Person, Unit
    from govpub.publishing.models import Publication, PublicationStatus

    editor = Person.objects.get(username="demo-editor")
    site = channel.__class__.objects.get(kind="website")
    item = content_actions.create_item(
        acting_user=editor, unit=Unit.objects.get(name="区党政办公室"), title=f"全区政务公开工作推进会召开{tag}",
        body_html="<p>区党政办公室召开全区政务公开工作推进会，部署下一阶段重点任务。</p>" * 5,
        summary="会议部署下一阶段重点任务。", targets=[f"column:{site.columns.first().pk}"])
    revision = item.current_revision
    Item.objects.filter(pk=item.pk).update(state=ItemState.PUBLISHED, live_revision=revision)
    rows = [Publication(item=item, revision=revision, revision_hash=revision.content_hash,
                        target=f"channel:{channel.pk}:{tag}{i}", channel=channel, published_by=editor,
                        status=PublicationStatus.QUEUED) for i in range(count)]
    return [p.pk for p in Publication.objects.bulk_create(rows, batch_size=500)]


def drain(pub_ids: list[int], workers: int) -> float:
    from django.db import connection

    from govpub.publishing import delivery
    from govpub.publishing.models import Publication, PublicationStatus

    wanted = set(pub_ids)

    def worker():
        try:
            while True:
                ids = [i for i in delivery.due("publish", limit=200) if i in wanted]
                if not ids:
                    if not Publication.objects.filter(pk__in=pub_ids, status__in=[
                            PublicationStatus.QUEUED, PublicationStatus.SENDING]).exists():
                        return
                    time.sleep(0.005)
                    continue
                random.shuffle(ids)
                for pub_id in ids[:50]:
                    delivery.run(pub_id)
        finally:
            connection.close()

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    live = Publication.objects.filter(pk__in=pub_ids, status=PublicationStatus.LIVE).count()
    assert live == len(pub_ids), f"only {live}/{len(pub_ids)} delivered"
    return elapsed


def raw_draft_add(fake, count: int, workers: int) -> float:
    import httpx

    token = _token(fake)
    client = httpx.Client(trust_env=False, timeout=10)
    article = {"title": "全区政务公开工作推进会召开", "digest": "会议部署下一阶段重点任务。", "content": "<p>正文</p>" * 5,
               "thumb_media_id": _thumb(fake, client, token)}

    def one(_):
        data = client.post(f"{fake.url}/cgi-bin/draft/add", params={"access_token": token},
                           json={"articles": [article]}).json()
        assert "media_id" in data, data

    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, range(count)))
    return time.perf_counter() - start


def raw_sequence(fake, count: int, workers: int, tag: str = "") -> float:
    """The connector's platform calls for one publication, without outbox or database."""
    import httpx

    from govpub.publishing.connectors.adapt import default_cover_png

    token = _token(fake)
    client = httpx.Client(trust_env=False, timeout=10)
    png = default_cover_png()

    def one(i):
        q = {"access_token": token}
        thumb = client.post(f"{fake.url}/cgi-bin/material/add_material", params={**q, "type": "image"},
                            files={"media": ("cover.png", png, "image/png")}).json()["media_id"]
        media = client.post(f"{fake.url}/cgi-bin/draft/add", params=q, json={"articles": [{
            "title": "全区政务公开工作推进会召开", "digest": "摘要", "content": "<p>正文</p>" * 5,
            "content_source_url": f"http://127.0.0.1:8000/articles/1/?key=raw{tag}{i}", "thumb_media_id": thumb}]}
        ).json()["media_id"]
        publish_id = client.post(f"{fake.url}/cgi-bin/freepublish/submit", params=q,
                                 json={"media_id": media}).json()["publish_id"]
        assert client.post(f"{fake.url}/cgi-bin/freepublish/get", params=q,
                           json={"publish_id": publish_id}).json()["publish_status"] == 0

    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, range(count)))
    return time.perf_counter() - start


def _token(fake) -> str:
    import httpx

    appid, secret = next(iter(fake.accounts.items()))
    return httpx.post(f"{fake.url}/cgi-bin/stable_token", trust_env=False, json={
        "grant_type": "client_credential", "appid": appid, "secret": secret}).json()["access_token"]


def _thumb(fake, client, token) -> str:
    from govpub.publishing.connectors.adapt import default_cover_png

    return client.post(f"{fake.url}/cgi-bin/material/add_material", params={"access_token": token, "type": "image"},
                       files={"media": ("c.png", default_cover_png(), "image/png")}).json()["media_id"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--failure-rate", type=float, default=0.2)
    args = parser.parse_args()

    drop = None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        os.environ["DATABASE_URL"], drop = fresh_postgres_database(os.environ["DATABASE_URL"], "govpub_bench")
    home = tempfile.mkdtemp(prefix="govpub-bench-delivery-")
    try:
        setup_django(home)
        from django.db import connection

        from govpub.channels.models import Channel, ChannelKind
        from govpub.fakeplatforms import FakeWeChat
        from govpub.orgs.models import Person
        from govpub.publishing.actions import set_credentials
        from govpub.publishing.models import DeliveryAttempt

        channel = Channel.objects.get(kind=ChannelKind.WECHAT, name="临空经济区发布")
        results = {}
        with FakeWeChat(accounts={"wx_bench": "bench-secret"}, seed=5) as fake:
            set_credentials(channel, acting_user=Person.objects.get(username="demo-admin"), app_id="wx_bench",
                            app_secret="bench-secret", api_base=fake.url)
            raw_sequence(fake, 20, args.workers, "warm")  # warm-up (connections, caches)
            results["raw draft/add"] = args.count / raw_draft_add(fake, args.count, args.workers)
            results["raw call sequence"] = args.count / raw_sequence(fake, args.count, args.workers)
            results["outbox, no failures"] = args.count / drain(make_rows(channel, args.count, "a"), args.workers)
            fake.configure(failure_rate=args.failure_rate, fail_codes=[-1, 45009, 45011, "http_502"])
            injected_before = len(fake.injected)
            rows = make_rows(channel, args.count, "b")
            results[f"outbox, {args.failure_rate:.0%} injected failures"] = args.count / drain(rows, args.workers)
            injected = len(fake.injected) - injected_before
            attempts = DeliveryAttempt.objects.filter(publication_id__in=rows).count()
            per_key = {}
            for post in fake.posts:
                if "from=gp" not in post["content_source_url"]:
                    continue  # the baselines' posts
                per_key[post["content_source_url"]] = per_key.get(post["content_source_url"], 0) + 1
            duplicates = sum(n - 1 for n in per_key.values() if n > 1)
        base = results["raw call sequence"]
        print(f"delivery benchmark: {args.count} publications per scenario, {args.workers} workers, "
              f"{connection.vendor}, fake WeChat on 127.0.0.1")
        for name, rate in results.items():
            print(f"  {name:<34} {rate:8.1f} publications/s   ×{rate / base:5.2f} of raw call sequence"
                  f"   ×{rate / results['raw draft/add']:5.2f} of raw draft/add")
        print(f"  failures injected: {injected}; attempts for {args.count} publications: {attempts}; "
              f"duplicate posts: {duplicates}")
        connection.close()
    finally:
        if drop is not None:
            from django.db import connections

            connections.close_all()
            drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
