"""A supervised past quarter for the demo district (`govpub manage supervision_demo`): tickets — some closed in
time, some late, some overdue —, monitoring findings, channel scores and an inspection, all in the previous
quarter, so the quarterly bulletin has real numbers. Items go through the real workflow with the clock set back
(their audit events carry those past times); tickets run through the actions, then their dates are moved back.
Idempotent: a second run changes nothing."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone

MARK = "【演示】"

# (channel kind, channel name, title, days after quarter start: created, deadline, reported, outcome)
TICKETS = [
    ("wechat", "燕矶发布", "公众号两周未更新", 5, 15, 12, "verified"),
    ("wechat", "燕矶发布", "文章存在错别字", 30, 40, 45, "verified"),  # reported late
    ("wechat", "燕矶发布", "转载信息未注明来源", 60, 70, None, "overdue"),
    ("wechat", "临空健康", "菜单链接失效", 10, 20, 18, "verified"),
    ("wechat", "临空健康", "简介信息不准确", 70, 80, None, "overdue"),
    ("website", "鄂州市临空经济区管理委员会网站", "政策解读栏目空白", 20, 35, 30, "reported"),
]


def _previous_quarter(today: dt.date) -> tuple[int, int, dt.date, dt.date]:
    from .bulletin import quarter_bounds

    quarter = (today.month - 1) // 3 + 1
    year, quarter = (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)
    start, end = quarter_bounds(year, quarter)
    return year, quarter, start, end


# Items that went through review in the past quarter: (unit, author, 初审, 复审, 终审, column, title, day, course)
ITEMS = [
    ("燕矶镇人民政府", "yanji-editor", "yanji-editor", "yanji-office-head", "yanji-deputy", "xzdt",
     "燕矶镇召开秋季森林防火工作部署会", 10, "publish"),
    ("燕矶镇人民政府", "yanji-editor", "yanji-editor", "yanji-office-head", "yanji-deputy", "xzdt",
     "燕矶镇开展农村人居环境整治专项检查", 25, "return_then_publish"),
    ("燕矶镇人民政府", "yanji-editor", "yanji-editor", "yanji-office-head", "yanji-deputy", "xzdt",
     "燕矶镇通报项目建设进展情况", 40, "reject"),
    ("区党政办公室", "demo-editor", "demo-editor2", "demo-office-head", "demo-deputy", "gzdt",
     "区党政办公室召开季度重点工作调度会", 15, "publish"),
    ("区党政办公室", "demo-editor", "demo-editor2", "demo-office-head", "demo-deputy", "tzgg",
     "关于举办政务公开业务专题培训的通知", 50, "publish"),
]


@contextmanager
def _clock(moment: dt.datetime):
    """Run real actions as if at `moment`: every timestamp they write (and their audit events) says so."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _seed_items(at) -> int:
    """The quarter's publishing work, done through the real workflow with the clock set back."""
    from govpub.channels.models import Channel
    from govpub.content import actions as content_actions
    from govpub.orgs.models import Person, Unit
    from govpub.publishing import actions as publishing_actions
    from govpub.review import actions as review_actions
    from govpub.review.evidence import acknowledged
    from govpub.review.models import CHECKLIST_KEYS

    site = Channel.objects.get(kind="website")
    people = {p.username: p for p in Person.objects.filter(username__in={n for i in ITEMS for n in i[1:5]})}
    answers = dict(checklist={k: True for k in CHECKLIST_KEYS}, confidentiality_ok=True, proofread_ok=True)

    def decide(item, who, hours, decision="approve", comment="同意"):
        item.refresh_from_db()
        with _clock(at(day, 9) + dt.timedelta(hours=hours)):
            review_actions.record_decision(item, acting_user=people[who], decision=decision, comment=comment,
                                           revision_hash=item.current_revision.content_hash, **answers,
                                           point_notes=acknowledged(item.current_revision))

    for unit_name, author, first, second, final, slug, title, day, course in ITEMS:
        moment = at(day, 9)
        with _clock(moment):
            item = content_actions.create_item(
                acting_user=people[author], unit=Unit.objects.get(name=unit_name), title=title,
                body_html=f"<p>{title}，各有关单位参加。会议对下一步工作作出安排。</p>",
                targets=[f"column:{site.columns.get(slug=slug).pk}"])
        with _clock(moment + dt.timedelta(hours=0.5)):
            review_actions.submit_for_review(item, acting_user=people[author])
        hours = 0.0
        if course == "return_then_publish":
            decide(item, first, 2)
            decide(item, second, 5, "return", "请补充检查发现的问题及整改要求。")
            with _clock(moment + dt.timedelta(hours=8)):
                content_actions.save_revision(item, acting_user=people[author],
                                              body_html=f"<p>{title}，共发现问题 12 个，已全部交办整改。</p>")
            with _clock(moment + dt.timedelta(hours=8.5)):
                review_actions.submit_for_review(item, acting_user=people[author])
            hours = 7.0
        decide(item, first, hours + 2)
        decide(item, second, hours + 3 if hours else 5)
        if course == "reject":
            decide(item, final, 24, "reject", "涉及项目尚未批复，不宜公开。")
            continue
        decide(item, final, hours + 24)
        item.refresh_from_db()
        with _clock(moment + dt.timedelta(hours=hours + 26)):
            publishing_actions.publish_item(item, acting_user=people[author],
                                            revision_hash=item.current_revision.content_hash)
    return len(ITEMS)


