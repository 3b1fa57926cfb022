import json

import pytest
from django.test import Client

from govpub.api.actions import create_token
from govpub.channels.models import Channel, ChannelKind
from govpub.orgs.models import Person
from govpub.review.models import CHECKLIST_KEYS

PASS = {key: True for key in CHECKLIST_KEYS}
REVIEWERS = {"first_review": "demo-editor2", "second_review": "demo-office-head", "final_review": "demo-deputy",
             "principal_review": "demo-principal"}
BODY = "<p>区党政办公室召开全区政务公开工作推进会，部署下一阶段重点任务。</p>"
ID_NUMBER = "42070419900101123X"


class ApiClient:
    """A test client that speaks JSON to /api/v1/ with a bearer token."""

    def __init__(self, token: str | None):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def _call(self, method, path, body=None):
        kwargs = dict(self.headers)
        if body is not None:
            kwargs.update(data=json.dumps(body, ensure_ascii=False), content_type="application/json")
        return getattr(self.client, method)(f"/api/v1{path}", **kwargs)

    def get(self, path):
        return self._call("get", path)

    def post(self, path, body=None):
        return self._call("post", path, {} if body is None else body)

    def patch(self, path, body):
        return self._call("patch", path, body)


@pytest.fixture
def api(db):
    """api("demo-editor") → an ApiClient holding a fresh token of that demo user."""
    made = {}

    def make(username: str) -> ApiClient:
        if username not in made:
            _, raw = create_token(Person.objects.get(username=username), name="pytest")
            made[username] = ApiClient(raw)
        return made[username]

    return make


@pytest.fixture
def column_key(db):
    column = Channel.objects.get(kind=ChannelKind.WEBSITE).columns.get(slug="gzdt")
    return f"column:{column.pk}"


@pytest.fixture
def party_office_id(db):
    from govpub.orgs.models import Unit

    return Unit.objects.get(name="区党政办公室").pk


def decision_body(revision_hash: str, decision: str = "approve", **overrides) -> dict:
    body = {"revision_hash": revision_hash, "decision": decision, "checklist": dict(PASS),
            "confidentiality_ok": True, "proofread_ok": True, "comment": "同意" if decision == "approve" else "请修改"}
    body.update(overrides)
    return body


@pytest.fixture
def new_item(api, column_key, party_office_id):
    """Create an item over HTTP as demo-editor; returns its JSON (201 body)."""

    def make(body: str = BODY, major: bool = False, **fields) -> dict:
        payload = {"unit": party_office_id, "title": "全区政务公开工作推进会召开", "body_html": body,
                   "targets": [column_key], "major": major, "source": {"kind": "original"}}
        if major:
            payload["major_reason"] = "涉及全区重大部署"
        payload.update(fields)
        response = api("demo-editor").post("/items", payload)
        assert response.status_code == 201, response.content.decode()
        return response.json()

    return make


@pytest.fixture
def in_review(api, new_item):
    def make(**kwargs) -> dict:
        item = new_item(**kwargs)
        response = api("demo-editor").post(f"/items/{item['id']}/submit")
        assert response.status_code == 200, response.content.decode()
        return item

    return make


@pytest.fixture
def approved(api, in_review):
    def make(**kwargs) -> dict:
        item = in_review(**kwargs)
        steps = ["first_review", "second_review", "final_review"] + (["principal_review"] if kwargs.get("major") else [])
        for step in steps:
            response = api(REVIEWERS[step]).post(f"/items/{item['id']}/decisions",
                                                 decision_body(item["revision"]["hash"]))
            assert response.status_code == 200, response.content.decode()
        return item

    return make
