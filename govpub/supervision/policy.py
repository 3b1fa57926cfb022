"""Who may see and do what in supervision. Views, tasks and the CLI never decide this themselves."""

from __future__ import annotations

from govpub.orgs import policy as orgs_policy
from govpub.orgs.models import UNIT_ROLES
from govpub.orgs.policy import get_visible_or_404, require  # noqa: F401  (re-exported: `policy.require(...)`)

from .models import Ticket


# Refusals said once: the action raises them, the view that checks first shows the same words.
ASSIGN_REFUSAL = "只有区政务公开办的监管人员可以交办问题。"
RECTIFY_REFUSAL = "只有责任单位的人员可以报送整改情况。"
INDICATORS_REFUSAL = "只有区政务公开办的监管人员可以修订检查指标。"
SCORES_REFUSAL = "只有区政务公开办的监管人员可以计算指标得分。"
WEIGHTS_REFUSAL = "只有区政务公开办的监管人员可以调整考核权重。"
SCHEDULE_INSPECTION_REFUSAL = "只有区政务公开办的监管人员可以安排督查。"
SAMPLE_REFUSAL = "只有区政务公开办的监管人员可以抽样。"
SAMPLE_REVIEW_REFUSAL = "只有区政务公开办的监管人员可以复核抽样稿件。"
INCIDENT_REFUSAL = "只有区政务公开办的监管人员可以记录责任追究事件。"
ACCOUNTABILITY_REFUSAL = "只有区政务公开办的监管人员可以记录问责决定。"
MONITORING_REFUSAL = "只有区政务公开办的监管人员可以启动监测。"
MONITOR_REFUSAL = "只有区政务公开办和管理员可以查看监测问题。"
DESK_REFUSAL = "监管工作台只对区政务公开办的监管人员开放。"


def is_supervisor(user) -> bool:
    return orgs_policy.is_supervisor(user)


def visible_tickets(user):
    """The 政务公开办 and admins see every ticket; a unit's people see their own unit's."""
    if orgs_policy.oversees_everything(user):
        return Ticket.objects.all()
    return Ticket.objects.filter(unit_id__in=orgs_policy.member_unit_ids(user))


def can_view_ticket(user, ticket: Ticket) -> bool:
    return orgs_policy.oversees_everything(user) or ticket.unit_id in orgs_policy.member_unit_ids(user)


def can_view_event(user, event) -> bool:
    return can_view_ticket(user, event.ticket)


def can_assign(user) -> bool:
    """问题交办 is the 政务公开办's measure (第十一条(一))."""
    return is_supervisor(user)


def can_verify(user, ticket: Ticket | None = None) -> bool:
    return is_supervisor(user)


def can_escalate(user, ticket: Ticket | None = None) -> bool:
    """限期整改令 (suspension) and 责令关停."""
    return is_supervisor(user)


def can_rectify(user, ticket: Ticket) -> bool:
    """The responsible unit's own people accept the ticket and report what they did."""
    return any(orgs_policy.has_role(user, role, ticket.unit_id) for role in UNIT_ROLES)


def rectifying_unit_ids(user) -> set:
    """The units whose tickets this person may sign for and rectify (can_rectify, for a list)."""
    return {unit for unit, role in orgs_policy.active_roles(user) if role in UNIT_ROLES}


def can_start_monitoring(user) -> bool:
    return is_supervisor(user)


def can_view_desk(user) -> bool:
    return is_supervisor(user)


def can_run_system_task(user) -> bool:
    """Reminders and overdue marking run as the system (user None) or by a supervisor."""
    return user is None or is_supervisor(user)


def can_edit_indicators(user) -> bool:
    return is_supervisor(user)


def can_view_indicators(user) -> bool:
    return orgs_policy.oversees_everything(user)


def visible_scores(user):
    from .models import IndicatorScore

    if orgs_policy.oversees_everything(user):
        return IndicatorScore.objects.all()
    return IndicatorScore.objects.filter(channel__operator_unit_id__in=orgs_policy.member_unit_ids(user))


def can_inspect(user) -> bool:
    """督查 is planned and carried out by the 政务公开办."""
    return is_supervisor(user)


def can_record_incidents(user) -> bool:
    return is_supervisor(user)


def visible_incidents(user):
    from .models import Incident

    if orgs_policy.oversees_everything(user):
        return Incident.objects.all()
    return Incident.objects.filter(unit_id__in=orgs_policy.member_unit_ids(user))
