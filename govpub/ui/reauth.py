"""Re-authentication ("sudo mode") before sensitive POSTs: publishing, withdrawing, changing roles,
supervisory measures (暂停发布, 整改令, 关停, lifting them, the confidentiality-review mechanism).

A session counts as recently authenticated for GOVPUB_REAUTH_SECONDS after its login or its last
re-authentication (govpub.orgs.accounts calls mark_authenticated at both).
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

import time

REAUTH_MESSAGE = "为确保安全，执行此操作前请再次验证身份。"
AUTH_AT_SESSION_KEY = "govpub_auth_at"


def mark_authenticated(request) -> None:
    request.session[AUTH_AT_SESSION_KEY] = int(time.time())


def seconds_since_authentication(request) -> float | None:
    value = request.session.get(AUTH_AT_SESSION_KEY)
    return None if value is None else time.time() - int(value)


def reauth_seconds() -> int:
    return int(getattr(settings, "GOVPUB_REAUTH_SECONDS", 600))


def recently_authenticated(request) -> bool:
    elapsed = seconds_since_authentication(request)
    return elapsed is not None and elapsed <= reauth_seconds()


def safe_next(request, url: str | None) -> str | None:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return None


def requested_next(request) -> str | None:
    """The `next` page the form or link asked for, if it is on this site."""
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))


def require_recent_auth(request, fallback_url: str | None = None, *, back: str | None = None):
    """None if this session authenticated recently; otherwise a redirect to the re-authentication page,
    which comes back to `back`, else the page the action was started from (Referer), or fallback_url."""
    if recently_authenticated(request):
        return None
    messages.warning(request, REAUTH_MESSAGE)
    back = (safe_next(request, back) or safe_next(request, request.META.get("HTTP_REFERER"))
            or safe_next(request, fallback_url) or reverse("home"))
    return redirect(f"{reverse('account_reauth')}?{urlencode({'next': back})}")


def reauth_required(fallback=None, *, form_page: bool = False):
    """Decorator for POST views. fallback(request, *args, **kwargs) -> the page to return to without a Referer.

    form_page: the view's GET shows the form the POST submits; it asks first, and comes back to the form,
    so that what the person types is not lost to the re-authentication."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                response = require_recent_auth(request, fallback(request, *args, **kwargs) if fallback else None)
                if response is not None:
                    return response
            elif form_page and request.method == "GET":
                response = require_recent_auth(request, back=request.build_absolute_uri())
                if response is not None:
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
