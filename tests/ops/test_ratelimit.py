"""Rate limits on login, the API and the public search: they trigger, they reset, they are shared."""

import json
import os
import subprocess
import sys

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from govpub.web import ratelimit

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """The rate limiter's clock, at the start of a window; `clock.advance(s)` moves it on."""

    class Clock:
        now = 1_800_000_000.0  # a multiple of 60: a fresh window

        def advance(self, seconds):
            self.now += seconds

    fake = Clock()
    monkeypatch.setattr(ratelimit, "_now", lambda: fake.now)
    return fake


def login(client, username="nobody", **extra):
    return client.post("/accounts/login/", {"username": username, "password": "wrong-password-1"}, **extra)


def test_login_limit_triggers_answers_in_chinese_and_resets(settings, clock):
    settings.GOVPUB_RATE_LOGIN = "3/60"
    client = Client()
    for n in range(3):
        assert login(client, f"user{n}").status_code == 200  # the form again, with an error
    refused = login(client, "user9")
    assert refused.status_code == 429
    assert "请求过于频繁，请稍后再试。" in refused.content.decode()
    assert refused["Content-Type"].startswith("text/html") and refused["Retry-After"] == "60"
    assert client.get("/accounts/login/").status_code == 200  # only POSTs count: the form still shows
    clock.advance(45)
    assert login(client).status_code == 429 and login(client)["Retry-After"] == "15"
    clock.advance(15)  # the next window
    assert login(client).status_code == 200


