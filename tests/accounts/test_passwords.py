"""Password change page, history (no reuse), expiry and the first-login change."""

from datetime import timedelta

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from govpub.audit.models import AuditEvent
from govpub.orgs.models import PasswordHistory, Person

from .conftest import DEMO_PASSWORD, NEW_PASSWORD

URL = "/accounts/password/"


def change(client, old, new, repeat=None):
    return client.post(URL, {"old_password": old, "new_password1": new, "new_password2": repeat or new})


def test_change_page_is_linked_from_the_header_and_in_chinese(client_for):
    client = client_for("demo-editor")
    assert reverse("account_password") == URL
    home = client.get(reverse("home")).content.decode()
    assert f'href="{URL}"' in home and "修改密码" in home
    page = client.get(URL).content.decode()
    for label in ("当前密码", "新密码", "再次输入新密码"):
        assert label in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_wrong_current_password_is_refused_and_audited(client_for, person):
    client = client_for("demo-editor")
    before = AuditEvent.objects.order_by("-seq").first().seq
    response = change(client, "not-my-password", NEW_PASSWORD)
    assert response.status_code == 200
    assert "当前密码不正确" in response.content.decode()
    assert person("demo-editor").check_password(DEMO_PASSWORD)
    failed = AuditEvent.objects.get(seq__gt=before, action="auth.login_failed")
    assert failed.details["username"] == "demo-editor"


def test_mismatched_repeat_is_refused(client_for, person):
    response = change(client_for("demo-editor"), DEMO_PASSWORD, NEW_PASSWORD, repeat=NEW_PASSWORD + "x")
    assert "两次输入的新密码不一致" in response.content.decode()
    assert person("demo-editor").check_password(DEMO_PASSWORD)


def test_weak_new_password_gets_the_existing_validators_messages(client_for):
    response = change(client_for("demo-editor"), DEMO_PASSWORD, "abcdefghijkl")
    assert "至少包含小写字母、大写字母、数字、符号中的 3 类" in response.content.decode()


def test_success_changes_password_keeps_session_and_audits_without_secrets(client_for, person):
    client = client_for("demo-editor")
    before = AuditEvent.objects.order_by("-seq").first().seq
    response = change(client, DEMO_PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")
    editor = person("demo-editor")
    assert editor.check_password(NEW_PASSWORD)
    assert editor.password_changed_at > timezone.now() - timedelta(minutes=1)
    assert "密码已修改。" in [str(m) for m in get_messages(response.wsgi_request)]
    assert client.get(reverse("home")).status_code == 200  # this session stays signed in
    event = AuditEvent.objects.get(seq__gt=before, action="person.password_change")
    assert event.actor_id == editor.pk
    for secret in (DEMO_PASSWORD, NEW_PASSWORD, editor.password, editor.password.split("$")[-1]):
        assert secret not in str(event.details)


def test_recent_passwords_cannot_be_reused(client_for, person, settings):
    client = client_for("demo-editor")
    # The current password is the most recent one.
    response = change(client, DEMO_PASSWORD, DEMO_PASSWORD)
    assert "新密码不能与最近 5 次使用过的密码相同" in response.content.decode()
    assert change(client, DEMO_PASSWORD, NEW_PASSWORD).status_code == 302
    # Going back to the previous one is refused too, with a Chinese message.
    response = change(client, NEW_PASSWORD, DEMO_PASSWORD)
    assert response.status_code == 200
    assert "新密码不能与最近 5 次使用过的密码相同" in response.content.decode()
    assert person("demo-editor").check_password(NEW_PASSWORD)
    # Only as many hashes as the policy needs are kept.
    editor = person("demo-editor")
    for n in range(6):
        assert change(client, NEW_PASSWORD if n == 0 else f"Round-{n - 1}-pass!", f"Round-{n}-pass!").status_code == 302
    assert PasswordHistory.objects.filter(person=editor).count() == settings.GOVPUB_PASSWORD_HISTORY
    # Six changes later, the demo password has left the history and may be used again.
    assert change(client, "Round-5-pass!", DEMO_PASSWORD).status_code == 302


def test_history_size_follows_the_setting(client_for, settings):
    settings.GOVPUB_PASSWORD_HISTORY = 1
    client = client_for("demo-editor")
    assert change(client, DEMO_PASSWORD, NEW_PASSWORD).status_code == 302
    assert change(client, NEW_PASSWORD, DEMO_PASSWORD).status_code == 302


def test_expired_password_sends_to_change_page(client_for, person):
    Person.objects.filter(username="demo-editor").update(password_changed_at=timezone.now() - timedelta(days=91))
    client = client_for("demo-editor")
    response = client.get(reverse("item_list"))
    assert response.status_code == 302
    assert response.url == f"{URL}?next=%2Fstaff%2Fitems%2F"
    page = client.get(response.url).content.decode()
    assert "您的密码已超过 90 天未修改，请修改密码后继续使用。" in page
    # Still reachable: the public portal, the health check, signing out.
    assert client.get(reverse("public_home")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
    # Changing it lifts the block and returns to where the person was going.
    response = client.post(URL, {"old_password": DEMO_PASSWORD, "new_password1": NEW_PASSWORD,
                                 "new_password2": NEW_PASSWORD, "next": "/staff/items/"})
    assert response.status_code == 302 and response.url == "/staff/items/"
    assert client.get(reverse("item_list")).status_code == 200


def test_expired_password_may_still_sign_out(client_for):
    Person.objects.filter(username="demo-editor").update(password_changed_at=timezone.now() - timedelta(days=91))
    client = client_for("demo-editor")
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_expiry_can_be_switched_off(client_for, settings):
    settings.GOVPUB_PASSWORD_MAX_AGE_DAYS = 0
    Person.objects.filter(username="demo-editor").update(password_changed_at=timezone.now() - timedelta(days=900))
    assert client_for("demo-editor").get(reverse("item_list")).status_code == 200


def test_unsafe_next_is_ignored(client_for):
    client = client_for("demo-editor")
    response = client.post(URL, {"old_password": DEMO_PASSWORD, "new_password1": NEW_PASSWORD,
                                 "new_password2": NEW_PASSWORD, "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == reverse("home")


def test_account_created_by_admin_must_change_password_at_first_login(client_for, person):
    admin = client_for("demo-admin")
    response = admin.post(reverse("person_create"), {
        "username": "new-editor", "full_name": "新人", "password1": "Initial-pass-2026", "password2": "Initial-pass-2026"})
    assert response.status_code == 302
    created = person("new-editor")
    assert created.must_change_password
    assert PasswordHistory.objects.filter(person=created).count() == 1  # recorded on this path too
    assert AuditEvent.objects.get(action="person.create", object_id=str(created.pk)).details["must_change_password"]

    newcomer = Client()
    response = newcomer.post(reverse("login"), {"username": "new-editor", "password": "Initial-pass-2026"})
    assert response.status_code == 302
    response = newcomer.get(response.url)
    assert response.status_code == 302 and response.url.startswith(URL)
    assert "首次登录或密码被重置后，请先修改密码。" in newcomer.get(response.url).content.decode()
    # The initial password itself may not be kept.
    response = change(newcomer, "Initial-pass-2026", "Initial-pass-2026")
    assert "新密码不能与最近" in response.content.decode()
    assert change(newcomer, "Initial-pass-2026", NEW_PASSWORD).status_code == 302
    assert not person("new-editor").must_change_password
    assert newcomer.get(reverse("home")).status_code == 200
    event = AuditEvent.objects.filter(action="person.password_change", object_id=str(created.pk)).get()
    assert event.details["forced"] is True
