"""The objects the permission matrix requests, one set per unit, built through the real actions.

Unit A is 区党政办公室 (where the demo's editor, office head, deputy, principal and admin hold their roles),
unit B is 燕矶镇人民政府 (the "other unit" of every subject), unit O is 区政务公开办 (the supervisor's own unit;
it has no editors in the demo, so three matrix people are given roles there to produce its content)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govpub.api.models import ApiToken, token_digest
from govpub.channels import actions as channel_actions
from govpub.channels.models import Channel, ChannelKind
from govpub.jobs.models import Job, JobState
from govpub.channels.targets import allowed_targets
from govpub.content import actions as content_actions
from govpub.content.files import store_upload
from govpub.content.models import Attachment
from govpub.notifications.models import Notification
from govpub.lexicons import actions as lexicon_actions
from govpub.orgs import actions as org_actions
from govpub.orgs.models import Person, Role, RoleAssignment, Unit
from govpub.publishing import actions as publishing_actions
from govpub.publishing.connectors.adapt import default_cover_png
from govpub.publishing.models import Publication
from govpub.review import actions as review_actions
from govpub.review.evidence import acknowledged
from govpub.review.models import CHECKLIST_KEYS
from govpub.supervision import actions as supervision_actions
from govpub.supervision.indicators import current_version
from govpub.supervision.models import IndicatorScore, TicketEvent, TicketMethod
from govpub.web.demo_content import demo_pdf

UNIT_A, UNIT_B, UNIT_O = "区党政办公室", "燕矶镇人民政府", "区政务公开办"

# The subjects: one demo person per role. Who holds what is asserted by the matrix test (roles_are_as_declared).
SUBJECTS = {
    "editor": "demo-editor",
    "office_head": "demo-office-head",
    "deputy": "demo-deputy",
    "principal": "demo-principal",
    "supervisor": "demo-supervisor",
    "admin": "demo-admin",
}
ROLES = tuple(SUBJECTS)
# The unit each subject holds its one role in: its "own" unit. Every subject's "other" unit is B.
OWN_UNIT = {"editor": UNIT_A, "office_head": UNIT_A, "deputy": UNIT_A, "principal": UNIT_A,
            "supervisor": UNIT_O, "admin": UNIT_A}
OTHER_UNIT = UNIT_B
# (author/初审, 复审, 终审) of each unit's content; a colleague (`person`) whose page and role the subjects request.
WORKERS = {
    UNIT_A: ("demo-editor", "demo-office-head", "demo-deputy", "demo-editor2"),
    UNIT_B: ("yanji-editor", "yanji-office-head", "yanji-deputy", "yanji-editor"),
    UNIT_O: ("matrix-open-editor", "matrix-open-head", "matrix-open-deputy", "matrix-open-editor"),
}
OPEN_OFFICE_PEOPLE = [("matrix-open-editor", Role.EDITOR), ("matrix-open-head", Role.OFFICE_HEAD),
                      ("matrix-open-deputy", Role.DEPUTY)]
PASS = {key: True for key in CHECKLIST_KEYS}


def token_for(username: str) -> str:
    return f"matrix-token-{username}"


@dataclass
class World:
    """One unit's objects, each the target of the URL kwargs of some pattern."""

    unit: Unit
    person: Person
    role: RoleAssignment
    channel: Channel  # a 抖音 account the unit sponsors and operates (published to by hand)
    wechat: Channel
    entry: object
    item: object  # a draft with an open machine-check finding and an attachment
    draft_attachment: object
    finding: object
    published: object  # an item published to a website column and to `channel`, with a PDF attachment and an image
    attachment: object
    image: object
    publication: Publication  # the manual (抖音) publication of `published`, waiting to be posted
    ticket: object  # a 交办函 ticket, reported with a file
    event: TicketEvent
    score: IndicatorScore
    inspection: object
    sample: object
    incident: object


@dataclass
class Shared:
    """Objects that belong to no unit."""

    lexicon_entry: object
    indicator_number: int
    column_slug: str
    sitemap_section: str
    captcha_key: str
    notifications: dict  # username -> a notification to that person
    scan_job: object  # a finished 临时检查网站 job (its report page)


def _person(username):
    return Person.objects.get(username=username)


def _open_office_people(admin, unit):
    for username, role in OPEN_OFFICE_PEOPLE:
        person = Person.objects.filter(username=username).first() or org_actions.create_person(
            acting_user=admin, username=username, full_name=username, password="Matrix@2026pw", job_title="干部",
            email=f"{username}@example.gov.cn")
        if not RoleAssignment.objects.active().filter(person=person, unit=unit, role=role).exists():
            org_actions.grant_role(acting_user=admin, person=person, unit=unit, role=role)


def _publish(item, author, head, deputy):
    review_actions.submit_for_review(item, acting_user=author)
    for reviewer in (author, head, deputy):
        item.refresh_from_db()
        review_actions.record_decision(item, acting_user=reviewer, revision_hash=item.current_revision.content_hash,
                                       decision="approve", checklist=dict(PASS), confidentiality_ok=True,
                                       proofread_ok=True, comment="同意",
                                       point_notes=acknowledged(item.current_revision))
    item.refresh_from_db()
    publishing_actions.publish_item(item, acting_user=author, revision_hash=item.current_revision.content_hash)
    item.refresh_from_db()
    return item


