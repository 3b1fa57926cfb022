"""One active session per account (GOVPUB_SINGLE_SESSION)."""

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from govpub.audit.models import AuditEvent

from .conftest import DEMO_PASSWORD


def real_login(username="demo-editor") -> Client:
    client = Client()
    assert client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD}).status_code == 302
    return client


def test_second_login_ends_the_first_session(db):
    first = real_login()
    assert first.get(reverse("home")).status_code == 200
    second = real_login()
    response = first.get(reverse("item_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert "您的账号已在其他地方登录，本会话已退出。" in [str(m) for m in get_messages(response.wsgi_request)]
    assert first.get(reverse("home")).status_code == 302  # it stays signed out
    assert second.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.session_replaced", actor_name="demo-editor").count() == 1
    assert AuditEvent.objects.filter(action="auth.session_superseded", actor_name="demo-editor").count() == 1


def test_other_accounts_are_unaffected(client_for):
    editor = client_for("demo-editor")
    client_for("demo-editor2")
    assert editor.get(reverse("home")).status_code == 200


def test_signing_out_the_live_session_does_not_revive_an_older_one(client_for):
    first = client_for("demo-editor")
    second = client_for("demo-editor")
    second.post(reverse("logout"))
    assert first.get(reverse("home")).status_code == 302


def test_password_change_keeps_the_changing_session(client_for):
    client = client_for("demo-editor")
    response = client.post("/accounts/password/", {
        "old_password": DEMO_PASSWORD, "new_password1": "Nw-Passw0rd-2026!", "new_password2": "Nw-Passw0rd-2026!"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_setting_off_keeps_both_sessions(db, settings):
    settings.GOVPUB_SINGLE_SESSION = False
    first = real_login()
    second = real_login()
    assert first.get(reverse("home")).status_code == 200
    assert second.get(reverse("home")).status_code == 200
    assert not AuditEvent.objects.filter(action__in=["auth.session_replaced", "auth.session_superseded"]).exists()
