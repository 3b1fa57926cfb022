from govpub.orgs import policy as orgs_policy
from govpub.supervision import policy as supervision_policy


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_can_view_audit": orgs_policy.can_view_audit(user),
        "nav_oversees": orgs_policy.oversees_everything(user),
        "nav_is_admin": orgs_policy.is_admin(user),
        "nav_desk": supervision_policy.can_view_desk(user),
    }
