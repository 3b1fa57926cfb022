"""Who may see and do what with units, people and roles. Views never decide this themselves."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import MeasureOrigin, Person, Role, RoleAssignment, Unit

NOT_FOUND_MESSAGE = "对象不存在，或您无权查看。"


def require(allowed: bool, message: str = "您没有权限执行此操作。") -> None:
    """403 for what the person may see but not do; what they may not even see is get_visible_or_404's."""
    if not allowed:
        raise PermissionDenied(message)


def get_visible_or_404(may_view, user, queryset, **lookup):
    """The object if `may_view(user, obj)`, else the very 404 of an id that does not exist.

    Answering 403 for another unit's object and 404 for a missing one would tell anyone which ids exist,
    so every lookup by id goes through here before any may-do check (which stays a 403 from `require`)."""
    try:
        obj = get_object_or_404(queryset, **lookup)
    except Http404:
        raise Http404(NOT_FOUND_MESSAGE) from None
    if not may_view(user, obj):
        raise Http404(NOT_FOUND_MESSAGE)
    return obj


def active_roles(user) -> frozenset[tuple[int, str]]:
    """(unit_id, role) pairs the user holds now; cached on the user object for one request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_govpub_roles", None)
    if cached is None:
        cached = frozenset(RoleAssignment.objects.active().filter(person=user).values_list("unit_id", "role"))
        user._govpub_roles = cached
    return cached


def forget_roles(user) -> None:
    user.__dict__.pop("_govpub_roles", None)


def has_role(user, role: str, unit=None) -> bool:
    unit_id = getattr(unit, "pk", unit)
    return any(r == role and (unit_id is None or u == unit_id) for u, r in active_roles(user))


def is_admin(user) -> bool:
    return has_role(user, Role.ADMIN)


def is_supervisor(user) -> bool:
    return has_role(user, Role.SUPERVISOR)


def oversees_everything(user) -> bool:
    """The 政务公开办 supervises all units; admins manage all of them."""
    return is_admin(user) or is_supervisor(user)


def member_unit_ids(user) -> set[int]:
    return {unit_id for unit_id, _ in active_roles(user)}


CONTENT_ROLES = frozenset({Role.PRINCIPAL, Role.DEPUTY, Role.OFFICE_HEAD, Role.EDITOR})


def content_unit_ids(user) -> set[int]:
    """Units whose content the user works on: an admin role manages accounts, not content (DESIGN §1)."""
    return {unit_id for unit_id, role in active_roles(user) if role in CONTENT_ROLES}


def visible_units(user):
    if oversees_everything(user):
        return Unit.objects.all()
    return Unit.objects.filter(pk__in=member_unit_ids(user))


def can_view_unit(user, unit: Unit) -> bool:
    return oversees_everything(user) or unit.pk in member_unit_ids(user)


def can_view_role(user, assignment: RoleAssignment) -> bool:
    return can_view_unit(user, assignment.unit)


def can_edit_units(user) -> bool:
    return is_admin(user)


def can_manage_roles(user, unit: Unit | None = None) -> bool:
    return is_admin(user)


def can_manage_people(user) -> bool:
    return is_admin(user)


def can_suspend(user, unit: Unit | None = None) -> bool:
    """Suspension is a supervision measure (第十二条): the 政务公开办 or an admin."""
    return is_supervisor(user) or is_admin(user)


def suspension_refusal(user, unit: Unit | None, origin: str) -> str | None:
    """Why this person may not impose a suspension of this origin, or None if they may."""
    if not can_suspend(user, unit):
        return "您没有权限暂停单位发布。"
    if origin == MeasureOrigin.SUPERVISION and not is_supervisor(user):
        return "只有区政务公开办的监管人员可以下达监管措施。"
    return None


def measure_origin(user) -> str:
    """The authority a measure this user imposes comes from: a supervisor acts for the 政务公开办 even when
    also an admin, so that what they impose is theirs to lift."""
    if is_supervisor(user):
        return MeasureOrigin.SUPERVISION
    if is_admin(user):
        return MeasureOrigin.ADMIN
    return MeasureOrigin.UNIT


def holds_authority(user, origin: str) -> bool:
    """Whether the user speaks for the authority that imposed a measure (only it lifts the measure)."""
    if origin == MeasureOrigin.SUPERVISION:
        return is_supervisor(user)
    if origin == MeasureOrigin.ADMIN:
        return is_admin(user)
    return True  # the unit's own measure: whoever may change it at all


LIFT_REFUSED = {
    MeasureOrigin.SUPERVISION: "该措施由区政务公开办下达（监管措施），只能由区政务公开办的监管人员解除。",
    MeasureOrigin.ADMIN: "该措施由系统管理员决定，只能由系统管理员解除。",
}


def can_lift_suspension(user, suspension) -> bool:
    """Only the authority that imposed the suspension lifts it."""
    return can_suspend(user, suspension.unit_id) and holds_authority(user, suspension.origin)


def lift_refused_message(origin: str) -> str:
    return LIFT_REFUSED.get(origin, "您没有权限执行此操作。")


def can_set_confidentiality_review(user, unit: Unit | None = None) -> bool:
    return is_supervisor(user) or is_admin(user)


def can_view_audit(user) -> bool:
    return is_supervisor(user) or is_admin(user)


def visible_people(user):
    if oversees_everything(user):
        return Person.objects.all()
    return Person.objects.filter(roles__unit_id__in=member_unit_ids(user), roles__revoked_at__isnull=True).distinct()


def can_view_person(user, person: Person) -> bool:
    return person.pk == user.pk or visible_people(user).filter(pk=person.pk).exists()
