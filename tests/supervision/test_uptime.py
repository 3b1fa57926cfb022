"""Availability week by week (supervision/uptime.py): the 国办 rule (≥ 5 % of one week's probes fail within
15 s ⇒ 站点无法访问), 无数据 never a pass, the table on the monitoring page and in the API, the veto in the
score, and a probe started from the UI."""

import datetime as dt

import pytest
from django.utils import timezone

from api.conftest import api  # noqa: F401 (fixture)
from bench.harness.testsite import SiteServer, generate_site
from govpub.jobs.models import Job
from govpub.supervision import actions, uptime
from govpub.supervision.indicators import collect_facts, default_config, score_facts
from govpub.supervision.models import Probe

from .conftest import people

pytestmark = pytest.mark.django_db
CONFIG = default_config()
MONDAY = dt.date(2026, 11, 2)


def _probes(channel, day: dt.date, ok: int, failed: int = 0, slow: int = 0):
    """Probes at noon (local time) on `day`: ok ones, failed ones, and ok-but-slower-than-15-s ones."""
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    rows = ([Probe(channel=channel, at=at, ok=True, status=200, elapsed_ms=900) for _ in range(ok)]
            + [Probe(channel=channel, at=at, ok=False, error="连接超时") for _ in range(failed)]
            + [Probe(channel=channel, at=at, ok=True, status=200, elapsed_ms=16_000) for _ in range(slow)])
    Probe.objects.bulk_create(rows)


def test_a_week_is_unreachable_from_five_percent_and_a_week_without_probes_is_no_data(website_channel):
    _probes(website_channel, MONDAY, ok=96, failed=4)                           # 4 %: 正常
    _probes(website_channel, MONDAY + dt.timedelta(days=7), ok=95, failed=3, slow=2)  # 5 % (含), slow counts
    _probes(website_channel, MONDAY + dt.timedelta(days=13), ok=10)            # Sunday: still that week
    # the third week: nobody probed
    weeks = uptime.weekly([website_channel.pk], MONDAY, MONDAY + dt.timedelta(days=20))[website_channel.pk]
    assert [(w.start, w.probes, w.failed, w.label) for w in weeks] == [
        (MONDAY, 100, 4, "正常"),
        (MONDAY + dt.timedelta(days=7), 110, 5, "正常"),  # 5 of 110 is 4.5 %
        (MONDAY + dt.timedelta(days=14), 0, 0, "无数据")]
    _probes(website_channel, MONDAY + dt.timedelta(days=8), ok=0, failed=1)  # now 6 of 111 = 5.4 %
    weeks = uptime.weekly([website_channel.pk], MONDAY, MONDAY + dt.timedelta(days=20))[website_channel.pk]
    assert [w.status for w in weeks] == ["ok", "unreachable", "no_data"]
    assert weeks[1].describe() == "11月9日—11月15日 探测 111 次，失败 6 次（5.4%）"
    exactly = uptime.Week(MONDAY, probes=100, failed=5)
    assert exactly.status == "unreachable" and uptime.Week(MONDAY, probes=100, failed=4).status == "ok"
    assert all(uptime.Week(MONDAY, probes=20 * n, failed=n).status == "unreachable" for n in range(1, 400))
    assert all(uptime.Week(MONDAY, probes=20 * n + 1, failed=n).status == "ok" for n in range(1, 400))


def test_one_bad_week_vetoes_the_quarter_though_the_quarter_is_under_five_percent(website_channel):
    """13 weeks of 20 probes; one week has 1 failure in 20 (5 %). Over the quarter that is 0.4 %, and the
    last week alone is clean, so the old rules (quarter ratio, or last 7 days, > 5 %) both passed it."""
    start = dt.date(2026, 7, 6)  # a Monday
    for week in range(13):
        _probes(website_channel, start + dt.timedelta(days=7 * week), ok=19 if week == 8 else 20,
                failed=1 if week == 8 else 0)
    end = start + dt.timedelta(days=7 * 13 - 1)
    facts = collect_facts(website_channel, start, end, CONFIG)
    assert (facts.probes_total, facts.probes_failed, facts.weeks_without_probes) == (260, 1, 0)
    assert facts.unreachable_weeks == ["8月31日—9月6日 探测 20 次，失败 1 次（5.0%）"]
    result = score_facts(facts, CONFIG)
    assert [v["code"] for v in result.vetoes] == ["site_unreachable"] and not result.passed
    assert "8月31日—9月6日" in result.vetoes[0]["detail"]


def test_no_probes_is_no_data_not_a_pass_and_not_a_veto(website_channel):
    facts = collect_facts(website_channel, dt.date(2026, 7, 6), dt.date(2026, 7, 19), CONFIG)
    assert facts.probes_total == 0 and facts.weeks_without_probes == 2 and facts.unreachable_weeks == []
    assert score_facts(facts, CONFIG).status == "unmonitored"


def test_the_uptime_table_on_the_monitoring_page_and_in_the_api(website_channel, client_for, api):
    this_week = uptime.monday(timezone.localdate())
    _probes(website_channel, this_week - dt.timedelta(days=7), ok=9, failed=1)  # last week: 10 % ⇒ 无法访问
    _probes(website_channel, this_week, ok=30)
    page = client_for("demo-supervisor").get("/staff/supervision/monitor/").content.decode()
    assert "网站可用性" in page and website_channel.name in page
    assert "无法访问</span>：探测 10 次，失败 1 次（10.0%）" in page
    assert "正常</span>：探测 30 次，失败 0 次（0.0%）" in page
    assert page.count("无数据") >= 2  # the two older weeks: shown, not passed
    response = api("demo-supervisor").get("/supervision/uptime?weeks=3")
    assert response.status_code == 200
    [row] = [r for r in response.json() if r["channel"] == website_channel.pk]
    assert [(w["probes"], w["failed"], w["status"]) for w in row["weeks"]] == [
        (0, 0, "no_data"), (10, 1, "unreachable"), (30, 0, "ok")]
    assert api("yanji-editor").get("/supervision/uptime").status_code == 403
    assert client_for("yanji-editor").get("/staff/supervision/monitor/").status_code == 403


def test_a_probe_started_from_the_ui_probes_every_website(website_at, client_for, tmp_path, monkeypatch,
                                                         django_capture_on_commit_callbacks):
    generate_site(tmp_path, pages=3, clean=True)
    monkeypatch.setenv("GOVPUB_MONITOR_ALLOW_PRIVATE", "1")
    with SiteServer(tmp_path) as server, django_capture_on_commit_callbacks(execute=True):
        site = website_at(server)
        response = client_for("demo-supervisor").post("/staff/supervision/monitor/start/", {"what": "probe"},
                                                      follow=True)
    assert "已启动网站可用性探测" in response.content.decode()
    job = Job.objects.get(kind="probe")
    assert job.state == "done" and job.result["summary"] == "探测网站 1 个，无法访问 0 个"
    [probe] = Probe.objects.filter(channel=site)
    assert probe.ok and probe.status == 200
    with pytest.raises(Exception, match="正在进行|只有区政务公开办"):
        actions.start_monitoring(acting_user=people("yanji-editor"), what="probe")
