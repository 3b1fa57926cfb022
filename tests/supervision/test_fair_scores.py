"""Fair scores: no data is 未监测 (never a pass, ranked apart), a veto fails the channel and its unit whatever
the points, and sanctions (整改令, 关停, 问责, overdue tickets from earlier quarters) appear in the quarter's
通报 and the annual 考核."""

import datetime as dt
import io

import pytest
from django.utils import timezone

from govpub.channels.models import Channel
from govpub.orgs.models import Unit
from govpub.supervision import actions
from govpub.supervision.assessment import compute as assess
from govpub.supervision.bulletin import compute as bulletin, quarter_bounds
from govpub.supervision.indicators import Facts, collect_facts, default_config, score_facts
from govpub.supervision.models import IndicatorScore, MonitorFinding, MonitorRun, Ticket

from .conftest import people

pytestmark = pytest.mark.django_db
YANJI = "燕矶镇人民政府"


def _quarter():
    today = timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


def _score(channels):
    year, quarter = _quarter()
    return actions.compute_scores(acting_user=people("demo-supervisor"), period_start=quarter_bounds(year, quarter)[0],
                                  period_end=timezone.localdate(), channels=channels)


def _observed(channel):
    now = timezone.now()
    MonitorRun.objects.create(channel=channel, kind="new_media" if not channel.is_website else "website",
                              started_at=now, finished_at=now)


def _yanji_channels():
    return list(Channel.objects.filter(operator_unit__name=YANJI).exclude(status="closed"))


def test_no_data_is_not_scored_and_not_ranked(client_for):
    assert score_facts(Facts(kind="website", monitored=False), default_config()).status == "unmonitored"
    assert score_facts(Facts(kind="website"), default_config()).score == 100  # observed and clean: full marks
    channels = _yanji_channels()
    today = timezone.localdate()
    assert not collect_facts(channels[0], today - dt.timedelta(days=30), today, default_config()).monitored
    results = _score(channels)
    assert {r.status for r in results} == {"unmonitored"} and all(r.score is None for r in results)
    page = client_for("demo-supervisor").get("/staff/supervision/scores/?result=unmonitored").content.decode()
    assert "未监测" in page and channels[0].name in page
    detail = client_for("demo-supervisor").get(f"/staff/supervision/scores/{results[0].pk}/").content.decode()
    assert "无法评分" in detail and "期内有监测数据" in detail and "monitor_runs" not in detail  # Chinese, not keys

    website = Channel.objects.get(kind="website")  # another unit's channel, monitored: it gets a rank
    _observed(website)
    _score([website])
    rows = bulletin(*_quarter())[2]
    yanji = next(r for r in rows if r.unit.name == YANJI)
    assert yanji.verdict == "未监测" and yanji.rank is None and yanji.average_score is None
    assert rows.index(yanji) > max(rows.index(r) for r in rows if r.rank is not None)  # ranked apart, after
    unit = next(r for r in assess(today.year) if r.unit.name == YANJI)
    assert unit.total is None and unit.rank is None and unit.verdict == "未监测"
    assert unit.components["indicators"][0] is None and "未监测" in unit.components["indicators"][1]


def test_a_veto_fails_the_unit_whatever_the_points():
    wechat = Channel.objects.get(name="燕矶发布")
    _observed(wechat)
    MonitorFinding.objects.create(channel=wechat, kind="account_silent", key="last_post", message="20 天未更新",
                                  evidence={"days": 20})
    [score] = _score([wechat])
    assert score.status == "failed" and score.score >= 60  # the points alone would pass
    rows = bulletin(*_quarter())[2]
    yanji = next(r for r in rows if r.unit.name == YANJI)
    assert yanji.verdict == "不合格" and yanji.average_score == 0.0  # the vetoed channel counts 0
    passed = [r for r in rows if r.verdict == "合格"]
    assert all(r.rank < yanji.rank for r in passed)
    unit = next(r for r in assess(timezone.localdate().year) if r.unit.name == YANJI)
    assert unit.verdict == "不合格" and unit.components["indicators"][0] == 0.0
    assert any("燕矶发布" in f and "内容不更新" in f for f in unit.failed_channels)


def test_sanctions_are_counted_and_named_in_the_bulletin(assign, client_for):
    from docx import Document

    year, quarter = _quarter()
    start, _ = quarter_bounds(year, quarter)
    wechat = Channel.objects.get(name="燕矶发布")
    _observed(wechat)
    _score([wechat])
    before = next(r for r in assess(year) if r.unit.name == YANJI)
    supervisor = people("demo-supervisor")
    actions.order_rectification(assign(wechat, title="整改令"), acting_user=supervisor, reason="逾期未整改")
    actions.order_shutdown(assign(wechat, title="关停"), acting_user=supervisor, reason="长期不更新")
    incident = actions.record_incident(acting_user=supervisor, unit=Unit.objects.get(name=YANJI), title="泄露个人信息",
                                       description="公示名单含身份证号", occurred_at=timezone.now())
    actions.decide_accountability(incident, acting_user=supervisor, decision="通报批评")
    old = assign(wechat, title="往期问题")
    Ticket.objects.filter(pk=old.pk).update(created_at=timezone.now().replace(year=start.year, month=start.month, day=1)
                                            - dt.timedelta(days=10), deadline=start - dt.timedelta(days=1))

    yanji = next(r for r in bulletin(year, quarter)[2] if r.unit.name == YANJI)
    assert (yanji.orders, yanji.shutdowns, yanji.accountability, yanji.carried_overdue) == (1, 1, 1, 1)
    assert "限期整改令 1" in yanji.sanctions and "往期逾期未整改 1" in yanji.sanctions
    after = next(r for r in assess(year) if r.unit.name == YANJI)
    assert after.components["tickets"][0] <= before.components["tickets"][0] - 20 - 40
    assert "责令关停 1 次" in after.components["tickets"][1]

    page = client_for("demo-supervisor").get(f"/staff/supervision/bulletin/?year={year}&quarter={quarter}")
    assert "本季度被责令关停渠道的单位：燕矶镇人民政府（1）" in page.content.decode()
    word = client_for("demo-supervisor").get(f"/staff/supervision/bulletin/?year={year}&quarter={quarter}&format=docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "本季度被下达限期整改令的单位：燕矶镇人民政府（1）" in text and "本季度被问责的单位：燕矶镇人民政府（1）" in text
    assert "往期交办问题至本季度末仍逾期未整改的单位：燕矶镇人民政府（1）" in text
    assert IndicatorScore.objects.filter(channel=wechat).exists()
