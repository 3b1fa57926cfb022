import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.test import Client
from django.utils import timezone

from govpub.audit.log import verify_chain
from govpub.channels import actions as channel_actions
from govpub.content import actions as content_actions
from govpub.content.models import ItemState
from govpub.notifications.models import Notification
from govpub.orgs import actions as org_actions
from govpub.publishing import actions as publishing_actions
from govpub.publishing.models import Publication, PublicationStatus
from govpub.review import actions as review_actions
from govpub.review.models import RunStatus

from .conftest import PASS, decide, people

pytestmark = pytest.mark.django_db
ID_NUMBER = "42070419900101123X"  # the example; its check digit is wrong, which is flagged too


def valid_id() -> str:
    from govpub.textcheck import check_text

    findings = [f for f in check_text(f"身份证号{ID_NUMBER}") if f.rule.startswith("privacy")]
    assert findings, "the planted ID number must be recognised"
    return ID_NUMBER


def test_saving_unchanged_content_creates_no_revision(make_item):
    item = make_item()
    first = item.current_revision
    revision, created = content_actions.save_revision(item, acting_user=people("demo-editor"), title=first.title)
    assert not created and revision.pk == first.pk
    revision, created = content_actions.save_revision(item, acting_user=people("demo-editor"), title="新标题")
    assert created and revision.number == 2 and revision.content_hash != first.content_hash


def test_revisions_are_immutable_in_the_database(make_item):
    item = make_item()
    with pytest.raises(DatabaseError), transaction.atomic():
        type(item.current_revision).objects.filter(pk=item.current_revision_id).update(title="偷改")
    with pytest.raises(RuntimeError):
        item.current_revision.save()


def test_body_html_is_sanitised(make_item):
    item = make_item(body='<p onclick="steal()">正文<script>alert(1)</script><a href="javascript:x">链</a></p>')
    html = item.current_revision.body_html
    assert "script" not in html and "onclick" not in html and "javascript:" not in html
    assert "正文" in html


def test_full_review_and_publish(approved_item):
    item = approved_item()
    assert item.state == ItemState.APPROVED
    publications = publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                                   revision_hash=item.current_revision.content_hash)
    item.refresh_from_db()
    assert item.state == ItemState.PUBLISHED and item.live_revision_id == item.current_revision_id
    assert [p.status for p in publications] == [PublicationStatus.LIVE]
    page = Client().get(publications[0].url)
    assert page.status_code == 200 and "全区政务公开工作推进会召开" in page.content.decode()
    assert verify_chain().ok


def test_block_finding_stops_submit_until_fixed_or_dismissed(make_item):
    item = make_item(body=f"<p>联系人张三，身份证号{valid_id()}。</p>")
    with pytest.raises(review_actions.SubmitBlocked) as info:
        review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    finding = next(f for f in info.value.findings if f.rule.startswith("privacy"))
    assert finding.suggestion and "*" in finding.suggestion
    item.refresh_from_db()
    assert item.state == ItemState.DRAFT
    with pytest.raises(ValidationError):
        review_actions.dismiss_finding(finding, acting_user=people("demo-editor"), reason="")
    review_actions.dismiss_finding(finding, acting_user=people("demo-editor"), reason="经本人书面同意公开")
    others = [f for f in info.value.findings if f.pk != finding.pk and f.severity == "block"]
    for other in others:
        review_actions.dismiss_finding(other, acting_user=people("demo-editor"), reason="经核实可以公开")
    run = review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    assert run.status == RunStatus.ACTIVE


def test_major_item_needs_principal_and_three_different_people(make_item):
    item = make_item(major=True)
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    decide(item, "first_review")
    decide(item, "second_review")
    decide(item, "final_review")
    item.refresh_from_db()
    assert item.state == ItemState.IN_REVIEW
    with pytest.raises(publishing_actions.GateRefused):
        publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                        revision_hash=item.current_revision.content_hash)
    decide(item, "principal_review")
    item.refresh_from_db()
    assert item.state == ItemState.APPROVED


def test_author_may_do_first_review_but_not_later_steps(make_item, person, unit):
    from govpub.orgs.models import Role

    org_actions.grant_role(acting_user=person("demo-admin"), person=person("demo-editor"),
                           unit=unit("区党政办公室"), role=Role.OFFICE_HEAD)
    item = make_item()
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    decide(item, "demo-editor")  # 初审 by the author is allowed
    with pytest.raises(PermissionDenied, match="撰稿人"):
        decide(item, "demo-editor")


