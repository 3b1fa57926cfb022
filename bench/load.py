"""Load benchmark (locust): 50 concurrent staff users and public visitors against PostgreSQL with
100,000 items and 200 units; throughput and p50/p95 per page, next to a static-file baseline from the
same run; no errors allowed.

* A fresh PostgreSQL database (govpub.ops.scratch, next to DATABASE_URL or postgres://postgres@127.0.0.1/,
  dropped afterwards unless --keep) is seeded with bench/portal.py's fixture (the demo district + N
  published items with their search catalogue), topped up to 200 units; the items are spread over them.
* Staff: dedicated bench users (half 经办人 doing 初审, half 承办机构负责人 doing 复审, in 25 units), each with
  a queue of submitted items made through the real actions (create_item, submit_for_review). Each logs in
  once (the real login form), then: the to-do list (/staff/), an item page from it, and a review decision
  (the real 第八条 checklist form, approve) on an item waiting for them.
* Public visitors: home, a column page, an article, a search; plus a static file (portal.css through
  whitenoise), the baseline: ratios are page p50/p95 ÷ static p50/p95.
* Server: gunicorn (govpub.wsgi, gthread workers) on 127.0.0.1; Redis for the queue and cache (fresh names).
  The bench turns off what would refuse a load generator on one address and is not under test here:
  GOVPUB_RATE_LIMITS=off, GOVPUB_SINGLE_SESSION=off, GOVPUB_2FA_REQUIRED_ROLES= (nobody must give a TOTP
  code; the bench users have no second factor).

Run:  .venv/bin/python bench/load.py                              (100,000 items, 50 staff, 50 visitors, 120 s)
      .venv/bin/python bench/load.py --items 5000 --seconds 30    (a quick run)
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNITS = 200
PASSWORD = "Bench-Passw0rd-2026"
SEARCHES = ["招商引资", "营商环境", "长江大保护", "食品安全", "政务公开", "义诊"]
BENCH_ENV = {"GOVPUB_RATE_LIMITS": "off", "GOVPUB_SINGLE_SESSION": "off", "GOVPUB_2FA_REQUIRED_ROLES": "",
             "GOVPUB_LOG_LEVEL": "WARNING", "GOVPUB_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}


# --- locust users (this file is also the locustfile) ----------------------------------------------
try:
    from locust import HttpUser, between, task
except ImportError:  # only the locust subprocess needs them
    HttpUser = None

if HttpUser is not None and os.environ.get("BENCH_PLAN"):
    PLAN = json.loads(Path(os.environ["BENCH_PLAN"]).read_text())
    STAFF = list(PLAN["staff"])
    ITEM_LINK = re.compile(r'href="/staff/items/(\d+)/"')
    HASH = re.compile(r'name="revision_hash" value="([0-9a-f]+)"')

    class StaffUser(HttpUser):
        fixed_count = int(os.environ.get("BENCH_STAFF", "50"))
        wait_time = between(1, 3)

        def on_start(self):
            self.me = STAFF.pop(0)
            self.todo: list[int] = []
            page = self.client.get("/accounts/login/", name="staff: login page")
            with self.client.post("/accounts/login/", name="staff: log in", allow_redirects=False,
                                  catch_response=True,
                                  data={"username": self.me["username"], "password": PASSWORD,
                                        "csrfmiddlewaretoken": page.cookies.get("csrftoken")
                                        or self.client.cookies.get("csrftoken")}) as response:
                if response.status_code != 302:
                    response.failure(f"login refused: HTTP {response.status_code}")

        @task(3)
        def todo_list(self):
            with self.client.get("/staff/", name="staff: to-do list", catch_response=True) as response:
                if response.status_code == 200 and "待办" not in response.text:
                    response.failure("not the to-do list (not logged in?)")
                self.todo = [int(i) for i in ITEM_LINK.findall(response.text)]

        @task(3)
        def item_page(self):
            item = random.choice(self.todo or self.me["items"])
            self.client.get(f"/staff/items/{item}/", name="staff: item page")

        @task(1)
        def decide(self):
            for item in self.todo:
                page = self.client.get(f"/staff/items/{item}/", name="staff: item page")
                found = HASH.search(page.text)
                if not found:
                    continue
                answers = {f"c_{key}": "yes" for key in PLAN["checklist"]}
                answers.update(revision_hash=found.group(1), confidentiality="yes", proofread="yes",
                               decision="approve", comment="同意",
                               csrfmiddlewaretoken=self.client.cookies.get("csrftoken"))
                with self.client.post(f"/staff/items/{item}/decide/", data=answers, name="staff: review decision",
                                      allow_redirects=False, catch_response=True) as response:
                    if response.status_code != 302:
                        response.failure(f"decision not saved: HTTP {response.status_code}")
                self.todo.remove(item)
                return

    class PublicVisitor(HttpUser):
        fixed_count = int(os.environ.get("BENCH_VISITORS", "50"))
        wait_time = between(1, 3)

        @task(2)
        def home(self):
            self.client.get("/", name="public: home")

        @task(2)
        def column(self):
            self.client.get(f"/columns/{random.choice(PLAN['columns'])}/?page={random.randint(1, PLAN['pages'])}",
                            name="public: column")

        @task(4)
        def article(self):
            self.client.get(f"/articles/{random.choice(PLAN['articles'])}/", name="public: article")

        @task(1)
        def search(self):
            self.client.get("/search/", params={"q": random.choice(SEARCHES)}, name="public: search")

        @task(2)
        def static(self):
            self.client.get("/static/govpub/portal.css", name="baseline: static file")


# --- fixture --------------------------------------------------------------------------------------
def seed(n_items: int, staff: int, per_user: int) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    from portal import populate  # the public-site fixture: demo district + n published items + catalogue

    started = time.perf_counter()
    article_ids = populate(n_items)
    from django.db import connection
    from django.utils import timezone

    from govpub.channels.models import Channel, ChannelKind, ContentListEntry
    from govpub.content import actions as content_actions
    from govpub.orgs.models import Person, Role, RoleAssignment, Unit, UnitKind
    from govpub.review import actions as review_actions
    from govpub.review.evidence import acknowledged
    from govpub.review.models import CHECKLIST_KEYS

    have = Unit.objects.count()
    Unit.objects.bulk_create([Unit(name=f"基准测试单位{n:03d}", short_name=f"测试{n:03d}", kind=UnitKind.DEPARTMENT,
                                   has_confidentiality_review=True) for n in range(have, UNITS)])
    units = list(Unit.objects.exclude(kind=UnitKind.OPEN_OFFICE).order_by("pk").values_list("pk", flat=True))
    with connection.cursor() as cursor:  # spread the archive over every unit
        cursor.execute("UPDATE content_item SET unit_id = (%s::bigint[])[content_item.id %% %s + 1]",
                       [units, len(units)])
    print(f"  fixture: {n_items:,} items over {Unit.objects.count()} units in {time.perf_counter() - started:.0f} s",
          flush=True)

    started = time.perf_counter()
    column = Channel.objects.get(kind=ChannelKind.WEBSITE).columns.get(slug="gzdt")
    bench_units = list(Unit.objects.filter(name__startswith="基准测试单位").order_by("pk")[:max(1, staff // 2)])
    now, plan = timezone.now(), []
    people = []
    for number, unit in enumerate(bench_units):
        for role, name in ((Role.EDITOR, "editor"), (Role.OFFICE_HEAD, "head"), (Role.EDITOR, "author")):
            person = Person(username=f"bench-{name}-{number:02d}", full_name=f"测试{name}{number:02d}",
                            password_changed_at=now, must_change_password=False)
            person.set_password(PASSWORD)
            person.save()
            RoleAssignment.objects.create(person=person, unit=unit, role=role)
            people.append((number, name, person, unit))
    by = {(n, name): p for n, name, p, _ in people}
    ContentListEntry.objects.bulk_create([  # each bench unit answers for 工作动态 (谁公开、谁审核)
        ContentListEntry(channel=column.channel, column=column, category="工作动态", responsible_unit=unit)
        for unit in bench_units])
    for number, unit in enumerate(bench_units):
        author, editor = by[(number, "author")], by[(number, "editor")]
        made = []
        for k in range(per_user * 2):
            item = content_actions.create_item(
                acting_user=author, unit=unit, title=f"{unit.short_name}关于做好第{k + 1}项重点工作的通知",
                body_html="<p>各单位要严格落实先审查、后公开的要求，确保发布信息准确权威。</p>"
                          "<p>区政务公开办将加强日常监测和督促指导，推动各项任务落实落地。</p>",
                targets=[f"column:{column.pk}"])
            review_actions.submit_for_review(item, acting_user=author)
            made.append(item)
        for item in made[per_user:]:  # already past 初审: the office head's queue
            item.refresh_from_db()
            review_actions.record_decision(
                item, acting_user=editor, revision_hash=item.current_revision.content_hash, decision="approve",
                checklist={k: True for k in CHECKLIST_KEYS}, confidentiality_ok=True, proofread_ok=True,
                comment="同意", point_notes=acknowledged(item.current_revision))
        for name in ("editor", "head"):
            plan.append({"username": by[(number, name)].username, "items": [i.pk for i in made]})
    print(f"  staff: {len(plan)} bench users in {len(bench_units)} units, {per_user * 2 * len(bench_units)} "
          f"submitted items in their queues ({time.perf_counter() - started:.0f} s)", flush=True)
    rng = random.Random(3)
    slugs = [c.slug for c in column.channel.columns.filter(is_active=True, children__isnull=True)]
    connection.close()
    return {"staff": plan, "checklist": list(CHECKLIST_KEYS), "columns": slugs,
            "pages": max(1, min(50, n_items // max(len(slugs), 1) // 40)),
            "articles": rng.sample(article_ids, min(2000, len(article_ids)))}


def start_server(env: dict, home: Path, workers: int) -> tuple[subprocess.Popen, str]:
    from govpub.ops.scratch import free_port

    port = free_port()
    log = open(home / "server.log", "w")
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "govpub.wsgi:application",
                               "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "gthread",
                               "--threads", "4", "--timeout", "60",
                               # longer than the clients' think time: an idle keep-alive connection closed by the
                               # server just as the client reuses it shows up as a reset, not as a slow page
                               "--keep-alive", "15"],
                              env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server, f"http://127.0.0.1:{port}"
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"server did not start:\n{(home / 'server.log').read_text()}")
            time.sleep(0.3)


def warm_up(base: str, plan: dict, workers: int) -> None:
    """Every server process loads its code, jieba's dictionary and its connections before anything is timed."""
    from concurrent.futures import ThreadPoolExecutor
    from urllib.parse import quote
    from urllib.request import urlopen

    paths = ["/", f"/columns/{plan['columns'][0]}/", f"/articles/{plan['articles'][0]}/",
             f"/search/?q={quote(SEARCHES[0])}", "/static/govpub/portal.css", "/accounts/login/"]

    def fetch(path):
        with urlopen(base + path, timeout=120) as response:
            response.read()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(fetch, paths * workers * 4))


