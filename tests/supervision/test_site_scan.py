"""Whole-site content scan: a local site of generated pages with planted problems is scanned by
`govpub monitor scan`, every plant is reported at its URL, a clean copy gives nothing serious; a
registered website's crawl records the same as de-duplicated findings and resolves them when gone."""

import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bench.harness.contentsite import PLANTS, generate_content_site
from bench.harness.testsite import SiteServer
from govpub.supervision.markup import inspect
from govpub.supervision.models import MonitorFinding


@pytest.fixture(autouse=True)
def no_external_links(monkeypatch):
    """The plants link to other sites; the tests never try to reach them (and the local site needs no
    politeness delay)."""
    monkeypatch.setenv("GOVPUB_MONITOR_CHECK_EXTERNAL", "0")
    monkeypatch.setenv("GOVPUB_MONITOR_RATE", "0")


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    root = tmp_path_factory.mktemp("content-planted")
    generate_content_site(root, pages=120)
    with SiteServer(root) as server:
        yield server, root


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    root = tmp_path_factory.mktemp("content-clean")
    generate_content_site(root, pages=120, clean=True)
    with SiteServer(root) as server:
        yield server


def _scan(capsys, url, *args):
    code = 0
    try:
        call_command("monitor", "scan", url, "--allow-private", "--format", "json", *args)
    except SystemExit as stop:
        code = stop.code
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.django_db
def test_every_planted_problem_is_reported_at_its_url(planted, capsys):
    server, _ = planted
    code, report = _scan(capsys, server.url)
    assert code == 1 and report["pages"] >= 100
    for path, kind, rule, _ in PLANTS:
        url = server.url + path.lstrip("/")
        hits = [f for f in report["findings"] if f["url"] == url and f["kind"] == kind and f["rule"].startswith(rule)]
        assert hits, f"{path}: no {kind}/{rule} in {[(f['kind'], f['rule']) for f in report['findings'] if f['url'] == url]}"
        if not rule.startswith("typo."):  # typos are warnings by the engine's policy
            assert any(f["severity"] == "serious" for f in hits), hits
    id_card = next(f for f in report["findings"] if f["url"].endswith("/gzdt/3.html") and f["rule"] == "privacy.id_card")
    assert id_card["text"] == "420704198805123417" and id_card["suggestion"]
    assert set(id_card) >= {"url", "kind", "category", "rule", "severity", "text", "message", "suggestion"}
    assert id_card["category"] == "个人隐私"


@pytest.mark.django_db
def test_offsets_index_the_pages_visible_text(planted, capsys):
    from govpub.textcheck.htmltext import html_to_text

    server, root = planted
    _, report = _scan(capsys, server.url)
    finding = next(f for f in report["findings"] if f["url"].endswith("/gzdt/3.html") and f["rule"] == "privacy.id_card")
    visible = html_to_text((root / "articles/gzdt/3.html").read_text(encoding="utf-8")).text
    assert visible[finding["start"]:finding["end"]] == finding["text"]


@pytest.mark.django_db
def test_clean_copy_gives_no_serious_finding(clean, capsys):
    code, report = _scan(capsys, clean.url)
    assert [f for f in report["findings"] if f["severity"] == "serious"] == []
    assert code == 0 and report["pages"] >= 100


@pytest.mark.django_db
def test_unreadable_site_exits_2_with_a_chinese_reason(tmp_path, capsys):
    with pytest.raises(CommandError) as refused:
        call_command("monitor", "scan", "http://127.0.0.1:9/")  # private address, not allowed
    assert refused.value.returncode == 2 and "--allow-private" in str(refused.value)
    with pytest.raises(CommandError) as down:
        call_command("monitor", "scan", "http://127.0.0.1:9/", "--allow-private")  # nothing listens on port 9
    assert down.value.returncode == 2 and "无法读取网站首页" in str(down.value)
    with pytest.raises(CommandError) as bad:
        call_command("monitor", "scan", "ftp://example.gov.cn/")
    assert bad.value.returncode == 2 and "不是网站地址" in str(bad.value)


def test_cli_exit_status_and_text_output(planted, clean, tmp_path):
    import os

    server, _ = planted
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVPUB_", "DATABASE_URL"))}
    env["GOVPUB_HOME"] = str(tmp_path)  # a throwaway SQLite home: the scan reads the current lexicons
    env.update(GOVPUB_MONITOR_CHECK_EXTERNAL="0", GOVPUB_MONITOR_RATE="0")

    def govpub(*args):
        return subprocess.run([sys.executable, "-m", "govpub", *args], env=env, capture_output=True, text=True,
                              timeout=300)

    assert govpub("manage", "migrate", "-v", "0").returncode == 0
    options = ["--allow-private", "--max-pages", "60"]
    serious = govpub("monitor", "scan", server.url, *options)
    assert serious.returncode == 1, serious.stderr
    assert "[严重] 个人隐私" in serious.stdout and "检查 60 个页面" in serious.stdout
    calm = govpub("monitor", "scan", clean.url, *options)
    assert calm.returncode == 0, calm.stdout + calm.stderr


