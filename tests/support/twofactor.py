"""Test support: sign a Django test client in as if the second factor had been passed."""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from govpub.twofactor import policy


def pass_second_factor(client, person) -> None:
    """Mark the client's session OTP-verified (django_otp's session key) for a person who has an authenticator
    or whose role requires one; a person who needs one but has none gets a fresh one first."""
    device = policy.confirmed_totp(person)
    if device is None and policy.role_requires_two_factor(person):
        device = TOTPDevice.objects.create(user=person, name="测试验证器", confirmed=True)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
