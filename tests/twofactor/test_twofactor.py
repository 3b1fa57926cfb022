"""Two-factor login (TOTP): forced enrolment, the verify step, recovery codes, admin reset, throttling, audit."""

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from govpub.audit.models import AuditEvent
from govpub.orgs.models import Person, Role
from govpub.twofactor import codes
from govpub.twofactor.demo import DEMO_TOTP_KEY, DEMO_TOTP_SECRET

from .conftest import demo_code, enrol, secret_on_page

pytestmark = pytest.mark.django_db


def events(action, since=0):
    return list(AuditEvent.objects.filter(action=action, seq__gt=since).order_by("seq"))


def last_seq():
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


# --- who must use it ----------------------------------------------------------------------------------

def test_reviewer_without_device_is_forced_to_enrol(new_person, password_only):
    client = password_only(new_person("new-head", Role.OFFICE_HEAD))
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response.url == "/accounts/2fa/setup/?next=%2Fstaff%2F"
    page = client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "您的角色登录时必须使用双因素认证" in html
    assert 'src="data:image/svg+xml;base64,' in html
    # Other staff pages are closed too until the code is confirmed.
    assert client.get("/staff/units/").url.startswith("/accounts/2fa/setup/")


def test_editor_is_not_forced_but_may_enrol(new_person, password_only):
    editor = new_person("new-editor", Role.EDITOR)
    client = password_only(editor)
    assert client.get("/staff/").status_code == 200
    assert "可自愿启用" in client.get("/accounts/security/").content.decode()
    enrol(client)
    assert TOTPDevice.objects.filter(user=editor, confirmed=True).exists()
    # Once enrolled, the editor is asked for the code at the next sign-in as well.
    again = Client()
    again.force_login(editor)
    assert again.get("/staff/").url.startswith("/accounts/2fa/verify/")


@pytest.mark.parametrize("username", ["demo-principal", "demo-deputy", "demo-office-head", "demo-supervisor",
                                      "demo-admin"])
def test_every_required_demo_role_has_the_demo_device_and_is_asked_for_a_code(username, password_only):
    person = Person.objects.get(username=username)
    device = TOTPDevice.objects.get(user=person, confirmed=True)
    assert device.key == DEMO_TOTP_KEY.hex()
    response = password_only(person).get("/staff/items/")
    assert response.url == "/accounts/2fa/verify/?next=%2Fstaff%2Fitems%2F"


def test_demo_editors_have_no_device():
    assert not TOTPDevice.objects.filter(user__username__in=["demo-editor", "yanji-editor"]).exists()
    assert DEMO_TOTP_SECRET == "I5XXMUDVMIWWIZLNN4WVIT2UKAWWWZLZ"  # as documented in README.md


def test_required_roles_come_from_settings(settings, new_person, password_only):
    settings.GOVPUB_2FA_REQUIRED_ROLES = []
    assert password_only(new_person("new-head", Role.OFFICE_HEAD)).get("/staff/").status_code == 200
    # A device that exists is still asked for.
    assert password_only(Person.objects.get(username="demo-deputy")).get("/staff/").status_code == 302
    settings.GOVPUB_2FA_REQUIRED_ROLES = ["editor"]
    assert password_only(new_person("new-editor", Role.EDITOR)).get("/staff/").url.startswith("/accounts/2fa/setup/")


