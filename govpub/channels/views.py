from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from govpub.audit.models import AuditEvent
from govpub.orgs.policy import get_visible_or_404, require
from govpub.ui.forms import run_form_action
from govpub.ui.paging import paginate
from govpub.ui.reauth import reauth_required

from . import actions, policy
from .forms import ChannelForm, ColumnForm, ContentListEntryForm, StatusForm
from .models import Channel, ChannelKind, ChannelStatus, ContentListEntry


def _visible_channel(request, pk) -> Channel:
    channel = get_visible_or_404(policy.can_view_channel, request.user,
                                 Channel.objects.select_related("sponsor_unit", "operator_unit"), pk=pk)
    return channel


def channel_list(request):
    channels = policy.visible_channels(request.user).select_related("sponsor_unit", "operator_unit")
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    if kind:
        channels = channels.filter(kind=kind)
    if status:
        channels = channels.filter(status=status)
    page, querystring = paginate(request, channels)
    return render(request, "channels/channel_list.html", {
        "page": page, "querystring": querystring, "kinds": ChannelKind.choices, "statuses": ChannelStatus.choices,
        "kind": kind, "status": status, "can_create": policy.can_edit_channels(request.user)})


def _column_tree(channel):
    columns = list(channel.columns.select_related("parent"))
    children = {}
    for column in columns:
        children.setdefault(column.parent_id, []).append(column)
    ordered = []

    def walk(parent_id, depth):
        for column in children.get(parent_id, []):
            column.tree_depth = depth
            ordered.append(column)
            walk(column.pk, depth + 1)

    walk(None, 0)
    return ordered


def channel_detail(request, pk):
    channel = _visible_channel(request, pk)
    user = request.user
    history = AuditEvent.objects.filter(object_type="channels.channel", object_id=str(channel.pk),
                                        action="channel.status").select_related("actor")
    return render(request, "channels/channel_detail.html", {
        "channel": channel,
        "columns": _column_tree(channel) if channel.is_website else [],
        "content_list": channel.content_list.filter(is_active=True).select_related(
            "column", "responsible_unit", "responsible_person"),
        "history": history,
        "can_edit": policy.can_edit_channels(user),
        "can_change_status": policy.can_change_status(user, channel, "") and channel.status != ChannelStatus.CLOSED,
        "can_edit_structure": policy.can_edit_structure(user, channel),
    })


def channel_create(request):
    require(policy.can_edit_channels(request.user))
    form = ChannelForm(request.POST or None)
    channel = run_form_action(request, form, lambda data: actions.create_channel(acting_user=request.user, **data),
                              lambda channel: f"已登记渠道“{channel.name}”。")
    if channel:
        return redirect("channel_detail", pk=channel.pk)
    return render(request, "web/form.html", {"form": form, "title": "登记渠道"})


def channel_edit(request, pk):
    channel = _visible_channel(request, pk)
    require(policy.can_edit_channels(request.user))
    initial = {f: getattr(channel, f) for f in actions.CHANNEL_FIELDS}
    form = ChannelForm(request.POST or None, channel=channel, initial=initial)
    saved = run_form_action(request, form, lambda data: actions.update_channel(
        channel, acting_user=request.user, **{k: v for k, v in data.items() if k != "kind"}), "渠道信息已保存。")
    if saved:
        return redirect("channel_detail", pk=channel.pk)
    return render(request, "web/form.html", {"form": form, "title": f"编辑渠道：{channel.name}"})


@reauth_required(lambda request, pk: reverse("channel_detail", args=[pk]), form_page=True)
def channel_status(request, pk):
    channel = _visible_channel(request, pk)
    require(policy.can_change_status(request.user, channel, ""))
    form = StatusForm(request.POST or None, channel=channel)
    if run_form_action(request, form, lambda data: actions.change_channel_status(
            channel, acting_user=request.user, **data), success="渠道状态已变更。"):
        return redirect("channel_detail", pk=channel.pk)
    return render(request, "web/form.html", {
        "form": form, "title": f"变更渠道状态：{channel.name}",
        "intro": "运行 → 暂停 → 运行；关停后不可恢复，渠道及其记录永久保留。"})


def column_create(request, pk):
    channel = _visible_channel(request, pk)
    require(policy.can_edit_structure(request.user, channel))
    form = ColumnForm(request.POST or None, channel=channel)
    if run_form_action(request, form, lambda data: actions.create_column(
            acting_user=request.user, channel=channel, **data), success="栏目已添加。"):
        return redirect("channel_detail", pk=channel.pk)
    return render(request, "web/form.html", {"form": form, "title": f"添加栏目：{channel.name}"})


def content_list_add(request, pk):
    channel = _visible_channel(request, pk)
    require(policy.can_edit_structure(request.user, channel))
    form = ContentListEntryForm(request.POST or None, channel=channel)
    if run_form_action(request, form, lambda data: actions.add_content_list_entry(
            acting_user=request.user, channel=channel, **data), success="发布内容清单条目已添加。"):
        return redirect("channel_detail", pk=channel.pk)
    return render(request, "web/form.html", {"form": form, "title": f"添加发布内容清单条目：{channel.name}"})


@require_POST
def content_list_deactivate(request, pk):
    entry = get_visible_or_404(policy.can_view_entry, request.user,
                               ContentListEntry.objects.select_related("channel"), pk=pk)
    require(policy.can_edit_structure(request.user, entry.channel))
    actions.deactivate_content_list_entry(entry, acting_user=request.user)
    messages.success(request, "清单条目已停用（记录保留）。")
    return redirect("channel_detail", pk=entry.channel_id)


def content_list_all(request):
    entries = ContentListEntry.objects.filter(
        is_active=True, channel__in=policy.visible_channels(request.user)
    ).select_related("channel", "column", "responsible_unit", "responsible_person")
    page, querystring = paginate(request, entries, per_page=50)
    return render(request, "channels/content_list.html", {"page": page, "querystring": querystring})
