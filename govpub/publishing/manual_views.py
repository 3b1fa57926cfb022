"""Pages of the delivery side of publishing: the manual-posting to-do list, re-sending a failed
delivery, channel API credentials (admins), and the WeChat push endpoint. Thin: actions decide."""

from __future__ import annotations

import hashlib
import hmac
import logging
import xml.etree.ElementTree as ET

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from govpub.channels.models import Channel, ChannelKind
from govpub.channels.policy import can_view_channel
from govpub.orgs.policy import get_visible_or_404
from govpub.ui.forms import run_action, run_form_action

from . import actions, delivery, manual, policy
from .credentials import SECRET_LABELS, credentials_for, secrets_set
from .models import Publication

logger = logging.getLogger(__name__)


class ManualPostForm(forms.Form):
    url = forms.CharField(label="发布地址", max_length=500)


def _visible_publication(request, pk) -> Publication:
    return get_visible_or_404(policy.can_view_publication, request.user,
                              Publication.objects.select_related("item", "channel"), pk=pk)


def manual_list(request):
    tasks = list(manual.manual_tasks_for(request.user)[:200])
    for task in tasks:
        task.copy_text = manual.copy_text(task)
    return render(request, "publishing/manual.html", {"tasks": tasks, "form": ManualPostForm()})


@require_POST
def manual_post(request, pk):
    publication = _visible_publication(request, pk)
    form = ManualPostForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写发布地址。")
        return redirect("manual_tasks")
    run_action(request, lambda: actions.record_manual_post(publication, acting_user=request.user,
                                                           url=form.cleaned_data["url"]), "已登记发布地址。")
    return redirect("manual_tasks")


@require_POST
def manual_withdrawn(request, pk):
    publication = _visible_publication(request, pk)
    run_action(request, lambda: actions.record_manual_withdrawal(publication, acting_user=request.user),
               "已确认从平台撤下。")
    return redirect("manual_tasks")


@require_POST
def resend(request, pk):
    publication = _visible_publication(request, pk)
    run_action(request, lambda: actions.resend(publication, acting_user=request.user), "已重新加入发送队列。")
    return redirect("item_detail", pk=publication.item_id)


# --- channel API credentials (admins only) -------------------------------------------------------
class CredentialForm(forms.Form):
    app_id = forms.CharField(label="AppID / App Key", max_length=100, required=False)
    app_secret = forms.CharField(label=SECRET_LABELS["app_secret"], required=False, max_length=500,
                                 widget=forms.PasswordInput(render_value=False))
    access_token = forms.CharField(label=SECRET_LABELS["access_token"], required=False, max_length=1000,
                                   widget=forms.PasswordInput(render_value=False))
    callback_token = forms.CharField(label=SECRET_LABELS["callback_token"], required=False, max_length=200,
                                     widget=forms.PasswordInput(render_value=False))
    api_base = forms.CharField(label="接口地址（留空为平台正式地址）", max_length=200, required=False)


@require_http_methods(["GET", "POST"])
def channel_credentials(request, pk):
    channel = get_visible_or_404(can_view_channel, request.user, Channel, pk=pk)
    if not policy.can_set_credentials(request.user):
        raise PermissionDenied(policy.CREDENTIALS_REFUSAL)
    if channel.kind not in (ChannelKind.WECHAT, ChannelKind.WEIBO):
        messages.error(request, "该渠道没有可用的接口，采用人工发布，无需设置凭据。")
    stored = credentials_for(channel)
    form = CredentialForm(request.POST or None, initial={"app_id": stored.app_id if stored else "",
                                                         "api_base": stored.api_base if stored else ""})
    if run_form_action(request, form, lambda data: actions.set_credentials(channel, acting_user=request.user, **data),
                       success="接口凭据已保存（密钥已加密存储，不再显示）。"):
        return redirect("channel_credentials", pk=channel.pk)
    present = secrets_set(channel)
    return render(request, "publishing/credentials.html", {
        "channel": channel, "form": form,
        "secret_fields": [(form[name], present[name]) for name in ("app_secret", "access_token", "callback_token")],
        "hook_path": f"/hooks/wechat/{channel.pk}/"})


# --- the WeChat push endpoint (server configuration → 消息推送) --------------------------------------
def _signature_ok(token: str, request) -> bool:
    params = request.GET
    expected = hashlib.sha1("".join(sorted([token, params.get("timestamp", ""), params.get("nonce", "")])).encode()
                            ).hexdigest()
    return bool(token) and hmac.compare_digest(expected, params.get("signature", ""))


@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def wechat_hook(request, channel_id):
    channel = get_object_or_404(Channel, pk=channel_id, kind=ChannelKind.WECHAT)
    credentials = credentials_for(channel)
    token = credentials.secret("callback_token") if credentials else ""
    if not _signature_ok(token, request):
        return HttpResponseForbidden("invalid signature")
    if request.method == "GET":  # the URL check when the address is saved on the platform
        return HttpResponse(request.GET.get("echostr", ""), content_type="text/plain")
    try:
        root = ET.fromstring(request.body)
    except ET.ParseError:
        return HttpResponseBadRequest("bad xml")
    if (root.findtext("MsgType") or "") == "event" and (root.findtext("Event") or "") == "PUBLISHJOBFINISH":
        info = root.find("PublishEventInfo")
        if info is not None:
            url = info.findtext("article_detail/item/article_url") or ""
            delivery.apply_wechat_publish_event(channel.pk, (info.findtext("publish_id") or "").strip(),
                                                int(info.findtext("publish_status") or -1),
                                                (info.findtext("article_id") or "").strip(), url.strip())
    return HttpResponse("success", content_type="text/plain")