def build_world(name: str, admin: Person, supervisor: Person) -> World:
    unit = Unit.objects.get(name=name)
    author, head, deputy, colleague = (_person(u) for u in WORKERS[name])
    today = timezone.localdate()
    short = unit.short_name or unit.name
    channel = channel_actions.create_channel(
        acting_user=admin, kind=ChannelKind.DOUYIN, name=f"矩阵{short}抖音", sponsor_unit=unit, operator_unit=unit,
        account_id=f"matrix_{unit.pk}", verified_entity=unit.name, opened_on=dt.date(2024, 1, 1))
    wechat = channel_actions.create_channel(
        acting_user=admin, kind=ChannelKind.WECHAT, name=f"矩阵{short}公众号", sponsor_unit=unit, operator_unit=unit,
        account_id=f"gh_matrix_{unit.pk}", verified_entity=unit.name, opened_on=dt.date(2024, 1, 1))
    entry = channel_actions.add_content_list_entry(acting_user=admin, channel=channel, category="政务信息",
                                                   responsible_unit=unit, update_interval_days=14)
    column_target = next(t.key for t in allowed_targets(unit) if t.column is not None)

    item = content_actions.create_item(
        acting_user=author, unit=unit, title=f"{short}矩阵草稿",
        body_html="<p>联系人身份证号42070419900101123X，请核实。</p>", targets=[column_target])
    draft_attachment = content_actions.add_attachment(
        item, SimpleUploadedFile("草稿附件.pdf", demo_pdf(), content_type="application/pdf"), acting_user=author)
    review_actions.check_current_revision(item, acting_user=author)
    item.refresh_from_db()
    finding = item.current_revision.findings.order_by("id").first()

    published = content_actions.create_item(
        acting_user=author, unit=unit, title=f"{short}召开矩阵工作会议",
        body_html="<p>会议研究部署了下一阶段重点工作。</p>", targets=[column_target, f"channel:{channel.pk}"])
    content_actions.add_attachment(published, SimpleUploadedFile("矩阵附件.pdf", demo_pdf(),
                                                                 content_type="application/pdf"), acting_user=author)
    image = content_actions.add_attachment(published, SimpleUploadedFile("矩阵图片.png", default_cover_png(8, 8)),
                                           acting_user=author, kind=Attachment.Kind.IMAGE)
    published = _publish(published, author, head, deputy)
    attachment = published.current_revision.attachments.get(kind=Attachment.Kind.FILE)
    publication = Publication.objects.get(item=published, channel=channel)

    ticket = supervision_actions.assign_ticket(
        acting_user=supervisor, channel=channel, title="矩阵交办问题", description="账号两周未更新。",
        method=TicketMethod.LETTER, deadline=today + dt.timedelta(days=10))
    evidence = store_upload(SimpleUploadedFile("整改材料.pdf", demo_pdf(), content_type="application/pdf"))
    ticket = supervision_actions.report_rectification(ticket, acting_user=author, text="已整改。", stored_file=evidence)
    event = ticket.events.get(kind=TicketEvent.Kind.REPORT)
    [score] = supervision_actions.compute_scores(acting_user=supervisor, period_start=today - dt.timedelta(days=30),
                                                 period_end=today, channels=[channel])
    inspection = supervision_actions.plan_inspection(
        acting_user=supervisor, title=f"矩阵督查{short}", units=[unit], period_start=today - dt.timedelta(days=1),
        period_end=today + dt.timedelta(days=1), sample_size=1, seed=7)
    inspection = supervision_actions.draw_sample(inspection, acting_user=supervisor)
    sample = inspection.samples.get()
    incident = supervision_actions.record_incident(
        acting_user=supervisor, unit=unit, title="矩阵责任事件", description="发布了未审核的信息。",
        occurred_at=timezone.now())
    return World(unit=unit, person=colleague, role=RoleAssignment.objects.active().get(person=colleague, unit=unit),
                 channel=channel, wechat=wechat, entry=entry, item=item, draft_attachment=draft_attachment,
                 finding=finding, published=published,
                 attachment=attachment, image=image, publication=publication, ticket=ticket, event=event, score=score,
                 inspection=inspection, sample=sample, incident=incident)


def build_all() -> tuple[dict[str, World], Shared]:
    from captcha.models import CaptchaStore

    admin, supervisor = _person("demo-admin"), _person("demo-supervisor")
    _open_office_people(admin, Unit.objects.get(name=UNIT_O))
    worlds = {name: build_world(name, admin, supervisor) for name in (UNIT_A, UNIT_B, UNIT_O)}
    # A notification to each subject (its "own") and one to a person of unit B (everyone's "other").
    notifications = {username: Notification.objects.create(recipient=_person(username), verb="matrix",
                                                           message="矩阵测试通知")
                     for username in list(SUBJECTS.values()) + ["yanji-editor"]}
    for username in SUBJECTS.values():
        ApiToken.objects.create(person=_person(username), name="matrix", prefix=token_for(username)[:12],
                                token_hash=token_digest(token_for(username)))
    entry = lexicon_actions.add_entry(acting_user=admin, term="矩阵测试词", category="wording", severity="warn")
    site = Channel.objects.filter(kind=ChannelKind.WEBSITE).order_by("id").first()
    shared = Shared(lexicon_entry=entry, indicator_number=current_version().number,
                    column_slug=site.columns.order_by("id").first().slug, sitemap_section="articles",
                    captcha_key=CaptchaStore.generate_key(), notifications=notifications,
                    scan_job=Job.objects.create(kind="scan", params={"url": "https://www.example.gov.cn/"},
                                                state=JobState.DONE, result={"summary": "矩阵"}))
    return worlds, shared