def test_one_person_cannot_approve_two_separated_steps(make_item, person, unit):
    from govpub.orgs.models import Role

    org_actions.grant_role(acting_user=person("demo-admin"), person=person("demo-office-head"),
                           unit=unit("区党政办公室"), role=Role.DEPUTY)
    item = make_item()
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    decide(item, "first_review")
    decide(item, "second_review")
    with pytest.raises(PermissionDenied, match="三位不同"):
        decide(item, "demo-office-head")


def test_reviewer_from_another_unit_is_refused(make_item):
    item = make_item()
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    with pytest.raises(PermissionDenied, match="谁公开、谁审核"):
        decide(item, "yanji-editor")


def test_stale_hash_is_refused_and_edit_voids_the_run(make_item):
    item = make_item()
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    old_hash = item.current_revision.content_hash
    decide(item, "first_review")
    content_actions.save_revision(item, acting_user=people("demo-editor"), title="改过的标题")
    item.refresh_from_db()
    assert item.state == ItemState.DRAFT
    assert item.review_runs.first().status == RunStatus.VOIDED
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    with pytest.raises(review_actions.StaleRevision):
        decide(item, "first_review", revision_hash=old_hash)
    record = decide(item, "first_review")
    assert record.step == "first_review"  # restarted from 初审


def test_approve_requires_every_answer(make_item):
    item = make_item()
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    with pytest.raises(ValidationError):
        decide(item, "first_review", checklist={**PASS, "political": False})
    with pytest.raises(ValidationError):
        decide(item, "first_review", confidentiality_ok=False)
    with pytest.raises(ValidationError):
        decide(item, "first_review", checklist={k: v for k, v in PASS.items() if k != "other"})


def test_return_and_reject(make_item):
    item = make_item()
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    decide(item, "first_review")
    decide(item, "second_review", decision="return", comment="数据需核实")
    item.refresh_from_db()
    assert item.state == ItemState.RETURNED
    assert Notification.objects.filter(recipient=people("demo-editor"), verb="return").exists()
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    decide(item, "first_review", decision="reject", comment="不宜公开")
    item.refresh_from_db()
    assert item.state == ItemState.REJECTED
    with pytest.raises(PermissionDenied):
        content_actions.save_revision(item, acting_user=people("demo-editor"), title="再改")


def test_gate_refuses_suspended_unit_and_paused_channel(approved_item, person, unit, website_column):
    item = approved_item()
    digest = item.current_revision.content_hash
    org_actions.suspend_unit(unit("区党政办公室"), acting_user=person("demo-supervisor"), reason="责令整改")
    with pytest.raises(publishing_actions.GateRefused, match="暂停信息发布"):
        publishing_actions.publish_item(item, acting_user=people("demo-editor"), revision_hash=digest)
    org_actions.lift_suspension(unit("区党政办公室"), acting_user=person("demo-supervisor"), reason="整改完成")
    channel_actions.change_channel_status(website_column.channel, acting_user=person("demo-supervisor"),
                                          status="paused", reason="改版")
    with pytest.raises(publishing_actions.GateRefused, match="暂停"):
        publishing_actions.publish_item(item, acting_user=people("demo-editor"), revision_hash=digest)
    channel_actions.change_channel_status(website_column.channel, acting_user=person("demo-supervisor"),
                                          status="running", reason="恢复")
    assert publishing_actions.publish_item(item, acting_user=people("demo-editor"), revision_hash=digest)


def test_publish_twice_is_idempotent(approved_item):
    item = approved_item()
    digest = item.current_revision.content_hash
    first = publishing_actions.publish_item(item, acting_user=people("demo-editor"), revision_hash=digest)
    second = publishing_actions.publish_item(item, acting_user=people("demo-editor"), revision_hash=digest)
    assert [p.pk for p in first] == [p.pk for p in second]
    assert Publication.objects.filter(item=item).count() == 1


def test_only_editors_publish(approved_item):
    item = approved_item()
    with pytest.raises(PermissionDenied):
        publishing_actions.publish_item(item, acting_user=people("demo-deputy"),
                                        revision_hash=item.current_revision.content_hash)


