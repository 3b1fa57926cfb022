"""The whole journey through HTTP only: create → blocked submit → fix → 三审 + principal → publish → withdraw."""

import pytest
from django.test import Client

from govpub.audit.log import verify_chain

from .conftest import ID_NUMBER, REVIEWERS, decision_body

pytestmark = pytest.mark.django_db


def test_whole_flow_over_http(api, column_key, party_office_id):
    editor = api("demo-editor")

    # The editor finds where to publish.
    channels = editor.get("/channels")
    assert channels.status_code == 200
    office = next(u for u in channels.json() if u["unit"]["id"] == party_office_id)
    keys = {c["key"] for ch in office["channels"] for c in ch["columns"]}
    assert column_key in keys

    # Draft with a planted ID number; major, so the principal reviews too.
    planted = f"<p>区党政办公室召开全区政务公开工作推进会。联系人张三，身份证号{ID_NUMBER}。</p>"
    created = editor.post("/items", {
        "unit": party_office_id, "title": "全区政务公开工作推进会召开", "body_html": planted,
        "targets": [column_key], "major": True, "major_reason": "涉及全区重大部署", "summary": "推进会召开",
        "source": {"kind": "original"},
        "metadata": {"index_no": "LKQ-2026-001", "issuing_org": "区党政办公室", "written_on": "2026-03-01",
                     "doc_no": "临空办〔2026〕1号", "topic": "综合政务"}})
    assert created.status_code == 201, created.content.decode()
    item = created.json()
    item_id = item["id"]
    assert item["state"] == "draft" and item["revision"]["number"] == 1 and len(item["revision"]["hash"]) == 64
    assert item["revision"]["metadata"]["written_on"] == "2026-03-01"

    # Machine check blocks the submission and says why.
    blocked = editor.post(f"/items/{item_id}/submit")
    assert blocked.status_code == 409
    body = blocked.json()
    assert "机审" in body["detail"]
    id_finding = next(f for f in body["findings"] if f["rule"].startswith("privacy"))
    assert id_finding["text"] == ID_NUMBER and "*" in id_finding["suggestion"]
    assert editor.get(f"/items/{item_id}").json()["state"] == "draft"

    # Fix by applying the suggestion: a new revision.
    fixed = editor.patch(f"/items/{item_id}", {"body_html": planted.replace(ID_NUMBER, id_finding["suggestion"])})
    assert fixed.status_code == 200, fixed.content.decode()
    assert fixed.json()["created"] is True and fixed.json()["revision"]["number"] == 2
    # Saving the same content again changes nothing.
    same = editor.patch(f"/items/{item_id}", {"body_html": planted.replace(ID_NUMBER, id_finding["suggestion"])})
    assert same.json()["created"] is False and same.json()["revision"]["number"] == 2
    digest = fixed.json()["revision"]["hash"]

    submitted = editor.post(f"/items/{item_id}/submit")
    assert submitted.status_code == 200, submitted.content.decode()
    assert submitted.json()["state"] == "in_review"
    run = submitted.json()["run"]
    assert run["steps"] == ["first_review", "second_review", "final_review", "principal_review"]
    assert run["current_step"] == "first_review" and run["revision_hash"] == digest

    # Each reviewer finds it in their to-do list, then decides.
    for step in run["steps"]:
        reviewer = api(REVIEWERS[step])
        todo = reviewer.get("/todo").json()
        assert any(e["item"]["id"] == item_id and e["kind"] == "review" for e in todo), step
        state = reviewer.get(f"/items/{item_id}").json()
        assert state["current_step"] == step
        decided = reviewer.post(f"/items/{item_id}/decisions", decision_body(digest))
        assert decided.status_code == 200, decided.content.decode()
        assert decided.json()["step"] == step and decided.json()["reviewer"] == REVIEWERS[step]

    detail = editor.get(f"/items/{item_id}").json()
    assert detail["state"] == "approved" and detail["current_step"] is None
    assert [(s["step"], s["status"], s["reviewer"]) for s in detail["steps"]] == [
        (step, "approved", REVIEWERS[step]) for step in run["steps"]]
    assert all(s["decided_at"] for s in detail["steps"])
    assert detail["revision"]["hash"] == digest and detail["revision"]["number"] == 2

    published = editor.post(f"/items/{item_id}/publish", {"revision_hash": digest})
    assert published.status_code == 200, published.content.decode()
    result = published.json()
    assert result["state"] == "published"
    assert [(p["target"], p["status"]) for p in result["publications"]] == [(column_key, "live")]
    url = result["publications"][0]["url"]
    assert url.startswith("http://testserver/")

    page = Client().get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "全区政务公开工作推进会召开" in html and id_finding["suggestion"] in html and ID_NUMBER not in html

    withdrawn = editor.post(f"/items/{item_id}/withdraw", {"reason": "信息已过时效"})
    assert withdrawn.status_code == 200, withdrawn.content.decode()
    assert withdrawn.json()["state"] == "withdrawn"
    assert {p["status"] for p in withdrawn.json()["publications"]} == {"withdrawn"}
    assert Client().get(url).status_code == 410
    detail = editor.get(f"/items/{item_id}").json()
    assert detail["state"] == "withdrawn" and detail["withdrawn_reason"] == "信息已过时效"
    assert verify_chain().ok


