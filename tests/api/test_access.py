"""Who may do what through the API: cross-unit refusals, ineligible reviewers, stale hashes, no bulk operations."""

import pytest

from govpub.content.models import Item
from govpub.publishing.models import Publication
from govpub.review.models import Decision

from .conftest import decision_body

pytestmark = pytest.mark.django_db


def test_cross_unit_users_get_no_data(api, in_review):
    item = in_review()
    yanji = api("yanji-editor")
    response = yanji.get(f"/items/{item['id']}")
    assert response.status_code == 404 and item["revision"]["title"] not in response.content.decode()
    # Acting on it is a 404 too: a 403 would confirm that the item exists.
    assert yanji.patch(f"/items/{item['id']}", {"title": "外单位改稿"}).status_code == 404
    assert yanji.post(f"/items/{item['id']}/submit").status_code == 404
    assert yanji.post(f"/items/{item['id']}/withdraw", {"reason": "外单位撤稿"}).status_code == 404
    # A reviewer of another unit may not decide, even naming the right hash.
    for username in ("yanji-editor", "yanji-office-head", "yanji-deputy"):
        refused = api(username).post(f"/items/{item['id']}/decisions", decision_body(item["revision"]["hash"]))
        assert refused.status_code == 404, username
        assert item["revision"]["title"] not in refused.content.decode()
    # …nor with a stale hash (no hint about the item's state either).
    stale = api("yanji-office-head").post(f"/items/{item['id']}/decisions", decision_body("0" * 64))
    assert stale.status_code == 404
    assert Decision.objects.filter(run__item_id=item["id"]).count() == 0
    # Nothing of theirs in the to-do list; and they cannot create items for another unit.
    assert all(e["item"]["id"] != item["id"] for e in yanji.get("/todo").json())
    created = yanji.post("/items", {"unit": Item.objects.get(pk=item["id"]).unit_id, "title": "越权", "body_html": "<p>x</p>",
                                    "targets": []})
    assert created.status_code == 404


def test_supervisor_sees_but_cannot_edit_or_decide(api, in_review):
    item = in_review()
    supervisor = api("demo-supervisor")
    assert supervisor.get(f"/items/{item['id']}").status_code == 200
    assert supervisor.patch(f"/items/{item['id']}", {"title": "改"}).status_code == 403
    assert supervisor.post(f"/items/{item['id']}/decisions", decision_body(item["revision"]["hash"])).status_code == 403


def test_ineligible_reviewers_get_403(api, in_review):
    item = in_review()
    digest = item["revision"]["hash"]
    # 初审 is the editors' step: the office head may not take it.
    refused = api("demo-office-head").post(f"/items/{item['id']}/decisions", decision_body(digest))
    assert refused.status_code == 403 and "初审" in refused.json()["detail"]
    assert api("demo-editor2").post(f"/items/{item['id']}/decisions", decision_body(digest)).status_code == 200
    # 复审 by a deputy or by the author is refused.
    assert api("demo-deputy").post(f"/items/{item['id']}/decisions", decision_body(digest)).status_code == 403
    assert api("demo-editor").post(f"/items/{item['id']}/decisions", decision_body(digest)).status_code == 403
    assert api("demo-editor").get(f"/items/{item['id']}").json()["current_step"] == "second_review"


def test_one_person_cannot_approve_two_separated_steps(api, in_review, person, unit):
    from govpub.orgs import actions as org_actions
    from govpub.orgs.models import Role

    org_actions.grant_role(acting_user=person("demo-admin"), person=person("demo-office-head"),
                           unit=unit("区党政办公室"), role=Role.DEPUTY)
    item = in_review()
    digest = item["revision"]["hash"]
    assert api("demo-editor2").post(f"/items/{item['id']}/decisions", decision_body(digest)).status_code == 200
    assert api("demo-office-head").post(f"/items/{item['id']}/decisions", decision_body(digest)).status_code == 200
    twice = api("demo-office-head").post(f"/items/{item['id']}/decisions", decision_body(digest))
    assert twice.status_code == 403 and "三位不同" in twice.json()["detail"]


