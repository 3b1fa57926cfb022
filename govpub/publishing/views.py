"""Publish now / 定时发布, cancel a schedule, 撤稿 — and the 发布 overview."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from govpub.content import policy as content_policy
from govpub.content.models import ItemState
from govpub.ui.forms import run_action
from govpub.ui.paging import paginate
from govpub.ui.reauth import reauth_required

from . import actions, policy
from .forms import PublishForm, WithdrawForm
from .models import Publication, PublicationStatus


def publishing_context(request, item, publish_form=None, withdraw_form=None) -> dict:
    user = request.user
    can_publish = policy.can_publish(user, item) and item.state in (ItemState.APPROVED, ItemState.SCHEDULED)
    publications = list(Publication.objects.filter(item=item).select_related(
        "revision", "channel", "column", "published_by").prefetch_related("delivery_attempts"))
    return {
        "can_publish": can_publish,
        "publish_form": publish_form or PublishForm(initial={"revision_hash": item.current_revision.content_hash}),
        "can_cancel_schedule": policy.can_publish(user, item) and item.state == ItemState.SCHEDULED,
        "can_withdraw": (policy.can_withdraw(user, item) and item.live_revision_id is not None
                         and item.state != ItemState.WITHDRAWN
                         and any(p.status != PublicationStatus.WITHDRAWN for p in publications)),
        "withdraw_form": withdraw_form or WithdrawForm(),
        "publications": publications,
        "channel_publications": [p for p in publications if p.column_id is None],
        "public_url": actions.public_url(item),
    }


def item_preview_wechat(request, pk):
    """The WeChat post of a revision before it is published: phone width, WeChat's typography and limits."""
    from govpub.channels.targets import resolve, wechat_accounts
    from govpub.content.views import _get_item

    from .connectors import wechat

    item = _get_item(request, pk)
    number = request.GET.get("revision", "")
    revision = item.revision_or_current(number if number.isdigit() else None)
    if revision is None:
        raise Http404("没有这个版本。")
    accounts = wechat_accounts(resolve(revision.targets))
    response = render(request, "publishing/preview_wechat.html", {
        "item": item, "revision": revision, "accounts": accounts, "post": wechat.preview(revision),
        "title": f"微信图文预览：{revision.title}"})
    response["Cache-Control"] = "private, no-store"
    return response


def _item_page(request, pk):
    return reverse("item_detail", args=[pk])


@require_POST
@reauth_required(_item_page)
def publish(request, pk):
    from govpub.content.views import _get_item, render_item

    item = _get_item(request, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "定时发布时间格式不正确。")
        return render_item(request, item, status=400, **publishing_context(request, item, publish_form=form))
    at = form.cleaned_data["at"]
    mode = request.POST.get("mode", "")
    if mode == "now":
        at = None
    elif mode == "at" and at is None:
        form.add_error("at", "请选择定时发布时间。")
        return render_item(request, item, status=400, **publishing_context(request, item, publish_form=form))
    if at is not None:
        if timezone.is_naive(at):
            at = timezone.make_aware(at)
        if at <= timezone.now():
            form.add_error("at", "定时发布时间须晚于当前时间；立即发布请留空。")
            return render_item(request, item, status=400, **publishing_context(request, item, publish_form=form))
    if at is None and request.POST.get("confirmed") != "1":
        return _confirm_publish(request, item, form.cleaned_data["revision_hash"])
    try:
        publications = actions.publish_item(item, acting_user=request.user,
                                            revision_hash=form.cleaned_data["revision_hash"], at=at)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("item_detail", pk=item.pk)
    if at is not None and not publications:
        messages.success(request, f"已安排定时发布：{timezone.localtime(at):%Y-%m-%d %H:%M}。")
    else:
        messages.success(request, f"已发布到 {len(publications)} 个目标。")
    return redirect("item_detail", pk=item.pk)


