import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from govpub.audit.models import AuditEvent
from govpub.orgs.models import Unit
from govpub.supervision import actions
from govpub.supervision.assessment import DEFAULT_WEIGHTS, compute, validate_weights
from govpub.supervision.models import Incident, MonitorRun, Ticket

from .conftest import people

pytestmark = pytest.mark.django_db
YANJI = "燕矶镇人民政府"


def test_incident_links_items_tickets_people_audit_and_suspends(assign, yanji_wechat, make_item):
    item = make_item()
    ticket = assign(yanji_wechat)
    unit = Unit.objects.get(name=YANJI)
    seq = AuditEvent.objects.order_by("-seq").first().seq
    incident = actions.record_incident(
        acting_user=people("demo-supervisor"), unit=unit, title="转载不良信息", description="燕矶发布转载了未经核实的信息",
        occurred_at=timezone.now(), remedy="withdrawn", remedy_note="已撤稿", items=[item], tickets=[ticket],
        responsible=[people("yanji-editor")], audit_events=[seq], suspend=True)
    assert incident.suspension and unit.is_suspended
    assert list(incident.tickets.all()) == [ticket] and list(incident.items.all()) == [item]
    actions.decide_accountability(incident, acting_user=people("demo-supervisor"), decision="对责任人诫勉谈话")
    incident.refresh_from_db()
    assert incident.decided_at and AuditEvent.objects.filter(action="incident.decide").exists()
    with pytest.raises(PermissionDenied):
        actions.record_incident(acting_user=people("yanji-principal"), unit=unit, title="x", description="y",
                                occurred_at=timezone.now())
    with pytest.raises(ValidationError):
        actions.record_incident(acting_user=people("demo-supervisor"), unit=unit, title="x", description="y",
                                occurred_at=timezone.now(), remedy="bogus")


def test_incident_pages(client_for, assign, yanji_wechat):
    ticket = assign(yanji_wechat)
    supervisor = client_for("demo-supervisor")
    unit = Unit.objects.get(name=YANJI)
    bad = supervisor.post("/staff/supervision/incidents/new/", {
        "unit": unit.pk, "title": "泄露个人信息", "description": "公示名单含身份证号", "occurred_at": "2026-11-20T10:00",
        "remedy": "corrected", "tickets": "abc"})
    assert "请填写编号" in bad.content.decode()
    response = supervisor.post("/staff/supervision/incidents/new/", {
        "unit": unit.pk, "title": "泄露个人信息", "description": "公示名单含身份证号", "occurred_at": "2026-11-20T10:00",
        "remedy": "corrected", "tickets": str(ticket.pk), "responsible": [people("yanji-editor").pk]})
    assert response.status_code == 302
    incident = Incident.objects.get()
    page = supervisor.get(response["Location"]).content.decode()
    assert "泄露个人信息" in page and f"#{ticket.pk}" in page and "孙丽" in page
    assert supervisor.post(response["Location"], {"decision": "通报批评"}).status_code == 302
    assert "通报批评" in client_for("yanji-office-head").get(response["Location"]).content.decode()
    assert client_for("health-editor").get(f"/staff/supervision/incidents/{incident.pk}/").status_code == 404
    assert client_for("yanji-office-head").post(response["Location"], {"decision": "x"}).status_code == 403


def test_assessment_breakdown_and_weights(assign, yanji_wechat, client_for):
    today = timezone.localdate()
    MonitorRun.objects.create(channel=yanji_wechat, kind="new_media", started_at=timezone.now(),
                              finished_at=timezone.now())  # monitored this year: the unit has a score
    actions.compute_scores(acting_user=people("demo-supervisor"), period_start=dt.date(today.year, 1, 1),
                           period_end=today, channels=[yanji_wechat])
    before = {r.unit.name: r for r in compute(today.year)}[YANJI]
    late = assign(yanji_wechat)
    Ticket.objects.filter(pk=late.pk).update(deadline=today - dt.timedelta(days=1))
    actions.record_incident(acting_user=people("demo-supervisor"), unit=Unit.objects.get(name=YANJI), title="事件",
                            description="经过", occurred_at=timezone.now())
    row = {r.unit.name: r for r in compute(today.year)}[YANJI]
    assert row.components["tickets"][0] == before.components["tickets"][0] - 10
    assert row.components["incidents"][0] == before.components["incidents"][0] - 25
    weights = dict(DEFAULT_WEIGHTS)
    counted = [k for k in ("indicators", "tickets", "inspections", "incidents") if row.components[k][0] is not None]
    assert "indicators" in counted
    expected = round(sum(weights[k] * row.components[k][0] for k in counted) / sum(weights[k] for k in counted), 1)
    assert row.total == expected
    only_incidents = {r.unit.name: r for r in compute(today.year, {"indicators": 0, "tickets": 0, "inspections": 0,
                                                                   "incidents": 1})}[YANJI]
    assert only_incidents.total == row.components["incidents"][0]
    with pytest.raises(ValidationError):
        validate_weights({"indicators": 0, "tickets": 0, "inspections": 0, "incidents": 0})
    with pytest.raises(ValidationError):
        validate_weights({"bogus": 1})

    supervisor = client_for("demo-supervisor")
    assert "年度考核" in supervisor.get("/staff/supervision/assessment/").content.decode()
    response = supervisor.post("/staff/supervision/assessment/", {
        "indicators": 1, "tickets": 1, "inspections": 1, "incidents": 1, "ticket_overdue_penalty": 20,
        "incident_penalty": 50, "order_penalty": 20, "shutdown_penalty": 40})
    assert response.status_code == 302
    page = supervisor.get("/staff/supervision/assessment/").content.decode()
    assert "检查指标 1.0" in page
    assert client_for("demo-admin").post("/staff/supervision/assessment/", {"indicators": 1}).status_code == 403
