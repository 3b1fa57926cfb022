"""Who supervision tells: a unit's people or leaders, and the 政务公开办's supervisors (reads only)."""

from __future__ import annotations

from govpub.orgs.models import UNIT_ROLES, Person, Role, RoleAssignment


def unit_people(unit_id, roles=UNIT_ROLES) -> list[Person]:
    ids = RoleAssignment.objects.active().filter(unit_id=unit_id, role__in=roles).values("person_id")
    return list(Person.objects.filter(pk__in=ids, is_active=True))


def unit_leads(unit_id) -> list[Person]:
    return unit_people(unit_id, (Role.OFFICE_HEAD, Role.PRINCIPAL))


def supervisors() -> list[Person]:
    ids = RoleAssignment.objects.active().filter(role=Role.SUPERVISOR).values("person_id")
    return list(Person.objects.filter(pk__in=ids, is_active=True))
