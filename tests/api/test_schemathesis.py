"""Schemathesis against /api/v1/openapi.json, in-process over WSGI (no server, no network).

For every operation of the schema, generated requests — valid ones (positive) and deliberately
invalid ones (negative) — are sent with a valid bearer token, without a token and with a bad one.
Whatever is sent: never a 5xx, every status code is documented, every body matches the documented
schema and content type; invalid data is refused with a 4xx; without a valid token the answer is 401.
Examples are bounded and derandomized so the test is reproducible and runs well under a minute.
"""

from __future__ import annotations

import contextlib

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, negative_data_rejection,
                                               response_headers_conformance, response_schema_conformance,
                                               status_code_conformance)

from govpub.api.actions import create_token
from govpub.orgs.models import Person

pytestmark = pytest.mark.django_db

SCHEMA_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
                 response_headers_conformance, response_schema_conformance]
EXAMPLES = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 25}
UNAUTHENTICATED_EXAMPLES = 4


def _settings(max_examples: int):
    return settings(max_examples=max_examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))


@pytest.fixture
def schema(db, settings):
    # Thousands of requests a minute from one token; the rate limits have their own tests.
    settings.GOVPUB_RATE_LIMITS = False
    with _connection_kept():
        return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@contextlib.contextmanager
def _connection_kept():
    """Like django.test.Client: a finished request must not close the connection that holds the test's
    transaction (close_old_connections closes a connection it finds inside an atomic block)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(db):
    _, raw = create_token(Person.objects.get(username="demo-editor"), name="schemathesis")
    return raw


def _operations(schema):
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 11, [op.label for op in operations]
    return operations


def _run(operation, mode, headers, max_examples, path_parameters=None, extra_checks=(), expect=None):
    """Run ``max_examples`` generated cases of one operation; returns the status codes seen."""
    seen: list[int] = []
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @_settings(max_examples)
    @given(case=strategy)
    def run(case):
        with _connection_kept():
            response = case.call(headers=headers)
        seen.append(response.status_code)
        assert response.status_code < 500, (case.method, case.formatted_path, case.body, response.text[:500])
        if expect is not None:
            # A path no route matches (a negative id: the routes take digits only) is a JSON 404 before any
            # authentication; every routed operation asks for a token.
            unrouted = "/-" in case.formatted_path and response.status_code == 404
            assert response.status_code == expect or unrouted, (operation.label, response.status_code,
                                                                response.text[:300])
        case.validate_response(response, checks=SCHEMA_CHECKS + list(extra_checks), headers=headers)

    run()
    return seen


def test_every_operation_with_a_valid_token(schema, token):
    headers = {"Authorization": f"Bearer {token}"}
    statuses: dict[str, list[int]] = {}
    failures = []
    for operation in _operations(schema):
        for mode, n in EXAMPLES.items():
            extra = [negative_data_rejection] if mode is GenerationMode.NEGATIVE else []
            try:
                statuses[f"{operation.label} {mode.value}"] = _run(operation, mode, headers, n, extra_checks=extra)
            except Exception as e:  # collect every operation's failure, then report them together
                failures.append(f"{operation.label} [{mode.value}]: {e}")
    assert not failures, "\n\n".join(failures)
    # The run reached the application, not only the authentication layer.
    assert any(200 <= s < 300 for codes in statuses.values() for s in codes), statuses


def test_operations_on_real_items(schema, api, new_item, in_review, approved):
    """Path ids of real items in the state each operation acts on, with the token of the person who may act,
    so the generated bodies reach the actions themselves (and not only the 404 of an unknown id)."""
    from .conftest import ID_NUMBER, REVIEWERS

    def bearer(username):
        return {"Authorization": api(username).headers["HTTP_AUTHORIZATION"]}

    blocked = new_item(body=f"<p>联系人身份证号{ID_NUMBER}。</p>")
    response = api("demo-editor").post(f"/items/{blocked['id']}/submit")
    assert response.status_code == 409, response.content.decode()
    finding_id = response.json()["findings"][0]["id"]
    situations = {  # operation path -> (path parameters, acting user)
        "/api/v1/items/{item_id}": ({"item_id": new_item()["id"]}, "demo-editor"),
        "/api/v1/items/{item_id}/submit": ({"item_id": new_item()["id"]}, "demo-editor"),
        "/api/v1/items/{item_id}/findings/{finding_id}/dismiss": (
            {"item_id": blocked["id"], "finding_id": finding_id}, "demo-editor"),
        "/api/v1/items/{item_id}/decisions": ({"item_id": in_review()["id"]}, REVIEWERS["first_review"]),
        "/api/v1/items/{item_id}/publish": ({"item_id": approved()["id"]}, "demo-editor"),
        "/api/v1/items/{item_id}/withdraw": ({"item_id": approved()["id"]}, "demo-editor"),
    }
    failures = []
    statuses: dict[str, list[int]] = {}
    for operation in _operations(schema):
        if operation.path not in situations:
            continue
        path, username = situations[operation.path]
        for mode, n in EXAMPLES.items():
            extra = [negative_data_rejection] if mode is GenerationMode.NEGATIVE else []
            try:
                statuses[f"{operation.label} {mode.value}"] = _run(
                    operation, mode, bearer(username), n, path_parameters=path, extra_checks=extra)
            except Exception as e:  # collect every operation's failure, then report them together
                failures.append(f"{operation.label} [{mode.value}]: {e}")
    assert not failures, "\n\n".join(failures)
    assert len(statuses) == 14, sorted(statuses)
    # The actions answered, not only the lookups: some request of each operation got past the 404.
    for label, codes in statuses.items():
        if label.endswith("positive"):
            assert any(code != 404 for code in codes), (label, codes)


@pytest.mark.parametrize("authorization", [None, "Bearer ", "Bearer not-a-real-token", "Basic ZGVtbzpkZW1v",
                                           "Bearer " + "x" * 5000, "bearer\ttoken"])
def test_every_operation_refuses_a_missing_or_bad_token(schema, authorization):
    headers = {"Authorization": authorization} if authorization is not None else {}
    for operation in _operations(schema):
        _run(operation, GenerationMode.POSITIVE, headers, UNAUTHENTICATED_EXAMPLES, expect=401)
