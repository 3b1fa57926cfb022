from govpub.orgs import policy as orgs_policy


# Refusals said once: the action raises them, the view that checks first shows the same words.
EDIT_REFUSAL = "只有系统管理员可以维护词库。"


def can_view_lexicons(user) -> bool:
    return orgs_policy.is_admin(user) or orgs_policy.is_supervisor(user)


def can_edit_lexicons(user) -> bool:
    """DESIGN.md §1: admins keep the lexicons."""
    return orgs_policy.is_admin(user)
