"""The audit-log page, in the words of the people who read it: Chinese event names, details as fields,
filters by event, unit, person and date. It sits in web (above orgs and review) because it asks
orgs.policy who may read it and borrows review's checklist names for the decision details."""

import datetime as dt

from django.shortcuts import render

from govpub.audit.labels import DETAIL_LABELS, EVENT_LABELS, codes_for_label, detail_rows, event_label
from govpub.audit.log import verify_chain
from govpub.audit.models import AuditEvent
from govpub.orgs import policy
from govpub.orgs.models import Unit
from govpub.review.models import CHECKLIST
from govpub.ui.paging import paginate

LABELS = {**DETAIL_LABELS, **dict(CHECKLIST)}


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _filtered(params):
    events = AuditEvent.objects.select_related("actor").order_by("-seq")
    action, actor, unit = params.get("action", "").strip(), params.get("actor", "").strip(), params.get("unit", "")
    if action in EVENT_LABELS:
        events = events.filter(action=action)
    elif action:  # words typed: every event whose name contains them, or a code prefix
        events = events.filter(action__in=codes_for_label(action)) if codes_for_label(action) \
            else events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_name=actor) | events.filter(actor__full_name=actor)
    if unit.isdigit():
        events = events.filter(unit_id=int(unit))
    since, until = _date(params.get("since", "")), _date(params.get("until", ""))
    if since:
        events = events.filter(created_at__date__gte=since)
    if until:
        events = events.filter(created_at__date__lte=until)
    return events


def audit_log(request):
    policy.require(policy.can_view_audit(request.user), "只有政务公开办监管人员和系统管理员可以查看审计日志。")
    page, querystring = paginate(request, _filtered(request.GET), per_page=50)
    for event in page:
        event.label = event_label(event.action)
        event.rows = detail_rows(event.details, LABELS)
    verification = verify_chain() if request.GET.get("verify") else None
    return render(request, "audit/audit_log.html", {
        "page": page, "querystring": querystring, "verification": verification,
        "filters": {key: request.GET.get(key, "") for key in ("action", "actor", "unit", "since", "until")},
        "events": sorted(EVENT_LABELS.items(), key=lambda pair: pair[0]),
        "units": Unit.objects.order_by("name").only("id", "name")})