def test_each_address_has_its_own_counter(settings, clock):
    settings.GOVPUB_RATE_LOGIN = "1/60"
    client = Client()
    assert login(client, REMOTE_ADDR="10.0.0.1").status_code == 200
    assert login(client, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert login(client, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(settings, clock):
    settings.GOVPUB_RATE_LOGIN = "1/60"
    client = Client()
    # Straight from the internet: a made-up X-Forwarded-For does not buy a new counter.
    assert login(client, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 200
    assert login(client, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429

    settings.GOVPUB_TRUSTED_PROXIES = ["127.0.0.1", "10.8.0.0/16"]
    behind = dict(REMOTE_ADDR="127.0.0.1")
    assert login(client, HTTP_X_FORWARDED_FOR="198.51.100.7", **behind).status_code == 200
    assert login(client, HTTP_X_FORWARDED_FOR="198.51.100.7", **behind).status_code == 429
    assert login(client, HTTP_X_FORWARDED_FOR="198.51.100.8", **behind).status_code == 200
    # The client prepends its own header: nginx appends the real address, which is what counts.
    assert login(client, HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.7", **behind).status_code == 429
    # Two trusted hops (a load balancer in 10.8/16 in front of nginx): the first untrusted one from the right.
    assert login(client, HTTP_X_FORWARDED_FOR="198.51.100.7, 10.8.1.1", **behind).status_code == 429


def test_client_ip():
    factory = RequestFactory()
    from django.test import override_settings

    request = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="5.5.5.5, 6.6.6.6")
    assert ratelimit.client_ip(request) == "127.0.0.1"
    with override_settings(GOVPUB_TRUSTED_PROXIES=["127.0.0.1"]):
        assert ratelimit.client_ip(request) == "6.6.6.6"
        assert ratelimit.client_ip(factory.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
        junk = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="junk")
        assert ratelimit.client_ip(junk) == "127.0.0.1"
        assert ratelimit.client_ip(factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1")) == \
            "127.0.0.1"


@pytest.mark.django_db
def test_the_audit_log_names_the_client_behind_a_trusted_proxy(settings):
    from govpub.audit.models import AuditEvent

    settings.GOVPUB_TRUSTED_PROXIES = ["127.0.0.1"]
    Client().post("/accounts/login/", {"username": "demo-editor", "password": "错误的密码"},
                  REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert AuditEvent.objects.filter(action="auth.login_failed").latest("pk").details["ip"] == "198.51.100.7"


def test_api_limit_is_per_token_and_answers_json(settings, clock):
    settings.GOVPUB_RATE_API = "2/60"
    client = Client()
    alice, bob = {"HTTP_AUTHORIZATION": "Bearer token-a"}, {"HTTP_AUTHORIZATION": "Bearer token-b"}
    for _ in range(2):
        assert client.get("/api/v1/todo", **alice).status_code == 401
    refused = client.get("/api/v1/todo", **alice)
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert refused.json() == {"detail": "请求过于频繁，请稍后再试。"}
    assert "请求过于频繁" in refused.content.decode()  # readable UTF-8, not \\u escapes
    assert client.get("/api/v1/todo", **bob).status_code == 401  # another token, another counter
    # No token: counted per address, apart from the tokens.
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 429
    clock.advance(60)
    assert client.get("/api/v1/todo", **alice).status_code == 401


def test_search_limit_per_address(settings, clock):
    settings.GOVPUB_RATE_SEARCH = "2/10"
    client = Client()
    assert client.get("/search/", {"q": "政务公开"}).status_code == 200
    assert client.get("/search/", {"q": "政务公开"}).status_code == 200
    refused = client.get("/search/", {"q": "政务公开"})
    assert refused.status_code == 429 and refused["Retry-After"] == "10"
    assert client.get("/").status_code == 200  # the rest of the website is not limited
    clock.advance(10)
    assert client.get("/search/", {"q": "政务公开"}).status_code == 200


def test_reauthentication_and_second_factor_are_counted_with_login(settings, clock):
    settings.GOVPUB_RATE_LOGIN = "2/60"
    client = Client()
    assert login(client).status_code == 200
    client.post("/accounts/2fa/verify/", {"token": "000000"})
    assert client.post("/accounts/reauth/", {"password": "x"}).status_code == 429
    assert login(client).status_code == 429
    paths = {p for rule in ratelimit.RULES if rule.name == "login" for p in rule.paths}
    assert paths == {"/accounts/login/", "/accounts/reauth/", "/accounts/2fa/verify/"}


def test_switched_off_for_benchmarks(settings, clock):
    settings.GOVPUB_RATE_LOGIN = "1/60"
    settings.GOVPUB_RATE_LIMITS = False
    client = Client()
    assert all(login(client).status_code == 200 for _ in range(3))


def test_a_malformed_limit_is_a_clear_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="次数/秒数"):
        ratelimit.parse_limit("20 per minute", "GOVPUB_RATE_LOGIN")
    with pytest.raises(ImproperlyConfigured):
        ratelimit.parse_limit("0/60")
    assert ratelimit.parse_limit("20/60") == ratelimit.Limit(20, 60)


def test_counters_are_shared_by_every_process(settings, clock):
    """Another process (another gunicorn worker) counts into the same place: Redis, or files on this machine."""
    backend = caches[ratelimit.CACHE_ALIAS]
    assert type(backend).__name__ in ("RedisCache", "FileBasedCache")
    settings.GOVPUB_RATE_SEARCH = "3/60"
    script = (
        "import django, os, sys; django.setup()\n"
        "from django.conf import settings; from django.test import RequestFactory\n"
        "from govpub.web import ratelimit\n"
        "settings.GOVPUB_RATE_NAMESPACE = sys.argv[1]; ratelimit._now = lambda: float(sys.argv[2])\n"
        "rule = next(r for r in ratelimit.RULES if r.name == 'search')\n"
        "request = RequestFactory().get('/search/', REMOTE_ADDR='127.0.0.1')\n"
        "print([ratelimit.hit(rule, rule.key(request), ratelimit.Limit(3, 60)) for _ in range(3)])\n"
    )
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="govpub.settings", GOVPUB_HOME=str(settings.HOME))
    out = subprocess.run([sys.executable, "-c", script, settings.GOVPUB_RATE_NAMESPACE, str(clock.now)],
                         env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[None, None, None]"
    assert Client().get("/search/", {"q": "通知"}).status_code == 429  # this process sees the other's three


def test_a_cache_failure_lets_requests_through(settings, clock, monkeypatch, caplog):
    settings.GOVPUB_RATE_LOGIN = "1/60"

    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(ratelimit, "hit", broken)
    client = Client()
    assert login(client).status_code == 200 and login(client).status_code == 200
    assert "rate limit cache unavailable" in caplog.text


def test_json_detail_is_the_documented_body():
    response = ratelimit.too_many(next(r for r in ratelimit.RULES if r.json), 1.2)
    assert json.loads(response.content) == {"detail": "请求过于频繁，请稍后再试。"} and response["Retry-After"] == "2"
