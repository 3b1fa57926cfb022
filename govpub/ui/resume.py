"""Keeping a half-filled form across a replaced session: when a session that was signed out (a newer
login on the same kind of device) submits a form, what was typed is kept in the signed-out session, the
person signs in again and lands on the form's page, which fills the fields back in (static nav.js) for them
to check and submit. Passwords, codes and the CSRF token are never kept; files cannot be."""

from __future__ import annotations

from urllib.parse import urlsplit

from .reauth import safe_next

RESUME_KEY = "govpub_resume_form"
SECRET_FIELDS = {"csrfmiddlewaretoken", "password", "old_password", "new_password1", "new_password2", "otp_token",
                 "app_secret", "token", "captcha_0", "captcha_1"}
MAX_CHARS = 200_000  # a session row is not a document store


def page_of(request) -> str:
    """Where the form was filled: the page that posted it (same site), else the address it posted to."""
    return safe_next(request, request.META.get("HTTP_REFERER")) or request.get_full_path()


def keep(request, page: str) -> bool:
    """Call after logout(): store the POSTed fields (not secrets) for `page` in the new anonymous session;
    whether anything was kept."""
    if request.method != "POST":
        return False
    data = {k: v for k, v in request.POST.lists() if k not in SECRET_FIELDS and "password" not in k}
    if not data or sum(len(x) for values in data.values() for x in values) > MAX_CHARS:
        return False
    request.session[RESUME_KEY] = {"path": urlsplit(page).path, "data": data}
    return True


def take(request) -> dict | None:
    """The kept fields when this request is for their page (given once), else None."""
    session = getattr(request, "session", None)
    pending = session.get(RESUME_KEY) if session is not None else None
    if not pending or request.method != "GET" or pending.get("path") != request.path:
        return None
    del session[RESUME_KEY]
    return pending.get("data") or None
