"""Every change to supervision tickets (问题交办 to 核验办结, 整改令, 关停, reminders): atomic, policy-checked,
audited, notifications on commit; the ticket helpers live here because only tickets use them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govpub.audit import log as audit
from govpub.channels import actions as channel_actions
from govpub.channels.models import Channel, ChannelStatus
from govpub.notifications.notify import notify
from govpub.orgs import actions as org_actions
from govpub.orgs.models import MeasureOrigin, Suspension

from .. import letters, policy, routing
from ..recipients import supervisors, unit_leads, unit_people
from ..models import (OPEN_STATES, OWING_STATES, LetterCounter, Ticket, TicketEvent, TicketMethod, TicketProblem,
                      TicketState)

REMIND_DAYS_BEFORE = 2


def _lock(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def _event(ticket, kind, actor, note="", stored=None) -> TicketEvent:
    fields = {}
    if stored is not None:
        fields = {"file_name": stored.name, "file_sha256": stored.sha256, "file_size": stored.size,
                  "file_content_type": stored.content_type, "file_storage": stored.storage_name}
    return TicketEvent.objects.create(ticket=ticket, kind=kind, actor=actor, note=note, **fields)


def _set_state(ticket: Ticket, state: str, **extra) -> None:
    ticket.state = state
    ticket.state_changed_at = timezone.now()
    for name, value in extra.items():
        setattr(ticket, name, value)
    ticket.save(update_fields=["state", "state_changed_at", *extra])


def _next_letter_number(year: int) -> int:
    counter, _ = LetterCounter.objects.get_or_create(year=year)
    counter = LetterCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _audit(action, ticket, actor, **details):
    audit.record(action, actor=actor, obj=ticket, unit=ticket.unit_id, details=details)


@transaction.atomic(durable=True)
def assign_ticket(*, acting_user, channel: Channel, title: str, description: str, method: str,
                  deadline: dt.date, evidence: str = "", machine_finding=None, monitor_finding=None,
                  monitor_findings=(), unit=None) -> Ticket:
    """问题交办 with a method and a deadline, to `unit` or, when not given, to the unit the channel's 发布内容清单
    makes responsible for the problem's column (routing.py; else the operator). `monitor_findings`: several
    problems on this channel sent in one ticket and one 交办函, each listed in it."""
    policy.require(policy.can_assign(acting_user), policy.ASSIGN_REFUSAL)
    title, description = (title or "").strip(), (description or "").strip()
    errors = {}
    if not title:
        errors["title"] = "请填写问题。"
    if not description:
        errors["description"] = "请填写问题描述。"
    if method not in TicketMethod.values:
        errors["method"] = "请选择交办方式。"
    if deadline is None or deadline < timezone.localdate():
        errors["deadline"] = "整改期限不能早于今天。"
    if channel.status == ChannelStatus.CLOSED:
        errors["channel"] = "该渠道已关停，不能再交办问题。"
    findings = list(monitor_findings) or ([monitor_finding] if monitor_finding is not None else [])
    if any(f.channel_id != channel.pk for f in findings):
        errors["channel"] = "所选监测问题不属于同一渠道，请按渠道分别交办。"
    if unit is not None and not routing.responsible_units(channel).filter(pk=unit.pk).exists():
        errors["unit"] = f"{unit.name}不是“{channel.name}”的承办单位，也不是其发布内容清单中的责任单位。"
    if errors:
        raise ValidationError(errors)
    channel = Channel.objects.select_related("operator_unit").get(pk=channel.pk)
    columns = {f.column_id for f in findings}
    found = routing.route(channel, column_id=columns.pop() if len(columns) == 1 else None,
                          url=findings[0].url if len(findings) == 1 else "")
    why = found.why if unit is None or unit.pk == found.unit.pk else "区政务公开办指定"
    unit = unit or found.unit
    monitor_finding = findings[0] if findings else None
    now = timezone.now()
    ticket = Ticket(channel=channel, unit=unit, title=title, description=description,
                    evidence=(evidence or "").strip(), method=method, deadline=deadline, created_by=acting_user,
                    created_at=now, state_changed_at=now, machine_finding=machine_finding,
                    monitor_finding=monitor_finding)
    if method == TicketMethod.LETTER:
        year = timezone.localtime(now).year
        ticket.letter_year, ticket.letter_seq = year, _next_letter_number(year)
        ticket.letter_no = letters.letter_number(year, ticket.letter_seq)
    ticket.save()
    if len(findings) > 1:
        TicketProblem.objects.bulk_create([
            # "不可用链接（404）" says its kind already; "账号 20 天未更新" is prefixed with it (账号长期未更新：…).
            TicketProblem(ticket=ticket, position=n, text=(f.message if f.message.startswith(f.get_kind_display())
                                                           else f"{f.get_kind_display()}：{f.message}")[:500], url=f.url,
                          monitor_finding=f) for n, f in enumerate(findings, 1)])
    _event(ticket, TicketEvent.Kind.ASSIGN, acting_user,
           f"交办给{unit.name}（{why}）；交办方式：{ticket.get_method_display()}；整改期限：{deadline:%Y-%m-%d}"
           + (f"；共 {len(findings)} 个问题" if len(findings) > 1 else "")
           + (f"；发文字号：{ticket.letter_no}" if ticket.letter_no else ""))
    _audit("ticket.assign", ticket, acting_user, channel=channel.pk, unit=unit.pk, method=method,
           deadline=deadline.isoformat(), letter_no=ticket.letter_no, finding=getattr(machine_finding, "pk", None),
           monitor_findings=[f.pk for f in findings])
    notify(unit_leads(ticket.unit_id), ticket, "ticket_assigned",
           f"区政务公开办交办问题：{title}（{channel.name}），请于 {deadline:%Y-%m-%d} 前整改并报送。")
    return ticket


@transaction.atomic(durable=True)
def accept_ticket(ticket: Ticket, *, acting_user) -> Ticket:
    """The unit signs for the ticket and starts rectifying."""
    ticket = _lock(ticket)
    policy.require(policy.can_rectify(acting_user, ticket), "只有责任单位的人员可以签收交办问题。")
    if ticket.state != TicketState.ASSIGNED:
        raise ValidationError(f"该问题当前为“{ticket.get_state_display()}”，不能签收。")
    _set_state(ticket, TicketState.RECTIFYING)
    _event(ticket, TicketEvent.Kind.ACCEPT, acting_user)
    _audit("ticket.accept", ticket, acting_user)
    return ticket


@transaction.atomic(durable=True)
def report_rectification(ticket: Ticket, *, acting_user, text: str, stored_file=None) -> Ticket:
    """整改情况报送, with evidence (a description, optionally a stored file from content.files.store_upload)."""
    ticket = _lock(ticket)
    policy.require(policy.can_rectify(acting_user, ticket), policy.RECTIFY_REFUSAL)
    if ticket.state not in OWING_STATES:
        raise ValidationError(f"该问题当前为“{ticket.get_state_display()}”，不能报送整改情况。")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写整改情况及证明。"})
    _set_state(ticket, TicketState.REPORTED)
    _event(ticket, TicketEvent.Kind.REPORT, acting_user, text, stored_file)
    _audit("ticket.report", ticket, acting_user, text=text[:500],
           file=getattr(stored_file, "sha256", None), late=ticket.deadline < timezone.localdate())
    notify(supervisors(), ticket, "ticket_reported", f"{ticket.unit.name} 报送了“{ticket.title}”的整改情况，请核验。")
    return ticket


@transaction.atomic(durable=True)
def send_back(ticket: Ticket, *, acting_user, reason: str, new_deadline: dt.date | None = None) -> Ticket:
    """Rectification not accepted: back to 整改中, optionally with a new deadline."""
    ticket = _lock(ticket)
    policy.require(policy.can_verify(acting_user, ticket), "只有区政务公开办的监管人员可以退回整改。")
    if ticket.state != TicketState.REPORTED:
        raise ValidationError("只有已报送整改情况的问题可以退回。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写退回原因。"})
    if new_deadline is not None and new_deadline < timezone.localdate():
        raise ValidationError({"new_deadline": "新的整改期限不能早于今天。"})
    extra = {}
    if new_deadline is not None:
        extra = {"deadline": new_deadline, "reminded_at": None, "overdue_marked_at": None}
    _set_state(ticket, TicketState.RECTIFYING, **extra)
    _event(ticket, TicketEvent.Kind.SEND_BACK, acting_user,
           reason + (f"（新的整改期限：{new_deadline:%Y-%m-%d}）" if new_deadline else ""))
    _audit("ticket.send_back", ticket, acting_user, reason=reason,
           new_deadline=new_deadline.isoformat() if new_deadline else None)
    notify(unit_leads(ticket.unit_id), ticket, "ticket_sent_back",
           f"“{ticket.title}”的整改情况未通过核验，请继续整改：{reason}")
    return ticket


def _lift_if_last(ticket: Ticket, acting_user, why: str) -> bool:
    """Lift the ticket's rectification order unless another open ticket still holds the same one."""
    suspension = ticket.suspension
    if suspension is None or suspension.lifted_at is not None:
        return False
    if Ticket.objects.filter(suspension=suspension, state__in=OPEN_STATES).exclude(pk=ticket.pk).exists():
        return False
    org_actions.release_suspension(ticket.unit, acting_user=acting_user, reason=why)
    _event(ticket, TicketEvent.Kind.LIFT, acting_user, why)
    return True


