"""Tickets go to the unit the 发布内容清单 makes responsible (supervision/routing.py), and one ticket — one
交办函 — may list several problems found on a channel."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from docx import Document

from govpub.channels.models import Column
from govpub.orgs.models import Unit
from govpub.publishing.models import Publication
from govpub.supervision import actions
from govpub.supervision.models import MonitorFinding, Ticket, TicketEvent

from .conftest import people

pytestmark = pytest.mark.django_db


def _assign(channel, **extra):
    return actions.assign_ticket(acting_user=people("demo-supervisor"), channel=channel, title="栏目长期未更新",
                                 description="超过两周未更新。", method="letter",
                                 deadline=timezone.localdate() + dt.timedelta(days=10), **extra)


def _finding(channel, key, *, column=None, url="", message="栏目“乡镇动态”20 天未更新", kind="column_stale"):
    return MonitorFinding.objects.create(channel=channel, kind=kind, key=key, column=column, url=url, message=message)


def test_a_problem_in_a_column_goes_to_the_unit_the_content_list_names(website):
    township = Column.objects.get(channel=website, slug="xzdt")  # 乡镇动态: 燕矶镇 answers for it
    ticket = _assign(website, monitor_finding=_finding(website, "xzdt", column=township))
    assert ticket.unit.name == "燕矶镇人民政府" != website.operator_unit.name
    note = ticket.events.get(kind=TicketEvent.Kind.ASSIGN).note
    assert "发布内容清单：栏目“乡镇动态”（乡镇工作动态）由燕矶镇人民政府负责" in note
    # No column and no publication behind the URL: the channel's operator, said so.
    plain = _assign(website, monitor_finding=_finding(website, "home", url=website.url, kind="home_stale",
                                                      message="首页 20 天未更新"))
    assert plain.unit == website.operator_unit and "承办单位" in plain.events.get().note


def test_a_page_goes_to_the_unit_of_the_column_it_was_published_in(website, approved_item):
    from govpub.publishing import actions as publishing_actions

    column = Column.objects.get(channel=website, slug="bmdt")  # 部门动态: 区卫生健康局
    item = approved_item(targets=[f"column:{column.pk}"])
    publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                    revision_hash=item.current_revision.content_hash)
    publication = Publication.objects.get(item=item, channel=website, column=column)
    assert publication.url
    finding = _finding(website, publication.url, url=publication.url, kind="page_content",
                       message="个人隐私：身份证号码")
    assert _assign(website, monitor_finding=finding).unit.name == "区卫生健康局"


def test_the_supervisor_may_choose_a_responsible_unit_but_not_any_unit(website):
    health = Unit.objects.get(name="区卫生健康局")  # on the content list (部门动态)
    assert _assign(website, unit=health).unit == health
    outsider = Unit.objects.exclude(pk__in=[website.operator_unit_id, website.sponsor_unit_id, health.pk]).exclude(
        content_list_entries__channel=website).first()
    with pytest.raises(ValidationError) as refused:
        _assign(website, unit=outsider)
    assert "不是" in str(refused.value) and "责任单位" in str(refused.value)
    assert Ticket.objects.count() == 1


def test_several_problems_in_one_letter_through_the_pages(website, yanji_wechat, client_for):
    first = _finding(website, "a", url="https://www.example.gov.cn/a.html", kind="broken_link",
                     message="不可用链接（404）")
    second = _finding(website, "b", url="https://www.example.gov.cn/b.html", kind="slow_page",
                      message="页面打开用时 18.2 秒")
    supervisor = client_for("demo-supervisor")
    listing = supervisor.get("/staff/supervision/monitor/").content.decode()
    assert "合并交办所选问题" in listing and f'name="monitor" value="{first.pk}" form="bundle"' in listing
    form = supervisor.get(f"/staff/supervision/tickets/new/?monitor={first.pk}&monitor={second.pk}").content.decode()
    assert "共 2 个问题，将在一份交办函中逐条列出" in form
    assert "1. 不可用链接：不可用链接（404）（https://www.example.gov.cn/a.html，" in form
    assert "2. 页面打开缓慢：页面打开用时 18.2 秒（https://www.example.gov.cn/b.html，" in form
    response = supervisor.post("/staff/supervision/tickets/new/", {
        "monitor": [first.pk, second.pk], "channel": website.pk, "title": f"{website.name}存在2个问题",
        "description": "监测发现以下问题。", "method": "letter",
        "deadline": (timezone.localdate() + dt.timedelta(days=10)).isoformat()})
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert [(p.position, p.url, p.monitor_finding_id) for p in ticket.problems.all()] == [
        (1, first.url, first.pk), (2, second.url, second.pk)]
    detail = supervisor.get(f"/staff/supervision/tickets/{ticket.pk}/").content.decode()
    assert "所列问题（2 个）" in detail
    letter = supervisor.get(f"/staff/supervision/tickets/{ticket.pk}/letter.docx")
    texts = [p.text for p in Document(io.BytesIO(letter.content)).paragraphs]
    assert any(t.startswith("一、") and first.url in t for t in texts)
    assert any(t.startswith("二、") and second.url in t for t in texts)
    assert texts.index(next(t for t in texts if t.startswith("一、"))) < texts.index("特此函告。")

    other = _finding(yanji_wechat, "c", kind="account_silent", message="账号 20 天未更新")
    mixed = supervisor.post("/staff/supervision/tickets/new/", {
        "monitor": [first.pk, other.pk], "channel": website.pk, "title": "混合", "description": "混合",
        "method": "letter", "deadline": (timezone.localdate() + dt.timedelta(days=10)).isoformat()})
    assert mixed.status_code == 200 and "所选监测问题不属于同一渠道" in mixed.content.decode()
    assert Ticket.objects.count() == 1
    assert supervisor.get("/staff/supervision/tickets/new/?monitor=999999").status_code == 404
