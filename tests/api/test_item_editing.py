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


def test_withdrawn_item_is_fixed_reviewed_again_and_republished_at_the_same_url(api, approved):
    from django.test import Client

    from .conftest import REVIEWERS, decision_body

    item = approved()
    editor = api("demo-editor")
    url = editor.post(f"/items/{item['id']}/publish", {"revision_hash": item["revision"]["hash"]}).json()[
        "publications"][0]["url"]
    assert editor.post(f"/items/{item['id']}/withdraw", {"reason": "会议时间有误"}).status_code == 200
    assert Client().get(url).status_code == 410

    fixed = editor.patch(f"/items/{item['id']}", {"base_revision": 1, "body_html": "<p>会议改期至下周一召开。</p>",
                                                  "correction_note": "更正会议时间"})
    assert fixed.status_code == 200, fixed.content.decode()
    assert fixed.json()["state"] == "draft" and fixed.json()["revision"]["number"] == 2
    assert Client().get(url).status_code == 410  # still down while it is fixed and reviewed again
    nothing_online = editor.post(f"/items/{item['id']}/withdraw", {"reason": "再撤一次"})
    assert nothing_online.status_code == 400 and "没有在线的发布" in nothing_online.json()["detail"]

    assert editor.post(f"/items/{item['id']}/submit").status_code == 200
    digest = fixed.json()["revision"]["hash"]
    for step in ("first_review", "second_review", "final_review"):  # the whole review again
        response = api(REVIEWERS[step]).post(f"/items/{item['id']}/decisions", decision_body(digest))
        assert response.status_code == 200, response.content.decode()
    republished = editor.post(f"/items/{item['id']}/publish", {"revision_hash": digest})
    assert republished.status_code == 200, republished.content.decode()
    assert [p["url"] for p in republished.json()["publications"]] == [url]  # one public URL
    page = Client().get(url)
    assert page.status_code == 200 and "会议改期至下周一召开" in page.content.decode()
    history = editor.get(f"/items/{item['id']}").json()["publications"]
    assert [(p["revision_number"], p["status"]) for p in history] == [(1, "withdrawn"), (2, "live")]


def test_api_applies_chosen_suggestions_in_one_revision(api, new_item):
    numbers = ["420704198803152816", "420704197506204320"]
    item = new_item(body=f"<p>联系人身份证号{numbers[0]}，另一人{numbers[1]}。</p>")
    blocked = api("demo-editor").post(f"/items/{item['id']}/submit")
    assert blocked.status_code == 409
    ids = [f["id"] for f in blocked.json()["findings"] if f["text"] in numbers]
    assert len(ids) == 2
    applied = api("demo-editor").post(f"/items/{item['id']}/findings/apply", {"finding_ids": ids})
    assert applied.status_code == 200, applied.content.decode()
    body = applied.json()["revision"]["body_html"]
    assert applied.json()["revision"]["number"] == 2 and not any(n in body for n in numbers)
    assert api("demo-editor").post(f"/items/{item['id']}/submit").status_code == 200
    assert api("yanji-editor").post(f"/items/{item['id']}/findings/apply", {"finding_ids": ids}).status_code == 404
