"""Who may mint and revoke API tokens."""

from __future__ import annotations

from govpub.orgs import policy as orgs_policy


def can_manage_tokens(user, person) -> bool:
    """A person manages their own tokens; admins manage anyone's. acting_user=None is the server operator (CLI)."""
    if user is None:
        return True
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and (user.pk == person.pk or orgs_policy.is_admin(user)))