def record_lift_in_tickets(suspension: Suspension, acting_user) -> None:
    """After 解除暂停发布 (orgs.actions.lift_suspension's hook, same transaction): a suspension that is a
    ticket's 整改令 shows the lift in the history of every such ticket."""
    for ticket in Ticket.objects.select_for_update().filter(suspension=suspension).order_by("pk"):
        _event(ticket, TicketEvent.Kind.LIFT, acting_user, suspension.lift_reason)
        _audit("ticket.lift", ticket, acting_user, reason=suspension.lift_reason, suspension=suspension.pk)
        notify(unit_leads(ticket.unit_id), ticket, "ticket_lifted",
               f"“{ticket.title}”的整改令已解除，恢复信息发布：{suspension.lift_reason}")


@transaction.atomic(durable=True)
def verify_ticket(ticket: Ticket, *, acting_user, note: str = "") -> Ticket:
    """核验办结; a rectification order issued for this ticket is lifted with it."""
    ticket = _lock(ticket)
    policy.require(policy.can_verify(acting_user, ticket), "只有区政务公开办的监管人员可以核验整改。")
    if ticket.state != TicketState.REPORTED:
        raise ValidationError("只有已报送整改情况的问题可以核验办结。")
    _set_state(ticket, TicketState.VERIFIED, verified_at=timezone.now(), verified_by=acting_user)
    _event(ticket, TicketEvent.Kind.VERIFY, acting_user, (note or "").strip())
    lifted = _lift_if_last(ticket, acting_user, f"交办问题 #{ticket.pk} 已整改到位，经核验解除暂停发布。")
    _audit("ticket.verify", ticket, acting_user, note=(note or "").strip(), lifted_suspension=lifted)
    notify(unit_leads(ticket.unit_id), ticket, "ticket_verified",
           f"“{ticket.title}”整改已核验办结" + ("，已解除暂停发布。" if lifted else "。"))
    return ticket


