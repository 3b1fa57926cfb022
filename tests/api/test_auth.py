"""Token auth: hashed at rest, refused when missing, wrong, revoked or the person is inactive; audited."""

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from govpub.api.actions import create_token, revoke_token
from govpub.api.models import ApiToken
from govpub.audit.models import AuditEvent
from govpub.orgs.models import Person

from .conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_without_a_token_the_answer_is_401_json_not_a_login_redirect():
    for path in ("/todo", "/channels", "/items/1"):
        response = ApiClient(None).get(path)
        assert response.status_code == 401, path
        assert response["Content-Type"].startswith("application/json")
        assert "令牌" in response.json()["detail"]
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert ApiClient(None).post("/items", {"unit": 1}).status_code == 401
    assert ApiClient("gp_not-a-real-token").get("/todo").status_code == 401
    wrong_scheme = ApiClient(None)
    wrong_scheme.headers = {"HTTP_AUTHORIZATION": "Token abc"}
    assert wrong_scheme.get("/todo").status_code == 401


def test_the_token_is_stored_only_as_its_sha256(person):
    token, raw = create_token(person("demo-editor"), name="集成系统")
    token.refresh_from_db()
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    for field in ApiToken._meta.concrete_fields:
        assert raw not in str(getattr(token, field.attname))
    event = AuditEvent.objects.filter(action="api.token_create").order_by("-seq").first()
    assert event.details["person"] == "demo-editor" and raw not in str(event.details)


def test_a_revoked_token_is_refused(person):
    token, raw = create_token(person("demo-editor"), name="临时")
    client = ApiClient(raw)
    assert client.get("/todo").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    revoke_token(token, acting_user=person("demo-editor"))
    assert client.get("/todo").status_code == 401
    assert AuditEvent.objects.filter(action="api.token_revoke", object_id=str(token.pk)).exists()


def test_an_inactive_persons_token_is_refused(person):
    _, raw = create_token(person("demo-editor"), name="临时")
    Person.objects.filter(username="demo-editor").update(is_active=False)
    response = ApiClient(raw).get("/todo")
    assert response.status_code == 401 and "已停用" in response.json()["detail"]
    Person.objects.filter(username="demo-editor").update(is_active=True)
    assert ApiClient(raw).get("/todo").status_code == 200


def test_a_locked_out_persons_token_is_refused_until_unlocked(person, settings):
    """Too many failed logins lock the account (django-axes); its tokens stop working while the lock lasts."""
    from axes.utils import reset
    from django.test import Client

    settings.GOVPUB_CAPTCHA_AFTER_FAILURES = 0
    _, raw = create_token(person("demo-editor"), name="临时")
    client = ApiClient(raw)
    assert client.get("/todo").status_code == 200
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post("/accounts/login/", {"username": "demo-editor", "password": "wrong-password"})
    response = client.get("/todo")
    assert response.status_code == 403 and "锁定" in response.json()["detail"]
    assert client.post("/items", {"unit": 1}).status_code == 403
    reset(username="demo-editor")  # the administrator unlocks it (or the cool-off passes)
    assert client.get("/todo").status_code == 200


def test_a_token_is_refused_while_the_password_has_expired_or_must_be_changed(person, settings):
    import datetime as dt

    from django.utils import timezone

    _, raw = create_token(person("demo-editor"), name="临时")
    client = ApiClient(raw)
    old = timezone.now() - dt.timedelta(days=settings.GOVPUB_PASSWORD_MAX_AGE_DAYS + 1)
    Person.objects.filter(username="demo-editor").update(password_changed_at=old)
    response = client.get("/todo")
    assert response.status_code == 403 and "修改密码" in response.json()["detail"]
    Person.objects.filter(username="demo-editor").update(password_changed_at=timezone.now(), must_change_password=True)
    assert client.get("/todo").status_code == 403
    Person.objects.filter(username="demo-editor").update(must_change_password=False)
    assert client.get("/todo").status_code == 200


def test_only_the_person_or_an_admin_manages_tokens(person):
    with pytest.raises(PermissionDenied):
        create_token(person("demo-editor"), acting_user=person("demo-editor2"), name="冒用")
    token, _ = create_token(person("demo-editor"), acting_user=person("demo-admin"), name="管理员代建")
    with pytest.raises(PermissionDenied):
        revoke_token(token, acting_user=person("yanji-editor"))
    revoke_token(token, acting_user=person("demo-editor"))


def test_management_command_prints_a_working_token(capsys):
    call_command("token", "create", "demo-office-head", "--name", "OA 对接")
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("gp_")
    assert ApiClient(raw).get("/todo").status_code == 200
    token = ApiToken.objects.get(person__username="demo-office-head", name="OA 对接")
    call_command("token", "list", "demo-office-head")
    assert token.prefix in capsys.readouterr().out
    call_command("token", "revoke", str(token.pk))
    assert ApiClient(raw).get("/todo").status_code == 401


def test_govpub_token_cli_is_wired():
    from govpub.cli import build_parser

    assert "token" in build_parser().format_help()
    # The subcommand reaches the management command (its help lists create/list/revoke).
    result = subprocess.run([sys.executable, "-m", "govpub", "token", "--help"], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[2], timeout=120)
    assert result.returncode == 0 and "create" in result.stdout
