"""Monitors against a generated local site (127.0.0.1): every planted problem found, nothing on a clean copy."""

import datetime as dt
import io
import time
from contextlib import redirect_stdout

import pytest
from django.utils import timezone

from govpub.channels.models import Channel, ContentListEntry
from govpub.supervision import actions
from govpub.supervision.crawler import ColumnSpec, CrawlConfig, column_states, crawl
from govpub.supervision.indicators import collect_facts, default_config
from govpub.supervision.models import MonitorFinding, MonitorRun, Probe
from govpub.supervision.monitor import run_website_monitor
from bench.harness.testsite import COLUMNS, SiteServer, generate_site

PAGES = 100


@pytest.fixture(scope="module")
def planted_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("planted")
    planted = generate_site(root, pages=PAGES)
    with SiteServer(root, slow_paths={"/articles/gzdt/2.html": 0.6}) as server:
        yield server, planted


@pytest.fixture(scope="module")
def clean_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("clean")
    planted = generate_site(root, pages=PAGES, clean=True)
    with SiteServer(root) as server:
        yield server, planted


def _config(server, **kwargs):
    options = dict(allow_private=True, rate_per_host=0, concurrency=4, slow_seconds=3.0,
                   extra_urls=[f"{server.url}columns/{c[0]}/" for c in COLUMNS])
    options.update(kwargs)
    return CrawlConfig(server.url, **options)


def _paths(server, urls):
    return {u.replace(server.url, "/") for u in urls}


def _specs(server):
    return [ColumnSpec(slug, name, f"{server.url}columns/{slug}/", interval) for slug, name, _, interval in COLUMNS]


def test_crawler_finds_every_planted_problem(planted_site):
    server, planted = planted_site
    result = crawl(_config(server, slow_seconds=0.5))
    assert result.page_count >= planted.pages - 5  # every page reachable by links is visited
    assert _paths(server, (b.url for b in result.broken)) == planted.broken
    home_links = {b.url.replace(server.url, "/") for b in result.broken if b.on_home}
    assert home_links == planted.broken_on_home
    missing_pdf = next(b for b in result.broken if b.url.endswith("/files/missing.pdf"))
    assert missing_pdf.status == 404 and missing_pdf.linked_from == [f"{server.url}articles/gzdt/1.html"]
    # robots.txt: /private/ is never fetched, so its (missing) page is not reported either
    assert result.blocked_by_robots == 1 and not any("/private/" in u for u in result.pages)
    today = dt.date.today()
    states = column_states(result, _specs(server), today)
    assert {s.spec.key for s in states if s.empty} == planted.empty
    assert {s.spec.key for s in states if not s.empty and s.stale(today)} == planted.stale
    assert result.home.latest_date(today) == today
    assert _paths(server, (p.url for p in result.slow)) == {"/articles/gzdt/2.html"}


def test_clean_copy_reports_nothing(clean_site):
    server, planted = clean_site
    result = crawl(_config(server))
    today = dt.date.today()
    states = column_states(result, _specs(server), today)
    assert result.broken == [] and result.slow == []
    assert [s for s in states if s.empty or s.stale(today) or not s.reachable] == []
    assert result.page_count >= planted.pages - 5


def test_private_addresses_refused_unless_allowed(clean_site):
    server, _ = clean_site
    result = crawl(CrawlConfig(server.url))  # allow_private defaults to False
    assert result.home.error.startswith("目标为内网或本机地址") and result.page_count == 1
    assert result.refused and result.broken == [] or all(b.status is None for b in result.broken)


def test_rate_limit_and_timeout(tmp_path):
    generate_site(tmp_path, pages=30, clean=True)
    with SiteServer(tmp_path, slow_paths={"/": 0.5}) as server:
        result = crawl(CrawlConfig(server.url, allow_private=True, timeout=0.2))
        assert result.home.status is None and "超时" in result.home.error
    with SiteServer(tmp_path) as server:
        began = time.monotonic()
        result = crawl(CrawlConfig(server.url, allow_private=True, rate_per_host=40, concurrency=8, max_pages=20))
        requests = len(result.pages) + len(result.checked) + 1  # + robots.txt
        assert result.page_count == 20
        assert time.monotonic() - began >= (requests - 1) / 40 * 0.9  # never faster than the per-host rate


