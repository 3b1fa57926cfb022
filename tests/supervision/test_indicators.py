"""Indicators and scoring with hand-countable fixtures (国办秘函〔2019〕19号 defaults)."""

import copy
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from govpub.supervision import actions
from govpub.supervision.indicators import Facts, collect_facts, current_version, default_config, score_facts, validate_config
from govpub.supervision.models import IndicatorScore, IndicatorVersion, MonitorFinding, MonitorKind, Probe, Ticket

from .conftest import people

CONFIG = default_config()


def website(**kwargs):
    return Facts(kind="website", period_days=91, **kwargs)


def new_media(**kwargs):
    return Facts(kind="new_media", period_days=91, **kwargs)


def test_shipped_defaults_are_valid_and_carry_the_known_numbers():
    validate_config(CONFIG)
    veto = {v["code"]: v for v in CONFIG["website"]["veto"]}
    assert veto["site_unreachable"]["max_failure_ratio"] == 0.05 and veto["site_unreachable"]["timeout_seconds"] == 15
    assert veto["home_not_updated"]["max_days"] == 14
    groups = {g["name"]: g["max_days"] for g in veto["columns_not_updated"]["groups"]}
    assert groups == {"动态要闻类": 14, "通知公告政策文件类": 183} and veto["columns_not_updated"]["min_columns"] == 5
    assert veto["columns_long_not_updated"]["min_columns"] == 10 and veto["empty_columns"]["min_columns"] == 5
    assert veto["interaction_unanswered"]["max_days"] == 90
    media = {v["code"]: v for v in CONFIG["new_media"]["veto"]}
    assert media["account_silent"]["max_days"] == 14 and "serious_errors" in media
    assert CONFIG["pass_score"] == 60 and CONFIG["full_score"] == 100


def test_clean_site_scores_full_marks():
    result = score_facts(website(probes_total=100, home_days_since_update=3), CONFIG)
    assert result.score == Decimal("100.0") and result.passed and result.vetoes == [] and result.deductions == []


def test_an_unreachable_week_vetoes_whatever_the_points():
    """The weeks are counted in uptime.py (tests/supervision/test_uptime.py); the score only reads them."""
    assert score_facts(website(probes_total=100, probes_failed=4), CONFIG).passed
    failed = score_facts(website(probes_total=100, probes_failed=5,
                                 unreachable_weeks=["11月2日—11月8日 探测 100 次，失败 5 次（5.0%）"]), CONFIG)
    assert not failed.passed and [v["code"] for v in failed.vetoes] == ["site_unreachable"]
    assert "11月2日—11月8日" in failed.vetoes[0]["detail"]
    assert failed.score == Decimal("100.0")  # a veto fails the site whatever the points


def test_home_page_two_weeks():
    assert score_facts(website(home_days_since_update=14), CONFIG).passed
    assert not score_facts(website(home_days_since_update=15), CONFIG).passed


def test_five_news_or_notice_columns_not_updated_veto():
    four = {"工作动态": 15, "乡镇动态": 20, "部门动态": 30, "通知公告": 200, "政策解读": 400}
    result = score_facts(website(column_days=four, stale_columns=list(four)), CONFIG)
    # 政策解读 matches no group: 4 in groups → no veto, but 5 stale columns × 2 points = 10 (cap 10)
    assert result.vetoes == [] and result.deductions == [
        {"code": "stale_columns", "name": "栏目更新不及时", "count": 5, "points": 10.0}]
    assert result.score == Decimal("90.0") and result.passed
    five = dict(four, 政策文件=184)
    result = score_facts(website(column_days=five, stale_columns=list(five)), CONFIG)
    assert [v["code"] for v in result.vetoes] == ["columns_not_updated"]
    assert "stale_columns" not in {d["code"] for d in result.deductions}  # not counted twice


def test_ten_long_stale_and_five_empty_columns_veto():
    assert [v["code"] for v in score_facts(website(stale_columns=[f"c{i}" for i in range(10)]), CONFIG).vetoes] \
        == ["columns_long_not_updated"]
    four_empty = score_facts(website(empty_columns=["a", "b", "c", "d"]), CONFIG)
    assert four_empty.passed and four_empty.score == Decimal("92.0")  # 4 × 2
    assert [v["code"] for v in score_facts(website(empty_columns=list("abcde")), CONFIG).vetoes] == ["empty_columns"]


def test_interaction_serious_errors_and_secrets_veto():
    assert score_facts(website(unanswered_days=[90, 30]), CONFIG).passed
    assert not score_facts(website(unanswered_days=[91]), CONFIG).passed
    assert [v["code"] for v in score_facts(website(confirmed={"political": 1}), CONFIG).vetoes] == ["serious_errors"]
    assert [v["code"] for v in score_facts(website(confirmed={"secret": 1}), CONFIG).vetoes] == ["leaked_secrets"]


