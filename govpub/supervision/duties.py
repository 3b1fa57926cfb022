"""A person's whole 待办: every duty waiting for them, oldest first — the review steps, returned items
and approved items to publish (review.todo), manual posts and deletions (publishing.manual), tickets their
unit must sign for or rectify, and for the 政务公开办 reports to verify and inspections to sample or
re-review. Each duty links to the page where it is done; work that was voided or finished is simply no
longer selected. Reads only, a bounded number of queries whatever the person's roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.urls import reverse

from govpub.publishing.manual import manual_tasks_for
from govpub.publishing.models import PublicationStatus
from govpub.review.todo import Waiting, todo_for

from . import policy
from .models import Inspection, InspectionState, SampleResult, Ticket, TicketState

LIMIT = 200  # per kind: a list longer than that is not read anyway; the counts stay exact


@dataclass
class Duty(Waiting):
    kind: str  # review | revise | publish | manual_post | manual_delete | sign | rectify | verify | sample | inspect
    label: str
    title: str
    link: str
    unit: str
    since: datetime
    item: object = None  # the Item, for the item-based duties


def _unit_name(unit) -> str:
    return unit.short_name or unit.name


def _items(user) -> list[Duty]:
    return [Duty(e.kind, e.label, e.item.title, e.item.get_absolute_url(), _unit_name(e.item.unit), e.since, e.item)
            for e in todo_for(user)]


def _manual(user) -> list[Duty]:
    link = reverse("manual_tasks")
    duties = []
    for p in manual_tasks_for(user).select_related("channel__operator_unit")[:LIMIT]:
        posting = p.status == PublicationStatus.QUEUED
        duties.append(Duty("manual_post" if posting else "manual_delete",
                           f"待人工发布到{p.channel.name}" if posting else f"待在{p.channel.name}删除（已撤稿）",
                           p.revision.title, link, _unit_name(p.channel.operator_unit),
                           p.created_at if posting else (p.withdrawn_at or p.created_at)))
    return duties


def _tickets(user) -> list[Duty]:
    units = policy.rectifying_unit_ids(user)
    duties = []
    owing = (Ticket.objects.filter(unit_id__in=units, state__in=(TicketState.ASSIGNED, TicketState.RECTIFYING))
             .select_related("unit", "channel").order_by("state_changed_at", "id")[:LIMIT])
    for t in owing:
        label = ("待签收交办问题" if t.state == TicketState.ASSIGNED else "待整改报送") + f"（期限 {t.deadline:%Y-%m-%d}）"
        duties.append(Duty("sign" if t.state == TicketState.ASSIGNED else "rectify", label, t.title,
                           t.get_absolute_url(), _unit_name(t.unit), t.state_changed_at))
    if policy.can_verify(user):
        for t in (Ticket.objects.filter(state=TicketState.REPORTED).select_related("unit")
                  .order_by("state_changed_at", "id")[:LIMIT]):
            duties.append(Duty("verify", "待核验整改", t.title, t.get_absolute_url(), _unit_name(t.unit),
                               t.state_changed_at))
    return duties


def _inspections(user) -> list[Duty]:
    if not policy.can_inspect(user):
        return []
    duties = []
    open_inspections = (Inspection.objects.exclude(state=InspectionState.DONE)
                        .annotate(pending=Count("samples", filter=Q(samples__result=SampleResult.PENDING)))
                        .order_by("created_at", "id")[:LIMIT])
    for i in open_inspections:
        if i.state == InspectionState.PLANNED:
            duties.append(Duty("sample", "督查待抽样", i.title, i.get_absolute_url(), "区政务公开办", i.created_at))
        elif i.pending:
            duties.append(Duty("inspect", f"督查待复核（{i.pending} 份）", i.title, i.get_absolute_url(),
                               "区政务公开办", i.sampled_at or i.created_at))
    return duties


def duties_for(user) -> list[Duty]:
    duties = _items(user) + _manual(user) + _tickets(user) + _inspections(user)
    duties.sort(key=lambda d: d.since)
    return duties
