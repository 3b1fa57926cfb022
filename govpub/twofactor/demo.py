"""The demo district's second factor: one fixed, published secret for every demo person whose role requires
2FA, so a newcomer can add it to any authenticator app (or run `govpub totp <username>`).

Never use it outside the demo: anyone who reads this file can compute the codes.
"""

from __future__ import annotations

import base64

from django_otp.plugins.otp_totp.models import TOTPDevice

from . import actions, policy

# base32 of the 20 ASCII bytes "GovPub-demo-TOTP-key": 32 characters, as authenticator apps take them.
DEMO_TOTP_SECRET = base64.b32encode(b"GovPub-demo-TOTP-key").decode()
DEMO_TOTP_KEY = base64.b32decode(DEMO_TOTP_SECRET)


def is_demo_device(device: TOTPDevice) -> bool:
    return device.key.lower() == DEMO_TOTP_KEY.hex()


def ensure_demo_devices(admin, people) -> list[str]:
    """Bind the demo secret for each person who needs 2FA and has no authenticator yet. Idempotent."""
    done = []
    for person in people:
        if policy.role_requires_two_factor(person) and not TOTPDevice.objects.filter(
                user=person, confirmed=True).exists():
            actions.install_device(person, acting_user=admin, key=DEMO_TOTP_KEY, demo=True)
            done.append(person.username)
    return done
