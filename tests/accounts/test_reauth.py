"""Re-authentication ("sudo mode") before publishing, cancelling a schedule, withdrawing and changing roles."""

from urllib.parse import quote

from django.apps import apps
from django.test import Client
from django.urls import reverse

from govpub.audit.models import AuditEvent
from govpub.content.models import ItemState
from govpub.orgs.models import Role, RoleAssignment
from govpub.publishing import actions as publishing_actions
from govpub.publishing.models import Publication

from .conftest import DEMO_PASSWORD, make_stale

REAUTH = "/accounts/reauth/"
MESSAGE = "为确保安全，执行此操作前请再次验证身份。"


def item_page(item) -> str:
    return f"http://testserver{reverse('item_detail', args=[item.pk])}"


def publish(client, item, referer=True):
    extra = {"HTTP_REFERER": item_page(item)} if referer else {}
    return client.post(reverse("item_publish", args=[item.pk]),
                       {"revision_hash": item.current_revision.content_hash, "mode": "now", "confirmed": "1"}, **extra)


def assert_sent_to_reauth(response, back: str):
    assert response.status_code == 302
    assert response.url == f"{REAUTH}?next={quote(back, safe='')}"


def test_fresh_login_publishes_at_once(client_for, approved_item):
    item = approved_item()
    response = publish(client_for("demo-editor"), item)
    assert response.status_code == 302 and response.url == reverse("item_detail", args=[item.pk])
    item.refresh_from_db()
    assert item.state == ItemState.PUBLISHED


def test_stale_session_must_reauthenticate_before_publishing(client_for, person, approved_item, reauth_data):
    item = approved_item()
    editor = client_for("demo-editor")
    make_stale(editor)
    response = publish(editor, item)
    assert_sent_to_reauth(response, item_page(item))
    item.refresh_from_db()
    assert item.state == ItemState.APPROVED and not Publication.objects.filter(item=item).exists()
    page = editor.get(response.url).content.decode()
    assert MESSAGE in page and "再次验证身份" in page

    before = AuditEvent.objects.order_by("-seq").first().seq
    response = editor.post(REAUTH, {**reauth_data(person("demo-editor"), "wrong-password"), "next": item_page(item)})
    assert response.status_code == 200 and "密码不正确" in response.content.decode()
    assert AuditEvent.objects.filter(seq__gt=before, action="auth.reauth_failed").count() == 1
    assert publish(editor, item).url.startswith(REAUTH)  # still stale

    response = editor.post(REAUTH, {**reauth_data(person("demo-editor")), "next": item_page(item)})
    assert response.status_code == 302 and response.url == item_page(item)
    assert AuditEvent.objects.filter(seq__gt=before, action="auth.reauth", actor_name="demo-editor").count() == 1
    response = publish(editor, item)
    assert response.status_code == 302 and response.url == reverse("item_detail", args=[item.pk])
    item.refresh_from_db()
    assert item.state == ItemState.PUBLISHED


