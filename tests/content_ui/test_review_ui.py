"""The review panel, publishing buttons, findings, diffs and the 待办 list through the staff UI."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from govpub.content import actions as content_actions
from govpub.content.models import ItemState
from govpub.publishing.models import Publication
from govpub.review import actions as review_actions
from govpub.review.models import Decision

from .conftest import ID_NUMBER, answers, people

pytestmark = pytest.mark.django_db
STEPS = [("demo-editor2", "初审"), ("demo-office-head", "复审"), ("demo-deputy", "终审")]


def decide(client, item, decision="approve", comment="同意", **overrides):
    item.refresh_from_db()
    data = {"revision_hash": item.current_revision.content_hash, "decision": decision, "comment": comment,
            **answers(), **overrides}
    return client.post(f"/staff/items/{item.pk}/decide/", data)


def submitted(make_item, **kwargs):
    item = make_item(**kwargs)
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    item.refresh_from_db()
    return item


def test_panel_only_for_the_person_who_may_decide(make_item, client_for):
    item = submitted(make_item)
    page = client_for("demo-editor2").get(f"/staff/items/{item.pk}/").content.decode()
    assert "审核：初审" in page and 'name="decision" value="approve"' in page
    assert f'value="{item.current_revision.content_hash}"' in page
    assert 'checked' not in page.split("审核：初审")[1].split("</form>")[0]  # no answer is pre-selected
    other = client_for("demo-office-head").get(f"/staff/items/{item.pk}/").content.decode()
    assert "审核：初审" not in other and "初审须由本单位的经办人办理" in other
    # Someone who may not decide is refused by the endpoint too.
    assert decide(client_for("demo-office-head"), item).status_code == 403
    assert not Decision.objects.filter(run__item=item).exists()


def test_unanswered_checklist_is_refused_and_comment_kept(make_item, client_for):
    item = submitted(make_item)
    data = {"revision_hash": item.current_revision.content_hash, "decision": "approve",
            "comment": "我写了一段很长的审核意见", **answers()}
    del data["c_truthful"]
    response = client_for("demo-editor2").post(f"/staff/items/{item.pk}/decide/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "审核通过须逐项回答" in html and "还有 1 项未回答" in html and "我写了一段很长的审核意见" in html
    # The open question is listed with a link to it, and marked where it is.
    assert '<a href="#id_c_truthful_0">' in html and html.count("审核通过须回答此项。") == 1
    assert not Decision.objects.filter(run__item=item).exists()
    # Approving with a "否" answer is refused with the domain's message.
    response = decide(client_for("demo-editor2"), item, c_political="no")
    assert response.status_code == 400 and "不能审核通过" in response.content.decode()
    assert not Decision.objects.filter(run__item=item).exists()


def test_a_return_needs_only_its_reason(make_item, client_for):
    item = submitted(make_item)
    base = {"revision_hash": item.current_revision.content_hash, "decision": "return"}
    refused = client_for("demo-editor2").post(f"/staff/items/{item.pk}/decide/", base)
    assert refused.status_code == 400 and "退回或不予发布时须填写意见" in refused.content.decode()
    done = client_for("demo-editor2").post(f"/staff/items/{item.pk}/decide/",
                                           {**base, "comment": "请核实第二段的数据", "c_truthful": "no"})
    assert done.status_code == 302
    decision = Decision.objects.get(run__item=item)
    assert decision.decision == "return" and decision.checklist == {"truthful": False}
    assert decision.proofread_ok is None
    page = client_for("demo-editor").get(f"/staff/items/{item.pk}/").content.decode()
    assert "未通过：信息真实准确；另 9 项未回答" in page and page.count(">未回答</td>") == 2


def test_stale_page_gets_the_stale_revision_message(make_item, client_for):
    item = submitted(make_item)
    old_hash = item.current_revision.content_hash
    content_actions.save_revision(item, acting_user=people("demo-editor"), title="改过的标题")
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    client = client_for("demo-editor2")
    response = client.post(f"/staff/items/{item.pk}/decide/",
                           {"revision_hash": old_hash, "decision": "approve", "comment": "", **answers()}, follow=True)
    assert "稿件内容已更新，您审核的不是当前版本" in response.content.decode()
    assert not Decision.objects.filter(run__item=item).exists()


def test_full_review_publish_schedule_and_withdraw_through_the_ui(make_item, client_for):
    item = submitted(make_item)
    for username, label in STEPS:
        response = decide(client_for(username), item, comment=f"{label}同意")
        assert response.status_code == 302, response.content.decode()[:2000]
    item.refresh_from_db()
    assert item.state == ItemState.APPROVED
    editor = client_for("demo-editor")
    page = editor.get(f"/staff/items/{item.pk}/").content.decode()
    for _username, label in STEPS:
        assert f"{label}同意" in page
    assert "待发布" in editor.get("/staff/").content.decode()
    # 定时发布, then cancel, then publish now.
    at = timezone.localtime() + dt.timedelta(days=1)
    response = editor.post(f"/staff/items/{item.pk}/publish/", {
        "revision_hash": item.current_revision.content_hash, "at": at.strftime("%Y-%m-%dT%H:%M"), "mode": "at"},
        follow=True)
    assert "已安排定时发布" in response.content.decode()
    item.refresh_from_db()
    assert item.state == ItemState.SCHEDULED
    editor.post(f"/staff/items/{item.pk}/cancel-schedule/")
    item.refresh_from_db()
    assert item.state == ItemState.APPROVED
    missing = editor.post(f"/staff/items/{item.pk}/publish/", {
        "revision_hash": item.current_revision.content_hash, "at": "", "mode": "at"})
    assert missing.status_code == 400 and "请选择定时发布时间" in missing.content.decode()
    past = editor.post(f"/staff/items/{item.pk}/publish/", {
        "revision_hash": item.current_revision.content_hash, "at": "2020-01-01T08:00"})
    assert past.status_code == 400 and "须晚于当前时间" in past.content.decode()
    # A deputy may not publish (第六条(四)).
    assert client_for("demo-deputy").post(f"/staff/items/{item.pk}/publish/", {
        "revision_hash": item.current_revision.content_hash}).status_code == 403
    publish = {"revision_hash": item.current_revision.content_hash, "at": "", "mode": "now"}
    confirm = editor.post(f"/staff/items/{item.pk}/publish/", publish).content.decode()
    assert "确认立即发布" in confirm and "鄂州市临空经济区管理委员会网站" in confirm  # 立即发布 names its targets first
    assert Client().get(f"/articles/{item.pk}/").status_code == 404
    response = editor.post(f"/staff/items/{item.pk}/publish/", {**publish, "confirmed": "1"}, follow=True)
    assert "已发布到 1 个目标" in response.content.decode()
    assert Client().get(f"/articles/{item.pk}/").status_code == 200
    # 更正: the edit page asks for a correction note and refuses without one.
    item.refresh_from_db()
    form = editor.get(f"/staff/items/{item.pk}/edit/").content.decode()
    assert "更正说明" in form and "更正稿件" in form
    revision = item.current_revision
    data = {"title": revision.title, "body_html": "<p>更正后的正文。</p>", "targets": revision.targets,
            "source_kind": "original"}
    response = editor.post(f"/staff/items/{item.pk}/edit/", data)
    assert "已发布稿件的更正须填写更正说明" in response.content.decode()
    item.refresh_from_db()
    assert item.current_revision_id == revision.pk and item.state == ItemState.PUBLISHED
    response = editor.post(f"/staff/items/{item.pk}/withdraw/", {"reason": ""})
    assert response.status_code == 400 and "撤稿须填写原因" in response.content.decode()
    editor.post(f"/staff/items/{item.pk}/withdraw/", {"reason": "信息已过时效"})
    assert Client().get(f"/articles/{item.pk}/").status_code == 410
    assert Publication.objects.filter(item=item).count() == 1


def test_publish_refused_shows_the_gate_reason(make_item, client_for, unit):
    from govpub.orgs import actions as org_actions

    item = submitted(make_item)
    for username, _label in STEPS:
        decide(client_for(username), item)
    org_actions.suspend_unit(unit("区党政办公室"), acting_user=people("demo-supervisor"), reason="责令整改")
    item.refresh_from_db()
    response = client_for("demo-editor").post(f"/staff/items/{item.pk}/publish/", {
        "revision_hash": item.current_revision.content_hash}, follow=True)
    assert "不能发布" in response.content.decode() and not Publication.objects.filter(item=item).exists()


def test_findings_apply_dismiss_and_submit_through_the_ui(make_item, client_for):
    item = make_item(body=f"<p>联系人张三，身份证号<strong>{ID_NUMBER}</strong>。</p>")
    editor = client_for("demo-editor")
    response = editor.post(f"/staff/items/{item.pk}/submit/", follow=True)
    html = response.content.decode()
    assert "阻断问题" in html and ID_NUMBER in html
    assert f'<mark id="mark-' in html and f"{ID_NUMBER}</mark>" in html
    finding = item.current_revision.findings.get(text=ID_NUMBER)
    # A dismissal needs a reason of at least four characters.
    response = editor.post(f"/staff/findings/{finding.pk}/dismiss/", {"reason": "可"}, follow=True)
    assert "请填写忽略该问题的理由" in response.content.decode()
    response = editor.post(f"/staff/findings/{finding.pk}/apply/", follow=True)
    assert "420704**********3X" in response.content.decode()
    item.refresh_from_db()
    assert item.current_revision.number == 2 and ID_NUMBER not in item.current_revision.body_html
    # Diff between the two revisions.
    diff = editor.get(f"/staff/items/{item.pk}/diff/?a=1&b=2").content.decode()
    assert f"<del>{ID_NUMBER[6:16]}</del>" in diff or "<del>" in diff and "<ins>" in diff
    assert editor.get(f"/staff/items/{item.pk}/diff/?a=1&b=9").status_code == 404
    response = editor.post(f"/staff/items/{item.pk}/submit/", follow=True)
    assert "已提交审核" in response.content.decode()


def test_dismissal_reason_is_shown_to_reviewers(make_item, client_for):
    item = make_item(body=f"<p>身份证号{ID_NUMBER}。</p>")
    findings = review_actions.check_current_revision(item, acting_user=people("demo-editor"))
    for finding in findings:
        if finding.is_open_block:
            review_actions.dismiss_finding(finding, acting_user=people("demo-editor"), reason="本人书面同意公开号码")
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    page = client_for("demo-editor2").get(f"/staff/items/{item.pk}/").content.decode()
    assert "已忽略：本人书面同意公开号码" in page


def test_reviewer_sees_changes_since_last_approved_revision(make_item, client_for):
    item = submitted(make_item, body="<p>会议于上午九时召开。</p>")
    decide(client_for("demo-editor2"), item)
    decide(client_for("demo-office-head"), item, decision="return", comment="时间有误")
    content_actions.save_revision(item, acting_user=people("demo-editor"), body_html="<p>会议于下午三时召开。</p>")
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    page = client_for("demo-editor2").get(f"/staff/items/{item.pk}/").content.decode()
    since = page.split("自上次审核通过的版本以来的修改")[1].split("</form>")[0]
    assert "与第 1 版" in since and "<del>上</del><ins>下</ins>" in since and "<ins>三</ins>" in since
    # The decision history lists the return with its comment.
    assert "退回修改" in page and "时间有误" in page


def test_home_todo_lists_waiting_items_oldest_first(make_item, client_for):
    first = submitted(make_item, title="第一篇稿件")
    second = submitted(make_item, title="第二篇稿件")
    home = client_for("demo-editor2").get("/staff/").content.decode()
    assert home.index("第一篇稿件") < home.index("第二篇稿件")
    assert "待初审" in home and "分钟" in home
    assert f"/staff/items/{first.pk}/" in home and f"/staff/items/{second.pk}/" in home
    queue = client_for("demo-editor2").get("/staff/review/").content.decode()
    assert "第一篇稿件" in queue
    assert "第一篇稿件" not in client_for("yanji-editor").get("/staff/").content.decode()


def test_item_list_filters_and_edit_form_roundtrip(make_item, client_for, column):
    make_item(title="关于开展安全检查的通知")
    make_item(title="工作动态一则")
    client = client_for("demo-editor")
    listing = client.get("/staff/items/?q=安全检查&state=draft").content.decode()
    assert "关于开展安全检查的通知" in listing and "工作动态一则" not in listing
    assert "关于开展安全检查的通知" not in client.get("/staff/items/?state=published").content.decode()
    item = make_item(title="元数据稿件", index_no="LK-1", doc_no="临〔2026〕1号", major=True, major_reason="重大部署")
    form = client.get(f"/staff/items/{item.pk}/edit/").content.decode()
    assert "LK-1" in form and "临〔2026〕1号" in form and "重大部署" in form
    assert "鄂州市临空经济区管理委员会网站 / 工作动态" in form and "更正说明" not in form
    # Saving the unchanged form creates no new revision.
    data = {"title": "元数据稿件", "body_html": item.current_revision.body_html, "summary": "",
            "targets": [f"column:{column.pk}"], "source_kind": "original", "major": "on", "major_reason": "重大部署",
            "index_no": "LK-1", "doc_no": "临〔2026〕1号"}
    response = client.post(f"/staff/items/{item.pk}/edit/", data, follow=True)
    assert "内容没有变化" in response.content.decode()
    # 重大 without a reason is refused on the page.
    response = client.post(f"/staff/items/{item.pk}/edit/", {**data, "major_reason": ""})
    assert "标记为重大信息时须说明理由" in response.content.decode()


def test_the_machine_evidence_beside_its_checklist_point_and_an_unexplained_yes(make_item, client_for):
    """A typo warning is shown beside (四); approving with 是 there needs a word of reason, then it is kept."""
    from govpub.review.evidence import by_point

    item = submitted(make_item, body="<p>各部门要认真贯切落实区委区政府的决策部署。</p>")
    assert "language" in by_point(item.current_revision), [f.category for f in item.current_revision.findings.all()]
    reviewer = client_for("demo-editor2")
    page = reviewer.get(f"/staff/items/{item.pk}/").content.decode()
    assert "机审在此项有" in page and "回答“是”的理由" in page and 'name="r_language"' in page
    assert 'name="r_secrets"' not in page  # no evidence on (一): no reason asked
    refused = decide(reviewer, item)
    html = refused.content.decode()
    assert refused.status_code == 400 and "一项有未处理的机审问题，回答“是”须简要说明理由" in html
    assert not Decision.objects.filter(run__item=item).exists()
    assert decide(reviewer, item, r_language="“贯切”为引用原文件用语，已与原件核对").status_code == 302
    decision = Decision.objects.get(run__item=item)
    assert decision.point_notes == {"language": "“贯切”为引用原文件用语，已与原件核对"}
