"""The supervisor's desk (区政务公开办 work queue): what is waiting for the 政务公开办 now, most urgent first.
Reads only; each queue is bounded, with its full count, so the page costs the same on any archive."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from .models import MonitorFinding, Ticket, TicketState, local_today

QUEUE_LIMIT = 20
DUE_SOON_DAYS = 3
# Open findings that cannot wait for the next 通报: told at once, shown first.
URGENT_KINDS = ("unreviewed_post", "content_mismatch", "hidden_link", "injected_code", "withdrawn_online")
# Open findings that, left alone, fail the channel under a 单项否决 (indicators.json).
VETO_RISK_KINDS = ("unreachable", "home_stale", "account_silent", "serious_error")


@dataclass
class Queue:
    key: str
    title: str
    rows: list = field(default_factory=list)
    count: int = 0
    link: str = ""  # the page with all of them


def _queue(key, title, queryset, link) -> Queue:
    return Queue(key, title, list(queryset[:QUEUE_LIMIT]), queryset.count(), link)


def desk() -> list[Queue]:
    today = local_today()
    tickets = Ticket.objects.select_related("channel", "unit")
    monitor, ticket_list = reverse("monitor_list"), reverse("ticket_list")
    findings = MonitorFinding.objects.filter(resolved_at__isnull=True).select_related("channel", "channel__operator_unit")
    return [
        _queue("urgent", "未经审核发布、暗链与挂马等紧急问题", findings.filter(kind__in=URGENT_KINDS).order_by("first_seen", "id"),
               f"{monitor}?status=open"),
        _queue("reported", "待核验的整改报告", tickets.filter(state=TicketState.REPORTED).order_by("state_changed_at", "id"),
               f"{ticket_list}?state=reported"),
        _queue("overdue", "逾期未整改的交办问题", tickets.overdue(today).order_by("deadline", "id"),
               f"{ticket_list}?overdue=1"),
        _queue("due_soon", f"{DUE_SOON_DAYS} 天内到期的交办问题", tickets.due_soon(DUE_SOON_DAYS, today).order_by("deadline", "id"),
               f"{ticket_list}?state=open"),
        _queue("veto_risk", "可能触发单项否决的渠道问题", findings.filter(kind__in=VETO_RISK_KINDS).order_by("first_seen", "id"),
               f"{monitor}?status=open"),
    ]