def test_stale_hashes_get_409(api, in_review):
    item = in_review()
    old = item["revision"]["hash"]
    assert api("demo-editor2").post(f"/items/{item['id']}/decisions", decision_body(old)).status_code == 200
    changed = api("demo-editor").patch(f"/items/{item['id']}", {"title": "改过的标题"})
    assert changed.status_code == 200 and changed.json()["created"] and changed.json()["state"] == "draft"
    assert api("demo-editor").post(f"/items/{item['id']}/submit").status_code == 200
    stale = api("demo-editor2").post(f"/items/{item['id']}/decisions", decision_body(old))
    assert stale.status_code == 409 and "不是当前版本" in stale.json()["detail"]
    # The run restarted from 初审.
    detail = api("demo-editor").get(f"/items/{item['id']}").json()
    assert detail["current_step"] == "first_review"
    assert [s["status"] for s in detail["steps"]] == ["pending", "waiting", "waiting"]


def test_publish_with_a_stale_hash_or_before_approval_is_refused(api, in_review, approved):
    waiting = in_review()
    refused = api("demo-editor").post(f"/items/{waiting['id']}/publish", {"revision_hash": waiting["revision"]["hash"]})
    assert refused.status_code == 409 and refused.json()["problems"]
    item = approved()
    stale = api("demo-editor").post(f"/items/{item['id']}/publish", {"revision_hash": "f" * 64})
    assert stale.status_code == 409
    assert any("当前版本" in p for p in stale.json()["problems"])
    # Only the unit's editors publish (第六条(四)).
    assert api("demo-deputy").post(f"/items/{item['id']}/publish",
                                   {"revision_hash": item["revision"]["hash"]}).status_code == 403
    assert Publication.objects.filter(item_id=item["id"]).count() == 0


def test_gate_refuses_a_suspended_unit(api, approved, person, unit):
    from govpub.orgs import actions as org_actions

    item = approved()
    org_actions.suspend_unit(unit("区党政办公室"), acting_user=person("demo-supervisor"), reason="责令整改")
    refused = api("demo-editor").post(f"/items/{item['id']}/publish", {"revision_hash": item["revision"]["hash"]})
    assert refused.status_code == 409
    assert any("暂停" in p for p in refused.json()["problems"]) and "不能发布" in refused.json()["detail"]


def test_bulk_bodies_are_refused_and_change_nothing(api, in_review, approved):
    item = in_review()
    digest = item["revision"]["hash"]
    bulk = [decision_body(digest), decision_body(digest)]
    response = api("demo-editor2").post(f"/items/{item['id']}/decisions", bulk)
    assert response.status_code == 422 and response.json()["detail"]
    with_ids = {**decision_body(digest), "item_ids": [item["id"]]}
    assert api("demo-editor2").post(f"/items/{item['id']}/decisions", with_ids).status_code == 422
    assert Decision.objects.filter(run__item_id=item["id"]).count() == 0
    assert Item.objects.get(pk=item["id"]).state == "in_review"

    ready = approved()
    publish_bulk = [{"revision_hash": ready["revision"]["hash"]}]
    assert api("demo-editor").post(f"/items/{ready['id']}/publish", publish_bulk).status_code == 422
    ids = {"revision_hash": ready["revision"]["hash"], "items": [ready["id"], item["id"]]}
    assert api("demo-editor").post(f"/items/{ready['id']}/publish", ids).status_code == 422
    assert Publication.objects.filter(item_id=ready["id"]).count() == 0
    assert Item.objects.get(pk=ready["id"]).state == "approved"
    # No route takes a list of items either.
    assert api("demo-editor").post("/items/publish", {"revision_hash": "x"}).status_code in (404, 405)


