"""Who must, and who may, use the second factor. Views and the middleware ask here, never decide themselves."""

from __future__ import annotations

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from govpub.orgs import policy as org_policy


def required_roles() -> frozenset[str]:
    return frozenset(getattr(settings, "GOVPUB_2FA_REQUIRED_ROLES", ()))


def role_requires_two_factor(user) -> bool:
    """True if one of the user's active roles is in GOVPUB_2FA_REQUIRED_ROLES."""
    required = required_roles()
    return bool(required) and any(role in required for _unit, role in org_policy.active_roles(user))


def confirmed_totp(user) -> TOTPDevice | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def has_confirmed_device(user) -> bool:
    return confirmed_totp(user) is not None


def is_verified(user) -> bool:
    return bool(getattr(user, "is_verified", None) and user.is_verified())


def can_enrol(user) -> bool:
    """Anyone signed in may enrol (editors voluntarily). Replacing an existing device needs a verified session,
    or a password alone would be enough to swap in an attacker's authenticator."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return is_verified(user) or not has_confirmed_device(user)


def can_reset_two_factor(user, person) -> bool:
    """A system administrator resets someone else's second factor (lost phone); never their own from here."""
    return org_policy.can_manage_people(user) and person.pk != getattr(user, "pk", None)
