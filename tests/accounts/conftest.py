import time

import pytest
from django.apps import apps

from govpub.ui.reauth import AUTH_AT_SESSION_KEY
from workflow.conftest import approved_item, make_item, website_column  # noqa: F401  (fixtures)

DEMO_PASSWORD = "Govpub@2026demo"
NEW_PASSWORD = "Nw-Passw0rd-2026!"


def make_stale(client, seconds: int = 3600) -> None:
    """The session's last authentication was long ago (beyond GOVPUB_REAUTH_SECONDS)."""
    session = client.session
    session[AUTH_AT_SESSION_KEY] = int(time.time()) - seconds
    session.save()


def otp_code_for(person) -> str | None:
    """The code the person's authenticator shows now, if the person has a confirmed TOTP device."""
    if not apps.is_installed("django_otp"):
        return None
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=person, confirmed=True).first()
    if device is None:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:  # this step's code was used already: the next one is within tolerance
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def reauth_data():
    """The re-authentication form's answers for a person: the password, and the OTP code if they have a device."""

    def make(person, password: str = DEMO_PASSWORD) -> dict:
        data = {"password": password}
        code = otp_code_for(person)
        if code is not None:
            data["otp_token"] = code
        return data

    return make