@pytest.mark.django_db
def test_monitor_records_deduplicates_and_resolves(website_at, planted_site, clean_site):
    server, planted = planted_site
    site = website_at(server)
    run = run_website_monitor(site, allow_private=True, rate_per_host=0)
    assert run.ok and run.home_last_update == timezone.localdate()
    # 来源不明 articles have their own test (test_unexplained_pages.py): the clean copy has the same articles.
    open_findings = MonitorFinding.objects.filter(channel=site, resolved_at__isnull=True).exclude(
        kind="unexplained_page")
    by_kind = {}
    for finding in open_findings:
        by_kind.setdefault(finding.kind, set()).add(finding.key)
    assert _paths(server, by_kind["broken_link"]) == planted.broken
    assert by_kind["column_empty"] == planted.empty and by_kind["column_stale"] == planted.stale
    assert "home_stale" not in by_kind
    broken = open_findings.get(kind="broken_link", key__endswith="/missing-home.html")
    assert broken.evidence["status"] == 404 and broken.evidence["on_home"] is True
    assert broken.evidence["linked_from"] == [server.url] and broken.seen_count == 1
    stale = open_findings.get(kind="column_stale", key="xzdt")
    assert stale.evidence["days"] == 60 and stale.evidence["interval"] == 14 and stale.column.slug == "xzdt"
    assert Probe.objects.filter(channel=site, ok=True).count() == 1

    again = run_website_monitor(site, allow_private=True, rate_per_host=0)
    assert again.summary["new"] == 0 and again.summary["resolved"] == 0
    assert MonitorFinding.objects.filter(channel=site).exclude(kind="unexplained_page").count() == open_findings.count()
    assert set(MonitorFinding.objects.filter(channel=site).values_list("seen_count", flat=True)) == {2}

    facts = collect_facts(site, timezone.localdate() - dt.timedelta(days=7), timezone.localdate(), default_config())
    assert facts.home_broken_links == 1 and facts.other_broken_links == len(planted.broken) - 1
    assert sorted(facts.empty_columns) == ["政府信息公开年报", "政策解读"]
    assert facts.probes_total == 2 and facts.probes_failed == 0

    clean_server, _ = clean_site
    site = website_at(clean_server)
    fixed = run_website_monitor(site, allow_private=True, rate_per_host=0)
    # New: only the clean copy's own articles (another address), as 来源不明.
    assert fixed.summary["resolved"] == open_findings.count()
    assert fixed.summary["new"] == fixed.summary["unexplained_page"]
    assert not MonitorFinding.objects.filter(channel=site, resolved_at__isnull=True).exclude(
        kind="unexplained_page").exists()


@pytest.mark.django_db
def test_unreachable_site_keeps_earlier_findings(website_at, planted_site, tmp_path):
    server, _ = planted_site
    site = website_at(server)
    run_website_monitor(site, allow_private=True, rate_per_host=0)
    before = MonitorFinding.objects.filter(channel=site, resolved_at__isnull=True).count()
    Channel.objects.filter(pk=site.pk).update(url="http://127.0.0.1:9/")  # discard port: connection refused
    site.refresh_from_db()
    down = run_website_monitor(site, allow_private=True)
    assert not down.ok and Probe.objects.filter(channel=site, ok=False).count() == 1
    open_now = MonitorFinding.objects.filter(channel=site, resolved_at__isnull=True)
    assert open_now.count() == before + 1 and open_now.filter(kind="unreachable").exists()


@pytest.mark.django_db
def test_accounts_silent_for_two_weeks(db):
    runs = actions.check_accounts()
    accounts = Channel.objects.exclude(kind="website").filter(status="running")
    assert len(runs) == accounts.count()
    silent = MonitorFinding.objects.filter(kind="account_silent", resolved_at__isnull=True)
    assert silent.count() == accounts.count() and silent.first().message == "账号从未发布信息"
    actions.check_accounts()
    assert MonitorFinding.objects.filter(kind="account_silent").count() == accounts.count()


@pytest.mark.django_db
def test_cli_task_and_pages(website_at, planted_site, client_for, monkeypatch):
    from govpub import cli
    from govpub.supervision.tasks import monitor_website

    server, planted = planted_site
    site = website_at(server)
    monkeypatch.setenv("GOVPUB_MONITOR_RATE", "0")
    # `manage` closes the database connections when it ends; the test's transaction must survive it.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    output = io.StringIO()
    with redirect_stdout(output):
        assert cli.main(["monitor", "run", "--allow-private", "--channel", str(site.pk)]) == 0
    text = output.getvalue()
    assert f"不可用链接 {len(planted.broken)} 个" in text and "空白栏目 2 个" in text and "未按期更新栏目 2 个" in text

    monkeypatch.setenv("GOVPUB_MONITOR_ALLOW_PRIVATE", "1")
    run_id = monitor_website.call_local(site.pk)
    unexplained = MonitorFinding.objects.filter(channel=site, kind="unexplained_page").count()
    assert MonitorRun.objects.get(pk=run_id).summary["again"] == len(planted.broken) + 4 + unexplained

    supervisor = client_for("demo-supervisor")
    page = supervisor.get("/staff/supervision/monitor/?kind=column_empty").content.decode()
    assert "空白栏目：政策解读" in page and "不可用链接（404）" not in page
    broken_page = supervisor.get("/staff/supervision/monitor/?kind=broken_link").content.decode()
    assert "missing-home.html" in broken_page and f"<code>{server.url}</code>" in broken_page  # linked from home
    assert "各渠道最近一次监测" in page and f"不可用链接 {len(planted.broken)}，空白栏目 2" in page
    finding = MonitorFinding.objects.get(kind="column_stale", key="xzdt")
    form = supervisor.get(f"/staff/supervision/tickets/new/?monitor={finding.pk}").content.decode()
    assert "乡镇动态" in form and "60 天未更新" in form
    response = supervisor.post("/staff/supervision/tickets/new/", {
        "monitor": finding.pk, "channel": site.pk, "title": "乡镇动态栏目未按期更新", "description": "60 天未更新",
        "method": "network", "deadline": timezone.localdate().isoformat()})
    assert response.status_code == 302
    # Routed by the 发布内容清单: the column's responsible unit, not the portal's operator.
    listed = ContentListEntry.objects.get(channel=site, column=finding.column, is_active=True).responsible_unit
    assert finding.tickets.get().unit == listed != site.operator_unit
    assert client_for("yanji-editor").get("/staff/supervision/monitor/").status_code == 403
