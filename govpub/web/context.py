from govpub.orgs import policy as orgs_policy
from govpub.ui import resume
from govpub.supervision import policy as supervision_policy
from govpub.supervision.duties import duties_for


def request_duties(request) -> list:
    """The signed-in person's 待办, computed once per request (the navigation's count and the home page)."""
    if not hasattr(request, "_govpub_duties"):
        request._govpub_duties = duties_for(request.user)
    return request._govpub_duties


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_can_view_audit": orgs_policy.can_view_audit(user),
        "nav_oversees": orgs_policy.oversees_everything(user),
        "nav_is_admin": orgs_policy.is_admin(user),
        "nav_desk": supervision_policy.can_view_desk(user),
        "nav_todo_count": len(request_duties(request)),
        "resume_form": resume.take(request),
    }