def test_dismissing_a_finding_lets_the_submission_through(api, new_item):
    editor = api("demo-editor")
    item = new_item(body=f"<p>联系人张三，身份证号{ID_NUMBER}。</p>")
    blocked = editor.post(f"/items/{item['id']}/submit")
    assert blocked.status_code == 409
    blocks = [f for f in blocked.json()["findings"] if f["severity"] == "block" and not f["dismissed"]]
    assert blocks
    too_short = editor.post(f"/items/{item['id']}/findings/{blocks[0]['id']}/dismiss", {"reason": ""})
    assert too_short.status_code == 400 and "理由" in too_short.json()["detail"]
    for finding in blocks:
        dismissed = editor.post(f"/items/{item['id']}/findings/{finding['id']}/dismiss", {"reason": "经本人书面同意公开"})
        assert dismissed.status_code == 200, dismissed.content.decode()
        assert dismissed.json()["dismissed"] is True and dismissed.json()["dismissed_reason"] == "经本人书面同意公开"
    again = editor.post(f"/items/{item['id']}/findings/{blocks[0]['id']}/dismiss", {"reason": "经本人书面同意公开"})
    assert again.status_code == 400
    submitted = editor.post(f"/items/{item['id']}/submit")
    assert submitted.status_code == 200, submitted.content.decode()
    # Reviewers see the dismissal and its reason.
    findings = api("demo-office-head").get(f"/items/{item['id']}").json()["findings"]
    assert any(f["dismissed"] and f["dismissed_reason"] == "经本人书面同意公开" for f in findings)


def test_finding_of_another_item_is_not_found(api, new_item):
    first = new_item(body=f"<p>身份证号{ID_NUMBER}。</p>")
    second = new_item()
    finding = api("demo-editor").post(f"/items/{first['id']}/submit").json()["findings"][0]
    response = api("demo-editor").post(f"/items/{second['id']}/findings/{finding['id']}/dismiss",
                                       {"reason": "经本人书面同意公开"})
    assert response.status_code == 404


def test_return_then_reject(api, in_review):
    item = in_review()
    digest = item["revision"]["hash"]
    api("demo-editor2").post(f"/items/{item['id']}/decisions", decision_body(digest))
    no_comment = api("demo-office-head").post(f"/items/{item['id']}/decisions",
                                              decision_body(digest, "return", comment=""))
    assert no_comment.status_code == 400 and "意见" in no_comment.json()["detail"]
    returned = api("demo-office-head").post(f"/items/{item['id']}/decisions",
                                            decision_body(digest, "return", comment="数据需核实"))
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    steps = api("demo-editor").get(f"/items/{item['id']}").json()["steps"]
    assert [s["status"] for s in steps] == ["approved", "returned", "not_reached"]
    assert steps[1]["comment"] == "数据需核实"
    assert [e["kind"] for e in api("demo-editor").get("/todo").json() if e["item"]["id"] == item["id"]] == ["revise"]
    api("demo-editor").post(f"/items/{item['id']}/submit")
    rejected = api("demo-editor2").post(f"/items/{item['id']}/decisions",
                                        decision_body(digest, "reject", comment="不宜公开"))
    assert rejected.json()["state"] == "rejected"
    refused = api("demo-editor").patch(f"/items/{item['id']}", {"title": "再改"})
    assert refused.status_code == 403


