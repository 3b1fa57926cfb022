"""The 政务公开办's work queue (supervision/desk.py) on the home page, its own page and the API, and starting
a monitoring job from the UI and the API."""

import datetime as dt

import pytest
from django.utils import timezone

from api.conftest import api  # noqa: F401 (fixture)
from govpub.jobs.models import Job
from govpub.supervision import actions
from govpub.supervision.models import MonitorFinding, Ticket

from .conftest import people

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(assign, yanji_wechat):
    reported = assign(yanji_wechat, title="待核验的问题")
    actions.report_rectification(reported, acting_user=people("yanji-editor"), text="已整改")
    late = assign(yanji_wechat, title="逾期的问题")
    Ticket.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - dt.timedelta(days=2))
    soon = assign(yanji_wechat, title="后天到期的问题", days=2)
    later = assign(yanji_wechat, title="下个月到期的问题", days=30)
    bypass = MonitorFinding.objects.create(channel=yanji_wechat, kind="unreviewed_post", key="m1",
                                           message="未经审核发布：“后台直接发的通知”")
    silent = MonitorFinding.objects.create(channel=yanji_wechat, kind="account_silent", key="last_post",
                                           message="账号 20 天未更新", evidence={"days": 20})
    return {"reported": reported, "late": late, "soon": soon, "later": later, "bypass": bypass, "silent": silent}


def test_the_desk_lists_what_is_waiting(work, client_for):
    supervisor = client_for("demo-supervisor")
    home = supervisor.get("/staff/").content.decode()
    assert "监管工作台" in home and "待核验的整改报告</a>：<strong>1</strong>" in home
    page = supervisor.get("/staff/supervision/desk/").content.decode()
    for text in ("待核验的问题", "逾期的问题", "后天到期的问题", "后台直接发的通知", "账号 20 天未更新"):
        assert text in page, text
    assert "下个月到期的问题" not in page
    assert f"/staff/supervision/tickets/new/?monitor={work['bypass'].pk}" in page  # one click to assign it
    assert client_for("yanji-editor").get("/staff/supervision/desk/").status_code == 403
    assert "监管工作台" not in client_for("yanji-editor").get("/staff/").content.decode()


def test_the_desk_in_the_api(work, api):
    response = api("demo-supervisor").get("/supervision/desk")
    assert response.status_code == 200
    queues = {q["key"]: q for q in response.json()}
    assert [r["title"] for r in queues["reported"]["rows"]] == ["待核验的问题"]
    assert [r["title"] for r in queues["overdue"]["rows"]] == ["逾期的问题"]
    assert [r["title"] for r in queues["due_soon"]["rows"]] == ["后天到期的问题"]
    assert queues["urgent"]["count"] == 1 and queues["urgent"]["rows"][0]["kind"] == "unreviewed_post"
    assert queues["veto_risk"]["rows"][0]["kind"] == "account_silent"
    assert api("yanji-editor").get("/supervision/desk").status_code == 403
    paths = api("demo-supervisor").get("/openapi.json").json()["paths"]
    assert "/api/v1/supervision/desk" in paths and "/api/v1/supervision/monitoring" in paths


def test_monitoring_started_from_the_ui_once_at_a_time(client_for):
    supervisor = client_for("demo-supervisor")
    response = supervisor.post("/staff/supervision/monitor/start/", {"what": "crawl"}, follow=True)
    assert "已启动网站和政务新媒体监测" in response.content.decode()
    job = Job.objects.get(kind="crawl")
    assert job.created_by.username == "demo-supervisor"
    again = supervisor.post("/staff/supervision/monitor/start/", {"what": "crawl"}, follow=True)
    assert "正在进行，请等它完成后再启动" in again.content.decode() and Job.objects.filter(kind="crawl").count() == 1
    bad = supervisor.post("/staff/supervision/monitor/start/", {"what": "rm -rf"}, follow=True)
    assert "请选择要启动的监测" in bad.content.decode()
    assert client_for("yanji-office-head").post("/staff/supervision/monitor/start/", {"what": "crawl"}).status_code == 403
    assert supervisor.get("/staff/supervision/monitor/start/").status_code == 405


def test_monitoring_started_through_the_api(api):
    response = api("demo-supervisor").post("/supervision/monitoring", {"what": "rescan"})
    assert response.status_code == 201 and response.json()["kind"] == "rescan"
    assert api("demo-supervisor").post("/supervision/monitoring", {"what": "rescan"}).status_code == 400
    bogus = api("demo-supervisor").post("/supervision/monitoring", {"what": "bogus"})
    assert bogus.status_code == 400 and "请选择要启动的监测" in bogus.content.decode()
    assert api("yanji-editor").post("/supervision/monitoring", {"what": "crawl"}).status_code == 403