def test_deductions_add_up_with_caps_and_below_60_fails():
    facts = website(home_broken_links=3, other_broken_links=30, slow_pages=2, findings={"typo": 4, "wording": 1,
                    "privacy": 9}, overdue_tickets=6, empty_columns=["a"])
    result = score_facts(facts, CONFIG)
    points = {d["code"]: d["points"] for d in result.deductions}
    # home 3×1=3; others 30×0.5=15→5; slow 2×0.5=1; empty 1×2=2; typo+wording 5×1=5; privacy 9×2=18→10;
    # overdue 6×3=18→15  ⇒ 41
    assert points == {"home_broken_links": 3.0, "other_broken_links": 5.0, "slow_pages": 1.0,
                      "empty_columns_some": 2.0, "wording_errors": 5.0, "privacy_warnings": 10.0,
                      "overdue_tickets": 15.0}
    assert result.score == Decimal("59.0") and not result.passed and result.vetoes == []


def test_new_media():
    assert score_facts(new_media(days_since_last_post=14, posts_in_period=13), CONFIG).passed
    silent = score_facts(new_media(days_since_last_post=15, posts_in_period=13), CONFIG)
    assert [v["code"] for v in silent.vetoes] == ["account_silent"]
    never = score_facts(new_media(days_since_last_post=None), CONFIG)
    assert never.vetoes[0]["detail"] == "从未发布信息"
    sparse = score_facts(new_media(days_since_last_post=2, posts_in_period=12), CONFIG)  # 12 posts in 13 weeks
    assert sparse.score == Decimal("95.0") and sparse.passed


def test_edited_numbers_change_the_outcome():
    config = copy.deepcopy(CONFIG)
    config["pass_score"] = 95
    next(v for v in config["website"]["veto"] if v["code"] == "home_not_updated")["max_days"] = 7
    assert not score_facts(website(home_days_since_update=8), config).passed
    assert score_facts(website(home_broken_links=6), config).passed  # capped at 5 points → 95, not below 95
    assert not score_facts(website(home_broken_links=6, slow_pages=1), config).passed  # 94.5


@pytest.mark.parametrize("breakage, message", [
    (lambda c: c.update(pass_score="sixty"), "pass_score 必须是数字"),
    (lambda c: c["website"]["veto"][0].update(max_failure_ratio=5), "不能大于 1"),
    (lambda c: c["website"]["deductions"][0].update(points_each=-1), "不能为负数"),
    (lambda c: c["new_media"].pop("veto"), "new_media.veto 必须是列表"),
    (lambda c: c["website"]["deductions"].append(dict(c["website"]["deductions"][0])), "重复"),
])
def test_validation_explains_in_chinese(breakage, message):
    config = copy.deepcopy(CONFIG)
    breakage(config)
    with pytest.raises(ValidationError) as error:
        validate_config(config)
    assert any(message in m for m in error.value.messages)


@pytest.mark.django_db
def test_versions_and_scores_name_their_version(website_channel):
    assert current_version().number == 1
    config = copy.deepcopy(current_version().config)
    config["pass_score"] = 70
    with pytest.raises(PermissionDenied):
        actions.save_indicator_version(acting_user=people("demo-admin"), config=config, note="x")
    today = timezone.localdate()
    first = actions.compute_scores(acting_user=people("demo-supervisor"), period_start=today - dt.timedelta(days=90),
                                   period_end=today, channels=[website_channel])
    version = actions.save_indicator_version(acting_user=people("demo-supervisor"), config=config, note="提高合格线")
    assert version.number == 2
    with pytest.raises(ValidationError):
        actions.save_indicator_version(acting_user=people("demo-supervisor"), config=config, note="same")
    second = actions.compute_scores(acting_user=people("demo-supervisor"), period_start=today - dt.timedelta(days=90),
                                    period_end=today, channels=[website_channel])
    assert first[0].version.number == 1 and second[0].version.number == 2
    assert IndicatorVersion.objects.get(number=1).config["pass_score"] == 60


