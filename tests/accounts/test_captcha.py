"""After GOVPUB_CAPTCHA_AFTER_FAILURES failed logins of an account the login form asks for an image captcha."""

import re

from axes.models import AccessAttempt
from captcha.models import CaptchaStore
from django.test import Client
from django.urls import reverse

from govpub.audit.models import AuditEvent

from .conftest import DEMO_PASSWORD

LOGIN = "/accounts/login/"


def login(client, password, **extra):
    return client.post(LOGIN, {"username": "demo-editor", "password": password, **extra})


def failures(username="demo-editor") -> int:
    return sum(a.failures_since_start for a in AccessAttempt.objects.filter(username=username))


def captcha_on(page: str) -> tuple[str, str]:
    """The hidden key and the image address of the captcha on a rendered login page."""
    key = re.search(r'name="captcha_0" value="(\w+)"', page).group(1)
    image = re.search(r'<img src="([^"]+)" alt="验证码图片"', page).group(1)
    return key, image


def answer(key: str) -> str:
    return CaptchaStore.objects.get(hashkey=key).response


def test_no_captcha_before_the_threshold(db):
    client = Client()
    assert 'name="captcha_1"' not in client.get(LOGIN).content.decode()
    for _ in range(2):
        login(client, "wrong-password")
    assert 'name="captcha_1"' not in client.get(LOGIN).content.decode()
    assert login(client, DEMO_PASSWORD).status_code == 302


def test_captcha_after_three_failures_wrong_captcha_refused_right_one_accepted(db, settings):
    assert settings.GOVPUB_CAPTCHA_AFTER_FAILURES == 3
    client = Client()
    for _ in range(3):
        login(client, "wrong-password")
    response = client.get(LOGIN)
    page = response.content.decode()
    assert "验证码" in page and 'name="captcha_1"' in page
    key, image = captcha_on(page)

    # The image is served before login, as an image, under the site's strict CSP (no inline script or style).
    picture = Client().get(image)
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    assert re.search(r"<script(?![^>]*\ssrc=)", page) is None  # scripts only from files of the site
    assert "style=" not in page and "onclick" not in page
    assert "script-src 'self'" in response["Content-Security-Policy"]

    # A wrong captcha with the right password: refused in Chinese, counted, and the password not even checked.
    before = AuditEvent.objects.order_by("-seq").first().seq
    response = login(client, DEMO_PASSWORD, captcha_0=key, captcha_1="zzzz")
    assert response.status_code == 200
    assert "验证码不正确或未填写" in response.content.decode()
    assert failures() == 4
    assert AuditEvent.objects.filter(seq__gt=before, action="auth.login_failed").count() == 1
    assert client.get(reverse("home")).status_code == 302  # not signed in
    # A captcha is good for one attempt only.
    assert not CaptchaStore.objects.filter(hashkey=key).exists()

    page = client.get(LOGIN).content.decode()
    key, _ = captcha_on(page)
    response = login(client, DEMO_PASSWORD, captcha_0=key, captcha_1=answer(key).upper())
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert failures() == 0  # a successful login resets the count, so the next login needs no captcha


def test_missing_captcha_counts_as_failure_and_shows_one(db):
    client = Client()
    for _ in range(3):
        login(client, "wrong-password")
    # Another browser that never saw the captcha posts the right password without one.
    other = Client()
    response = login(other, DEMO_PASSWORD)
    assert response.status_code == 200
    page = response.content.decode()
    assert "验证码不正确或未填写" in page
    assert 'name="captcha_1"' in page  # shown now
    assert failures() == 4


def test_right_captcha_with_wrong_password_is_an_ordinary_failure(db):
    client = Client()
    for _ in range(3):
        login(client, "wrong-password")
    key, _ = captcha_on(client.get(LOGIN).content.decode())
    response = login(client, "wrong-password", captcha_0=key, captcha_1=answer(key))
    assert "账号或密码不正确" in response.content.decode()
    assert failures() == 4


def test_captcha_is_per_account(db):
    client = Client()
    for _ in range(3):
        login(client, "wrong-password")
    response = Client().post(LOGIN, {"username": "demo-editor2", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_lockout_still_applies_after_the_captcha(db, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wrong-password")
    key, _ = captcha_on(client.get(LOGIN).content.decode())
    response = login(client, DEMO_PASSWORD, captcha_0=key, captcha_1=answer(key))
    assert response.status_code == 429
    assert "已暂时锁定" in response.content.decode()


def test_captcha_can_be_switched_off(db, settings):
    settings.GOVPUB_CAPTCHA_AFTER_FAILURES = 0
    client = Client()
    for _ in range(4):
        login(client, "wrong-password")
    assert login(client, DEMO_PASSWORD).status_code == 302
