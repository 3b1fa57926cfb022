"""`govpub monitor run --accounts`: what each account really shows, read through the platform's API
and held against GovPub's publications, in one run; the bypass reaches the unit and the supervisor."""

import io
import json

import pytest
from django.core.management import call_command

from delivery.conftest import (  # noqa: F401 (fixtures)
    _fast_delivery, connect_wechat, connect_weibo, deliver_now, fake_wechat, fake_weibo)
from govpub.notifications.models import Notification
from govpub.supervision.models import MonitorFinding

pytestmark = pytest.mark.django_db


def _run_json(*args):
    out = io.StringIO()
    call_command("monitor", "run", "--accounts", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_a_post_made_in_the_back_end_is_reported_and_a_delivered_one_is_not(fake_wechat):
    channel = connect_wechat(fake_wechat)
    deliver_now(channel, "全区政务公开工作推进会召开", "<p>区党政办公室召开全区政务公开工作推进会。</p>")
    fake_wechat.post_directly(next(iter(fake_wechat.accounts)), title="后台直接发的通知", content="没有经过审核的内容")

    report = _run_json()
    mine = [f for f in report["findings"] if f["channel"] == channel.pk]
    assert [(f["kind"], f["text"], f["severity"]) for f in mine] == [("unreviewed_post", "后台直接发的通知", "serious")]
    assert mine[0]["category"] == "未经审核发布" and mine[0]["url"].startswith("http")
    [run] = [r for r in report["runs"] if r["channel"] == channel.pk]
    assert run["summary"]["source"] == "api" and run["summary"]["posts"] == 2
    assert run["summary"]["days_since_last_post"] == 0 and not run["summary"]["silent"]  # silence from real posts

    # the unit's leaders and the supervisor are told at once; the supervisor's note opens the finding
    told = Notification.objects.filter(verb="unreviewed_post")
    assert {n.recipient.username for n in told} >= {"demo-supervisor"}
    assert any(n.link for n in told if n.recipient.username == "demo-supervisor")
    assert told.count() >= 2

    # the next run sees it again (one finding, no second notification); deleting it resolves it
    _run_json()
    finding = MonitorFinding.objects.get(channel=channel, kind="unreviewed_post")
    assert finding.seen_count == 2 and Notification.objects.filter(verb="unreviewed_post").count() == told.count()
    fake_wechat.articles.clear()
    report = _run_json()
    assert not [f for f in report["findings"] if f["channel"] == channel.pk and f["kind"] == "unreviewed_post"]
    finding.refresh_from_db()
    assert finding.resolved_at is not None


def test_an_account_that_cannot_be_read_keeps_its_findings_and_says_why(fake_wechat):
    channel = connect_wechat(fake_wechat)
    fake_wechat.post_directly(next(iter(fake_wechat.accounts)), title="后台直接发的通知", content="内容")
    _run_json()
    fake_wechat.failure_rate, fake_wechat.fail_codes = 1.0, [40001]  # the platform refuses the next run
    report = _run_json()
    [run] = [r for r in report["runs"] if r["channel"] == channel.pk]
    assert run["summary"]["source"] == "records" and run["summary"]["read_error"]
    assert MonitorFinding.objects.get(channel=channel, kind="unreviewed_post").resolved_at is None  # not "clean"


def test_the_text_output_names_the_bypass(fake_wechat):
    channel = connect_wechat(fake_wechat)
    fake_wechat.post_directly(next(iter(fake_wechat.accounts)), title="后台直接发的通知", content="内容")
    out = io.StringIO()
    call_command("monitor", "run", "--accounts", "--channel", str(channel.pk), stdout=out)
    assert "未经审核发布 1 条" in out.getvalue()


def test_every_post_is_machine_checked(fake_wechat):
    channel = connect_wechat(fake_wechat)
    fake_wechat.post_directly(next(iter(fake_wechat.accounts)), title="低保名单公示",
                              content="<p>王某，身份证号420704198805123417，月保障金500元。</p>")
    report = _run_json()
    mine = [f for f in report["findings"] if f["channel"] == channel.pk and f["kind"] == "page_content"]
    assert [(f["rule"], f["severity"], f["text"]) for f in mine] == [("privacy.id_card", "serious", "420704198805123417")]
    assert mine[0]["suggestion"] and mine[0]["url"].startswith("http")
    [run] = [r for r in report["runs"] if r["channel"] == channel.pk]
    assert run["summary"]["serious_content"] == 1
    fake_wechat.articles.clear()  # taken down on the platform: the next run resolves it
    _run_json()
    assert MonitorFinding.objects.get(channel=channel, kind="page_content").resolved_at is not None


def test_a_weibo_post_made_in_the_back_end_is_reported(fake_weibo):
    channel = connect_weibo(fake_weibo)
    deliver_now(channel, "全区政务公开工作推进会召开", "<p>区党政办公室召开全区政务公开工作推进会。</p>")
    fake_weibo.post_directly(fake_weibo.uid, content="后台直接发的微博，没有经过审核")
    report = _run_json("--channel", str(channel.pk))
    kinds = [f["kind"] for f in report["findings"] if f["channel"] == channel.pk]
    assert kinds == ["unreviewed_post"]  # its 阅读原文 link to the portal is GovPub's own, not a finding
    [run] = report["runs"]
    assert run["summary"]["source"] == "api" and run["summary"]["posts"] == 2
