"""审核批注 (issue 17): a reviewer comments on a passage of the revision under review; the passage must be
in it; whoever may not decide the step may not annotate; the editor sees the comments on return; the API
offers the same."""

import pytest

from api.conftest import api  # noqa: F401 (fixture)
from govpub.review.models import Annotation

from .conftest import people
from .test_review_ui import decide, submitted

pytestmark = pytest.mark.django_db
BODY = "<p>区党政办公室召开全区政务公开工作推进会，部署下一阶段重点任务。</p><p>会议要求各单位于12月20日前报送材料。</p>"


def test_a_reviewer_annotates_a_passage_and_the_editor_sees_it_on_return(make_item, client_for):
    item = submitted(make_item, body=BODY)
    reviewer = client_for("demo-editor2")
    page = reviewer.get(f"/staff/items/{item.pk}/").content.decode()
    assert "对某段文字批注" in page and "引用所选文字" in page
    response = reviewer.post(f"/staff/items/{item.pk}/annotate/", {
        "quote": "于12月20日前 报送材料", "comment": "日期请与通知原文核对"})  # white space aside, it is there
    assert response.status_code == 302 and response.url.endswith("#h-annotations")
    note = Annotation.objects.get()
    assert (note.step, note.author.username, note.revision_id) == ("first_review", "demo-editor2",
                                                                   item.current_revision_id)
    decide(reviewer, item, decision="return", comment="见批注")
    editor_page = client_for("demo-editor").get(f"/staff/items/{item.pk}/").content.decode()
    assert "审核批注（1 条）" in editor_page and "日期请与通知原文核对" in editor_page
    assert "<blockquote>于12月20日前 报送材料</blockquote>" in editor_page


def test_a_passage_that_is_not_there_is_refused_and_the_typing_kept(make_item, client_for):
    item = submitted(make_item, body=BODY)
    response = client_for("demo-editor2").post(f"/staff/items/{item.pk}/annotate/", {
        "quote": "这句话不在稿件里", "comment": "我写了很长的批注"})
    html = response.content.decode()
    assert response.status_code == 400 and "所批原文不在当前版本中" in html and "我写了很长的批注" in html
    assert not Annotation.objects.exists()


def test_only_whoever_may_decide_the_step_annotates(make_item, client_for):
    item = submitted(make_item, body=BODY)
    data = {"quote": "部署下一阶段重点任务", "comment": "可以"}
    assert client_for("demo-office-head").post(f"/staff/items/{item.pk}/annotate/", data).status_code == 403  # 复审 later
    assert client_for("yanji-editor").post(f"/staff/items/{item.pk}/annotate/", data).status_code == 404  # another unit
    assert client_for("demo-editor2").get(f"/staff/items/{item.pk}/annotate/").status_code == 405
    assert not Annotation.objects.exists()


def test_annotations_through_the_api(make_item, api):
    item = submitted(make_item, body=BODY)
    created = api("demo-editor2").post(f"/items/{item.pk}/annotations", {"quote": "重点任务", "comment": "请具体说明"})
    assert created.status_code == 201 and created.json()["step"] == "first_review"
    assert api("demo-editor2").post(f"/items/{item.pk}/annotations",
                                    {"quote": "不存在的话", "comment": "x"}).status_code == 400
    listed = api("demo-editor").get(f"/items/{item.pk}/annotations").json()
    assert [(a["quote"], a["comment"], a["revision_number"]) for a in listed] == [("重点任务", "请具体说明", 1)]
    assert api("yanji-editor").get(f"/items/{item.pk}/annotations").status_code == 404
    assert people("demo-editor2").pk == Annotation.objects.get().author_id