@transaction.atomic(durable=True)
def order_rectification(ticket: Ticket, *, acting_user, reason: str) -> Ticket:
    """限期整改令: the unit is suspended from publishing (第十二条) until the ticket is verified."""
    ticket = _lock(ticket)
    policy.require(policy.can_escalate(acting_user, ticket), "只有区政务公开办的监管人员可以下达整改令。")
    if ticket.state not in OPEN_STATES:
        raise ValidationError("该问题已办结，不能再下达整改令。")
    if ticket.suspension_id and ticket.suspension.lifted_at is None:
        raise ValidationError("该问题已下达整改令，责任单位正处于暂停发布状态。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写下达整改令的原因。"})
    why = f"限期整改令（交办问题 #{ticket.pk}：{ticket.title}）：{reason}"
    existing = Suspension.objects.filter(unit_id=ticket.unit_id, lifted_at__isnull=True).first()
    # One active suspension per unit: one already in force also covers this ticket, and becomes the supervision's.
    suspension = org_actions.impose_suspension(ticket.unit, acting_user=acting_user, reason=why[:500],
                                               origin=MeasureOrigin.SUPERVISION, join=True)
    ticket.suspension = suspension
    ticket.save(update_fields=["suspension"])
    _event(ticket, TicketEvent.Kind.ORDER, acting_user, reason)
    _audit("ticket.order_rectification", ticket, acting_user, reason=reason, suspension=suspension.pk,
           joined_existing=existing is not None)
    notify(unit_people(ticket.unit_id), ticket, "ticket_order",
           f"因“{ticket.title}”逾期未整改，本单位已被暂停信息发布，整改核验后解除。")
    return ticket