def test_public_pages_api_and_logout_are_not_gated(password_only):
    client = password_only(Person.objects.get(username="demo-deputy"))
    assert client.get("/").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/todo").status_code == 401  # token auth, untouched by the session's second factor
    assert client.get("/accounts/2fa/verify/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert client.get("/staff/").url.startswith("/accounts/login/")


def test_anonymous_is_sent_to_login_not_to_the_second_factor():
    for url in ("/accounts/2fa/setup/", "/accounts/2fa/verify/", "/accounts/security/"):
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url


# --- enrolment ------------------------------------------------------------------------------------------

def test_enrolment_with_a_real_code(new_person, password_only):
    person = new_person("new-head")
    client = password_only(person)
    since = last_seq()
    page = client.get("/accounts/2fa/setup/?next=/staff/units/").content.decode()
    key = secret_on_page(page)
    assert len(key) == 20
    # The QR code carries the same secret as the text shown for manual entry.
    assert re.search(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", page)
    response = client.post("/accounts/2fa/setup/", {"code": codes.current_code(key), "next": "/staff/units/"})
    html = response.content.decode()
    assert response.status_code == 200 and "只显示这一次" in html
    assert response.headers["Cache-Control"].startswith("max-age=0") or "no-store" in response.headers["Cache-Control"]
    recovery = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", html)
    assert len(recovery) == 10 and len(set(recovery)) == 10
    device = TOTPDevice.objects.get(user=person, confirmed=True)
    assert device.bin_key == key
    assert sorted(StaticDevice.objects.get(user=person).token_set.values_list("token", flat=True)) == sorted(recovery)
    # The session passed the second factor with the confirming code.
    assert client.get("/staff/units/").status_code == 200
    enrolled = events("2fa.enrolled", since)
    assert len(enrolled) == 1 and enrolled[0].object_id == str(person.pk)
    assert enrolled[0].details == {"re_enrolment": False, "recovery_codes": 10}


def test_wrong_code_is_refused_in_chinese(new_person, password_only):
    person = new_person("new-head")
    client = password_only(person)
    key = secret_on_page(client.get("/accounts/2fa/setup/").content.decode())
    wrong = f"{(int(codes.current_code(key)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/2fa/setup/", {"code": wrong})
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=person).exists()
    response = client.post("/accounts/2fa/setup/", {"code": ""})
    assert "请输入验证器显示的 6 位验证码" in response.content.decode()
    # The same secret is offered again, so an app that scanned it already keeps working.
    assert secret_on_page(client.get("/accounts/2fa/setup/").content.decode()) == key
    assert client.get("/staff/").url.startswith("/accounts/2fa/setup/")


def test_a_password_alone_cannot_replace_a_bound_device(password_only):
    client = password_only(Person.objects.get(username="demo-deputy"))
    response = client.get("/accounts/2fa/setup/")
    assert response.status_code == 302 and response.url.startswith("/accounts/2fa/verify/")
    assert client.post("/accounts/2fa/setup/", {"code": "123456"}).url.startswith("/accounts/2fa/verify/")


def test_re_enrolment_from_a_verified_session_replaces_the_device(client_for):
    deputy = Person.objects.get(username="demo-deputy")
    client = client_for("demo-deputy")
    since = last_seq()
    key, _recovery = enrol(client)
    device = TOTPDevice.objects.get(user=deputy)
    assert device.bin_key == key != DEMO_TOTP_KEY
    assert client.get("/staff/").status_code == 200
    assert events("2fa.enrolled", since)[0].details["re_enrolment"] is True


# --- the verify step --------------------------------------------------------------------------------------

def test_verify_step_before_staff_is_reachable(password_only):
    client = password_only(Person.objects.get(username="demo-office-head"))
    response = client.get("/staff/units/")
    assert response.url == "/accounts/2fa/verify/?next=%2Fstaff%2Funits%2F"
    page = client.get(response.url)
    assert "双因素验证" in page.content.decode()
    response = client.post("/accounts/2fa/verify/", {"code": demo_code(), "next": "/staff/units/"})
    assert response.status_code == 302 and response.url == "/staff/units/"
    assert client.get("/staff/units/").status_code == 200
    assert client.get("/staff/").status_code == 200


def test_a_code_is_accepted_once_only(password_only):
    head = Person.objects.get(username="demo-office-head")
    code = demo_code()
    first = password_only(head)
    assert first.post("/accounts/2fa/verify/", {"code": code}).url == "/staff/"
    second = password_only(head)
    response = second.post("/accounts/2fa/verify/", {"code": code})
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()


def test_next_must_stay_on_this_site(password_only):
    client = password_only(Person.objects.get(username="demo-office-head"))
    response = client.post("/accounts/2fa/verify/", {"code": demo_code(), "next": "https://evil.example/"})
    assert response.url == "/staff/"


