"""Availability table benchmark: the weekly 站点无法访问 figures (supervision/uptime.py) for many websites
over a quarter, next to the obvious per-channel-per-week counting measured in the same run.

* A fresh GOVPUB_HOME (SQLite; or a fresh PostgreSQL database when DATABASE_URL=postgres://… is set),
  migrated and seeded with the demo district, plus S website channels (default 100).
* Each gets a quarter (13 weeks) of probes every 30 minutes (336 a week, 4,368 a quarter; 436,800 for
  100 sites), failures drawn at random (seed 20261204; about one site in ten has one bad week).
* Timed: (1) uptime.weekly for all sites at once (one grouped query); (2) the baseline: two COUNT queries
  per site and week (what a first version would write); both give the same table (checked).
* Also the monitoring page's own table (channel_table, 4 weeks) and the query counts.

Run:  .venv/bin/python bench/uptime.py               (100 sites, SQLite)
      .venv/bin/python bench/uptime.py --sites 20
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/uptime.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

WEEKS = 13


def setup(sites: int):
    from delivery import setup_django

    setup_django(tempfile.mkdtemp(prefix="govpub-bench-uptime-"))
    from django.utils import timezone

    from govpub.channels.models import Channel
    from govpub.supervision.models import Probe

    template = Channel.objects.filter(kind="website").first()
    channels = [Channel.objects.create(kind="website", name=f"测试网站{n:03d}", sponsor_unit=template.sponsor_unit,
                                       operator_unit=template.operator_unit, url=f"https://site{n}.example.gov.cn/")
                for n in range(sites)]
    rng = random.Random(20261204)
    today = timezone.localdate()
    start = today - dt.timedelta(days=today.weekday() + 7 * (WEEKS - 1))
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    for channel in channels:
        bad_week = rng.randrange(WEEKS) if rng.random() < 0.1 else None
        rows = []
        for slot in range(WEEKS * 336):
            at = first + dt.timedelta(minutes=30 * slot)
            if at > timezone.now():
                break
            failing = rng.random() < (0.08 if slot // 336 == bad_week else 0.005)
            rows.append(Probe(channel=channel, at=at, ok=not failing, status=None if failing else 200,
                              elapsed_ms=900 if not failing else None))
        Probe.objects.bulk_create(rows, batch_size=5000)
    return channels, start, today


def baseline(channels, start, today):
    """Two COUNT queries per site and week."""
    from django.db.models import Q
    from django.utils import timezone

    from govpub.supervision import uptime
    from govpub.supervision.models import Probe

    out = {}
    for channel in channels:
        weeks = []
        for monday in uptime.week_starts(start, today):
            since = timezone.make_aware(dt.datetime.combine(monday, dt.time.min))
            probes = Probe.objects.filter(channel=channel, at__gte=since, at__lt=since + dt.timedelta(days=7))
            weeks.append(uptime.Week(monday, probes.count(), probes.filter(Q(ok=False) | Q(elapsed_ms__gt=15000)).count()))
        out[channel.pk] = weeks
    return out


def timed(run, repeat=3):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    best, result, queries = None, None, 0
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            result = run()
            seconds = time.perf_counter() - began
        best = seconds if best is None else min(best, seconds)
        queries = len(captured)
    return best, result, queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=100)
    args = parser.parse_args()
    drop = None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        from govpub.ops.scratch import fresh_postgres_database

        os.environ["DATABASE_URL"], drop = fresh_postgres_database(os.environ["DATABASE_URL"], "govpub_bench_uptime")
    try:
        run(args)
    finally:
        if drop is not None:
            from django.db import connections

            connections.close_all()
            drop()


def run(args) -> None:
    began = time.perf_counter()
    channels, start, today = setup(args.sites)
    from django.db import connection

    from govpub.supervision import uptime
    from govpub.supervision.indicators import default_config
    from govpub.supervision.models import Probe

    probes = Probe.objects.count()
    print(f"{len(channels)} sites, {probes:,} probes over {WEEKS} weeks ({connection.vendor}); "
          f"set up in {time.perf_counter() - began:.1f} s")
    ids = [c.pk for c in channels]
    grouped_s, grouped, grouped_q = timed(lambda: uptime.weekly(ids, start, today))
    base_s, base, base_q = timed(lambda: baseline(channels, start, today), repeat=1)
    same = all([(w.probes, w.failed) for w in grouped[pk]] == [(w.probes, w.failed) for w in base[pk]] for pk in ids)
    vetoed = sum(1 for pk in ids if uptime.unreachable_weeks(grouped[pk]))
    print(f"  baseline (COUNT per site and week)  {base_s * 1000:8.1f} ms  {base_q:5d} queries   ×1.00")
    print(f"  uptime.weekly (one grouped query)   {grouped_s * 1000:8.1f} ms  {grouped_q:5d} queries   "
          f"×{grouped_s / base_s:.2f}   same table: {same}")
    page_s, rows, page_q = timed(lambda: uptime.channel_table(default_config(), today))
    print(f"  monitoring page table (4 weeks)     {page_s * 1000:8.1f} ms  {page_q:5d} queries   ({len(rows)} rows)")
    print(f"  sites with an unreachable week: {vetoed}")


if __name__ == "__main__":
    main()