def _confirm_publish(request, item, revision_hash):
    """立即发布 goes online at once on every target: say where before it does."""
    from govpub.channels.targets import resolve, wechat_accounts
    from govpub.orgs.policy import require

    require(policy.can_publish(request.user, item), policy.PUBLISH_REFUSAL)
    from .gate import gate_problems

    revision = item.current_revision
    from govpub.content import lifecycle

    problems = gate_problems(item, revision_hash)  # say now what would stop it, rather than after 确认
    if not lifecycle.allowed(item, "publish"):
        problems.insert(0, policy.publish_state_refusal(item))
    try:
        targets = resolve(revision.targets)
    except ValidationError:
        targets = []
    return render(request, "publishing/confirm.html", {
        "item": item, "revision": revision, "revision_hash": revision_hash, "targets": targets, "problems": problems,
        "has_wechat": bool(wechat_accounts(targets)), "title": "确认立即发布"})


@require_POST
@reauth_required(_item_page)
def cancel_schedule(request, pk):
    from govpub.content.views import _get_item

    item = _get_item(request, pk)
    run_action(request, lambda: actions.cancel_schedule(item, acting_user=request.user), "已取消定时发布。")
    return redirect("item_detail", pk=item.pk)


@require_POST
@reauth_required(_item_page)
def withdraw(request, pk):
    from govpub.content.views import _get_item, render_item

    item = _get_item(request, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        if run_action(request, lambda: actions.withdraw_item(item, acting_user=request.user,
                                                             reason=form.cleaned_data["reason"]),
                      "已撤稿：稿件已从所有渠道撤下，全部记录保留。"):
            return redirect("item_detail", pk=item.pk)
    else:
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
    return render_item(request, item, status=400, **publishing_context(request, item, withdraw_form=form))


def publishing_list(request):
    items = (content_policy.visible_items(request.user)
             .filter(state__in=[ItemState.APPROVED, ItemState.SCHEDULED, ItemState.PUBLISHED, ItemState.WITHDRAWN])
             .select_related("current_revision", "unit").defer("current_revision__body_html")
             .order_by("-state_changed_at", "-id"))
    state = request.GET.get("state", "")
    if state in ItemState.values:
        items = items.filter(state=state)
    page, querystring = paginate(request, items)
    states = [(s, label) for s, label in ItemState.choices
              if s in (ItemState.APPROVED, ItemState.SCHEDULED, ItemState.PUBLISHED, ItemState.WITHDRAWN)]
    return render(request, "publishing/list.html", {"page": page, "querystring": querystring, "state": state,
                                                    "states": states})


def _slip_for(request, pk):
    """The item (as its viewers may see it) and the revision asked for (?revision=N), else the one online,
    else the current one."""
    from django.http import Http404

    from govpub.content.models import Item
    from govpub.orgs.policy import get_visible_or_404

    from .slip import revision_for

    item = get_visible_or_404(content_policy.can_view_item, request.user,
                              Item.objects.select_related("current_revision", "live_revision", "unit", "author"), pk=pk)
    number = request.GET.get("revision", "")
    if number and not number.isdigit():
        raise Http404("该稿件没有这个版本。")
    revision = revision_for(item, int(number) if number else None)
    if revision is None:
        raise Http404("该稿件没有这个版本。")
    return item, revision


def item_slip(request, pk):
    """审核签发单, printable (the page's print style leaves out the navigation)."""
    from . import slip

    item, revision = _slip_for(request, pk)
    return render(request, "publishing/slip.html", {"item": item, "slip": slip.build(item, revision),
                                                    "revisions": item.revisions.order_by("-number")})


def item_slip_pdf(request, pk):
    from django.http import HttpResponse

    from . import slip

    item, revision = _slip_for(request, pk)
    response = HttpResponse(slip.pdf(slip.build(item, revision)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="slip-{item.pk}-v{revision.number}.pdf"'
    return response
