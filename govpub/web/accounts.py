"""The signed-in person's own account: login form with captcha, password change, re-authentication,
and the middlewares that enforce password expiry and one active session per account."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout, update_session_auth_hash
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html

from govpub.orgs import accounts, actions
from govpub.twofactor import policy as two_factor_policy
from govpub.ui import resume
from govpub.ui.forms import add_form_errors
from govpub.ui.reauth import mark_authenticated, requested_next

LAST_LOGIN_USERNAME_KEY = "govpub_login_username"
SUPERSEDED_MESSAGE = "您的账号已在其他地方登录，本会话已退出。"


# --- captcha on the login form ------------------------------------------------------------------------

def captcha_after_failures() -> int:
    return int(getattr(settings, "GOVPUB_CAPTCHA_AFTER_FAILURES", 3))


def captcha_required(request, username: str) -> bool:
    """The captcha is asked for once this username has failed GOVPUB_CAPTCHA_AFTER_FAILURES times
    (django-axes' failure count for the account, within its cool-off period). 0 switches it off."""
    limit = captcha_after_failures()
    if limit <= 0 or not username:
        return False
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.get_failures(request, {"username": username}) >= limit


def _account_locked(request, username: str) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.is_locked(request, {"username": username})


def _captcha_field():
    from captcha.fields import CaptchaField, CaptchaTextInput

    class CaptchaWidget(CaptchaTextInput):
        """The image, the hidden key and the answer box, written here so the markup is Chinese and
        carries no script or style (strict CSP). A new image comes from reloading the login page."""

        def render(self, name, value, attrs=None, renderer=None):
            self.fetch_captcha_store(name, value, attrs, self.generator)
            base = (attrs or {}).get("id") or f"id_{name}"
            return format_html(
                '<img src="{}" alt="验证码图片" class="captcha">'
                '<input type="hidden" name="{}_0" value="{}" id="{}_0">'
                '<input type="text" name="{}_1" id="{}_1" required autocomplete="off" autocapitalize="off" '
                'autocorrect="off" spellcheck="false">',
                self.image_url(), name, self._key, base, name, base)

    messages_ = {"invalid": "验证码不正确。", "required": "请输入验证码。", "incomplete": "请输入验证码。"}
    return CaptchaField(label="验证码", widget=CaptchaWidget(), error_messages=messages_)


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "账号或密码不正确，请重试。多次失败后账号将被暂时锁定。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }
    captcha_message = "验证码不正确或未填写，请重新输入。（多次登录失败后须填写验证码）"

    def __init__(self, request=None, *args, captcha: bool = False, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "账号"
        self.fields["password"].label = "密码"
        if captcha:
            self.add_captcha()

    @property
    def has_captcha(self) -> bool:
        return "captcha" in self.fields

    def add_captcha(self) -> None:
        if not self.has_captcha:
            self.fields["captcha"] = _captcha_field()

    def clean(self):
        username = self.cleaned_data.get("username")
        needed = bool(username) and captcha_required(self.request, username)
        if not needed:
            self._errors.pop("captcha", None)
        # A locked account goes straight to django-axes, which answers with the lockout page.
        elif not _account_locked(self.request, username) and (
                not self.has_captcha or "captcha" in self._errors or "captcha" not in self.cleaned_data):
            # The password is not even checked; the attempt still counts as a failure (axes + audit).
            user_login_failed.send(sender=__name__, credentials={"username": username}, request=self.request)
            self._errors.pop("captcha", None)
            self.add_captcha()
            raise ValidationError(self.captcha_message, code="captcha")
        return super().clean()


# --- password verification shared by the change page and re-authentication --------------------------

def verify_password(request, user, password: str) -> bool:
    """Check the signed-in person's password through the authentication backends, so a wrong one
    counts toward django-axes' lockout and is audited like a failed login."""
    found = authenticate(request, username=user.get_username(), password=password)
    return found is not None and found.pk == user.pk


def locked_out(request) -> bool:
    return bool(getattr(request, "axes_locked_out", False))


def otp_token_matches(user, token: str) -> bool:
    from django_otp import match_token

    return match_token(user, token) is not None


# --- password change -------------------------------------------------------------------------------------

class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label="当前密码", strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "current-password"}))
    new_password1 = forms.CharField(label="新密码", strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}))
    new_password2 = forms.CharField(label="再次输入新密码", strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = " ".join(password_validators_help_texts())

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password2") and data["new_password1"] != data["new_password2"]:
            self.add_error("new_password2", "两次输入的新密码不一致。")
        return data


def password_change(request):
    user = request.user
    next_url = requested_next(request)
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not verify_password(request, user, form.cleaned_data["old_password"]):
            if locked_out(request):
                logout(request)
                return redirect("login")
            form.add_error("old_password", "当前密码不正确。")
        else:
            try:
                person = actions.change_password(user, acting_user=user, new_password=form.cleaned_data["new_password1"])
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    add_form_errors(form, error)
                else:
                    form.add_error("new_password1", error)
            else:
                # Stay signed in on this session only; the new password counts as a fresh authentication.
                update_session_auth_hash(request, person)
                mark_authenticated(request)
                messages.success(request, "密码已修改。")
                return redirect(next_url or "home")
    return render(request, "accounts/password_change.html", {
        "form": form, "next": next_url or "", "reason": accounts.password_change_reason(user)})


# --- re-authentication -------------------------------------------------------------------------------------

class ReauthForm(forms.Form):
    password = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "current-password", "autofocus": True}))

    def __init__(self, *args, otp: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if otp:
            self.fields["otp_token"] = forms.CharField(
                label="动态验证码", max_length=6, min_length=6,
                help_text="请输入身份验证器应用中显示的 6 位数字。",
                validators=[RegexValidator(r"^\d{6}$", "动态验证码为 6 位数字。")],
                widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


def reauth(request):
    user = request.user
    needs_otp = two_factor_policy.has_confirmed_device(user)
    next_url = requested_next(request) or reverse("home")
    form = ReauthForm(request.POST or None, otp=needs_otp)
    if request.method == "POST" and form.is_valid():
        reason = ""
        if not verify_password(request, user, form.cleaned_data["password"]):
            reason = "password"
        elif needs_otp and not otp_token_matches(user, form.cleaned_data["otp_token"]):
            reason = "otp"
            user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
        accounts.record_reauth(request, acting_user=user, ok=not reason, reason=reason)
        if not reason:
            mark_authenticated(request)
            messages.success(request, "身份验证成功，请继续操作。")
            return redirect(next_url)
        if locked_out(request):
            # Too many failures: the account is locked and this session ends (django-axes shows why).
            logout(request)
            return redirect("login")
        form.add_error(None, "密码不正确。" if reason == "password" else "动态验证码不正确。")
    return render(request, "accounts/reauth.html", {"form": form, "next": next_url, "needs_otp": needs_otp})


# --- middlewares ------------------------------------------------------------------------------------------

class SingleSessionMiddleware:
    """Signs out a session whose account has since signed in elsewhere (GOVPUB_SINGLE_SESSION)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and accounts.single_session()
                and not accounts.session_is_current(request, user)):
            accounts.end_superseded_session(request, user)
            page = resume.page_of(request)
            logout(request)
            kept = resume.keep(request, page)  # a half-filled form comes back after signing in again
            messages.warning(request, SUPERSEDED_MESSAGE + ("您填写的内容已保留，重新登录后可继续。" if kept else ""))
            parts = urlsplit(page)
            return redirect_to_login(parts.path + (f"?{parts.query}" if parts.query else ""))
        return self.get_response(request)


class PasswordPolicyMiddleware:
    """Sends a person whose password expired, or who must change the initial one, to the change page.
    Public views (portal, login, health checks, API, hooks, captcha) and the second-factor pages pass."""

    ALLOWED_NAMES = {"account_password", "logout"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(view_func, "login_required", True) or getattr(view_func, "two_factor_exempt", False):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in self.ALLOWED_NAMES:
            return None
        reason = accounts.password_change_reason(user)
        if reason is None:
            return None
        messages.warning(request, reason)
        target = reverse("account_password")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
