from django.shortcuts import render

from govpub.orgs import policy
from govpub.ui.paging import paginate

from govpub.audit.log import verify_chain
from govpub.audit.models import AuditEvent


def audit_log(request):
    policy.require(policy.can_view_audit(request.user), "只有政务公开办监管人员和系统管理员可以查看审计日志。")
    events = AuditEvent.objects.order_by("-seq")
    action, actor = request.GET.get("action", "").strip(), request.GET.get("actor", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_name=actor)
    page, querystring = paginate(request, events, per_page=50)
    verification = verify_chain() if request.GET.get("verify") else None
    return render(request, "audit/audit_log.html", {
        "page": page, "querystring": querystring, "action": action, "actor": actor, "verification": verification})
