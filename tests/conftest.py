import pytest
from django.test import Client

from govpub.orgs.models import Person, Unit

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_and_immediate(settings):
    # Argon2 is the production hasher (asserted in test_settings); tests need speed.
    settings.PASSWORD_HASHERS = FAST_HASHERS
    from huey.contrib.djhuey import HUEY

    previous, HUEY.immediate = HUEY.immediate, True
    yield
    HUEY.immediate = previous


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo district, created once for the whole session; each test runs in a rolled-back transaction."""
    from django.conf import settings

    from govpub.web.demo import seed_demo

    with django_db_blocker.unblock():
        hashers, settings.PASSWORD_HASHERS = settings.PASSWORD_HASHERS, FAST_HASHERS
        try:
            seed_demo()
        finally:
            settings.PASSWORD_HASHERS = hashers


@pytest.fixture
def person(db):
    return lambda username: Person.objects.get(username=username)


@pytest.fixture
def unit(db):
    return lambda name: Unit.objects.get(name=name)


@pytest.fixture
def client_for(db):
    """A logged-in test client for a demo user."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(Person.objects.get(username=username))
        return client

    return make