def seed_supervision_demo(today: dt.date | None = None) -> dict:
    from govpub.channels.models import Channel
    from govpub.orgs.models import Person, Role, RoleAssignment

    from . import actions
    from .models import MonitorFinding, Ticket, TicketEvent, TicketMethod, TicketState

    today = today or timezone.localdate()
    year, quarter, start, end = _previous_quarter(today)
    if Ticket.objects.filter(title__startswith=MARK).exists():
        return {"year": year, "quarter": quarter, "created": 0}
    supervisor = Person.objects.filter(pk__in=RoleAssignment.objects.active().filter(role=Role.SUPERVISOR)
                                       .values("person_id")).order_by("pk").first()
    tz = timezone.get_current_timezone()

    def at(day_offset: int, hour: int = 10) -> dt.datetime:
        return dt.datetime.combine(start + dt.timedelta(days=day_offset), dt.time(hour), tzinfo=tz)

    _seed_items(at)
    created = 0
    for kind, name, title, made, due, reported, outcome in TICKETS:
        channel = Channel.objects.get(kind=kind, name=name)
        members = RoleAssignment.objects.active().filter(unit=channel.operator_unit_id,
                                                         role__in=[Role.OFFICE_HEAD, Role.EDITOR])
        reporter = (Person.objects.filter(pk__in=members.filter(role=Role.OFFICE_HEAD).values("person_id")).first()
                    or Person.objects.filter(pk__in=members.values("person_id")).order_by("pk").first())
        ticket = actions.assign_ticket(acting_user=supervisor, channel=channel, title=f"{MARK}{title}",
                                       description=f"日常监测发现：{title}。", method=TicketMethod.NETWORK,
                                       deadline=today + dt.timedelta(days=30))
        if reported is not None and reporter is not None:
            actions.report_rectification(ticket, acting_user=reporter, text="已按要求整改，附整改截图说明。")
            if outcome == "verified":
                actions.verify_ticket(ticket, acting_user=supervisor, note="经核查整改到位。")
        elif reporter is not None:
            actions.accept_ticket(ticket, acting_user=reporter)
        # Move the life into the past quarter (tickets and their history are supervision's own records).
        Ticket.objects.filter(pk=ticket.pk).update(created_at=at(made), state_changed_at=at(reported or made),
                                                   deadline=start + dt.timedelta(days=due),
                                                   verified_at=at(reported + 2) if outcome == "verified" else None)
        for event in TicketEvent.objects.filter(ticket=ticket):
            offset = {"assign": made, "accept": made + 1, "report": reported, "verify": (reported or 0) + 2}.get(
                event.kind, made)
            TicketEvent.objects.filter(pk=event.pk).update(at=at(offset or made))
        created += 1
    site = Channel.objects.get(kind="website")
    for key, kind, message, evidence in [
        (f"{site.url}zcjd/", "column_empty", "空白栏目：政策解读", {"column": "政策解读"}),
        (f"{site.url}old/notice-2019.html", "broken_link", "不可用链接（404）",
         {"status": 404, "linked_from": [site.url], "on_home": True}),
        (f"{site.url}files/plan-2020.pdf", "broken_link", "不可用链接（404）",
         {"status": 404, "linked_from": [f"{site.url}columns/tzgg/"], "on_home": False}),
    ]:
        MonitorFinding.objects.get_or_create(
            channel=site, kind=kind, key=key, resolved_at=None,
            defaults={"message": message, "url": key, "evidence": evidence, "first_seen": at(15), "last_seen": at(85),
                      "seen_count": 10})
    actions.compute_scores(acting_user=supervisor, period_start=start, period_end=end)
    return {"year": year, "quarter": quarter, "created": created,
            "overdue": Ticket.objects.filter(title__startswith=MARK, state__in=[TicketState.ASSIGNED,
                                                                                TicketState.RECTIFYING]).count()}
