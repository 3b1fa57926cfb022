from govpub.orgs import policy as orgs_policy


def can_view_lexicons(user) -> bool:
    return orgs_policy.is_admin(user) or orgs_policy.is_supervisor(user)


def can_edit_lexicons(user) -> bool:
    """DESIGN.md §1: admins keep the lexicons."""
    return orgs_policy.is_admin(user)
