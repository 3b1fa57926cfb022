"""Every change to units, people and roles: atomic, policy-checked, audited."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govpub.audit import log as audit

from . import policy
from .models import Person, RoleAssignment, Suspension, Unit

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
    policy.require(policy.can_set_confidentiality_review(acting_user, unit))
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    unit.has_confidentiality_review = established
    unit.confidentiality_review_note = note
    unit.save(update_fields=["has_confidentiality_review", "confidentiality_review_note"])
    audit.record("unit.confidentiality_review", actor=acting_user, obj=unit, unit=unit,
                 details={"established": established, "note": note})
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


@transaction.atomic(durable=True)
def suspend_unit(unit: Unit, *, acting_user, reason: str) -> Suspension:
    policy.require(policy.can_suspend(acting_user, unit))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "请填写暂停发布的原因。"})
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.is_suspended:
        raise ValidationError("该单位已处于暂停发布状态。")
    suspension = Suspension.objects.create(unit=unit, reason=reason, started_by=acting_user)
    audit.record("unit.suspend", actor=acting_user, obj=unit, unit=unit, details={"reason": reason})
    return suspension


@transaction.atomic(durable=True)
def lift_suspension(unit: Unit, *, acting_user, reason: str) -> Suspension:
    policy.require(policy.can_suspend(acting_user, unit))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "请填写解除暂停的说明。"})
    suspension = Suspension.objects.select_for_update().filter(unit=unit, lifted_at__isnull=True).first()
    if suspension is None:
        raise ValidationError("该单位当前没有被暂停发布。")
    suspension.lifted_at = timezone.now()
    suspension.lifted_by = acting_user
    suspension.lift_reason = reason
    suspension.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    audit.record("unit.lift_suspension", actor=acting_user, obj=unit, unit=unit, details={"reason": reason})
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
