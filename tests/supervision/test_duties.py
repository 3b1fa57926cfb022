"""The whole 待办 (supervision/duties.py): each kind of duty appears for the person who must do it, links to
the page where it is done, and disappears when it is done (or voided); counted in the navigation; the same
list in the API; notification e-mails carry the link."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from api.conftest import api  # noqa: F401 (fixture)
from govpub.channels.models import Channel, ChannelKind
from govpub.content import actions as content_actions
from govpub.publishing import actions as publishing_actions
from govpub.publishing.manual import manual_tasks_for
from govpub.review import actions as review_actions
from govpub.supervision import actions
from govpub.supervision.duties import duties_for
from govpub.supervision.models import InspectionSample

from .conftest import people

pytestmark = pytest.mark.django_db


def kinds(username) -> list[tuple[str, str]]:
    return [(d.kind, d.title) for d in duties_for(people(username))]


def test_a_ticket_is_signed_rectified_and_verified_from_the_todo_lists(assign, yanji_wechat):
    ticket = assign(yanji_wechat, title="账号两周未更新")
    link = f"/staff/supervision/tickets/{ticket.pk}/"
    for username in ("yanji-editor", "yanji-office-head"):  # the responsible unit's people
        [duty] = [d for d in duties_for(people(username)) if d.kind == "sign"]
        assert duty.title == "账号两周未更新" and duty.link == link and "待签收交办问题" in duty.label
    assert ("sign", "账号两周未更新") not in kinds("demo-editor")  # another unit's people
    actions.accept_ticket(ticket, acting_user=people("yanji-editor"))
    assert ("rectify", "账号两周未更新") in kinds("yanji-office-head")
    assert ("sign", "账号两周未更新") not in kinds("yanji-office-head")
    actions.report_rectification(ticket, acting_user=people("yanji-editor"), text="已恢复更新")
    assert ("rectify", "账号两周未更新") not in kinds("yanji-editor")
    assert ("verify", "账号两周未更新") in kinds("demo-supervisor")
    actions.verify_ticket(ticket, acting_user=people("demo-supervisor"))
    assert ("verify", "账号两周未更新") not in kinds("demo-supervisor")


def test_manual_posting_waits_in_the_operator_units_todo(approved_item):
    app = Channel.objects.get(kind=ChannelKind.APP)
    item = approved_item(targets=[f"channel:{app.pk}"])
    publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                    revision_hash=item.current_revision.content_hash)
    [duty] = [d for d in duties_for(people("demo-editor")) if d.kind == "manual_post"]
    assert duty.link == "/staff/publishing/manual/" and app.name in duty.label and duty.title == item.title
    [task] = manual_tasks_for(people("demo-editor"))
    publishing_actions.record_manual_post(task, acting_user=people("demo-editor"), url="https://app.example.gov.cn/1")
    assert "manual_post" not in {d.kind for d in duties_for(people("demo-editor"))}


def test_an_inspection_waits_to_be_sampled_then_reviewed(approved_item):
    published = approved_item()
    publishing_actions.publish_item(published, acting_user=people("demo-editor"),
                                    revision_hash=published.current_revision.content_hash)
    today = timezone.localdate()
    inspection = actions.plan_inspection(acting_user=people("demo-supervisor"), title="第四季度督查",
                                         units=[published.unit], period_start=today - dt.timedelta(days=30),
                                         period_end=today, sample_size=1)
    assert ("sample", "第四季度督查") in kinds("demo-supervisor")
    assert ("sample", "第四季度督查") not in kinds("demo-editor")
    actions.draw_sample(inspection, acting_user=people("demo-supervisor"))
    [duty] = [d for d in duties_for(people("demo-supervisor")) if d.kind == "inspect"]
    assert duty.label == "督查待复核（1 份）" and duty.link == f"/staff/supervision/inspections/{inspection.pk}/"
    from govpub.review.models import CHECKLIST_KEYS

    actions.review_sample(InspectionSample.objects.get(inspection=inspection), acting_user=people("demo-supervisor"),
                          checklist={k: True for k in CHECKLIST_KEYS})
    assert "inspect" not in {d.kind for d in duties_for(people("demo-supervisor"))}


def test_a_voided_review_disappears_from_the_reviewers_todo(make_item):
    item = make_item()
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    assert ("review", item.title) in kinds("demo-editor2")
    content_actions.save_revision(item, acting_user=people("demo-editor"), title="改过的标题")  # voids the run
    assert not [d for d in duties_for(people("demo-editor2")) if d.kind == "review" and d.item.pk == item.pk]


def test_the_count_in_the_navigation_the_home_page_and_the_api(assign, yanji_wechat, client_for, api):
    ticket = assign(yanji_wechat, title="账号两周未更新")
    count = len(duties_for(people("yanji-office-head")))
    page = client_for("yanji-office-head").get("/staff/").content.decode()
    assert f'待办 <span class="count">{count}<span class="sr-only"> 项</span></span>' in page
    assert f'<a href="/staff/supervision/tickets/{ticket.pk}/">账号两周未更新</a>' in page
    assert "暂无待办事项" not in page
    rows = api("yanji-office-head").get("/todo").json()
    [row] = [r for r in rows if r["kind"] == "sign"]
    assert row["item"] is None and row["link"] == f"/staff/supervision/tickets/{ticket.pk}/"
    assert row["title"] == "账号两周未更新" and row["unit"]


def test_notification_emails_link_to_the_page_of_the_duty(assign, yanji_wechat, settings,
                                                          django_capture_on_commit_callbacks):
    settings.GOVPUB_STAFF_BASE_URL = "https://govpub.example.gov.cn/"
    with django_capture_on_commit_callbacks(execute=True):
        ticket = assign(yanji_wechat, title="账号两周未更新")
    assert mail.outbox, "the unit's leaders have e-mail addresses in the demo"
    assert all(f"办理：https://govpub.example.gov.cn/staff/supervision/tickets/{ticket.pk}/" in m.body
               for m in mail.outbox)
