import uuid

import pytest
from django.test import Client

from govpub.orgs.models import Person, Unit

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_and_immediate(settings):
    # Argon2 is the production hasher (asserted in test_settings); tests need speed.
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.GOVPUB_RATE_NAMESPACE = f"test-{uuid.uuid4().hex}"  # fresh rate-limit counters for every test
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


APPEND_ONLY_TABLES = ("audit_auditevent", "content_revision", "review_decision")


@pytest.fixture(scope="session", autouse=True)
def _flush_past_append_only_guards():
    """Transactional tests empty the database afterwards: on SQLite a DELETE the append-only row triggers
    refuse, on PostgreSQL a TRUNCATE the statement triggers refuse; the flush lifts them and puts them back."""
    from django.db import connection

    from govpub.audit.append_only import statements, truncate_statements

    if connection.vendor == "sqlite":
        from django.db.backends.sqlite3.base import DatabaseOperations
        guards = statements
    elif connection.vendor == "postgresql":
        from django.db.backends.postgresql.operations import DatabaseOperations
        guards = truncate_statements
    else:
        yield
        return
    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        guarded = [t for t in APPEND_ONLY_TABLES if t in tables]
        lift = [s for t in guarded for s in guards(connection.vendor, t, install=False)]
        restore = [s for t in guarded for s in guards(connection.vendor, t, install=True)]
        return lift + original(self, style, tables, reset_sequences=reset_sequences,
                               allow_cascade=allow_cascade) + restore

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


@pytest.fixture(scope="session", autouse=True)
def _audit_anchors_apart(tmp_path_factory):
    """The audit anchor file belongs to one database: the test databases must not write into (or be checked
    against) the data directory's own file, nor one test's anchors against another test's rolled-back chain."""
    from django.conf import settings

    folder = tmp_path_factory.mktemp("audit-anchors")
    saved, settings.GOVPUB_AUDIT_ANCHOR_FILE = settings.GOVPUB_AUDIT_ANCHOR_FILE, str(folder / "session.jsonl")
    yield folder
    settings.GOVPUB_AUDIT_ANCHOR_FILE = saved


@pytest.fixture(autouse=True)
def _audit_anchors_per_test(_audit_anchors_apart, settings):
    settings.GOVPUB_AUDIT_ANCHOR_FILE = str(_audit_anchors_apart / f"{uuid.uuid4().hex}.jsonl")


@pytest.fixture
def demo_committed(transactional_db, settings):
    """The demo district in a database whose commits are real (for tests with several threads)."""
    from govpub.web.demo import seed_demo

    seed_demo()


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
        from support.twofactor import pass_second_factor

        client = Client()
        person = Person.objects.get(username=username)
        client.force_login(person)
        # Signed in as if the TOTP code had been entered too: these tests are about what each role may do;
        # tests/twofactor tests the second factor itself.
        pass_second_factor(client, person)
        return client

    return make
