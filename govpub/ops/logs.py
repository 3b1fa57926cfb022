"""Structured logs without personal data (个人信息保护法, GB/T 22239 安全审计).

- RequestLogMiddleware: one line per request — method, path (never the query string), status, duration,
  request id and the user's numeric id; X-Request-ID on the response ties a complaint to the log line.
- MaskPersonalData: a filter that masks 18-digit ID numbers, mobile numbers, e-mail addresses and secrets
  (passwords, tokens, cookies) in every message; the formatters mask their whole output once more, so a
  traceback or an `extra` field cannot carry them either.
- JsonFormatter: one JSON object a line (time, level, logger, message, request_id, user_id, …);
  PlainFormatter: the same, readable, for development and tests. GOVPUB_LOG_FORMAT chooses.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("govpub_request_id", default="-")
user_id_var: contextvars.ContextVar[int | None] = contextvars.ContextVar("govpub_user_id", default=None)

# Personal data: 居民身份证号 (17 digits + digit/X), mobile numbers (optionally +86), e-mail addresses.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?![0-9A-Za-z])")
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# Secrets in query strings, form bodies, headers and reprs.
SECRET = re.compile(
    r"(?<![A-Za-z0-9])((?:access_token|refresh_token|token|secret|appsecret|app_secret|password\d?|passwd|pwd|"
    r"csrfmiddlewaretoken|csrftoken|sessionid|api_key)[\"']?\s*[=:]\s*[\"']?)[^&\s\"',;}]+", re.I)
BEARER = re.compile(r"((?:Bearer|Basic)\s+)[A-Za-z0-9._~+/=\-]+", re.I)


def mask(text: str) -> str:
    """The text with personal data and secrets replaced by placeholders."""
    if not text:
        return text
    text = SECRET.sub(r"\1***", text)
    text = BEARER.sub(r"\1***", text)
    text = EMAIL.sub("[邮箱]", text)
    text = ID_NUMBER.sub("[身份证号]", text)
    return MOBILE.sub("[手机号]", text)


class MaskPersonalData(logging.Filter):
    """Masks the formatted message (so a personal datum passed as an argument is caught as well)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the formatter's error handling
            return True
        record.msg, record.args = mask(message), None
        return True


class RequestContext(logging.Filter):
    """Adds the current request's id and user id to every record logged while it is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        if not hasattr(record, "user_id"):
            record.user_id = user_id_var.get()
        return True


# Attributes every LogRecord has; anything else was passed with `extra=` and goes into the JSON object.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id",
                                                                         "user_id", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            # UTC in every process (gunicorn's master has no TIME_ZONE), as log collectors expect.
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
            "user_id": _number(getattr(record, "user_id", None)),
        }
        for key, value in vars(record).items():
            if key in _STANDARD or key.startswith("_"):
                continue
            if hasattr(value, "META") and hasattr(value, "path"):  # django.request passes the request: no query string
                value = f"{value.method} {value.path}"
            entry[key] = value if isinstance(value, (int, float, bool, type(None))) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        return mask(json.dumps(entry, ensure_ascii=False, default=str))


class PlainFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return mask(super().format(record))


def _number(value) -> int | None:
    """A user id only as a number: a username or a name can never end up in that field."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


REQUEST_ID = re.compile(r"^[A-Za-z0-9\-]{8,64}$")
request_log = logging.getLogger("govpub.request")


def _user_id(request) -> int | None:
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        user = getattr(request, "auth", None)  # the REST API's token authentication
    pk = getattr(user, "pk", None) if user is not None and getattr(user, "is_authenticated", False) else None
    return _number(pk)


class RequestLogMiddleware:
    """One log line per request; the outermost middleware, so it sees every response (429 and 500 included)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        id_token, user_token = request_id_var.set(request_id), user_id_var.set(None)
        started = time.monotonic()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response.headers.setdefault("X-Request-ID", request_id)
            return response
        finally:
            user_id = _user_id(request)
            user_id_var.set(user_id)
            duration_ms = round((time.monotonic() - started) * 1000, 1)
            level = logging.ERROR if status >= 500 else logging.WARNING if status in (403, 429) else logging.INFO
            request_log.log(level, "%s %s %s %sms", request.method, request.path, status, duration_ms,
                            extra={"method": request.method, "path": mask(request.path), "status": status,
                                   "duration_ms": duration_ms, "user_id": user_id})
            request_id_var.reset(id_token)
            user_id_var.reset(user_token)


def axes_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """How django-axes names a client in its log lines: the account's id, never the username or address."""
    from django.contrib.auth import get_user_model

    try:
        pk = get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()
    except Exception:  # the lookup is for the log only
        pk = None
    return f"{{user_id: {pk if pk is not None else '未知账号'}}}"
