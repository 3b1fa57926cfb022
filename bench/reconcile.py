"""Account reconciliation benchmark: time per account of `monitor run --accounts`, next to reading the
platform alone, measured in the same run.

* A fresh GOVPUB_HOME (SQLite; or a fresh PostgreSQL database when DATABASE_URL=postgres://… is set) is
  migrated and seeded with the demo district. A: accounts (default 50) are WeChat accounts on one
  FakeWeChat on 127.0.0.1, each with its own AppID and credentials.
* Each account gets P posts (default 200, so 10,000 in all): D of them (default 10) delivered by GovPub
  through the outbox (real publications, real 阅读原文 keys), the rest posted straight in the fake's
  back-end with generated text (random sentences from a phrase list written for this bench, not the
  text engine's data) — the bypass every one of them.
* Timed per account, same fake, same process:
  (1) read alone: the connector's read_posts (freepublish/batchget pages of 20, no database);
  (2) read + reconcile: (1) plus matching every post to its publication (two queries per account);
  (3) the whole check: observe.read_accounts + actions.check_accounts (findings, notifications, audit),
      first run (every finding new) and second run (every finding seen again).

Run:  .venv/bin/python bench/reconcile.py                        (50 accounts × 200 posts)
      .venv/bin/python bench/reconcile.py --accounts 10 --posts 100
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PHRASES = ["社区开展垃圾分类宣传活动", "居民踊跃参与", "街道召开安全生产会议", "部署节前检查",
           "志愿者走访独居老人", "送去米面油", "春耕备耕工作有序推进", "农技人员下田指导", "夜市开业迎客",
           "请市民错峰出行", "周末有小雨", "图书馆延长开放时间", "欢迎转发", "详情见海报"]


def text(rng: random.Random) -> str:
    return "，".join(rng.choice(PHRASES) for _ in range(rng.randint(3, 8))) + "。"


def setup(accounts: int, posts: int, delivered: int):
    from delivery import make_rows, setup_django

    setup_django(tempfile.mkdtemp(prefix="govpub-bench-reconcile-"))
    from django.utils import timezone

    from govpub.channels.models import Channel
    from govpub.fakeplatforms.wechat import FakeWeChat
    from govpub.orgs.models import Person
    from govpub.publishing import delivery
    from govpub.publishing.actions import set_credentials

    appids = {f"wx_bench_{n:03d}": f"secret-{n}" for n in range(accounts)}
    fake = FakeWeChat(accounts=appids, publish_delay=0).start()
    admin = Person.objects.get(username="demo-admin")
    template = Channel.objects.filter(kind="wechat").first()
    channels = []
    for n, (appid, secret) in enumerate(appids.items()):
        channel = Channel.objects.create(kind="wechat", name=f"测试公众号{n:03d}", sponsor_unit=template.sponsor_unit,
                                         operator_unit=template.operator_unit, account_id=appid)
        set_credentials(channel, acting_user=admin, app_id=appid, app_secret=secret, api_base=fake.url)
        channels.append(channel)
    Channel.objects.filter(kind="wechat").exclude(pk__in=[c.pk for c in channels]).update(status="closed")
    # registered a day ago: posts dated in the same second as the registration would count as history
    Channel.objects.filter(pk__in=[c.pk for c in channels]).update(created_at=timezone.now() - dt.timedelta(days=1))
    channels = list(Channel.objects.filter(pk__in=[c.pk for c in channels]).order_by("pk"))
    rng = random.Random(20261204)
    for channel in channels:
        for pub_id in make_rows(channel, delivered, f"-{channel.pk}-"):
            assert delivery.run(pub_id) == "ok"
        for _ in range(posts - delivered):
            body = text(rng)
            fake.post_directly(channel.account_id, title=body[:12], content=body)
    return fake, channels


def per_account(channels, run) -> float:
    start = time.perf_counter()
    for channel in channels:
        run(channel)
    return (time.perf_counter() - start) / len(channels) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=50)
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--delivered", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("GOVPUB_LOG_LEVEL", "WARNING")
    fake, channels = setup(args.accounts, args.posts, args.delivered)

    from govpub.publishing.connectors import connector_for
    from govpub.supervision import monitor
    from govpub.supervision.models import MonitorFinding
    from govpub.supervision.reconcile import reconcile

    limit = args.posts
    assert len(connector_for(channels[0]).read_posts(limit=limit)) == args.posts
    read_ms = per_account(channels, lambda c: connector_for(c).read_posts(limit=limit))
    found = []
    reconcile_ms = per_account(channels, lambda c: found.append(len(reconcile(c, connector_for(c).read_posts(limit=limit)))))
    ids = [c.pk for c in channels]
    with contextlib.redirect_stdout(io.StringIO()):
        start = time.perf_counter()
        monitor.check_accounts_now(channel_ids=ids)
        first_ms = (time.perf_counter() - start) / len(channels) * 1000
        start = time.perf_counter()
        monitor.check_accounts_now(channel_ids=ids)
        second_ms = (time.perf_counter() - start) / len(channels) * 1000
    unreviewed = MonitorFinding.objects.filter(channel_id__in=ids, kind="unreviewed_post", resolved_at__isnull=True).count()
    expected = args.accounts * (args.posts - args.delivered)
    fake.stop()
    print(f"{args.accounts} accounts × {args.posts} posts ({args.delivered} delivered by GovPub each), "
          f"database {'PostgreSQL' if os.environ.get('DATABASE_URL', '').startswith('postgres') else 'SQLite'}")
    print(f"  read alone                  {read_ms:8.1f} ms/account  (×1.00)")
    print(f"  read + reconcile            {reconcile_ms:8.1f} ms/account  (×{reconcile_ms / read_ms:.2f})")
    print(f"  whole check, first run      {first_ms:8.1f} ms/account  (×{first_ms / read_ms:.2f})")
    print(f"  whole check, second run     {second_ms:8.1f} ms/account  (×{second_ms / read_ms:.2f})")
    print(f"  未经审核发布 found: {sum(found)} by reconcile, {unreviewed} open findings; expected {expected}")
    assert sum(found) == expected == unreviewed, "every bypass post is found, no delivered one"


if __name__ == "__main__":
    main()