@pytest.mark.django_db
def test_collect_facts_from_findings_probes_and_tickets(website_channel, assign):
    """Hand-counted: 2 of 20 probes fail this week (≥ 5 % → veto), 1 more 40 days ago (outside the period), 1 home + 2 other broken links, 1 stale and 1 empty column,
    one finding resolved before the period (ignored), one overdue ticket."""
    today = timezone.localdate()
    now = timezone.now()
    start = today - dt.timedelta(days=30)
    for i in range(20):
        Probe.objects.create(channel=website_channel, at=now - dt.timedelta(hours=i + 1), ok=i not in (3, 7),
                             elapsed_ms=800)
    Probe.objects.create(channel=website_channel, at=now - dt.timedelta(days=40), ok=False)  # outside the period
    made = [
        (MonitorKind.BROKEN_LINK, "https://x/a", {"on_home": True}, None),
        (MonitorKind.BROKEN_LINK, "https://x/b", {"on_home": False}, None),
        (MonitorKind.BROKEN_LINK, "https://x/c", {}, None),
        (MonitorKind.BROKEN_LINK, "https://x/old", {}, now - dt.timedelta(days=40)),
        (MonitorKind.COLUMN_STALE, "gzdt", {"column": "工作动态", "days": 20, "interval": 14}, None),
        (MonitorKind.COLUMN_EMPTY, "gknb", {"column": "政府信息公开年报"}, None),
    ]
    for kind, key, evidence, resolved in made:
        MonitorFinding.objects.create(channel=website_channel, kind=kind, key=key, message=key, evidence=evidence,
                                      first_seen=now - dt.timedelta(days=45), resolved_at=resolved)
    ticket = assign(website_channel)
    Ticket.objects.filter(pk=ticket.pk).update(deadline=today - dt.timedelta(days=1))

    facts = collect_facts(website_channel, start, today, CONFIG)
    assert (facts.probes_total, facts.probes_failed) == (20, 2)
    assert (facts.home_broken_links, facts.other_broken_links) == (1, 2)
    assert facts.stale_columns == ["工作动态"] and facts.column_days == {"工作动态": 20}
    assert facts.empty_columns == ["政府信息公开年报"] and facts.overdue_tickets == 1
    result = score_facts(facts, CONFIG)
    assert [v["code"] for v in result.vetoes] == ["site_unreachable"]
    # 1 + 2×0.5 + 2 (stale) + 2 (empty) + 3 (overdue) = 9
    assert result.score == Decimal("91.0")

    [stored] = actions.compute_scores(acting_user=people("demo-supervisor"), period_start=start, period_end=today,
                                      channels=[website_channel])
    assert stored.score == Decimal("91.0") and not stored.passed and stored.facts["probes_failed"] == 2
    assert IndicatorScore.objects.get().version == current_version()


@pytest.mark.django_db
def test_new_media_facts_from_publications(approved_item):
    """The 临空经济区发布 WeChat account: one item published today → last post 0 days ago, 1 post."""
    from govpub.channels.models import Channel, ChannelKind
    from govpub.publishing import actions as publishing_actions

    account = Channel.objects.get(kind=ChannelKind.WECHAT, name="临空经济区发布")
    today = timezone.localdate()
    before = collect_facts(account, today - dt.timedelta(days=30), today, CONFIG)
    assert before.days_since_last_post is None and before.posts_in_period == 0
    item = approved_item(targets=[f"channel:{account.pk}"])
    publications = publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                                   revision_hash=item.current_revision.content_hash)
    from govpub.publishing.models import Publication

    Publication.objects.filter(pk__in=[p.pk for p in publications]).update(live_at=timezone.now())
    after = collect_facts(account, today - dt.timedelta(days=30), today, CONFIG)
    assert after.days_since_last_post == 0 and after.posts_in_period == 1


@pytest.mark.django_db
def test_indicator_pages(client_for):
    import json

    supervisor = client_for("demo-supervisor")
    page = supervisor.get("/staff/supervision/indicators/").content.decode()
    assert "国办秘函〔2019〕19号" in page and "站点无法访问" in page and "第 1 版" in page
    config = copy.deepcopy(current_version().config)
    config["pass_score"] = 65
    bad = supervisor.post("/staff/supervision/indicators/edit/", {"config": "{not json", "note": "x"})
    assert "不是有效的 JSON" in bad.content.decode()
    response = supervisor.post("/staff/supervision/indicators/edit/",
                               {"config": json.dumps(config, ensure_ascii=False), "note": "调整合格线"})
    assert response.status_code == 302 and current_version().number == 2
    assert client_for("yanji-editor").get("/staff/supervision/indicators/").status_code == 403
    assert client_for("demo-admin").get("/staff/supervision/indicators/edit/").status_code == 403

    today = timezone.localdate()
    response = supervisor.post("/staff/supervision/scores/", {
        "period_start": (today - dt.timedelta(days=30)).isoformat(), "period_end": today.isoformat()})
    assert response.status_code == 302
    listing = supervisor.get(response["Location"]).content.decode()
    assert "第 2 版" in listing and "燕矶发布" in listing
    yanji = client_for("yanji-editor").get("/staff/supervision/scores/").content.decode()
    assert "燕矶发布" in yanji and "临空健康" not in yanji
    assert client_for("yanji-editor").post("/staff/supervision/scores/", {
        "period_start": today.isoformat(), "period_end": today.isoformat()}).status_code == 403
    score = IndicatorScore.objects.filter(channel__name="燕矶发布").first()
    assert "单项否决" in supervisor.get(f"/staff/supervision/scores/{score.pk}/").content.decode()