def report(stats_csv: Path) -> bool:
    rows = {r["Name"]: r for r in csv.DictReader(stats_csv.open()) if r["Name"] != "Aggregated"}
    base = rows.get("baseline: static file")
    order = ["baseline: static file", "staff: to-do list", "staff: item page", "staff: review decision",
             "public: home", "public: column", "public: article", "public: search", "staff: login page", "staff: log in"]
    print(f"\n{'page':<26}{'requests':>9}{'failures':>9}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}"
          f"{'p50 ÷ base':>11}{'p95 ÷ base':>11}")
    failures = 0
    for name in order + sorted(set(rows) - set(order)):
        r = rows.get(name)
        if r is None:
            continue
        failures += int(r["Failure Count"])
        p50, p95 = float(r["50%"]), float(r["95%"])
        ratios = (f"{p50 / max(float(base['50%']), 1):>11.1f}{p95 / max(float(base['95%']), 1):>11.1f}"
                  if base else "")
        print(f"{name:<26}{int(r['Request Count']):>9}{int(r['Failure Count']):>9}{float(r['Requests/s']):>8.1f}"
              f"{p50:>8.0f}{p95:>8.0f}{ratios}")
    total = next(r for r in csv.DictReader(stats_csv.open()) if r["Name"] == "Aggregated")
    print(f"{'all':<26}{int(total['Request Count']):>9}{int(total['Failure Count']):>9}"
          f"{float(total['Requests/s']):>8.1f}{float(total['50%']):>8.0f}{float(total['95%']):>8.0f}")
    return failures == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000, help="published items (default 100,000)")
    parser.add_argument("--users", type=int, default=50, help="concurrent staff users (default 50)")
    parser.add_argument("--visitors", type=int, default=50, help="concurrent public visitors (default 50)")
    parser.add_argument("--seconds", type=int, default=120, help="duration of the load (default 120)")
    parser.add_argument("--server-workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--keep", action="store_true", help="keep the database and GOVPUB_HOME")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from govpub.ops.scratch import fresh_postgres_database

    base_url = os.environ.get("DATABASE_URL", "")
    database_url, drop = fresh_postgres_database(
        base_url if base_url.startswith("postgres") else "postgres://postgres@127.0.0.1:5432/postgres", "govpub_load")
    home = Path(tempfile.mkdtemp(prefix="govpub-bench-load-"))
    env = {**os.environ, **BENCH_ENV, "DATABASE_URL": database_url, "GOVPUB_HOME": str(home),
           "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
           "GOVPUB_QUEUE_NAME": f"govpub-load-{uuid.uuid4().hex[:8]}", "DJANGO_SETTINGS_MODULE": "govpub.settings"}
    os.environ.update(env)
    server = None
    try:
        print(f"GovPub load benchmark — PostgreSQL, {args.items:,} items, {UNITS} units; {args.users} staff users + "
              f"{args.visitors} public visitors for {args.seconds} s (locust), gunicorn {args.server_workers}×4 "
              f"threads, {os.cpu_count()} CPU cores", flush=True)
        print("  bench settings: GOVPUB_RATE_LIMITS=off, GOVPUB_SINGLE_SESSION=off, GOVPUB_2FA_REQUIRED_ROLES= "
              "(nobody required to give a TOTP code)", flush=True)
        import django

        django.setup()
        plan = seed(args.items, args.users, per_user=max(4, args.seconds // 10))
        plan_path = home / "plan.json"
        plan_path.write_text(json.dumps(plan))
        server, base = start_server(env, home, args.server_workers)
        warm_up(base, plan, args.server_workers)
        prefix = home / "locust"
        locust = subprocess.run(
            [str(Path(sys.executable).parent / "locust"), "-f", str(Path(__file__).resolve()), "--headless",
             "--host", base, "--users", str(args.users + args.visitors), "--spawn-rate", "20",
             "--run-time", f"{args.seconds}s", "--csv", str(prefix), "--only-summary", "--stop-timeout", "10",
             "--loglevel", "WARNING"],
            env={**env, "BENCH_PLAN": str(plan_path), "BENCH_STAFF": str(args.users),
                 "BENCH_VISITORS": str(args.visitors)}, cwd=ROOT, capture_output=True, text=True)
        if locust.returncode not in (0, 1):  # 1: some request failed (reported below)
            print(locust.stdout[-3000:], locust.stderr[-3000:])
            return 1
        ok = report(Path(f"{prefix}_stats.csv"))
        errors = Path(f"{prefix}_failures.csv").read_text().strip().splitlines()[1:]
        for line in errors[:10]:
            print("  failure:", line)
        print("\nno errors" if ok else "\nERRORS (see above)")
        return 0 if ok else 1
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        try:
            from huey.contrib.djhuey import HUEY

            HUEY.flush()
        except Exception:
            pass
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"kept: GOVPUB_HOME={home} DATABASE_URL={database_url}")
        else:
            import shutil

            drop()
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
