"""Editing over the API (issue 16 items 5 and 8): base_revision conflicts, the unit default, publications in
the item detail."""

import pytest

from govpub.orgs.models import Person, Role, RoleAssignment, Unit

pytestmark = pytest.mark.django_db


def test_api_patch_with_a_stale_base_revision_is_409_with_the_current_revision(api, new_item):
    item = new_item()
    first = api("demo-editor").patch(f"/items/{item['id']}", {"base_revision": 1, "title": "第一位编辑改的标题"})
    assert first.status_code == 200 and first.json()["revision"]["number"] == 2
    stale = api("demo-editor2").patch(f"/items/{item['id']}", {"base_revision": 1, "summary": "第二位编辑的摘要"})
    assert stale.status_code == 409, stale.content.decode()
    body = stale.json()
    assert body["current_revision"]["number"] == 2 and body["current_revision"]["title"] == "第一位编辑改的标题"
    assert "第 1 版" in body["detail"] and "第 2 版" in body["detail"]
    again = api("demo-editor2").patch(f"/items/{item['id']}", {"base_revision": 2, "summary": "第二位编辑的摘要"})
    assert again.status_code == 200 and again.json()["revision"]["number"] == 3


def test_api_create_without_unit_uses_the_editors_only_unit(api, column_key, party_office_id):
    payload = {"title": "不写单位的稿件", "body_html": "<p>正文。</p>", "targets": [column_key]}
    response = api("demo-editor").post("/items", payload)
    assert response.status_code == 201, response.content.decode()
    assert api("demo-editor").get(f"/items/{response.json()['id']}").json()["unit"]["id"] == party_office_id

    RoleAssignment.objects.create(person=Person.objects.get(username="demo-editor"),
                                  unit=Unit.objects.get(name="燕矶镇人民政府"), role=Role.EDITOR)
    ambiguous = api("demo-editor").post("/items", payload)
    assert ambiguous.status_code == 400 and "unit" in ambiguous.json()["errors"]
    refused = api("demo-office-head").post("/items", payload)
    assert refused.status_code == 403


def test_item_detail_lists_its_publications(api, approved):
    item = approved()
    api("demo-editor").post(f"/items/{item['id']}/publish", {"revision_hash": item["revision"]["hash"]})
    detail = api("demo-editor").get(f"/items/{item['id']}").json()
    [publication] = detail["publications"]
    assert publication["status"] == "live" and publication["status_label"] == "已上线"
    assert publication["revision_number"] == 1 and publication["url"].startswith("http://testserver/")


def test_api_preview(api, new_item):
    item = new_item()
    body = api("demo-editor").get(f"/items/{item['id']}/preview").json()
    assert body["revision_number"] == 1 and body["wechat"]["problems"] == []
    assert body["site_preview_url"].endswith(f"/staff/items/{item['id']}/preview/site/?revision=1")
    assert api("yanji-editor").get(f"/items/{item['id']}/preview").status_code == 404
