"""Public website benchmark: requests/s and p95 latency of the home, column, article and search pages
with N published items, each next to a baseline served by the same server in the same run.

* A fresh GOVPUB_HOME (and, with DATABASE_URL=postgres://…, a fresh PostgreSQL database next to the
  one named, dropped afterwards) is migrated and seeded with the demo district.
* N published items (item + revision + live website publication + list row + search catalogue row) are inserted
  with bulk_create — a benchmark fixture, not the publishing path. Bodies are built from sentences of
  official prose; each sentence is segmented by jieba once (jieba segments punctuation-separated
  blocks independently, so the catalogue text is what govpub.portal.search would produce).
* A real server process (`govpub serve --no-worker`, waitress, 8 threads) on 127.0.0.1 answers a
  bounded number of requests from a thread pool. Baseline: a static file (portal.css, whitenoise)
  through the same server. Ratios: page req/s ÷ baseline req/s, page p95 ÷ baseline p95.

Run:  .venv/bin/python bench/portal.py                      (SQLite, 5,000 items: a quick run)
      .venv/bin/python bench/portal.py --items 100000       (the figure the issue asks for)
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/portal.py --items 100000

Measured 2026-11-26 with --items 100000 (400 requests per page, 4 client threads; 2 cores shared with
other jobs, so expect ±20%). Search queries are common words that match 35–45% of this corpus, the
worst case for ranking; the count stops at 2,000 and relevance ranks the newest 500 matches.

  SQLite        req/s  p50 ms  p95 ms  req/s ÷ base  p95 ÷ base
  static file  2424.4     1.1     4.2         1.000         1.0
  home           47.9    70.6   148.7         0.020        35.7
  column         49.9    72.3   140.4         0.021        33.7
  article       143.7    27.5    40.2         0.059         9.7
  search        118.3    32.6    51.6         0.049        12.4

  PostgreSQL    req/s  p50 ms  p95 ms  req/s ÷ base  p95 ÷ base
  static file  2702.8     0.9     4.5         1.000         1.0
  home           46.7    82.9   127.0         0.017        28.2
  column         63.2    60.5    93.4         0.023        20.8
  article       126.2    28.5    48.6         0.047        10.8
  search         49.4    77.2   112.6         0.018        25.0
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govpub.ops.scratch import free_port, fresh_postgres_database  # noqa: E402

SENTENCES = [
    "临空经济区召开专题会议，研究部署下一阶段重点工作。",
    "会议强调，要坚持把招商引资和项目建设作为经济工作的重要抓手。",
    "各部门要强化要素保障，持续优化营商环境，推动签约项目早开工、早投产。",
    "航空物流、电子信息等产业链项目加快集聚，发展动能不断增强。",
    "区卫生健康局组织医务人员走进社区开展义诊活动，为居民提供健康咨询服务。",
    "燕矶镇组织机关干部和志愿者开展植树造林活动，助力长江大保护。",
    "杨叶镇以村庄清洁行动为抓手，持续改善农村人居环境。",
    "区财政局通报预算执行情况，要求提高财政资金使用效益。",
    "检查组深入建筑工地和物流仓储企业，重点检查消防设施和用电安全。",
    "各单位要严格落实先审查、后公开和谁公开、谁审核的要求。",
    "区政务公开办将加强日常监测和督促指导，推动各项任务落实落地。",
    "新庙镇完成农村公路提档升级工程，群众出行更加便捷。",
    "沙窝乡开展防汛应急演练，提升基层应急处置能力。",
    "区市场监督管理分局开展食品安全专项检查，守护群众舌尖上的安全。",
    "区住房和城乡建设局推进老旧小区改造，惠及居民两千余户。",
    "区自然资源和规划局加强耕地保护，严格落实耕地占补平衡制度。",
]
TITLES = ["临空经济区召开{}专题会议", "关于做好{}工作的通知", "{}工作取得阶段性成效", "区直部门扎实推进{}",
          "乡镇{}工作动态", "关于印发{}实施方案的通知"]
TOPICS = ["招商引资", "安全生产", "政务公开", "乡村振兴", "营商环境", "卫生健康", "财政预算", "生态环境"]
# Search queries: common words (many matches, ranking cost) and rarer ones.
QUERIES = ["招商引资", "营商环境", "长江大保护", "食品安全", "耕地保护 占补平衡", "政务公开", "义诊"]


def populate(n_items: int, body_repeat: int = 1) -> list[int]:
    """Migrate, seed the demo district, bulk-insert n published items and their catalogue rows (each body its six
    sentences, `body_repeat` times over)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from govpub.channels.models import Channel, ChannelKind
    from govpub.content.models import Item, ItemState, Revision
    from govpub.orgs.models import Person, Unit
    from govpub.portal.listing import list_keys
    from govpub.portal.models import Listing, SearchDocument
    from govpub.portal.search import segment_for_index
    from govpub.publishing.models import Publication, PublicationStatus
    from govpub.web.demo import seed_demo

    call_command("migrate", verbosity=0)
    seed_demo()
    site = Channel.objects.get(kind=ChannelKind.WEBSITE)
    columns = [c for c in site.columns.all() if not c.children.exists()]
    parents = dict(site.columns.values_list("id", "parent_id"))
    editor = Person.objects.get(username="demo-editor")
    unit = Unit.objects.get(name="区党政办公室")
    segmented = {s: segment_for_index(s) for s in SENTENCES}
    rng = random.Random(42)
    now = timezone.now()
    batch = 2000
    ids = []
    for start in range(0, n_items, batch):
        size = min(batch, n_items - start)
        with transaction.atomic():
            items = Item.objects.bulk_create(
                [Item(unit=unit, author=editor, state=ItemState.PUBLISHED) for _ in range(size)])
            revisions, docs, pubs = [], [], []
            for offset, item in enumerate(items):
                number = start + offset
                topic = TOPICS[number % len(TOPICS)]
                title = rng.choice(TITLES).format(topic) + f"（{number + 1}）"
                chosen = rng.sample(SENTENCES, 6)
                column = columns[number % len(columns)]
                live_at = now - dt.timedelta(minutes=n_items - number)
                revisions.append(Revision(
                    item=item, number=1, content_hash=f"{number:064x}", title=title,
                    body_html="".join(f"<p>{s}</p>" for s in chosen) * body_repeat, targets=[f"column:{column.pk}"],
                    created_by=editor, index_no=f"BENCH-{number:08d}", issuing_org=unit.name, topic=topic))
                docs.append((item, title, chosen, column, live_at))
            revisions = Revision.objects.bulk_create(revisions)
            for revision, (item, title, chosen, column, live_at) in zip(revisions, docs):
                pubs.append(Publication(
                    item=item, revision=revision, revision_hash=revision.content_hash, target=f"column:{column.pk}",
                    channel=site, column=column, status=PublicationStatus.LIVE, url=f"/articles/{item.pk}/",
                    published_by=editor, live_at=live_at))
            Publication.objects.bulk_create(pubs)
            dated = {item.pk: live_at for item, _title, _chosen, _column, live_at in docs}
            Listing.objects.bulk_create([
                Listing(publication_id=pk, item_id=item_id, column_id=key, published_at=dated[item_id])
                for pk, item_id, column_id in Publication.objects.filter(item_id__in=dated)
                .values_list("id", "item_id", "column_id") for key in list_keys([column_id], parents)])
            SearchDocument.objects.bulk_create([
                SearchDocument(item=item, title=title, text="".join(chosen), column=column, published_at=live_at,
                               segmented=" ".join([segment_for_index(title)] + [segmented[s] for s in chosen]))
                for item, title, chosen, column, live_at in docs])
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE content_item SET current_revision_id = r.id, live_revision_id = r.id "
                    "FROM content_revision r WHERE r.item_id = content_item.id AND content_item.id BETWEEN %s AND %s",
                    [items[0].pk, items[-1].pk])
            ids += [i.pk for i in items]
        if sys.stdout.isatty():
            print(f"\r  inserted {start + size:,}/{n_items:,} items", end="", flush=True)
    print(f"\r  inserted {n_items:,} items")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO portal_search_fts(portal_search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    connection.close()
    return ids


def run_load(base: str, paths: list[str], requests: int, concurrency: int) -> dict:
    """`requests` GETs spread over `paths`, `concurrency` keep-alive connections; status must be 200."""
    host, port = urlsplit(base).hostname, urlsplit(base).port
    # Each worker cycles through the paths from its own offset; `requests` in all.
    plan = [[paths[(w + j * concurrency) % len(paths)] for j in range(requests // concurrency)]
            for w in range(concurrency)]

    def work(chunk):
        conn = http.client.HTTPConnection(host, port, timeout=60)
        latencies = []
        for path in chunk:
            started = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            latencies.append(time.perf_counter() - started)
            if response.status != 200:
                raise RuntimeError(f"{path} → {response.status}")
        conn.close()
        return latencies

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = [lat for chunk in pool.map(work, plan) for lat in chunk]
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {"n": len(latencies), "rps": len(latencies) / elapsed,
            "p50": statistics.median(latencies) * 1000,
            "p95": latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=5000, help="published items to insert (default 5,000; "
                                                                "the issue's figure: 100,000)")
    parser.add_argument("--requests", type=int, default=400, help="requests per page type (default 400)")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--keep", action="store_true", help="keep the data (GOVPUB_HOME, database) for inspection")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="govpub-bench-portal-"))
    env = {**os.environ, "GOVPUB_HOME": str(home), "DJANGO_SETTINGS_MODULE": "govpub.settings",
           "GOVPUB_QUEUE_NAME": f"govpub-bench-{uuid.uuid4().hex[:6]}", "GOVPUB_LOG_LEVEL": "WARNING",
           "GOVPUB_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
           "GOVPUB_RATE_LIMITS": "off"}  # the search rate limit would answer most of the load with 429
    drop = None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"], drop = fresh_postgres_database(os.environ["DATABASE_URL"], "govpub_bench")
    os.environ.update(env)
    database = "PostgreSQL" if drop else "SQLite"
    server = None
    try:
        print(f"GovPub portal benchmark — {database}, {args.items:,} published items, "
              f"{args.requests} requests per page, {args.concurrency} client threads")
        started = time.perf_counter()
        ids = populate(args.items)
        print(f"  fixture ready in {time.perf_counter() - started:.1f} s")

        port = free_port()
        log = open(home / "server.log", "w")
        server = subprocess.Popen([sys.executable, "-m", "govpub", "serve", "--no-worker", "--port", str(port)],
                                  env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"server did not start:\n{(home / 'server.log').read_text()}")
                time.sleep(0.3)
        base = f"http://127.0.0.1:{port}"
        rng = random.Random(7)
        pages = {
            "baseline: static file": ["/static/govpub/portal.css"],
            "home /": ["/"],
            "column /columns/gzdt/": ["/columns/gzdt/", "/columns/gzdt/?page=50", "/columns/zfxxgk/"],
            "article /articles/<id>/": [f"/articles/{i}/" for i in rng.sample(ids, min(len(ids), 500))],
            "search /search/?q=": [f"/search/?q={quote(q)}" for q in QUERIES],
        }
        for paths in pages.values():  # warm-up: jieba's dictionary, caches, connections
            run_load(base, paths, min(40, args.requests), args.concurrency)
        results = {name: run_load(base, paths, args.requests, args.concurrency) for name, paths in pages.items()}
        baseline = results["baseline: static file"]
        print(f"\n{'page':<28}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'req/s ÷ base':>14}{'p95 ÷ base':>12}")
        for name, r in results.items():
            print(f"{name:<28}{r['rps']:>9.1f}{r['p50']:>9.1f}{r['p95']:>9.1f}"
                  f"{r['rps'] / baseline['rps']:>14.3f}{r['p95'] / baseline['p95']:>12.1f}")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        if args.keep:
            print(f"kept: GOVPUB_HOME={home}" + (f" DATABASE_URL={env['DATABASE_URL']}" if drop else ""))
        elif drop:
            from django.db import connections

            connections.close_all()
            drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