def test_withdraw_and_correction_keep_history(approved_item):
    item = approved_item()
    publications = publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                                   revision_hash=item.current_revision.content_hash)
    url = publications[0].url
    # A correction: new revision, full review, then published with its note; the old one stays online meanwhile.
    content_actions.save_revision(item, acting_user=people("demo-editor"), body_html="<p>更正后的正文。</p>",
                                  correction_note="原文会议时间有误，已更正。")
    item.refresh_from_db()
    assert item.state == ItemState.DRAFT and item.live_revision.number == 1
    assert "部署下一阶段重点任务" in Client().get(url).content.decode()
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    for step in ("first_review", "second_review", "final_review"):
        decide(item, step)
    item.refresh_from_db()
    publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                    revision_hash=item.current_revision.content_hash)
    page = Client().get(url).content.decode()
    assert "更正后的正文" in page and "原文会议时间有误" in page
    assert Publication.objects.filter(item=item, status=PublicationStatus.SUPERSEDED).count() == 1
    with pytest.raises(ValidationError):
        publishing_actions.withdraw_item(item, acting_user=people("demo-editor"), reason=" ")
    publishing_actions.withdraw_item(item, acting_user=people("demo-editor"), reason="信息已过时效")
    response = Client().get(url)
    assert response.status_code == 410 and "已撤下" in response.content.decode()
    assert item.revisions.count() == 2 and verify_chain().ok


def test_scheduled_publishing_rechecks_the_gate(approved_item, unit, person):
    item = approved_item()
    at = timezone.now() + dt.timedelta(hours=1)
    assert publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                           revision_hash=item.current_revision.content_hash, at=at) == []
    item.refresh_from_db()
    assert item.state == ItemState.SCHEDULED and item.scheduled_at == at
    # At the chosen time the unit has been suspended: the task refuses and says so.
    org_actions.suspend_unit(unit("区党政办公室"), acting_user=person("demo-supervisor"), reason="责令整改")
    item.scheduled_at = timezone.now()
    item.save(update_fields=["scheduled_at"])
    assert publishing_actions.publish_if_still_due(item.pk, item.current_revision.content_hash,
                                                   people("demo-editor").pk) == []
    item.refresh_from_db()
    assert item.state == ItemState.APPROVED
    assert Notification.objects.filter(link=item.get_absolute_url(), verb="schedule_refused").exists()
    org_actions.lift_suspension(unit("区党政办公室"), acting_user=person("demo-supervisor"), reason="整改完成")
    publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                    revision_hash=item.current_revision.content_hash,
                                    at=timezone.now() + dt.timedelta(hours=2))
    item.refresh_from_db()
    item.scheduled_at = timezone.now()
    item.save(update_fields=["scheduled_at"])
    assert publishing_actions.publish_if_still_due(item.pk, item.current_revision.content_hash,
                                                   people("demo-editor").pk)
    item.refresh_from_db()
    assert item.state == ItemState.PUBLISHED


def test_todo_lists_follow_the_steps(make_item):
    from govpub.review.todo import todo_for

    item = make_item()
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    assert [e.label for e in todo_for(people("demo-editor2"))] == ["待初审"]
    assert todo_for(people("demo-office-head")) == []
    decide(item, "first_review")
    assert [e.label for e in todo_for(people("demo-office-head"))] == ["待复审"]
    assert todo_for(people("yanji-office-head")) == []
    decide(item, "second_review", decision="return", comment="请补充数据")
    assert [e.kind for e in todo_for(people("demo-editor"))] == ["revise"]


def test_overlong_fields_and_bad_urls_get_chinese_errors(make_item):
    with pytest.raises(ValidationError) as info:
        make_item(summary="摘" * 501)
    assert "摘要不能超过 500 个字" in str(info.value)
    with pytest.raises(ValidationError) as info:
        make_item(source_kind="reprint", source_name="新华网", source_url="javascript:alert(1)")
    assert "来源网址格式不正确" in str(info.value)


def test_outsider_learns_nothing_from_a_decision_attempt(make_item):
    item = make_item()  # still a draft: an eligible reviewer would be told so, an outsider is not
    with pytest.raises(PermissionDenied, match="不是本单位的审核人员"):
        decide(item, "yanji-deputy", revision_hash="0" * 64)
