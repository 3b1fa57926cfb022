"""Every change to units, people and roles: atomic, policy-checked, audited."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govpub.audit import log as audit

from . import policy
from .models import MeasureOrigin, Person, Role, RoleAssignment, Suspension, Unit

UNIT_FIELDS = ("name", "short_name", "kind", "code")


@transaction.atomic(durable=True)
def create_unit(*, acting_user, name: str, kind: str, short_name: str = "", code: str = "",
                has_confidentiality_review: bool = False) -> Unit:
    policy.require(policy.can_edit_units(acting_user))
    unit = Unit.objects.create(name=name, kind=kind, short_name=short_name, code=code,
                               has_confidentiality_review=has_confidentiality_review)
    audit.record("unit.create", actor=acting_user, obj=unit, unit=unit,
                 details={f: getattr(unit, f) for f in UNIT_FIELDS + ("has_confidentiality_review",)})
    return unit


@transaction.atomic(durable=True)
def update_unit(unit: Unit, *, acting_user, **changes) -> Unit:
    policy.require(policy.can_edit_units(acting_user))
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    diff = {}
    for field, value in changes.items():
        if field not in UNIT_FIELDS:
            raise ValueError(f"unit field {field!r} cannot be changed here")
        if getattr(unit, field) != value:
            diff[field] = [getattr(unit, field), value]
            setattr(unit, field, value)
    if diff:
        unit.save()
        audit.record("unit.update", actor=acting_user, obj=unit, unit=unit, details=diff)
    return unit


@transaction.atomic(durable=True)
def set_confidentiality_review(unit: Unit, *, acting_user, established: bool, note: str = "") -> Unit:
    """Without the mechanism the unit may not publish (第十二条); recording it ends that block."""
    policy.require(policy.can_set_confidentiality_review(acting_user, unit))
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    was = unit.has_confidentiality_review
    unit.has_confidentiality_review = established
    unit.confidentiality_review_note = note
    unit.save(update_fields=["has_confidentiality_review", "confidentiality_review_note"])
    audit.record("unit.confidentiality_review", actor=acting_user, obj=unit, unit=unit,
                 details={"established": established, "note": note})
    if was and not established:
        notify_supervisors("measure_imposed", f"{unit.name}登记为未建立保密审查机制，按第十二条暂停信息发布。")
    elif established and not was:
        notify_supervisors("measure_lifted", f"{unit.name}已登记保密审查机制，恢复信息发布：{note or '（无说明）'}")
    return unit


@transaction.atomic(durable=True)
def create_person(*, acting_user, username: str, full_name: str, password: str,
                  email: str = "", phone: str = "", job_title: str = "", must_change_password: bool = False) -> Person:
    policy.require(policy.can_manage_people(acting_user))
    if Person.objects.filter(username=username).exists():
        raise ValidationError({"username": "该账号已存在。"})
    person = Person(username=username, full_name=full_name, email=email, phone=phone, job_title=job_title,
                    must_change_password=must_change_password)
    validate_password(password, person)
    person.set_password(password)
    person.save()
    audit.record("person.create", actor=acting_user, obj=person,
                 details={"username": username, "full_name": full_name, "must_change_password": must_change_password})
    return person


@transaction.atomic(durable=True)
def set_person_active(person: Person, *, acting_user, active: bool) -> Person:
    policy.require(policy.can_manage_people(acting_user))
    person = Person.objects.select_for_update().get(pk=person.pk)
    person.is_active = active
    person.save(update_fields=["is_active"])
    audit.record("person.activate" if active else "person.deactivate", actor=acting_user, obj=person)
    return person


@transaction.atomic(durable=True)
def grant_role(*, acting_user, person: Person, unit: Unit, role: str) -> RoleAssignment:
    policy.require(policy.can_manage_roles(acting_user, unit))
    if RoleAssignment.objects.active().filter(person=person, unit=unit, role=role).exists():
        raise ValidationError("该人员已在本单位担任此角色。")
    assignment = RoleAssignment.objects.create(person=person, unit=unit, role=role, granted_by=acting_user)
    audit.record("role.grant", actor=acting_user, obj=assignment, unit=unit,
                 details={"person": person.username, "role": role})
    policy.forget_roles(person)
    return assignment


@transaction.atomic(durable=True)
def revoke_role(assignment: RoleAssignment, *, acting_user) -> RoleAssignment:
    policy.require(policy.can_manage_roles(acting_user, assignment.unit))
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.revoked_at:
        raise ValidationError("该角色已被撤销。")
    assignment.revoked_at = timezone.now()
    assignment.revoked_by = acting_user
    assignment.save(update_fields=["revoked_at", "revoked_by"])
    audit.record("role.revoke", actor=acting_user, obj=assignment, unit=assignment.unit_id,
                 details={"person": assignment.person.username, "role": assignment.role})
    policy.forget_roles(assignment.person)
    return assignment


def notify_supervisors(verb: str, message: str) -> None:
    """Tell the 政务公开办 of a measure imposed or lifted (in the caller's transaction; e-mail on commit)."""
    from govpub.notifications.notify import notify

    ids = RoleAssignment.objects.active().filter(role=Role.SUPERVISOR).values("person_id")
    notify(Person.objects.filter(pk__in=ids, is_active=True), None, verb, message)


@transaction.atomic(durable=True)
def suspend_unit(unit: Unit, *, acting_user, reason: str) -> Suspension:
    """暂停发布 from the unit's page: the measure is the acting person's authority's (policy.measure_origin)."""
    return impose_suspension(unit, acting_user=acting_user, reason=reason, origin=policy.measure_origin(acting_user))


@transaction.atomic(savepoint=False)
def impose_suspension(unit: Unit, *, acting_user, reason: str, origin: str, join: bool = False) -> Suspension:
    """Suspend a unit inside the caller's transaction. With `join`, a suspension already in force is returned
    instead (one per unit), and becomes the supervision's if the supervision imposes it: then only the
    supervision may lift it."""
    refusal = policy.suspension_refusal(acting_user, unit, origin)
    policy.require(refusal is None, refusal)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "请填写暂停发布的原因。"})
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    existing = Suspension.objects.select_for_update().filter(unit=unit, lifted_at__isnull=True).first()
    if existing is not None:
        if not join:
            raise ValidationError("该单位已处于暂停发布状态。")
        if existing.origin != origin and origin == MeasureOrigin.SUPERVISION:
            audit.record("unit.suspension_origin", actor=acting_user, obj=unit, unit=unit,
                         details={"suspension": existing.pk, "from": existing.origin, "to": origin, "reason": reason})
            existing.origin = origin
            existing.save(update_fields=["origin"])
        notify_supervisors("measure_imposed", f"{unit.name}已处于暂停发布状态，并再次被决定暂停：{reason}")
        return existing
    suspension = Suspension.objects.create(unit=unit, reason=reason, started_by=acting_user, origin=origin)
    audit.record("unit.suspend", actor=acting_user, obj=unit, unit=unit,
                 details={"reason": reason, "origin": origin})
    notify_supervisors("measure_imposed", f"{unit.name}已被暂停信息发布（{suspension.get_origin_display()}决定）：{reason}")
    return suspension


