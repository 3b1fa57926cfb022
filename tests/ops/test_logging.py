"""Structured logs without personal data: no usernames, names, ID numbers, phones, e-mails, secrets."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.test import Client

from govpub.ops import logs
from govpub.orgs.models import Person
from govpub.web.demo import DEMO_PASSWORD

ID_NUMBER, MOBILE, EMAIL = "42070419900101123X", "13812345678", "wang.xiaoming@ezhou.gov.cn"


@pytest.fixture
def captured():
    """What the service's console handler would write, JSON-formatted, for every logger."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RequestContext())
    handler.addFilter(logs.MaskPersonalData())
    handler.setFormatter(logs.JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(previous)


def lines(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


@pytest.mark.django_db
def test_login_and_a_query_with_an_id_number_leave_no_personal_data(captured):
    client = Client()
    failed = client.post("/accounts/login/", {"username": "demo-office-head", "password": "Wrong-password-9"})
    assert failed.status_code == 200
    response = client.post("/accounts/login/", {"username": "demo-editor", "password": DEMO_PASSWORD})
    assert response.status_code in (200, 302)
    client.get("/search/", {"q": ID_NUMBER, "phone": MOBILE, "mail": EMAIL, "access_token": "tok-secret-42"})
    client.get(f"/search/{ID_NUMBER}/")  # a 404 whose path carries the number
    logging.getLogger("govpub.test").warning("核对 %s 的手机 %s、邮箱 %s", ID_NUMBER, MOBILE, EMAIL)
    text = captured.getvalue()
    editor = Person.objects.get(username="demo-editor")
    forbidden = ["demo-editor", "demo-office-head", DEMO_PASSWORD, "Wrong-password-9", ID_NUMBER, MOBILE, EMAIL,
                 "tok-secret-42", editor.get_full_name() or "王晓明", "王晓明", "张建国"]
    forbidden += [morsel.value for morsel in client.cookies.values()]  # session and CSRF cookies
    for value in forbidden:
        assert value not in text, value
    entries = lines(captured)
    requests = [e for e in entries if e["logger"] == "govpub.request"]
    assert [(e["method"], e["status"]) for e in requests][:2] == [("POST", 200), ("POST", response.status_code)]
    search = next(e for e in requests if e["path"] == "/search/")
    assert "?" not in search["message"] and search["status"] == 200  # the query string is dropped
    assert any(e["path"] == "/search/[身份证号]/" for e in requests)
    assert any("[手机号]" in e["message"] and "[邮箱]" in e["message"] for e in entries)
    if response.status_code == 302:  # signed in: the request line names the user by id only
        assert requests[1]["user_id"] == editor.pk


@pytest.mark.django_db
def test_every_line_is_one_json_object_with_the_request_id_and_user_id(captured, client_for):
    client = client_for("demo-editor")
    response = client.get("/staff/", HTTP_X_REQUEST_ID="req-12345678")
    assert response["X-Request-ID"] == "req-12345678"
    entry = next(e for e in lines(captured) if e["logger"] == "govpub.request")
    assert set(entry) >= {"time", "level", "logger", "message", "request_id", "user_id", "method", "path", "status",
                          "duration_ms"}
    assert entry["request_id"] == "req-12345678" and entry["user_id"] == Person.objects.get(username="demo-editor").pk
    assert isinstance(entry["duration_ms"], float) and entry["level"] == "INFO"
    # A made-up request id that could smuggle text into the log is replaced.
    response = Client().get("/healthz", HTTP_X_REQUEST_ID="x" * 100 + " 13812345678")
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_account_lockout_names_no_username(captured, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "demo-deputy", "password": "Wrong-password-9"})
    assert "demo-deputy" not in captured.getvalue()
    assert any(e["logger"].startswith("axes") for e in lines(captured))  # axes did log the lockout


def test_the_user_id_field_is_a_number_or_nothing():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    record.user_id = "demo-editor"
    assert json.loads(logs.JsonFormatter().format(record))["user_id"] is None
    record.user_id = 7
    assert json.loads(logs.JsonFormatter().format(record))["user_id"] == 7


def test_masking_covers_secrets_and_keeps_ordinary_numbers():
    masked = logs.mask(f"GET /cgi-bin/x?access_token=abc123&appsecret=s3 password={DEMO_PASSWORD} "
                       f"Authorization: Bearer gp_abcdef errcode=40001 item 12345 phone +86 138-1234-5678")
    for secret in ("abc123", "s3 ", DEMO_PASSWORD, "gp_abcdef", "138-1234-5678"):
        assert secret not in masked
    assert "errcode=40001" in masked and "item 12345" in masked


def test_the_httpx_token_filter_still_works(captured):
    import govpub.publishing.connectors.http  # noqa: F401 — attaches the mask to httpx's logger

    httpx_log = logging.getLogger("httpx")
    assert any(isinstance(f, logs.MaskPersonalData) for f in httpx_log.filters)
    previous = httpx_log.level, httpx_log.disabled
    httpx_log.setLevel(logging.INFO)
    httpx_log.disabled = False
    try:
        httpx_log.info('HTTP Request: %s %s "%s"', "GET", "https://api.weixin.qq.com/cgi-bin/x?access_token=T0KEN", 200)
    finally:
        httpx_log.setLevel(previous[0])
        httpx_log.disabled = previous[1]
    assert "T0KEN" not in captured.getvalue() and "access_token=***" in captured.getvalue()


def test_json_is_chosen_by_the_environment():
    script = ("import django, logging; django.setup()\n"
              "logging.getLogger('govpub.x').warning('身份证 %s', '42070419900101123X')\n")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="govpub.settings", GOVPUB_LOG_FORMAT="json")
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    entry = json.loads(out.stderr.strip().splitlines()[-1])
    assert entry["logger"] == "govpub.x" and entry["message"] == "身份证 [身份证号]" and entry["level"] == "WARNING"


@pytest.mark.django_db
def test_api_requests_name_the_token_holder_by_id_and_never_the_token(captured):
    from govpub.api.actions import create_token

    editor = Person.objects.get(username="demo-editor")
    _row, raw = create_token(editor, name="日志测试")
    response = Client().get("/api/v1/todo", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert raw not in captured.getvalue()
    entry = next(e for e in lines(captured) if e["logger"] == "govpub.request" and e["path"] == "/api/v1/todo")
    assert entry["user_id"] == editor.pk


def test_a_request_passed_to_the_log_shows_method_and_path_only():
    from django.test import RequestFactory

    request = RequestFactory().get("/search/", {"q": "张三的住址"})
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/search/",),
                               None)
    record.request, record.status_code = request, 500
    entry = json.loads(logs.JsonFormatter().format(record))
    assert entry["request"] == "GET /search/" and entry["status_code"] == 500
    assert "张三" not in json.dumps(entry, ensure_ascii=False)