@transaction.atomic(durable=True)
def order_shutdown(ticket: Ticket, *, acting_user, reason: str) -> Ticket:
    """责令关停: the channel is closed (final) and the ticket ends with it."""
    ticket = _lock(ticket)
    policy.require(policy.can_escalate(acting_user, ticket), "只有区政务公开办的监管人员可以责令关停。")
    if ticket.state not in OPEN_STATES:
        raise ValidationError("该问题已办结，不能责令关停。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写责令关停的原因。"})
    channel = Channel.objects.get(pk=ticket.channel_id)
    if channel.status != ChannelStatus.CLOSED:
        channel_actions.set_channel_status(
            channel, acting_user=acting_user, status=ChannelStatus.CLOSED,
            reason=f"责令关停（交办问题 #{ticket.pk}）：{reason}"[:500])
    _set_state(ticket, TicketState.SHUT_DOWN, shut_down_at=timezone.now())
    _event(ticket, TicketEvent.Kind.SHUT_DOWN, acting_user, reason)
    _audit("ticket.shutdown", ticket, acting_user, reason=reason, channel=channel.pk)
    notify(unit_people(ticket.unit_id), ticket, "ticket_shutdown", f"{channel.name}已被责令关停：{reason}")
    return ticket


@transaction.atomic(durable=True)
def mark_overdue_tickets(*, acting_user=None, today: dt.date | None = None) -> list[int]:
    """Mark every ticket newly past its deadline (the daily task); returns their ids."""
    policy.require(policy.can_run_system_task(acting_user))
    marked = []
    tickets = Ticket.objects.overdue(today).filter(overdue_marked_at__isnull=True).select_for_update()
    for ticket in tickets:
        ticket.overdue_marked_at = timezone.now()
        ticket.save(update_fields=["overdue_marked_at"])
        _event(ticket, TicketEvent.Kind.OVERDUE, acting_user, f"已超过整改期限 {ticket.deadline:%Y-%m-%d}")
        _audit("ticket.overdue", ticket, acting_user, deadline=ticket.deadline.isoformat())
        notify(unit_leads(ticket.unit_id) + supervisors(), ticket, "ticket_overdue",
               f"交办问题“{ticket.title}”（{ticket.unit.name}）已逾期，整改期限为 {ticket.deadline:%Y-%m-%d}。")
        marked.append(ticket.pk)
    return marked


@transaction.atomic(durable=True)
def send_deadline_reminders(*, acting_user=None, today: dt.date | None = None,
                            days: int = REMIND_DAYS_BEFORE) -> list[int]:
    """Remind the unit once when a deadline is `days` or fewer days away."""
    policy.require(policy.can_run_system_task(acting_user))
    reminded = []
    for ticket in Ticket.objects.due_soon(days, today).filter(reminded_at__isnull=True).select_for_update():
        ticket.reminded_at = timezone.now()
        ticket.save(update_fields=["reminded_at"])
        _event(ticket, TicketEvent.Kind.REMIND, acting_user, f"整改期限 {ticket.deadline:%Y-%m-%d} 临近")
        _audit("ticket.remind", ticket, acting_user, deadline=ticket.deadline.isoformat())
        notify(unit_people(ticket.unit_id), ticket, "ticket_reminder",
               f"交办问题“{ticket.title}”将于 {ticket.deadline:%Y-%m-%d} 到期，请按时整改并报送。")
        reminded.append(ticket.pk)
    return reminded