@pytest.mark.parametrize("html", [
    '<div style="display:none"><a href="/columns/gzdt/">工作动态</a></div>',  # a site's own dropdown menu
    '<nav hidden><a href="https://www.gov.cn/">中国政府网</a></nav>',  # hidden, but to a government site
    '<script src="https://dcs.conac.cn/js/17/000/0000/1.js"></script>',  # 党政机关网站标识
    '<iframe src="https://map.example.com/embed" width="600" height="400"></iframe>',  # a visible map
    '<script>var menu = document.getElementById("nav");</script>',
])
def test_ordinary_markup_is_not_a_crawl_finding(html):
    assert inspect(f"<html><body>{html}</body></html>", "http://www.example.gov.cn/a.html") == []


@pytest.mark.parametrize("html, rule", [
    ('<marquee width="1" height="1"><a href="http://xx-bet.com/">娱乐</a></marquee>', "crawl.hidden_link"),
    ('<style>#f9 {height:0;overflow:hidden}</style><div id="f9"><a href="http://a.example.com/">a</a></div>',
     "crawl.hidden_link"),
    ('<span style="font-size:0px"><a href="http://b.example.com/">b</a></span>', "crawl.hidden_link"),
    ('<iframe src="http://c.example.com/" width="0" height="0"></iframe>', "crawl.hidden_frame"),
    ("<script>document.write('<a href=\"http://d.example.com/\">d</a>')</script>", "crawl.script_written_link"),
])
def test_hiding_techniques_are_found(html, rule):
    assert [o.rule for o in inspect(f"<html><body>{html}</body></html>", "http://www.example.gov.cn/")] == [rule]


@pytest.mark.django_db
def test_registered_website_records_resolves_and_alerts(planted, website_at, tmp_path):
    server, root = planted
    site = website_at(server)
    from govpub.supervision.monitor import run_website_monitor

    run = run_website_monitor(site, allow_private=True, rate_per_host=0)
    open_findings = MonitorFinding.objects.filter(channel=site, resolved_at__isnull=True)
    hidden = open_findings.filter(kind="hidden_link", url=server.url + "articles/bmdt/3.html").get()
    assert "暗链" in hidden.message and hidden.evidence["rule"] == "crawl.hidden_link"
    assert run.summary["hidden_link"] >= 2 and run.summary["injected_code"] >= 2 and run.summary["serious_content"] >= 9
    from govpub.notifications.models import Notification

    assert Notification.objects.filter(verb="hidden_link").exists()
    assert Notification.objects.filter(verb="injected_code").exists()
    again = run_website_monitor(site, allow_private=True, rate_per_host=0)
    assert again.summary["new"] == 0 and MonitorFinding.objects.get(pk=hidden.pk).seen_count == 2
    page = root / "articles/bmdt/3.html"
    original = page.read_text(encoding="utf-8")
    try:
        page.write_text(original.replace("澳门新葡京娱乐场", "").replace("bet-888-casino.com", "www.gov.cn"),
                        encoding="utf-8")
        run_website_monitor(site, allow_private=True, rate_per_host=0)
    finally:
        page.write_text(original, encoding="utf-8")
    assert MonitorFinding.objects.get(pk=hidden.pk).resolved_at is not None
    assert MonitorFinding.objects.filter(channel=site, kind="injected_code", resolved_at__isnull=True).count() >= 2


@pytest.mark.django_db
def test_a_page_govpub_withdrew_that_is_still_online_is_reported(planted, website_at):
    from govpub.publishing.models import Publication, PublicationStatus
    from govpub.supervision.monitor import run_website_monitor

    server, root = planted
    site = website_at(server)
    (root / "withdrawn-notice.html").write_text("<html><body><p>已撤下的通知</p></body></html>", encoding="utf-8")
    still_there = server.url + "withdrawn-notice.html"  # served, though nothing on the site links it any more
    gone = server.url + "articles/gzdt/no-such-page.html"
    publications = list(Publication.objects.filter(channel=site).order_by("pk")[:2])
    assert len(publications) == 2, "the demo publishes on its website"
    for publication, url in zip(publications, (still_there, gone)):
        Publication.objects.filter(pk=publication.pk).update(status=PublicationStatus.WITHDRAWN, url=url)
    run = run_website_monitor(site, allow_private=True, rate_per_host=0, content=False)
    withdrawn = MonitorFinding.objects.filter(channel=site, kind="withdrawn_online", resolved_at__isnull=True)
    assert [f.url for f in withdrawn] == [still_there] and run.summary["withdrawn_online"] == 1
    assert not MonitorFinding.objects.filter(channel=site, url=gone).exists()  # gone as it should be: not broken
