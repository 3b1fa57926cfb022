"""Supervisory measures (第十二条): only the authority that imposed a measure lifts it; imposing and lifting
re-authenticate, notify the supervisors and show in the ticket's history."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from accounts.conftest import make_stale, reauth_data  # noqa: F401  (reauth_data is a fixture)
from govpub.audit.models import AuditEvent
from govpub.channels import actions as channel_actions
from govpub.channels.models import Channel, ChannelStatus
from govpub.notifications.models import Notification
from govpub.orgs import actions as org_actions
from govpub.orgs.models import Unit
from govpub.publishing.models import Publication
from govpub.supervision import actions
from govpub.supervision.models import TicketEvent

from .conftest import people

pytestmark = pytest.mark.django_db

REAUTH = "/accounts/reauth/"


def page(name, *args) -> str:
    return f"http://testserver{reverse(name, args=args)}"


def assert_sent_to_reauth(response, back: str):
    assert response.status_code == 302
    assert response.url == f"{REAUTH}?next={quote(back, safe='')}"


@pytest.fixture
def ordered(assign, website):
    """A ticket of the 区党政办公室 (the website's operator unit) with a 整改令 in force."""
    ticket = actions.order_rectification(assign(website), acting_user=people("demo-supervisor"), reason="逾期未整改")
    assert ticket.unit.is_suspended
    return ticket


def _publish(client, item):
    return client.post(reverse("item_publish", args=[item.pk]),
                       {"revision_hash": item.current_revision.content_hash, "mode": "now", "confirmed": "1"},
                       HTTP_REFERER=page("item_detail", item.pk))


def test_admin_cannot_lift_a_rectification_order_of_the_supervision(client_for, ordered, approved_item):
    unit = ordered.unit
    item = approved_item()
    assert item.unit == unit
    admin = client_for("demo-admin")
    assert "解除暂停发布" not in admin.get(reverse("unit_detail", args=[unit.pk])).content.decode()
    response = admin.post(reverse("unit_lift", args=[unit.pk]), {"reason": "单位申请恢复发布"})
    assert response.status_code == 403
    assert "只能由区政务公开办的监管人员解除" in response.content.decode()
    assert Unit.objects.get(pk=unit.pk).is_suspended
    assert not AuditEvent.objects.filter(action="unit.lift_suspension").exists()

    # And the unit still publishes nothing.
    editor = client_for("demo-editor")
    _publish(editor, item)
    assert not Publication.objects.filter(item=item).exists()


def test_supervisor_lifts_after_reauthentication_notifies_and_ticket_history_shows_it(
        client_for, ordered, reauth_data):  # noqa: F811
    unit = ordered.unit
    supervisor = client_for("demo-supervisor")
    url = reverse("unit_lift", args=[unit.pk])
    back = page("unit_lift", unit.pk)
    make_stale(supervisor)
    # The form itself asks first, so the reason typed in is not lost to the re-authentication.
    assert_sent_to_reauth(supervisor.get(url), back)
    response = supervisor.post(url, {"reason": "已整改到位"}, HTTP_REFERER=back)
    assert_sent_to_reauth(response, back)
    assert Unit.objects.get(pk=unit.pk).is_suspended

    response = supervisor.post(REAUTH, {**reauth_data(people("demo-supervisor")), "next": back})
    assert response.status_code == 302 and response.url == back
    last = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = supervisor.post(url, {"reason": "已整改到位"})
    assert response.status_code == 302 and response.url == reverse("unit_detail", args=[unit.pk])
    assert not Unit.objects.get(pk=unit.pk).is_suspended

    notes = Notification.objects.filter(pk__gt=last, recipient__username="demo-supervisor", verb="measure_lifted")
    assert any("已整改到位" in n.message for n in notes)
    lift = TicketEvent.objects.get(ticket=ordered, kind=TicketEvent.Kind.LIFT)
    assert lift.actor.username == "demo-supervisor" and "已整改到位" in lift.note
    detail = supervisor.get(reverse("ticket_detail", args=[ordered.pk])).content.decode()
    assert "解除暂停发布" in detail and "已整改到位" in detail


def test_ordering_and_shutting_down_from_the_ticket_reauthenticate(client_for, assign, website, yanji_wechat):
    ticket = assign(website)
    supervisor = client_for("demo-supervisor")
    make_stale(supervisor)
    for name in ("ticket_order", "ticket_shutdown"):
        back = page("ticket_detail", ticket.pk)
        response = supervisor.post(reverse(name, args=[ticket.pk]), {"reason": "逾期"}, HTTP_REFERER=back)
        assert_sent_to_reauth(response, back)
    assert not website.operator_unit.is_suspended
    assert Channel.objects.get(pk=website.pk).status == ChannelStatus.RUNNING


def test_imposing_an_order_notifies_the_supervisors(assign, website):
    actions.order_rectification(assign(website), acting_user=people("demo-supervisor"), reason="逾期未整改")
    assert Notification.objects.filter(recipient__username="demo-supervisor", verb="measure_imposed").exists()


def test_an_order_joining_an_admins_suspension_makes_it_the_supervisions(assign, website):
    unit = website.operator_unit
    org_actions.suspend_unit(unit, acting_user=people("demo-admin"), reason="账号清理期间暂停")
    assert unit.active_suspension.origin == "admin"
    actions.order_rectification(assign(website), acting_user=people("demo-supervisor"), reason="逾期未整改")
    suspension = Unit.objects.get(pk=unit.pk).active_suspension
    assert suspension.origin == "supervision"
    with pytest.raises(Exception, match="监管人员"):
        org_actions.lift_suspension(unit, acting_user=people("demo-admin"), reason="恢复")
    assert Unit.objects.get(pk=unit.pk).is_suspended


def test_suspending_from_the_unit_page_and_the_confidentiality_review_reauthenticate(client_for, unit):
    township = unit("燕矶镇人民政府")
    for username in ("demo-supervisor", "demo-admin"):
        client = client_for(username)
        make_stale(client)
        back = page("unit_detail", township.pk)
        response = client.post(reverse("unit_suspend", args=[township.pk]), {"reason": "暂停"}, HTTP_REFERER=back)
        assert_sent_to_reauth(response, back)
        response = client.post(reverse("unit_confidentiality_review", args=[township.pk]), {"note": ""},
                               HTTP_REFERER=back)
        assert_sent_to_reauth(response, back)
    township.refresh_from_db()
    assert not township.is_suspended and township.has_confidentiality_review


def test_a_missing_confidentiality_review_is_lifted_by_recording_the_mechanism(client_for, unit):
    shawo = unit("沙窝乡人民政府")
    assert not shawo.has_confidentiality_review and not shawo.is_suspended
    admin = client_for("demo-admin")
    response = admin.post(reverse("unit_lift", args=[shawo.pk]), {"reason": "恢复"})
    assert response.status_code == 200 and "请登记保密审查机制" in response.content.decode()
    response = admin.post(reverse("unit_confidentiality_review", args=[shawo.pk]),
                          {"established": "on", "note": "沙政发〔2026〕3号"})
    assert response.status_code == 302
    shawo.refresh_from_db()
    assert shawo.publish_block_reason() is None
    assert Notification.objects.filter(recipient__username="demo-supervisor", verb="measure_lifted").exists()


def test_only_the_supervision_reopens_a_channel_it_paused(client_for, yanji_wechat):
    supervisor = client_for("demo-supervisor")
    url = reverse("channel_status", args=[yanji_wechat.pk])
    response = supervisor.post(url, {"status": ChannelStatus.PAUSED, "reason": "长期未更新，暂停运行"})
    assert response.status_code == 302
    yanji_wechat.refresh_from_db()
    assert yanji_wechat.status == ChannelStatus.PAUSED and yanji_wechat.status_origin == "supervision"
    assert Notification.objects.filter(recipient__username="demo-supervisor", verb="measure_imposed").exists()

    for username in ("yanji-principal", "demo-admin"):
        response = client_for(username).post(url, {"status": ChannelStatus.RUNNING, "reason": "已恢复更新"})
        assert response.status_code == 403 and "只能由区政务公开办的监管人员" in response.content.decode()
        assert Channel.objects.get(pk=yanji_wechat.pk).status == ChannelStatus.PAUSED

    make_stale(supervisor)
    back = page("channel_status", yanji_wechat.pk)
    assert_sent_to_reauth(supervisor.post(url, {"status": "running", "reason": "已整改"}, HTTP_REFERER=back), back)
    supervisor = client_for("demo-supervisor")
    assert supervisor.post(url, {"status": ChannelStatus.RUNNING, "reason": "已整改"}).status_code == 302
    assert Channel.objects.get(pk=yanji_wechat.pk).status == ChannelStatus.RUNNING
    assert Notification.objects.filter(recipient__username="demo-supervisor", verb="measure_lifted").exists()


def test_a_channel_the_unit_paused_itself_its_principal_resumes(person, yanji_wechat):
    principal = person("yanji-principal")
    channel_actions.change_channel_status(yanji_wechat, acting_user=principal, status="paused", reason="改版")
    channel = channel_actions.change_channel_status(yanji_wechat, acting_user=principal, status="running",
                                                    reason="改版完成")
    assert channel.status == ChannelStatus.RUNNING