def test_approve_needs_every_answer(api, in_review):
    item = in_review()
    digest = item["revision"]["hash"]
    failing = api("demo-editor2").post(f"/items/{item['id']}/decisions",
                                       decision_body(digest, checklist={**decision_body(digest)["checklist"],
                                                                        "political": False}))
    assert failing.status_code == 400 and "不能审核通过" in failing.json()["detail"]
    missing = decision_body(digest)
    del missing["checklist"]["other"]
    unanswered = api("demo-editor2").post(f"/items/{item['id']}/decisions", missing)
    assert unanswered.status_code == 400 and "审核通过须逐项回答" in unanswered.json()["detail"]
    # "yes" is not a boolean answer.
    sloppy = decision_body(digest, confidentiality_ok="yes")
    assert api("demo-editor2").post(f"/items/{item['id']}/decisions", sloppy).status_code == 422
    assert api("demo-editor").get(f"/items/{item['id']}").json()["current_step"] == "first_review"


def test_return_and_reject_need_only_a_reason(api, in_review):
    from govpub.review.models import Decision

    item = in_review()
    digest = item["revision"]["hash"]
    bare = {"revision_hash": digest, "decision": "return"}
    assert api("demo-editor2").post(f"/items/{item['id']}/decisions", bare).status_code == 400  # no reason
    returned = api("demo-editor2").post(f"/items/{item['id']}/decisions", {**bare, "comment": "第二段数据需核实"})
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    decision = Decision.objects.get(pk=returned.json()["id"])
    assert decision.checklist == {} and decision.confidentiality_ok is None and decision.comment == "第二段数据需核实"
    other = in_review()
    rejected = api("demo-editor2").post(f"/items/{other['id']}/decisions", {
        "revision_hash": other["revision"]["hash"], "decision": "reject", "comment": "涉及未公开的人事信息",
        "checklist": {"secrets": False}})
    assert rejected.status_code == 200 and rejected.json()["state"] == "rejected"
    assert Decision.objects.get(pk=rejected.json()["id"]).checklist == {"secrets": False}


def test_a_yes_over_open_machine_findings_needs_its_reason(api, in_review):
    item = in_review(body="<p>各部门要认真贯切落实区委区政府的决策部署。</p>")  # a typo warning: point (四)
    digest = item["revision"]["hash"]
    unexplained = api("demo-editor2").post(f"/items/{item['id']}/decisions", decision_body(digest))
    assert unexplained.status_code == 400 and "须简要说明理由" in unexplained.content.decode()
    explained = api("demo-editor2").post(f"/items/{item['id']}/decisions", decision_body(
        digest, point_notes={"language": "引用原文件用语，已核对"}))
    assert explained.status_code == 200 and explained.json()["decision"] == "approve"


def test_scheduled_publish(api, approved):
    import datetime as dt

    from django.utils import timezone

    item = approved()
    at = (timezone.now() + dt.timedelta(hours=2)).isoformat()
    response = api("demo-editor").post(f"/items/{item['id']}/publish",
                                       {"revision_hash": item["revision"]["hash"], "at": at})
    assert response.status_code == 200, response.content.decode()
    assert response.json()["state"] == "scheduled" and response.json()["publications"] == []
    assert response.json()["scheduled_at"]


def test_check_endpoint(api):
    client = api("demo-editor")
    text = client.post("/check", {"text": f"身份证号{ID_NUMBER}"}).json()
    finding = next(f for f in text["findings"] if f["rule"].startswith("privacy"))
    assert text["text"][finding["start"]:finding["end"]] == ID_NUMBER
    assert set(finding) == {"category", "rule", "severity", "start", "end", "text", "message", "suggestion",
                            "basis", "location"}
    html = client.post("/check", {"html": f"<p>联系人<b>张三</b>，身份证号{ID_NUMBER}</p>"}).json()
    finding = next(f for f in html["findings"] if f["rule"].startswith("privacy"))
    assert "<" not in html["text"] and html["text"][finding["start"]:finding["end"]] == ID_NUMBER
    assert client.post("/check", {}).status_code == 422
    assert client.post("/check", {"text": "a", "html": "<p>b</p>"}).status_code == 422
    assert client.post("/check", [{"text": "a"}]).status_code == 422



def test_check_endpoint_judges_offices_on_the_texts_date(api):
    client = api("demo-editor")
    text = "李克强总理主持召开国务院常务会议"

    def tenure(body):
        return [f for f in client.post("/check", body).json()["findings"] if f["rule"] == "political.leader_tenure"]

    assert tenure({"text": text, "as_of": "2026-12-01"})  # no longer premier on that date
    assert not tenure({"text": text, "as_of": "2018-06-01"})
