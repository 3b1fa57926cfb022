"""The editor's paste clean-up and 一键排版 over HTTP: the staff routes (session, CSRF) and the API routes (token)
answer with the same functions, refuse whoever may not write items, and refuse an oversized body in Chinese."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from govpub.api.actions import create_token
from govpub.content.paste import HTML_TOO_LARGE, MAX_HTML_BYTES, clean_paste
from govpub.content.policy import EDITOR_TOOLS_REFUSAL
from govpub.content.typeset import typeset
from support.twofactor import pass_second_factor

from .conftest import people

pytestmark = pytest.mark.django_db

WORD = (Path(__file__).parent / "fixtures" / "word2016_clipboard.html").read_text(encoding="utf-8")
OFFICIAL = "<p>　　一.总体要求</p><p>&nbsp;</p><p>会议于10:30召开,请准时参加.</p>"
STAFF = {"clean": "/staff/editor/clean/", "typeset": "/staff/editor/typeset/"}
API = {"clean": "/api/v1/editor/clean", "typeset": "/api/v1/editor/typeset"}
EXPECTED = {"clean": lambda html: {"html": clean_paste(html).html, "notes": clean_paste(html).notes},
            "typeset": lambda html: {"html": typeset(html)}}


def post_json(client, url, body, **headers):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body, ensure_ascii=False)
    return client.post(url, data=data, content_type="application/json", **headers)


def api_headers(username):
    _, raw = create_token(people(username), name="editor-tools")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.parametrize("tool", ["clean", "typeset"])
@pytest.mark.parametrize("html", [WORD, OFFICIAL])
def test_staff_and_api_answer_with_the_same_function(tool, html, client_for):
    staff = post_json(client_for("demo-editor"), STAFF[tool], {"html": html})
    api = post_json(Client(), API[tool], {"html": html}, **api_headers("demo-editor"))
    assert staff.status_code == api.status_code == 200
    assert staff.json() == api.json() == EXPECTED[tool](html)


def test_what_the_routes_answer_is_what_the_writer_needs(client_for):
    client = client_for("demo-editor")
    cleaned = post_json(client, STAFF["clean"], {"html": WORD}).json()
    assert "<table>" in cleaned["html"] and 'rowspan="2"' in cleaned["html"] and "<ul><li>" in cleaned["html"]
    assert cleaned["notes"] and "图片" in cleaned["notes"][0]
    typeset_answer = post_json(client, STAFF["typeset"], {"html": OFFICIAL}).json()
    assert typeset_answer == {"html": "<h2>一、总体要求</h2><p>会议于10:30召开，请准时参加。</p>"}


@pytest.mark.parametrize("username", ["demo-deputy", "demo-office-head", "demo-supervisor", "demo-admin"])
@pytest.mark.parametrize("tool", ["clean", "typeset"])
def test_people_who_write_no_items_are_refused(username, tool, client_for):
    staff = post_json(client_for(username), STAFF[tool], {"html": "<p>正文</p>"})
    api = post_json(Client(), API[tool], {"html": "<p>正文</p>"}, **api_headers(username))
    assert staff.status_code == api.status_code == 403
    assert staff.json() == api.json() == {"detail": EDITOR_TOOLS_REFUSAL}


@pytest.mark.parametrize("tool", ["clean", "typeset"])
def test_the_staff_route_needs_the_csrf_token(tool):
    client = Client(enforce_csrf_checks=True)
    person = people("demo-editor")
    client.force_login(person)
    pass_second_factor(client, person)
    assert post_json(client, STAFF[tool], {"html": "<p>正文</p>"}).status_code == 403
    client.get("/staff/items/new/")  # the item form sets the CSRF cookie, and its token is what editor.js sends
    token = client.cookies["csrftoken"].value
    response = post_json(client, STAFF[tool], {"html": "<p>正文</p>"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and response.json()["html"] == "<p>正文</p>"


@pytest.mark.parametrize("tool", ["clean", "typeset"])
def test_anonymous_and_tokenless_callers_get_nothing(tool):
    response = post_json(Client(), STAFF[tool], {"html": "<p>正文</p>"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert post_json(Client(), API[tool], {"html": "<p>正文</p>"}).status_code == 401
    assert Client().get(API[tool]).status_code in (401, 405)


@pytest.mark.parametrize("tool", ["clean", "typeset"])
def test_oversized_html_is_refused_in_chinese(tool, client_for):
    big = {"html": "<p>" + "政" * (MAX_HTML_BYTES // 3 + 10) + "</p>"}
    staff = post_json(client_for("demo-editor"), STAFF[tool], big)
    api = post_json(Client(), API[tool], big, **api_headers("demo-editor"))
    assert staff.status_code == api.status_code == 413
    assert staff.json() == api.json() == {"detail": HTML_TOO_LARGE}
    assert "2 MB" in HTML_TOO_LARGE


@pytest.mark.parametrize("tool", ["clean", "typeset"])
@pytest.mark.parametrize("body", ["不是 JSON", "[]", '{"html": 5}', '{"text": "正文"}', b"\xff\xfe"])
def test_malformed_requests_get_a_chinese_400(tool, body, client_for):
    response = post_json(client_for("demo-editor"), STAFF[tool], body)
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_the_item_form_tells_the_editor_where_the_tools_are(client_for):
    page = client_for("demo-editor").get("/staff/items/new/").content.decode()
    assert 'data-clean-url="/staff/editor/clean/"' in page and 'data-typeset-url="/staff/editor/typeset/"' in page


def test_schema_documents_both_operations():
    schema = Client().get("/api/v1/openapi.json").json()
    for path in API.values():
        operation = schema["paths"][path]["post"]
        assert {"200", "401", "403", "413"} <= set(operation["responses"]) and operation.get("security")
