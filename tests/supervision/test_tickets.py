import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from govpub.audit.models import AuditEvent
from govpub.channels.models import ChannelStatus
from govpub.notifications.models import Notification
from govpub.orgs.models import Unit
from govpub.supervision import actions
from govpub.supervision.models import Ticket, TicketEvent, TicketMethod, TicketState

from .conftest import people

pytestmark = pytest.mark.django_db

TODAY = None


def _age(ticket, days_past_deadline):
    """Move a ticket's deadline into the past (as if time had passed)."""
    Ticket.objects.filter(pk=ticket.pk).update(deadline=timezone.localdate() - dt.timedelta(days=days_past_deadline))
    ticket.refresh_from_db()
    return ticket


def test_lifecycle_assign_accept_report_send_back_report_verify(assign, yanji_wechat):
    ticket = assign(yanji_wechat)
    assert ticket.unit.name == "燕矶镇人民政府" and ticket.state == TicketState.ASSIGNED
    leads = {n.recipient.username for n in Notification.objects.filter(verb="ticket_assigned")}
    assert leads == {"yanji-office-head", "yanji-principal"}

    actions.accept_ticket(ticket, acting_user=people("yanji-editor"))
    ticket = actions.report_rectification(ticket, acting_user=people("yanji-office-head"), text="已更新栏目并建立周更机制")
    assert ticket.state == TicketState.REPORTED
    assert Notification.objects.filter(verb="ticket_reported", recipient__username="demo-supervisor").exists()

    ticket = actions.send_back(ticket, acting_user=people("demo-supervisor"), reason="仍有一个栏目未更新",
                               new_deadline=timezone.localdate() + dt.timedelta(days=3))
    assert ticket.state == TicketState.RECTIFYING
    with pytest.raises(ValidationError):
        actions.verify_ticket(ticket, acting_user=people("demo-supervisor"))
    actions.report_rectification(ticket, acting_user=people("yanji-office-head"), text="全部栏目已更新")
    ticket = actions.verify_ticket(ticket, acting_user=people("demo-supervisor"), note="抽查确认")
    assert ticket.state == TicketState.VERIFIED and ticket.verified_by.username == "demo-supervisor"

    kinds = list(ticket.events.values_list("kind", flat=True))
    assert kinds == ["assign", "accept", "report", "send_back", "report", "verify"]
    audited = list(AuditEvent.objects.filter(object_type="supervision.ticket", object_id=str(ticket.pk))
                   .order_by("seq").values_list("action", flat=True))
    assert audited == ["ticket.assign", "ticket.accept", "ticket.report", "ticket.send_back", "ticket.report",
                       "ticket.verify"]
    with pytest.raises(ValidationError):
        actions.report_rectification(ticket, acting_user=people("yanji-office-head"), text="再报一次")


def test_assign_validates_input(assign, yanji_wechat):
    with pytest.raises(ValidationError) as error:
        actions.assign_ticket(acting_user=people("demo-supervisor"), channel=yanji_wechat, title=" ", description="",
                              method="fax", deadline=timezone.localdate() - dt.timedelta(days=1))
    assert set(error.value.error_dict) == {"title", "description", "method", "deadline"}
    with pytest.raises(ValidationError):
        actions.report_rectification(assign(yanji_wechat), acting_user=people("yanji-office-head"), text="  ")


@pytest.mark.parametrize("username", ["demo-admin", "yanji-principal", "demo-office-head", "demo-editor"])
def test_only_supervisors_assign(username, yanji_wechat):
    with pytest.raises(PermissionDenied):
        actions.assign_ticket(acting_user=people(username), channel=yanji_wechat, title="t", description="d",
                              method=TicketMethod.PHONE, deadline=timezone.localdate())
    assert not Ticket.objects.exists()


def test_only_supervisors_verify_and_escalate(assign, yanji_wechat):
    ticket = assign(yanji_wechat)
    actions.report_rectification(ticket, acting_user=people("yanji-editor"), text="已整改")
    for username in ("yanji-principal", "demo-admin"):
        with pytest.raises(PermissionDenied):
            actions.verify_ticket(ticket, acting_user=people(username))
        with pytest.raises(PermissionDenied):
            actions.send_back(ticket, acting_user=people(username), reason="不行")
        with pytest.raises(PermissionDenied):
            actions.order_rectification(ticket, acting_user=people(username), reason="逾期")
        with pytest.raises(PermissionDenied):
            actions.order_shutdown(ticket, acting_user=people(username), reason="逾期")
    ticket.refresh_from_db()
    assert ticket.state == TicketState.REPORTED


def test_only_the_units_own_people_rectify(assign, yanji_wechat):
    ticket = assign(yanji_wechat)
    for username in ("demo-office-head", "health-editor", "demo-supervisor"):
        with pytest.raises(PermissionDenied):
            actions.accept_ticket(ticket, acting_user=people(username))
        with pytest.raises(PermissionDenied):
            actions.report_rectification(ticket, acting_user=people(username), text="已整改")


def test_overdue_query_and_marking_once(assign, yanji_wechat, website):
    late = _age(assign(yanji_wechat), 3)
    on_time = assign(website, days=5)
    reported = _age(assign(website), 1)
    actions.report_rectification(reported, acting_user=people("demo-editor"), text="已整改")
    assert list(Ticket.objects.overdue()) == [late]
    assert late.is_overdue and late.days_overdue == 3 and not on_time.is_overdue

    assert actions.mark_overdue_tickets() == [late.pk]
    assert actions.mark_overdue_tickets() == []  # marked once only
    assert TicketEvent.objects.filter(ticket=late, kind="overdue").count() == 1
    notified = set(Notification.objects.filter(verb="ticket_overdue").values_list("recipient__username", flat=True))
    assert {"yanji-office-head", "demo-supervisor"} <= notified


