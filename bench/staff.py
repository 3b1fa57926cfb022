"""Staff pages at scale: server time (p50/p95) of the pages civil servants open every day, with N published
items, next to a static file served through the same Django stack in the same run.

* A fresh GOVPUB_HOME (and, with DATABASE_URL=postgres://…, a fresh PostgreSQL database, dropped afterwards)
  seeded like bench/portal.py (the demo district + N published items with their list and catalogue rows),
  each body about 3.5 KB, as real articles are.
* Requests go through django.test.Client in this process (the whole middleware stack, no socket), signed in
  as the demo editor and the demo supervisor: the figure is the server's own time per page.

Run:  .venv/bin/python bench/staff.py                     (SQLite, 5,000 items: a quick run)
      .venv/bin/python bench/staff.py --items 100000      (the issue's figure)
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/staff.py --items 100000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "tests")]

from govpub.ops.scratch import fresh_postgres_database  # noqa: E402

PAGES = {  # page → (who opens it, paths)
    "baseline: static file": ("demo-editor", ["/static/govpub/app.css"]),
    "稿件 /staff/items/": ("demo-editor", ["/staff/items/", "/staff/items/?page=20", "/staff/items/?state=published"]),
    "稿件搜索 /staff/items/?q=": ("demo-editor", ["/staff/items/?q=工作", "/staff/items/?q=安全生产"]),
    "发布 /staff/publishing/": ("demo-editor", ["/staff/publishing/", "/staff/publishing/?page=30"]),
    "待办 /staff/": ("demo-editor", ["/staff/"]),
    "稿件页 /staff/items/<id>/": ("demo-editor", None),
    "监管首页 /staff/ (政务公开办)": ("demo-supervisor", ["/staff/"]),
    "考核 assessment": ("demo-supervisor", ["/staff/supervision/assessment/"]),
}


def client_for(username):
    from django.test import Client

    from govpub.orgs.models import Person
    from support.twofactor import pass_second_factor

    client = Client()
    person = Person.objects.get(username=username)
    client.force_login(person)
    pass_second_factor(client, person)
    return client


def measure(client, paths, requests) -> dict:
    times = []
    for i in range(requests):
        path = paths[i % len(paths)]
        started = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code} {response.get('Location', '')}")
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times.append(elapsed)
    times.sort()
    return {"p50": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1], "n": len(times)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=60, help="requests per page (default 60)")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="govpub-bench-staff-"))
    env = {"GOVPUB_HOME": str(home), "DJANGO_SETTINGS_MODULE": "govpub.settings", "GOVPUB_LOG_LEVEL": "WARNING",
           "GOVPUB_QUEUE_NAME": f"govpub-bench-{uuid.uuid4().hex[:6]}", "GOVPUB_RATE_LIMITS": "off",
           "GOVPUB_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    drop = None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"], drop = fresh_postgres_database(os.environ["DATABASE_URL"], "govpub_bench_staff")
    os.environ.update(env)
    from portal import populate  # bench/portal.py's fixture

    try:
        print(f"GovPub staff pages — {'PostgreSQL' if drop else 'SQLite'}, {args.items:,} published items, "
              f"{args.requests} requests per page, one client (server time)")
        started = time.perf_counter()
        ids = populate(args.items, body_repeat=4)  # ~3.5 KB of UTF-8, what a real article weighs
        print(f"  fixture ready in {time.perf_counter() - started:.1f} s")
        PAGES["稿件页 /staff/items/<id>/"] = ("demo-editor", [f"/staff/items/{i}/" for i in ids[-50:]])
        clients = {}
        results = {}
        for name, (who, paths) in PAGES.items():
            if who not in clients:  # one sign-in per person: a second one would replace the first's session
                clients[who] = client_for(who)
            client = clients[who]
            measure(client, paths, 5)  # warm-up
            results[name] = measure(client, paths, args.requests)
        base = results["baseline: static file"]
        print(f"\n{'page':<34}{'p50 ms':>9}{'p95 ms':>9}{'p95 ÷ base':>12}")
        for name, r in results.items():
            print(f"{name:<34}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p95'] / base['p95']:>12.1f}")
    finally:
        if drop:
            from django.db import connections

            connections.close_all()
            drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
