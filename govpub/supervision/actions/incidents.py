"""责任追究: recording a harmful publication or serious failure (optionally suspending the unit) and the decision."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govpub.audit import log as audit
from govpub.orgs import actions as org_actions
from govpub.orgs.models import MeasureOrigin

from .. import policy


@transaction.atomic(durable=True)
def record_incident(*, acting_user, unit, title: str, description: str, occurred_at, remedy: str = "none",
                    remedy_note: str = "", items=(), tickets=(), responsible=(), audit_events=(), suspend: bool = False):
    """Record a harmful publication or serious failure; `suspend` also orders the unit to stop publishing."""
    from ..models import Incident

    policy.require(policy.can_record_incidents(acting_user), policy.INCIDENT_REFUSAL)
    if not (title or "").strip() or not (description or "").strip():
        raise ValidationError("请填写事件和事件经过。")
    if remedy not in Incident.Remedy.values:
        raise ValidationError({"remedy": "补救措施无效。"})
    incident = Incident.objects.create(unit=unit, title=title.strip(), description=description.strip(),
                                       occurred_at=occurred_at, remedy=remedy, remedy_note=(remedy_note or "").strip(),
                                       audit_events=[int(e) for e in audit_events], created_by=acting_user)
    incident.items.set(items)
    incident.tickets.set(tickets)
    incident.responsible.set(responsible)
    if suspend:
        incident.suspension = org_actions.impose_suspension(
            unit, acting_user=acting_user, reason=f"责任追究（{incident.title}）"[:500],
            origin=MeasureOrigin.SUPERVISION, join=True)
        incident.save(update_fields=["suspension"])
    audit.record("incident.record", actor=acting_user, obj=incident, unit=unit.pk, details={
        "remedy": remedy, "items": [i.pk for i in items], "tickets": [t.pk for t in tickets],
        "responsible": [p.username for p in responsible], "audit_events": incident.audit_events,
        "suspension": incident.suspension_id})
    return incident


@transaction.atomic(durable=True)
def decide_accountability(incident, *, acting_user, decision: str):
    from ..models import Incident

    policy.require(policy.can_record_incidents(acting_user), policy.ACCOUNTABILITY_REFUSAL)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    decision = (decision or "").strip()
    if not decision:
        raise ValidationError({"decision": "请填写问责决定。"})
    incident.decision, incident.decided_at = decision, timezone.now()
    incident.save(update_fields=["decision", "decided_at"])
    audit.record("incident.decide", actor=acting_user, obj=incident, unit=incident.unit_id,
                 details={"decision": decision[:500]})
    return incident
