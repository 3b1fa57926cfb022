from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from govpub.orgs.models import Person
from govpub.orgs.policy import can_view_person, get_visible_or_404, require
from govpub.ui.forms import add_form_errors
from govpub.ui.reauth import requested_next

from . import actions, codes, policy
from .forms import SetupCodeForm, VerifyCodeForm
from .middleware import two_factor_exempt

SETUP_KEY_SESSION_KEY = "govpub_2fa_setup_key"  # the secret being enrolled, until it is confirmed
FAILURES_SESSION_KEY = "govpub_2fa_failures"  # wrong codes in a row in this session
MAX_FAILURES = 5


def _next_url(request) -> str:
    return requested_next(request) or reverse("home")


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _passed(request, device) -> None:
    """Mark the session as having passed the second factor (django_otp keeps the device id in it)."""
    request.session.pop(FAILURES_SESSION_KEY, None)
    request.session.cycle_key()  # a new session id once the sign-in is complete
    otp_login(request, device)


@two_factor_exempt
@never_cache
def setup(request):
    user = request.user
    next_url = _next_url(request)
    if not policy.can_enrol(user):
        # A device is bound already: a password alone must not be enough to replace it.
        return redirect(_with_next("two_factor_verify", next_url))
    key_hex = request.session.get(SETUP_KEY_SESSION_KEY)
    if not key_hex:
        key_hex = codes.new_key().hex()
        request.session[SETUP_KEY_SESSION_KEY] = key_hex
    key = codes.key_from_hex(key_hex)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, recovery = actions.enrol(acting_user=user, key=key, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            request.session.pop(SETUP_KEY_SESSION_KEY, None)
            _passed(request, device)
            messages.success(request, "已绑定验证器，今后登录时需输入验证码。")
            return render(request, "twofactor/recovery_codes.html",
                          {"recovery_codes": recovery, "next": next_url, "enrolled": True})
    issuer = getattr(settings, "OTP_TOTP_ISSUER", "GovPub")
    qr_uri, qr_size = codes.qr_data_uri(codes.otpauth_url(key, user.get_username(), issuer))
    return render(request, "twofactor/setup.html", {
        "form": form, "next": next_url, "qr_uri": qr_uri, "qr_size": qr_size,
        "secret": codes.grouped(codes.b32(key)), "issuer": issuer,
        "forced": policy.role_requires_two_factor(user) and not policy.has_confirmed_device(user),
        "re_enrolment": policy.has_confirmed_device(user),
    })


@two_factor_exempt
@never_cache
def verify(request):
    user = request.user
    next_url = _next_url(request)
    if policy.is_verified(user):
        return redirect(next_url)
    if not policy.has_confirmed_device(user):
        if policy.role_requires_two_factor(user):
            return redirect(_with_next("two_factor_setup", next_url))
        return redirect(next_url)
    form = VerifyCodeForm(request.POST or None)
    failures = int(request.session.get(FAILURES_SESSION_KEY, 0))
    if request.method == "POST" and form.is_valid():
        result = actions.verify_second_factor(acting_user=user, code=form.cleaned_data["code"],
                                              failures_before=failures)
        if result.ok:
            _passed(request, result.device)
            if result.kind == "recovery":
                messages.warning(request, f"您使用了一个恢复码，还剩 {result.remaining} 个。"
                                          "如手机丢失，请在“账号安全”页面重新绑定验证器并生成新的恢复码。")
            return redirect(next_url)
        if not result.wait_seconds:
            failures += 1
            request.session[FAILURES_SESSION_KEY] = failures
            if failures >= MAX_FAILURES:
                logout(request)
                messages.error(request, f"验证码连续 {MAX_FAILURES} 次输入错误，已退出登录。请重新登录后再试；"
                                        "如手机丢失，请使用恢复码或联系系统管理员重置双因素认证。")
                return redirect("login")
        for error in result.errors:
            form.add_error("code", error)
    return render(request, "twofactor/verify.html", {
        "form": form, "next": next_url, "attempts_left": MAX_FAILURES - failures})


@never_cache
def security(request):
    user = request.user
    device = policy.confirmed_totp(user)
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return render(request, "twofactor/security.html", {
        "device": device,
        "recovery_left": recovery.token_set.count() if recovery else 0,
        "required": policy.role_requires_two_factor(user),
        "verified": policy.is_verified(user),
    })


@require_POST
@never_cache
def regenerate_recovery_codes(request):
    require(policy.has_confirmed_device(request.user), "请先绑定验证器，再生成恢复码。")
    recovery = actions.regenerate_recovery_codes(acting_user=request.user)
    messages.success(request, "已生成新的恢复码，原有恢复码全部作废。")
    return render(request, "twofactor/recovery_codes.html",
                  {"recovery_codes": recovery, "next": reverse("account_security")})


@require_POST
def reset(request, pk):
    person = get_visible_or_404(can_view_person, request.user, Person, pk=pk)
    require(policy.can_reset_two_factor(request.user, person),
            "只有系统管理员可以重置他人的双因素认证；本人请在“账号安全”页面重新绑定。")
    actions.reset_two_factor(person, acting_user=request.user)
    messages.success(request, f"已重置 {person.display_name} 的双因素认证，其下次登录时须重新绑定验证器。")
    return redirect("person_detail", pk=person.pk)
