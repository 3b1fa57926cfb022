"""The OpenAPI schema is public, valid, and lists every endpoint of the workflow issue."""

import pytest
from django.test import Client
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    ("post", "/api/v1/items"),
    ("patch", "/api/v1/items/{item_id}"),
    ("get", "/api/v1/items/{item_id}"),
    ("post", "/api/v1/items/{item_id}/submit"),
    ("post", "/api/v1/items/{item_id}/findings/{finding_id}/dismiss"),
    ("post", "/api/v1/items/{item_id}/decisions"),
    ("get", "/api/v1/channels"),
    ("post", "/api/v1/items/{item_id}/publish"),
    ("post", "/api/v1/items/{item_id}/withdraw"),
    ("get", "/api/v1/todo"),
    ("post", "/api/v1/check"),
    ("get", "/api/v1/notifications"),
    ("post", "/api/v1/notifications/{notification_id}/read"),
    ("post", "/api/v1/notifications/read-all"),
}


@pytest.fixture
def schema():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_schema_validates(schema):
    validate(schema)


def test_schema_lists_every_endpoint_with_bearer_auth(schema):
    listed = {(method, path) for path, ops in schema["paths"].items() for method in ops}
    assert ENDPOINTS <= listed
    assert any(s.get("scheme") == "bearer" for s in schema["components"]["securitySchemes"].values())
    for method, path in ENDPOINTS:
        operation = schema["paths"][path][method]
        assert operation.get("security"), (method, path)
        assert "401" in operation["responses"]


def test_schema_documents_conflicts_and_checklist(schema):
    decisions = schema["paths"]["/api/v1/items/{item_id}/decisions"]["post"]
    assert {"200", "403", "409", "422"} <= set(decisions["responses"])
    assert "409" in schema["paths"]["/api/v1/items/{item_id}/publish"]["post"]["responses"]
    assert "409" in schema["paths"]["/api/v1/items/{item_id}/submit"]["post"]["responses"]
    # Every answer may be left out (a return or rejection needs only its reason); the ten are all named.
    checklist = schema["components"]["schemas"]["ChecklistIn"]
    assert set(checklist["properties"]) == {"secrets", "law_and_policy", "political", "language", "harm",
                                            "local_benefit", "sensitive", "truthful", "public_opinion", "other"}
    assert not checklist.get("required") and checklist.get("additionalProperties") is False
    assert set(schema["components"]["schemas"]["DecisionIn"]["required"]) == {"revision_hash", "decision"}
    assert schema["components"]["schemas"]["DecisionIn"].get("additionalProperties") is False


def test_no_docs_page_loads_assets_from_a_cdn():
    response = Client().get("/api/v1/docs")
    assert response.status_code in (401, 404) or b"cdn" not in response.content.lower()


def test_every_operation_documents_the_rate_limit(schema):
    for method, path in ENDPOINTS:
        assert "429" in schema["paths"][path][method]["responses"], (method, path)
