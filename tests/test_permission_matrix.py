"""The permission matrix: every URL pattern and every API operation, requested by every role on an object of
its own unit and of another unit, and anonymously, against the declared table (permission_matrix_table.py).

A URL name or API operation without an entry fails test_every_url_and_operation_is_declared: decide who may
reach a new view before it ships. Each request runs in a savepoint that is rolled back, so a POST that is
allowed leaves nothing behind for the next subject (and each URL is its own test, rolled back as a whole)."""

from __future__ import annotations

import copy
import json
import re
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from govpub.audit.models import AuditEvent
from govpub.orgs.models import Person, RoleAssignment

import permission_matrix_world as W
from permission_matrix_table import (
    ALLOW, API_OPERATIONS, API_URL_NAMES, DENY, HIDE, LOGIN, NOMETHOD, REAUTH, SAME, SUBJECTS, TWOFACTOR,
    UNAUTH, URLS,
)

API_PREFIX = "api/v1/"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py


# --- what the project serves ------------------------------------------------------------------------------

def _routes(patterns=None, prefix="", namespace=""):
    """(route, name) of every URL pattern; names inside a namespace are given with it ("api:get_item")."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            yield prefix + str(pattern.pattern), pattern.name and namespace + pattern.name


def _api_operations(client) -> dict[str, str]:
    """'METHOD /path' -> operationId, from the published OpenAPI schema."""
    schema = client.get("/api/v1/openapi.json").json()
    return {f"{method.upper()} {path}": op.get("operationId", "")
            for path, methods in schema["paths"].items() for method, op in methods.items()}


# --- the world the subjects act on ------------------------------------------------------------------------

@contextmanager
def _rolled_back():
    """A savepoint that is always rolled back. Marked like a TestCase's own atomic block, so the durable
    actions the views call may run inside it (as they do inside a test)."""
    atomic = transaction.atomic()
    atomic._from_testcase = True
    with atomic:
        yield
        transaction.set_rollback(True)


def _signed_in(username: str) -> Client:
    """What tests/conftest.py's client_for does (password and second factor passed), once per module: the
    sessions live in the module's transaction and every request runs in a savepoint rolled back after it."""
    from support.twofactor import pass_second_factor

    client = Client()
    person = Person.objects.get(username=username)
    client.force_login(person)
    pass_second_factor(client, person)
    return client


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Units A, B and O with their objects, built once for this module in a transaction rolled back at its end
    (every test runs inside it, in its own rolled-back savepoint), and a signed-in client per subject."""
    from django.conf import settings

    with django_db_blocker.unblock():
        hashers, settings.PASSWORD_HASHERS = settings.PASSWORD_HASHERS, FAST_HASHERS
        try:
            with _rolled_back():
                worlds, shared = W.build_all()
                clients = {role: _signed_in(username) for role, username in W.SUBJECTS.items()}
                yield worlds, shared, clients
        finally:
            settings.PASSWORD_HASHERS = hashers


def _kwargs(obj: str | None, target: W.World, shared: W.Shared, own_username: str | None) -> dict:
    if obj is None:
        return {}
    special = {
        "published_item": lambda: {"item_id": target.published.pk},
        "public_attachment": lambda: {"item_id": target.published.pk, "attachment_id": target.attachment.pk},
        "public_file": lambda: {"item_id": target.published.pk, "attachment_id": target.image.pk,
                                "digest": target.image.sha256[:16], "ext": "png"},
        "column_slug": lambda: {"slug": shared.column_slug},
        "sitemap_section": lambda: {"section": shared.sitemap_section},
        "wechat": lambda: {"channel_id": target.wechat.pk},
        "indicator_number": lambda: {"number": shared.indicator_number},
        "lexicon_entry": lambda: {"pk": shared.lexicon_entry.pk},
        # Own: a notification to the subject itself; other: one to a person of unit B.
        "notification": lambda: {"pk": shared.notifications[own_username or "yanji-editor"].pk},
        "captcha": lambda: {"key": shared.captcha_key},
        "site_image": lambda: {"field": "logo", "digest": "0" * 16},
        "scan_job": lambda: {"pk": shared.scan_job.pk},
    }
    if obj in special:
        return special[obj]()
    return {"pk": getattr(target, obj).pk}


def _subjects(world):
    """(subject, its client, the world it acts on, the username whose own objects it uses)."""
    worlds, _, clients = world
    other = worlds[W.OTHER_UNIT]
    yield "anonymous", Client(), other, None
    for role, username in W.SUBJECTS.items():
        yield f"{role}/own", clients[role], worlds[W.OWN_UNIT[role]], username
        yield f"{role}/other", clients[role], other, None


def _outcome(response) -> str:
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        # Sent to sign in, to the second factor, or to re-authenticate: none of these is the view answering.
        for outcome, name in ((LOGIN, "login"), (TWOFACTOR, "two_factor_setup"), (TWOFACTOR, "two_factor_verify"),
                              (REAUTH, "account_reauth")):
            if response.url.startswith(reverse(name)):
                return outcome
        return ALLOW
    known = {401: UNAUTH, 403: DENY, 404: HIDE, 405: NOMETHOD}
    if code in known:
        return known[code]
    if code >= 500:
        return f"SERVER ERROR {code}"
    return ALLOW


def _request(client, method, url, **extra) -> tuple[str, str]:
    cookies = copy.deepcopy(client.cookies)  # logging out clears the session cookie; the next request keeps it
    try:
        with _rolled_back():
            response = getattr(client, method)(url, **extra)
    except Exception as error:  # noqa: BLE001 — reported as the outcome, with the URL and the subject
        return f"EXCEPTION {type(error).__name__}: {error}", ""
    finally:
        client.cookies = cookies
    location = f" → {response.url}" if response.status_code in (301, 302, 303, 307, 308) else ""
    return _outcome(response), f"{response.status_code}{location}"


def _report(where: str, mismatches: list[str]) -> str:
    return f"{where}: {len(mismatches)} subject(s) got another outcome than declared:\n  " + "\n  ".join(mismatches)


# --- the declaration is complete --------------------------------------------------------------------------

@pytest.mark.django_db
def test_every_url_and_operation_is_declared():
    routes = list(_routes())
    names = [name for _, name in routes]
    assert None not in names, f"every URL needs a name: {[r for r, n in routes if n is None]}"
    api = {name for route, name in routes if route.startswith(API_PREFIX)} & (API_URL_NAMES | set(names) - set(URLS))
    web = set(names) - api
    operations = set(_api_operations(Client()))
    problems = []
    if web - set(URLS):
        problems.append(f"URL names without an entry in permission_matrix_table.URLS: {sorted(web - set(URLS))}")
    if set(URLS) - web:
        problems.append(f"stale entries in URLS (no such URL name): {sorted(set(URLS) - web)}")
    if api - API_URL_NAMES:
        problems.append(f"API URL names not in API_URL_NAMES: {sorted(api - API_URL_NAMES)}")
    if API_URL_NAMES - api:
        problems.append(f"stale names in API_URL_NAMES: {sorted(API_URL_NAMES - api)}")
    declared = set(API_OPERATIONS)
    if operations - declared:
        problems.append(f"API operations without an entry in API_OPERATIONS: {sorted(operations - declared)}")
    if declared - operations:
        problems.append(f"stale entries in API_OPERATIONS (not in the OpenAPI schema): {sorted(declared - operations)}")
    assert not problems, "\n".join(problems)
    for entry in list(URLS.values()) + list(API_OPERATIONS.values()):
        for table in (entry.get, entry.post):
            assert table == SAME or set(table) == set(SUBJECTS), entry


@pytest.mark.django_db
def test_public_pages_show_nothing_unpublished(world):
    """The public URLs are PUBLIC in the table for published objects; their unpublished neighbours stay unknown."""
    worlds, _, _ = world
    anonymous = Client()
    for w in worlds.values():
        for url in (reverse("public_article", args=[w.item.pk]),
                    reverse("public_attachment", args=[w.item.pk, w.draft_attachment.pk]),
                    reverse("public_attachment", args=[w.published.pk, w.draft_attachment.pk])):
            with _rolled_back():
                assert anonymous.get(url).status_code == 404, url


@pytest.mark.django_db
def test_subjects_hold_the_declared_roles(world):
    """The matrix is only as good as its subjects: each holds exactly the one role it stands for, in its own
    unit, and the other unit (B) has its own people, so "own" and "other" really differ."""
    worlds, _, clients = world
    for role, client in clients.items():
        with _rolled_back():
            assert client.get(reverse("home")).status_code == 200, f"{role} is not signed in with both factors"
    units = {name: w.unit for name, w in worlds.items()}
    for role, username in W.SUBJECTS.items():
        held = set(RoleAssignment.objects.active().filter(person__username=username).values_list("unit__name", "role"))
        assert held == {(W.OWN_UNIT[role], role)}, (username, held)
        assert Person.objects.get(username=username).is_active
    for name, (author, head, deputy, colleague) in W.WORKERS.items():
        for username, role in ((author, "editor"), (head, "office_head"), (deputy, "deputy")):
            assert RoleAssignment.objects.active().filter(person__username=username, unit=units[name],
                                                          role=role).exists(), (name, username, role)
    assert len({w.unit.pk for w in worlds.values()}) == 3
    for w in worlds.values():
        for obj in (w.item, w.published, w.ticket, w.incident):
            assert obj.unit_id == w.unit.pk, obj
        assert w.channel.operator_unit_id == w.channel.sponsor_unit_id == w.unit.pk
        assert w.publication.status == "queued" and w.published.state == "published"
        assert w.finding is not None and w.event.file_storage and w.sample.item.unit_id == w.unit.pk
    assert W.OTHER_UNIT not in W.OWN_UNIT.values()


# --- the matrix -------------------------------------------------------------------------------------------

@pytest.fixture
def sessions_stay_fresh(settings):
    """The subjects sign in once per module and every request's session update is rolled back: a slow run must
    not turn into idle sign-outs or re-authentication prompts (both are tested in tests/accounts)."""
    settings.SESSION_IDLE_SECONDS = settings.GOVPUB_REAUTH_SECONDS = 24 * 3600


def _check(requests) -> list[str]:
    mismatches = []
    for subject, method, expected, (outcome, status) in requests:
        if outcome != expected:
            mismatches.append(f"{subject:<20} {method.upper():<5} declared {expected:<8} got {outcome} ({status})")
    return mismatches


def _route_of(name: str) -> str:
    return next(route for route, n in _routes() if n == name)


@pytest.mark.parametrize("name", sorted(URLS))
def test_url(name, world, db, sessions_stay_fresh):
    _, shared, _ = world
    entry = URLS[name]
    post = entry.get if entry.post == SAME else entry.post
    events_before = AuditEvent.objects.count()
    requests, answered = [], {}
    for subject, client, target, username in _subjects(world):
        url = reverse(name, kwargs=_kwargs(entry.obj, target, shared, username)) + entry.query
        for method, expected in (("get", entry.get[subject]), ("post", post[subject])):
            # A unit-independent URL is the same request for "own" and "other": ask once.
            key = (id(client), method, url)
            if key not in answered:
                body = {"data": entry.data or {}} if method == "post" else {}
                answered[key] = _request(client, method, url, **body)
            requests.append((subject, method, expected, answered[key]))
    mismatches = _check(requests)
    assert not mismatches, _report(f"{name} ({_route_of(name)})", mismatches)
    assert AuditEvent.objects.count() == events_before, "a request left an audit event behind"


@pytest.mark.parametrize("operation", sorted(API_OPERATIONS))
def test_api_operation(operation, world, db):
    entry = API_OPERATIONS[operation]
    method, path = operation.split(" ", 1)
    requests = []
    _, shared, _ = world
    for subject, _client, target, username in _subjects(world):
        role = subject.split("/")[0]
        headers = {} if subject == "anonymous" else {"HTTP_AUTHORIZATION": f"Bearer {W.token_for(W.SUBJECTS[role])}"}
        ids = {"item_id": target.item.pk, "finding_id": target.finding.pk,
               # as for the pages: own is a notification to the subject itself, other one to a person of unit B
               "notification_id": shared.notifications[username or "yanji-editor"].pk, "job_id": shared.scan_job.pk}
        url = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)
        body = json.dumps(entry.data or {}).replace('"{unit}"', str(target.unit.pk))
        if entry.multipart:
            extra = {"data": json.loads(body)}  # the test client's default: multipart/form-data
        else:
            extra = {"data": body, "content_type": "application/json"} if method != "GET" else {}
        requests.append((subject, method, entry.get[subject],
                         _request(Client(), method.lower(), url, **extra, **headers)))
    mismatches = _check(requests)
    assert not mismatches, _report(operation, mismatches)
