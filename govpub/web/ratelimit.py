"""Rate limits for login, the REST API and the public search (等保: 防暴力破解、防资源耗尽).

One rule table; each rule counts requests per client in fixed windows kept in the shared "ratelimit" cache
(Redis when REDIS_URL/GOVPUB_CACHE_URL is set, so every server counts together; otherwise files every
process on the machine shares). Limits are "requests/seconds" from settings (GOVPUB_RATE_LOGIN,
GOVPUB_RATE_API, GOVPUB_RATE_SEARCH); GOVPUB_RATE_LIMITS=off switches them all off (benchmarks).

Over the limit: 429 with Retry-After and a Chinese page (JSON `detail` for the API). The client is the
address govpub.ops.client names (X-Forwarded-For believed only from GOVPUB_TRUSTED_PROXIES), so a client
cannot forge its way past the limit. Counter keys hold hashes, not addresses or tokens. A cache failure is logged and lets the request through (availability first;
django-axes still locks accounts after repeated failed logins).
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass
from typing import Callable

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse, JsonResponse

from govpub.ops.client import client_ip

log = logging.getLogger(__name__)
CACHE_ALIAS = "ratelimit"
MESSAGE = "请求过于频繁，请稍后再试。"
_now = time.time  # tests move the clock


@dataclass(frozen=True)
class Limit:
    requests: int
    seconds: int


def parse_limit(value: str, setting: str = "") -> Limit:
    try:
        requests, _, seconds = str(value).partition("/")
        limit = Limit(int(requests), int(seconds or 60))
    except ValueError:
        limit = None
    if limit is None or limit.requests < 1 or limit.seconds < 1:
        raise ImproperlyConfigured(f"{setting or '限流设置'} 应写成“次数/秒数”，例如 20/60，而不是 {value!r}。")
    return limit


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def by_ip(request) -> str:
    return "ip:" + _digest(client_ip(request))


def by_token_or_ip(request) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return "token:" + _digest(token.strip())
    return by_ip(request)


# --- the rule table --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    name: str
    setting: str  # where the "requests/seconds" limit is configured
    key: Callable  # request -> the client's key
    paths: tuple[str, ...] = ()  # exact paths …
    prefix: str = ""  # … or a path prefix
    methods: frozenset[str] | None = None  # None: every method
    json: bool = False

    def applies(self, request) -> bool:
        path = request.path_info
        if self.methods is not None and request.method not in self.methods:
            return False
        return path in self.paths or bool(self.prefix) and path.startswith(self.prefix)


RULES: tuple[Rule, ...] = (
    Rule("login", "GOVPUB_RATE_LOGIN", by_ip, methods=frozenset({"POST"}),
         paths=("/accounts/login/", "/accounts/reauth/", "/accounts/2fa/verify/")),
    Rule("api", "GOVPUB_RATE_API", by_token_or_ip, prefix="/api/v1/", json=True),
    Rule("search", "GOVPUB_RATE_SEARCH", by_ip, paths=("/search/",)),
)


def hit(rule: Rule, client: str, limit: Limit) -> float | None:
    """Count one request; the seconds until the window ends when it is over the limit, else None."""
    now = _now()
    window = int(now // limit.seconds)
    namespace = getattr(settings, "GOVPUB_RATE_NAMESPACE", "rl")
    # The window number is part of the key: a new window is a new counter whatever the backend does with TTLs.
    key = f"{namespace}:{rule.name}:{client}:{limit.seconds}:{window}"
    cache = caches[CACHE_ALIAS]
    cache.add(key, 0, timeout=limit.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=limit.seconds + 1)
        count = 1
    if count > limit.requests:
        return max(1.0, (window + 1) * limit.seconds - now)
    return None


PAGE = """<!DOCTYPE html>
<html lang="zh-hans"><head><meta charset="utf-8"><title>请求过于频繁</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>请求过于频繁</h1><p>{message}</p><p>请在 {seconds} 秒后重试。</p>
<p><a href="/">返回首页</a></p></main></body></html>
"""


def too_many(rule: Rule, retry_after: float) -> HttpResponse:
    seconds = int(math.ceil(retry_after))
    if rule.json:
        response = JsonResponse({"detail": MESSAGE}, status=429, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(PAGE.format(message=MESSAGE, seconds=seconds), status=429,
                                content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


class RateLimitMiddleware:
    """Early in the chain: a flood is answered before sessions, authentication or the database are touched."""

    def __init__(self, get_response):
        self.get_response = get_response
        for rule in RULES:  # a typo in a limit stops the server at start, not on the first login
            parse_limit(getattr(settings, rule.setting), rule.setting)

    def __call__(self, request):
        if getattr(settings, "GOVPUB_RATE_LIMITS", True):
            for rule in RULES:
                if not rule.applies(request):
                    continue
                limit = parse_limit(getattr(settings, rule.setting), rule.setting)
                try:
                    retry_after = hit(rule, rule.key(request), limit)
                except Exception:  # the cache is down: serve, and say so loudly
                    log.exception("rate limit cache unavailable; %s not limited", rule.name)
                    continue
                if retry_after is not None:
                    log.warning("rate limit %s exceeded", rule.name, extra={"rate_rule": rule.name})
                    return too_many(rule, retry_after)
        return self.get_response(request)