def test_bad_input_gets_chinese_errors_and_saves_nothing(api, new_item, column_key, party_office_id):
    editor = api("demo-editor")
    before = Item.objects.count()
    no_title = editor.post("/items", {"unit": party_office_id, "title": " ", "body_html": "<p>x</p>",
                                      "targets": [column_key]})
    assert no_title.status_code == 400 and no_title.json()["errors"]["title"] == ["请填写标题。"]
    reprint = editor.post("/items", {"unit": party_office_id, "title": "转载", "body_html": "<p>x</p>",
                                     "targets": [column_key], "source": {"kind": "reprint"}})
    assert reprint.status_code == 400 and "来源" in reprint.json()["detail"]
    foreign = editor.post("/items", {"unit": party_office_id, "title": "越界", "body_html": "<p>x</p>",
                                     "targets": ["channel:999999"]})
    assert foreign.status_code == 400 and "targets" in foreign.json()["errors"]
    garbage = editor.post("/items", {"unit": party_office_id, "title": "坏目标", "body_html": "<p>x</p>",
                                     "targets": ["column 1"]})
    assert garbage.status_code == 422
    unknown = editor.post("/items", {"unit": party_office_id, "title": "多余字段", "body_html": "<p>x</p>",
                                     "targets": [column_key], "state": "published"})
    assert unknown.status_code == 422
    assert editor.post("/items", {"unit": 999999, "title": "无单位", "body_html": "<p>x</p>",
                                  "targets": []}).status_code == 404
    not_json = editor.client.post("/api/v1/items", "{oops", content_type="application/json", **editor.headers)
    assert not_json.status_code == 400 and "JSON" in not_json.json()["detail"]
    assert Item.objects.count() == before
    item = new_item(body='<p onclick="x()">正文<script>alert(1)</script></p>')
    assert "script" not in item["revision"]["body_html"] and "onclick" not in item["revision"]["body_html"]
    assert editor.get("/items/999999").status_code == 404
    assert "不存在" in editor.get("/items/999999").json()["detail"]
    withdraw = editor.post(f"/items/{item['id']}/withdraw", {"reason": "未发布"})
    assert withdraw.status_code == 400 and "尚未发布" in withdraw.json()["detail"]


def test_another_units_item_is_answered_like_a_missing_one(api, in_review):
    """Reading or acting on another unit's item, finding or unit: the same 404 and body as for a made-up id."""
    item = in_review()
    finding = Item.objects.get(pk=item["id"]).current_revision.findings.first()
    unit_id = Item.objects.get(pk=item["id"]).unit_id
    missing = 999999
    yanji = api("yanji-editor")
    calls = [("get", "/items/{}", None), ("patch", "/items/{}", {"title": "外单位改稿"}),
             ("post", "/items/{}/submit", None), ("post", "/items/{}/withdraw", {"reason": "外单位撤稿"}),
             ("post", "/items/{}/decisions", decision_body(item["revision"]["hash"])),
             ("post", "/items/{}/publish", {"revision_hash": item["revision"]["hash"]})]
    for method, path, body in calls:
        args = () if body is None else (body,)
        foreign = getattr(yanji, method)(path.format(item["id"]), *args)
        unknown = getattr(yanji, method)(path.format(missing), *args)
        assert (foreign.status_code, unknown.status_code) == (404, 404), (method, path, foreign.status_code)
        assert foreign.json() == unknown.json(), path
    if finding is not None:
        foreign = yanji.post(f"/items/{item['id']}/findings/{finding.pk}/dismiss", {"reason": "外单位忽略"})
        assert foreign.status_code == 404
    body = {"title": "越权", "body_html": "<p>x</p>", "targets": []}
    foreign, unknown = yanji.post("/items", {"unit": unit_id, **body}), yanji.post("/items", {"unit": missing, **body})
    assert (foreign.status_code, unknown.status_code) == (404, 404)
    assert foreign.json() == unknown.json()
