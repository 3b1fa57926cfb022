"""Account policies for 等保 (GB/T 22239): password history and expiry, first-login change,
one live session per device kind (a phone and a PC) or per account, and the session's last authentication time for re-authentication.

Passwords and their hashes are never written to the audit log.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from govpub.audit import log as audit
from govpub.ops.client import client_details
from govpub.ui.reauth import mark_authenticated

from .models import PasswordHistory, Person

# Session keys. AUTH_AT: when this session last proved its password (login or re-authentication).
SESSION_TOKEN_KEY = "govpub_session_token"


def history_size() -> int:
    return max(0, int(getattr(settings, "GOVPUB_PASSWORD_HISTORY", 5)))


def max_age_days() -> int:
    return max(0, int(getattr(settings, "GOVPUB_PASSWORD_MAX_AGE_DAYS", 90)))


def single_session() -> bool:
    return bool(getattr(settings, "GOVPUB_SINGLE_SESSION", True))


# --- password history -------------------------------------------------------------------------------

class PasswordHistoryValidator:
    """Refuses the last GOVPUB_PASSWORD_HISTORY passwords; records each new one once it is saved.

    Django calls password_changed() after any set_password() + save(), whichever path set it
    (change page, person_create, bootstrap, `manage changepassword`), so the history misses none.
    """

    def recent_hashes(self, user) -> list[str]:
        size = history_size()
        if not size or user is None or user.pk is None:
            return []
        hashes = list(PasswordHistory.objects.filter(person_id=user.pk).values_list("password", flat=True)[:size])
        current = Person.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        if current and current not in hashes:
            hashes.insert(0, current)
        return hashes[:size]

    def validate(self, password, user=None):
        for encoded in self.recent_hashes(user):
            if check_password(password, encoded):
                raise ValidationError(
                    "新密码不能与最近 %(n)d 次使用过的密码相同。", code="password_reused",
                    params={"n": history_size()})

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        now = timezone.now()
        Person.objects.filter(pk=user.pk).update(password_changed_at=now)
        user.password_changed_at = now
        size = history_size()
        if not size:
            return
        PasswordHistory.objects.create(person_id=user.pk, password=user.password)
        # Only the hashes the policy needs are kept: old hashes are still secrets worth not hoarding.
        keep = PasswordHistory.objects.filter(person_id=user.pk).values_list("pk", flat=True)[:size]
        PasswordHistory.objects.filter(person_id=user.pk).exclude(pk__in=list(keep)).delete()

    def get_help_text(self):
        return f"新密码不能与最近 {history_size()} 次使用过的密码相同。"


# --- expiry and first-login change ----------------------------------------------------------------

def password_change_reason(person) -> str | None:
    """Why this person must change the password before doing anything else, or None."""
    if not getattr(person, "is_authenticated", False):
        return None
    if person.must_change_password:
        return "首次登录或密码被重置后，请先修改密码。"
    days = max_age_days()
    if days:
        changed = person.password_changed_at or person.date_joined
        if changed and changed + timedelta(days=days) <= timezone.now():
            return f"您的密码已超过 {days} 天未修改，请修改密码后继续使用。"
    return None


def is_locked_out(request, person) -> bool:
    """django-axes has locked this account (too many failed logins, within the cool-off period)."""
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.is_locked(request, {"username": person.username})


def token_refusal(request, person) -> tuple[int, str] | None:
    """Why an API token of this person may not be used now, as (HTTP status, Chinese message), or None.

    A token is not a way around the account's own state: while the person is deactivated, locked out or
    must change the password, their tokens are refused too, and they work again once that is resolved."""
    if not person.is_active:
        return 401, "该账号已停用，其接口令牌不能使用。请联系系统管理员。"
    if is_locked_out(request, person):
        return 403, "该账号因多次登录失败已被暂时锁定，锁定期间其接口令牌不能使用。请稍后再试，或联系系统管理员解锁。"
    reason = password_change_reason(person)
    if reason:
        return 403, f"{reason}请登录网页修改密码，之后接口令牌即可继续使用。"
    return None


# --- re-authentication ---------------------------------------------------------------------------------

@transaction.atomic
def record_reauth(request, *, acting_user, ok: bool, reason: str = "") -> None:
    details = client_details(request)
    if reason:
        details["reason"] = reason
    audit.record("auth.reauth" if ok else "auth.reauth_failed", actor=acting_user, obj=acting_user, details=details)


# --- one live session per device kind (or per account) ------------------------------------------------

SESSION_KIND_KEY = "govpub_session_kind"
LEGACY_KIND = "legacy"  # a session from before sessions were kept per device kind
DEVICE_KINDS = {"mobile": "手机或平板", "computer": "电脑", "account": "任何设备"}
MOBILE_UA = re.compile(r"Mobile|Android|iPhone|iPad|iPod|HarmonyOS|OpenHarmony|Windows Phone|MicroMessenger|DingTalk",
                       re.I)


def session_scope() -> str:
    """GOVPUB_SESSION_SCOPE: "device" (default: a phone and a PC each keep a session) or "account" (one in all)."""
    return "account" if str(getattr(settings, "GOVPUB_SESSION_SCOPE", "device")).strip().lower() == "account" \
        else "device"


def device_kind(request) -> str:
    """mobile | computer, from the browser's User-Agent (a tablet counts as mobile); "account" when the
    scope is one session per account."""
    if session_scope() == "account":
        return "account"
    return "mobile" if MOBILE_UA.search(request.META.get("HTTP_USER_AGENT", "")) else "computer"


@transaction.atomic
def claim_session(request, person: Person) -> None:
    """Make this session the person's only live one of its device kind: an older session of the same kind
    is signed out on its next request; a session on the other kind (the phone, the PC) goes on."""
    kind, token = device_kind(request), secrets.token_hex(16)
    tokens = dict(Person.objects.select_for_update().filter(pk=person.pk).values_list("session_tokens", flat=True)
                  .first() or {})
    previous = tokens.get(kind)
    tokens[kind] = token
    Person.objects.filter(pk=person.pk).update(session_tokens=tokens)
    person.session_tokens = tokens
    request.session[SESSION_TOKEN_KEY] = token
    request.session[SESSION_KIND_KEY] = kind
    if previous:
        audit.record("auth.session_replaced", actor=person, obj=person,
                     details={**client_details(request), "device": DEVICE_KINDS.get(kind, kind)})


def session_is_current(request, person) -> bool:
    mine = request.session.get(SESSION_TOKEN_KEY) or ""
    kind = request.session.get(SESSION_KIND_KEY, LEGACY_KIND)
    return bool(mine) and mine == (person.session_tokens or {}).get(kind)


@transaction.atomic
def end_superseded_session(request, person) -> None:
    kind = request.session.get(SESSION_KIND_KEY, LEGACY_KIND)
    audit.record("auth.session_superseded", actor=person, obj=person,
                 details={**client_details(request), "device": DEVICE_KINDS.get(kind, kind)})


@receiver(user_logged_in, dispatch_uid="govpub.orgs.accounts.on_login")
def _on_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    mark_authenticated(request)
    if single_session() and isinstance(user, Person):
        claim_session(request, user)


@receiver(user_logged_out, dispatch_uid="govpub.orgs.accounts.on_logout")
def _on_logout(sender, request, user, **kwargs):
    # Signing out the live session frees the account; a superseded session signing out changes nothing.
    if request is None or user is None or not isinstance(user, Person) or not hasattr(request, "session"):
        return
    token, kind = request.session.get(SESSION_TOKEN_KEY), request.session.get(SESSION_KIND_KEY, LEGACY_KIND)
    if token:
        with transaction.atomic():
            tokens = dict(Person.objects.select_for_update().filter(pk=user.pk)
                          .values_list("session_tokens", flat=True).first() or {})
            if tokens.get(kind) == token:
                del tokens[kind]
                Person.objects.filter(pk=user.pk).update(session_tokens=tokens)
