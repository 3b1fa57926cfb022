"""Staff pages of the public site: what it says about itself (administrator), and a revision's article page
before it is published (its unit's people and the supervisors)."""

from django.http import Http404
from django.shortcuts import redirect, render

from govpub.content import policy as content_policy
from govpub.content.models import Item
from govpub.orgs.policy import get_visible_or_404

from govpub.orgs.policy import require
from govpub.ui.forms import run_form_action

from . import actions, identity, policy, views
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


def item_preview(request, pk):
    item = get_visible_or_404(content_policy.can_view_item, request.user, Item.objects.select_related("unit"), pk=pk)
    number = request.GET.get("revision", "")
    revision = item.revision_or_current(number if number.isdigit() else None)
    if revision is None:
        raise Http404("没有这个版本。")
    return views.preview(request, item, revision)