def test_reminders_before_deadline_once(assign, yanji_wechat, website):
    soon = assign(yanji_wechat, days=1)
    assign(website, days=9)
    assert actions.send_deadline_reminders() == [soon.pk]
    assert actions.send_deadline_reminders() == []
    assert Notification.objects.filter(verb="ticket_reminder", recipient__username="yanji-editor").exists()


def test_deadline_task_runs_both(assign, yanji_wechat):
    from govpub.supervision.tasks import check_ticket_deadlines

    late = _age(assign(yanji_wechat), 2)
    result = check_ticket_deadlines.call_local()
    assert result == {"reminded": [], "overdue": [late.pk]}


def test_escalation_to_rectification_order_blocks_publishing_and_verifying_unblocks(
        assign, website, approved_item):
    """An overdue ticket → 整改令 → the operator unit's next publish is refused at the gate; verified → lifted."""
    from govpub.publishing import actions as publishing_actions

    item = approved_item()
    party_office = Unit.objects.get(name="区党政办公室")
    assert website.operator_unit == party_office == item.unit
    ticket = _age(assign(website), 5)
    actions.mark_overdue_tickets()
    ticket = actions.order_rectification(ticket, acting_user=people("demo-supervisor"), reason="逾期 5 天未整改")
    party_office.refresh_from_db()
    assert party_office.is_suspended and ticket.suspension == party_office.active_suspension

    with pytest.raises(publishing_actions.GateRefused, match="暂停信息发布"):
        publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                        revision_hash=item.current_revision.content_hash)
    with pytest.raises(ValidationError):
        actions.order_rectification(ticket, acting_user=people("demo-supervisor"), reason="again")

    actions.report_rectification(ticket, acting_user=people("demo-office-head"), text="已整改")
    actions.verify_ticket(ticket, acting_user=people("demo-supervisor"))
    assert not Unit.objects.get(pk=party_office.pk).is_suspended
    item.refresh_from_db()
    publications = publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                                   revision_hash=item.current_revision.content_hash)
    assert publications
    actions_in_chain = list(AuditEvent.objects.filter(action__in=["unit.suspend", "unit.lift_suspension"])
                            .values_list("action", flat=True).order_by("seq"))
    assert actions_in_chain == ["unit.suspend", "unit.lift_suspension"]


def test_suspension_shared_by_two_tickets_lifts_with_the_last(assign, website):
    first, second = assign(website), assign(website, title="首页两周未更新")
    supervisor = people("demo-supervisor")
    actions.order_rectification(first, acting_user=supervisor, reason="逾期")
    actions.order_rectification(second, acting_user=supervisor, reason="逾期")
    unit = website.operator_unit
    for ticket in (first, second):
        actions.report_rectification(ticket, acting_user=people("demo-editor"), text="已整改")
    actions.verify_ticket(first, acting_user=supervisor)
    assert unit.is_suspended
    actions.verify_ticket(second, acting_user=supervisor)
    assert not unit.is_suspended


def test_rectification_order_rolls_back_with_the_ticket(assign, yanji_wechat, monkeypatch):
    """The nested suspension is part of the ticket's transaction: a failure after it leaves nothing."""
    ticket = assign(yanji_wechat)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("govpub.supervision.actions.tickets.notify", boom)  # looked up where order_rectification lives
    with pytest.raises(RuntimeError):
        actions.order_rectification(ticket, acting_user=people("demo-supervisor"), reason="逾期")
    assert not Unit.objects.get(name="燕矶镇人民政府").is_suspended
    assert not AuditEvent.objects.filter(action="unit.suspend").exists()


def test_shutdown_closes_the_channel(assign, yanji_wechat):
    ticket = actions.order_shutdown(assign(yanji_wechat), acting_user=people("demo-supervisor"),
                                    reason="多次整改不到位")
    yanji_wechat.refresh_from_db()
    assert yanji_wechat.status == ChannelStatus.CLOSED and "责令关停" in yanji_wechat.status_reason
    assert ticket.state == TicketState.SHUT_DOWN
    with pytest.raises(ValidationError):
        assign(yanji_wechat)  # a closed channel gets no more tickets


def test_letter_numbers_run_per_year(assign, yanji_wechat, website):
    year = timezone.localdate().year
    first, phone, second = assign(yanji_wechat), assign(website, method=TicketMethod.PHONE), assign(website)
    assert first.letter_no == f"鄂州临空政务公开办函〔{year}〕1号"
    assert phone.letter_no == "" and phone.letter_seq is None
    assert second.letter_no == f"鄂州临空政务公开办函〔{year}〕2号"


def test_letter_docx_layout(assign, yanji_wechat):
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from govpub.supervision.letters import build_letter

    ticket = assign(yanji_wechat, days=14)
    doc = Document(io.BytesIO(build_letter(ticket)))
    texts = [p.text for p in doc.paragraphs]
    deadline = ticket.deadline
    head = doc.paragraphs[0]
    assert head.text == "区政务公开办" and head.runs[0].font.color.rgb is not None  # red 版头
    assert str(head.runs[0].font.color.rgb) == "E60012"
    assert ticket.letter_no in texts
    assert doc.paragraphs[texts.index(ticket.letter_no)].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert "燕矶镇人民政府：" in texts  # 主送
    assert any(f"于{deadline.year}年{deadline.month}月{deadline.day}日前" in t for t in texts)
    today = timezone.localdate()
    assert texts.count(f"{today.year}年{today.month}月{today.day}日") == 1  # 成文日期
    assert texts[-3:-1] == ["", ""] or "区政务公开办" in texts[-5:]  # 落款
    section = doc.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