def test_recovery_code_works_once_only(new_person, password_only):
    person = new_person("new-head")
    _key, recovery = enrol(password_only(person))
    since = last_seq()
    client = password_only(person)
    # Typed in capitals with a space: still the same code.
    spaced = f"{recovery[0][:4].upper()} {recovery[0][4:].upper()}"
    response = client.post("/accounts/2fa/verify/", {"code": spaced})
    assert response.status_code == 302 and response.url == "/staff/"
    assert client.get("/staff/").status_code == 200
    used = events("2fa.recovery_used", since)
    assert len(used) == 1 and used[0].details == {"remaining": 9}
    again = password_only(person)
    response = again.post("/accounts/2fa/verify/", {"code": recovery[0]})
    assert response.status_code == 200 and "恢复码不正确或已使用过" in response.content.decode()
    assert again.get("/staff/").url.startswith("/accounts/2fa/verify/")


def test_regenerated_recovery_codes_void_the_old_ones(new_person, password_only, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    person = new_person("new-head")
    client = password_only(person)
    _key, old = enrol(client)
    since = last_seq()
    security = client.get("/accounts/security/").content.decode()
    assert "已启用" in security and "10 个" in security
    response = client.post("/accounts/security/recovery-codes/")
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert [e.details for e in events("2fa.recovery_regenerated", since)] == [{"count": 10}]
    # GET does not regenerate anything.
    assert client.get("/accounts/security/recovery-codes/").status_code == 405
    other = password_only(person)
    assert other.post("/accounts/2fa/verify/", {"code": old[1]}).status_code == 200
    assert other.post("/accounts/2fa/verify/", {"code": new[1]}).url == "/staff/"


def test_regenerate_needs_a_device(client_for):
    response = client_for("demo-editor").post("/accounts/security/recovery-codes/")
    assert response.status_code == 403
    assert "请先绑定验证器" in response.content.decode()


# --- throttling -------------------------------------------------------------------------------------------

def test_five_wrong_codes_sign_the_session_out(password_only, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the device's own back-off is tested below
    client = password_only(Person.objects.get(username="demo-principal"))
    since = last_seq()
    wrong = f"{(int(demo_code()) + 500_000) % 1_000_000:06d}"
    for attempt in range(1, 5):
        response = client.post("/accounts/2fa/verify/", {"code": wrong})
        assert response.status_code == 200
        assert f"本次还可尝试 {5 - attempt} 次" in response.content.decode()
    response = client.post("/accounts/2fa/verify/", {"code": wrong}, follow=True)
    assert response.redirect_chain[0][0].startswith("/accounts/login/")
    assert "验证码连续 5 次输入错误，已退出登录" in response.content.decode()
    assert client.get("/staff/").url.startswith("/accounts/login/")
    failed = events("2fa.verified_failed", since)
    assert [e.details for e in failed] == [{"kind": "totp", "failures": n} for n in range(1, 6)]
    assert all(wrong not in str(e.details) for e in failed)


def test_device_backs_off_after_a_wrong_code(password_only, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    client = password_only(Person.objects.get(username="demo-principal"))
    wrong = f"{(int(demo_code()) + 500_000) % 1_000_000:06d}"
    assert "验证码不正确" in client.post("/accounts/2fa/verify/", {"code": wrong}).content.decode()
    # Even the right code waits until the back-off is over, and the wait does not count as a failure.
    response = client.post("/accounts/2fa/verify/", {"code": demo_code()})
    assert "尝试过于频繁" in response.content.decode()
    assert client.session["govpub_2fa_failures"] == 1


# --- admin reset ------------------------------------------------------------------------------------------

def test_admin_resets_a_person_who_must_then_enrol_again(client_for, password_only):
    deputy = Person.objects.get(username="demo-deputy")
    admin_client = client_for("demo-admin")
    page = admin_client.get(f"/staff/people/{deputy.pk}/").content.decode()
    assert "双因素认证" in page and "重置双因素认证" in page
    since = last_seq()
    response = admin_client.post(f"/staff/people/{deputy.pk}/2fa/reset/")
    assert response.status_code == 302 and response.url == f"/staff/people/{deputy.pk}/"
    assert not TOTPDevice.objects.filter(user=deputy).exists()
    assert not StaticDevice.objects.filter(user=deputy).exists()
    reset = events("2fa.reset", since)
    assert len(reset) == 1 and reset[0].actor_name == "demo-admin"
    assert reset[0].details == {"person": "demo-deputy", "had_device": True}
    assert password_only(deputy).get("/staff/").url.startswith("/accounts/2fa/setup/")
    # A session the deputy had verified before the reset is no longer verified either.


def test_reset_voids_sessions_verified_with_the_old_device(client_for):
    deputy_client = client_for("demo-deputy")
    assert deputy_client.get("/staff/").status_code == 200
    deputy = Person.objects.get(username="demo-deputy")
    client_for("demo-admin").post(f"/staff/people/{deputy.pk}/2fa/reset/")
    assert deputy_client.get("/staff/").url.startswith("/accounts/2fa/setup/")


@pytest.mark.parametrize("username", ["demo-office-head", "demo-principal", "demo-supervisor", "yanji-principal",
                                      "demo-editor"])
def test_only_an_admin_may_reset(client_for, username):
    target = Person.objects.get(username="demo-deputy")
    response = client_for(username).post(f"/staff/people/{target.pk}/2fa/reset/")
    # 燕矶镇's principal does not even see 党政办's deputy: a 404, as for a person who does not exist.
    assert response.status_code == (404 if username.startswith("yanji-") else 403)
    assert TOTPDevice.objects.filter(user=target).exists()
    assert not events("2fa.reset")


def test_admin_resets_people_of_any_unit_but_not_themselves(client_for):
    admin_client = client_for("demo-admin")
    yanji = Person.objects.get(username="yanji-principal")
    assert admin_client.post(f"/staff/people/{yanji.pk}/2fa/reset/").status_code == 302
    assert not TOTPDevice.objects.filter(user=yanji).exists()
    admin = Person.objects.get(username="demo-admin")
    response = admin_client.post(f"/staff/people/{admin.pk}/2fa/reset/")
    assert response.status_code == 403 and "账号安全" in response.content.decode()
    assert admin_client.get(f"/staff/people/{yanji.pk}/2fa/reset/").status_code == 405
    assert admin_client.post("/staff/people/999999/2fa/reset/").status_code == 404


def test_reset_needs_csrf(client_for):
    admin = Person.objects.get(username="demo-admin")
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    from support.twofactor import pass_second_factor

    pass_second_factor(client, admin)
    target = Person.objects.get(username="demo-deputy")
    assert client.post(f"/staff/people/{target.pk}/2fa/reset/").status_code == 403
    assert TOTPDevice.objects.filter(user=target).exists()


def test_colleague_sees_no_two_factor_panel(client_for):
    editor = Person.objects.get(username="demo-editor")
    page = client_for("demo-office-head").get(f"/staff/people/{editor.pk}/").content.decode()
    assert "重置双因素认证" not in page and "<h2>双因素认证</h2>" not in page
    own = client_for("demo-office-head").get(
        f"/staff/people/{Person.objects.get(username='demo-office-head').pk}/").content.decode()
    assert "<h2>双因素认证</h2>" in own and "重置双因素认证" not in own


# --- audit hygiene ----------------------------------------------------------------------------------------

def test_no_secret_or_code_reaches_the_audit_log(new_person, password_only):
    since = last_seq()
    person = new_person("new-head")
    client = password_only(person)
    key, recovery = enrol(client)
    client.post("/accounts/security/recovery-codes/")
    details = " ".join(str(e.details) for e in AuditEvent.objects.filter(seq__gt=since))
    device = TOTPDevice.objects.get(user=person)
    for secret in [codes.b32(key), device.key, *recovery,
                   *StaticDevice.objects.get(user=person).token_set.values_list("token", flat=True)]:
        assert secret not in details
