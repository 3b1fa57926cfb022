import re

import pytest
from django.test import Client

from govpub.orgs import actions as org_actions
from govpub.orgs.models import Person, Role, Unit
from govpub.twofactor import codes
from govpub.twofactor.demo import DEMO_TOTP_KEY

PARTY_OFFICE = "区党政办公室"


@pytest.fixture
def admin(db):
    return Person.objects.get(username="demo-admin")


@pytest.fixture
def new_person(admin):
    """A person with no authenticator yet, holding `role` in the party office."""

    def make(username: str, role: str = Role.OFFICE_HEAD) -> Person:
        person = org_actions.create_person(acting_user=admin, username=username, full_name="测试人员",
                                           password="Kx9#mZ2!pQ7w")
        org_actions.grant_role(acting_user=admin, person=person, unit=Unit.objects.get(name=PARTY_OFFICE), role=role)
        return person

    return make


@pytest.fixture
def password_only():
    """A client signed in with the password only: the second factor is still to come."""

    def make(person) -> Client:
        client = Client()
        client.force_login(person)
        return client

    return make


def secret_on_page(html: str) -> bytes:
    """The base32 secret shown for manual entry, as the person would type it into an app."""
    import base64

    secret = re.search(r'data-secret="([A-Z2-7]+)"', html).group(1)
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def demo_code() -> str:
    return codes.current_code(DEMO_TOTP_KEY)


def enrol(client) -> tuple[bytes, list[str]]:
    """Go through the enrolment page; returns the secret and the recovery codes shown once."""
    page = client.get("/accounts/2fa/setup/")
    assert page.status_code == 200
    key = secret_on_page(page.content.decode())
    response = client.post("/accounts/2fa/setup/", {"code": codes.current_code(key), "next": "/staff/"})
    assert response.status_code == 200, response.content.decode()[:500]
    recovery = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(recovery) == codes.RECOVERY_CODE_COUNT
    return key, recovery