_lift_hooks: list = []


def on_lift(hook) -> None:
    """Run hook(suspension, acting_user) after every lift in lift_suspension's transaction (supervision
    records the lift in the history of each ticket whose 整改令 the suspension is; orgs may not import it)."""
    if hook not in _lift_hooks:
        _lift_hooks.append(hook)


@transaction.atomic(durable=True)
def lift_suspension(unit: Unit, *, acting_user, reason: str) -> Suspension:
    """解除暂停发布 from the unit's page: only the authority that imposed it may (orgs.policy)."""
    suspension = release_suspension(unit, acting_user=acting_user, reason=reason)
    for hook in _lift_hooks:
        hook(suspension, acting_user)
    return suspension


@transaction.atomic(savepoint=False)
def release_suspension(unit: Unit, *, acting_user, reason: str) -> Suspension:
    """Lift a unit's suspension inside the caller's transaction; only the authority that imposed it may."""
    policy.require(policy.can_suspend(acting_user, unit))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "请填写解除暂停的说明。"})
    suspension = Suspension.objects.select_for_update().filter(unit=unit, lifted_at__isnull=True).first()
    if suspension is None:
        if not Unit.objects.get(pk=unit.pk).has_confidentiality_review:
            raise ValidationError("该单位因未建立保密审查机制暂停信息发布（第十二条），没有可解除的暂停决定："
                                  "请登记保密审查机制，登记后即恢复发布。")
        raise ValidationError("该单位当前没有被暂停发布。")
    policy.require(policy.can_lift_suspension(acting_user, suspension), policy.lift_refused_message(suspension.origin))
    suspension.lifted_at = timezone.now()
    suspension.lifted_by = acting_user
    suspension.lift_reason = reason
    suspension.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    audit.record("unit.lift_suspension", actor=acting_user, obj=unit, unit=unit,
                 details={"reason": reason, "origin": suspension.origin})
    notify_supervisors("measure_lifted", f"{unit.name}的暂停发布已解除（{acting_user.display_name}）：{reason}")
    return suspension


@transaction.atomic(durable=True)
def bootstrap_admin(*, unit: Unit, username: str, full_name: str, password: str) -> Person:
    """Create the very first administrator. Refused once any administrator exists."""
    from .models import Role

    if RoleAssignment.objects.active().filter(role=Role.ADMIN).exists():
        raise ValidationError("系统已有管理员，请由现有管理员创建账号。")
    person = Person(username=username, full_name=full_name)
    validate_password(password, person)
    person.set_password(password)
    person.save()
    assignment = RoleAssignment.objects.create(person=person, unit=unit, role=Role.ADMIN)
    audit.record("person.bootstrap_admin", obj=person, unit=unit,
                 details={"username": username, "assignment": assignment.pk})
    return person


@transaction.atomic(durable=True)
def change_password(person: Person, *, acting_user, new_password: str) -> Person:
    """A person changes their own password (the current one was checked by the caller)."""
    if acting_user is None or acting_user.pk != person.pk:
        raise ValidationError("只能修改本人的密码。")
    person = Person.objects.select_for_update().get(pk=person.pk)
    validate_password(new_password, person)
    forced = person.must_change_password
    person.set_password(new_password)
    person.must_change_password = False
    person.save()
    audit.record("person.password_change", actor=acting_user, obj=person,
                 details={"username": person.username, "forced": forced})
    return person
