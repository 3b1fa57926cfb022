"""The staff page where the administrator sets what the public site says about itself."""

from django.shortcuts import redirect, render

from govpub.orgs.policy import require
from govpub.ui.forms import run_form_action

from . import actions, identity, policy
from .actions import TEXT_FIELDS
from .forms import SiteIdentityForm


def site_identity(request):
    require(policy.identity_refusal(request.user) is None, policy.IDENTITY_REFUSAL)
    row = identity.stored()
    form = SiteIdentityForm(request.POST or None, request.FILES or None,
                            initial={name: getattr(row, name) for name in TEXT_FIELDS})
    saved = run_form_action(request, form, lambda data: actions.update_site_identity(
        acting_user=request.user, **form.action_arguments()), "网站标识信息已保存，公众页面即时生效。")
    if saved:
        return redirect("site_identity")
    return render(request, "portal/site_identity.html", {
        "form": form, "title": "网站标识", "current": identity.current(), "row": row})