def test_without_referer_the_item_page_is_the_way_back(client_for, approved_item):
    item = approved_item()
    editor = client_for("demo-editor")
    make_stale(editor)
    assert_sent_to_reauth(publish(editor, item, referer=False), reverse("item_detail", args=[item.pk]))
    # A foreign Referer is not followed either.
    response = editor.post(reverse("item_publish", args=[item.pk]), {"mode": "now"},
                           HTTP_REFERER="https://evil.example/phish")
    assert_sent_to_reauth(response, reverse("item_detail", args=[item.pk]))
    response = editor.post(REAUTH, {"password": DEMO_PASSWORD, "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == reverse("home")


def test_stale_session_must_reauthenticate_before_withdrawing(client_for, person, approved_item, reauth_data):
    item = approved_item()
    publishing_actions.publish_item(item, acting_user=person("demo-editor"),
                                    revision_hash=item.current_revision.content_hash)
    office_head = client_for("demo-office-head")
    make_stale(office_head)
    url = reverse("item_withdraw", args=[item.pk])
    response = office_head.post(url, {"reason": "信息有误"}, HTTP_REFERER=item_page(item))
    assert_sent_to_reauth(response, item_page(item))
    item.refresh_from_db()
    assert item.state == ItemState.PUBLISHED

    response = office_head.post(REAUTH, {**reauth_data(person("demo-office-head")), "next": item_page(item)})
    assert response.status_code == 302 and response.url == item_page(item)
    assert office_head.post(url, {"reason": "信息有误"}).status_code == 302
    item.refresh_from_db()
    assert item.state == ItemState.WITHDRAWN


def test_stale_session_must_reauthenticate_before_cancelling_a_schedule(client_for, approved_item):
    item = approved_item()
    editor = client_for("demo-editor")
    make_stale(editor)
    response = editor.post(reverse("item_cancel_schedule", args=[item.pk]), HTTP_REFERER=item_page(item))
    assert_sent_to_reauth(response, item_page(item))


def test_stale_session_must_reauthenticate_before_granting_and_revoking_roles(client_for, person, unit, reauth_data):
    admin = client_for("demo-admin")
    finance = unit("区财政局")
    page = f"http://testserver{reverse('unit_detail', args=[finance.pk])}"
    grant = {"person": person("health-editor").pk, "role": Role.EDITOR}
    make_stale(admin)
    response = admin.post(reverse("role_grant", args=[finance.pk]), grant, HTTP_REFERER=page)
    assert_sent_to_reauth(response, page)
    assert not RoleAssignment.objects.active().filter(person__username="health-editor", unit=finance).exists()

    data = reauth_data(person("demo-admin"))
    if "otp_token" in data:  # an administrator with an authenticator: the password alone is not enough
        response = admin.post(REAUTH, {"password": DEMO_PASSWORD, "otp_token": "000000", "next": page})
        assert response.status_code == 200 and "动态验证码不正确" in response.content.decode()
        from django_otp.plugins.otp_totp.models import TOTPDevice

        # django_otp throttles a device for a second after a wrong code; the test does not wait for it.
        TOTPDevice.objects.filter(user=person("demo-admin")).update(
            throttling_failure_count=0, throttling_failure_timestamp=None)
    response = admin.post(REAUTH, {**data, "next": page})
    assert response.status_code == 302 and response.url == page
    assert admin.post(reverse("role_grant", args=[finance.pk]), grant).status_code == 302
    assignment = RoleAssignment.objects.active().get(person__username="health-editor", unit=finance)

    make_stale(admin)
    response = admin.post(reverse("role_revoke", args=[assignment.pk]))
    assert_sent_to_reauth(response, reverse("unit_detail", args=[finance.pk]))
    assignment.refresh_from_db()
    assert assignment.revoked_at is None


def test_reauth_asks_for_the_code_of_a_confirmed_authenticator(client_for, person, reauth_data):
    editor = person("demo-editor")
    if apps.is_installed("django_otp"):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.create(user=editor, name="测试验证器", confirmed=True)
    client = client_for("demo-editor")
    if apps.is_installed("django_otp"):
        assert "动态验证码" in client.get(REAUTH).content.decode()
        response = client.post(REAUTH, {"password": DEMO_PASSWORD, "next": "/staff/"})
        assert response.status_code == 200 and "动态验证码" in response.content.decode()
        response = client.post(REAUTH, {"password": DEMO_PASSWORD, "otp_token": "12345", "next": "/staff/"})
        assert "动态验证码为 6 位数字" in response.content.decode()
    else:
        assert "动态验证码" not in client.get(REAUTH).content.decode()
    response = client.post(REAUTH, {**reauth_data(editor), "next": "/staff/"})
    assert response.status_code == 302 and response.url == "/staff/"


def test_repeated_reauth_failures_lock_the_account_and_end_the_session(client_for, settings):
    client = client_for("demo-editor")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(REAUTH, {"password": "wrong-password", "next": "/staff/"})
        assert response.status_code == 200
    response = client.post(REAUTH, {"password": "wrong-password", "next": "/staff/"})
    assert response.status_code == 429 and "已暂时锁定" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    assert Client().post(reverse("login"), {"username": "demo-editor", "password": DEMO_PASSWORD}).status_code == 429


def test_reauth_page_needs_login(db):
    response = Client().get(REAUTH)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
