"""Manual publishing for platforms without an API (抖音, 今日头条, 自建客户端, 其他).

The publication waits in the operator unit's to-do list with the approved text ready to copy; an
editor of that unit posts it by hand and records the post's address. A withdrawal waits the same
way until the editor confirms the post was deleted.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from govpub.audit import log as audit
from govpub.channels.models import ChannelKind
from govpub.orgs.models import Role
from govpub.orgs.policy import active_roles, require

from .gate import send_problems
from .models import DeliveryAttempt, Publication, PublicationStatus, WithdrawState

MANUAL_KINDS = (ChannelKind.DOUYIN, ChannelKind.TOUTIAO, ChannelKind.APP, ChannelKind.OTHER)


def _editor_unit_ids(user) -> set[int]:
    return {unit_id for unit_id, role in active_roles(user) if role == Role.EDITOR}


def can_post_manually(user, publication) -> bool:
    """谁开设、谁主办: the operator unit's editors post to its accounts."""
    return publication.channel.operator_unit_id in _editor_unit_ids(user)


def manual_tasks_for(user):
    """Publications waiting for this person's units to post (or delete) them by hand, oldest first."""
    units = _editor_unit_ids(user)
    base = (Publication.objects.filter(channel__kind__in=MANUAL_KINDS, channel__operator_unit_id__in=units,
                                       column__isnull=True)
            .select_related("item", "revision", "channel", "published_by"))
    posts = base.filter(status=PublicationStatus.QUEUED)
    withdrawals = base.filter(status=PublicationStatus.WITHDRAWN, withdraw_state=WithdrawState.PENDING)
    return (posts | withdrawals).order_by("created_at", "id")


def _attempt(publication, kind: str, message: str) -> None:
    now = timezone.now()
    DeliveryAttempt.objects.create(publication=publication, kind=kind, number=publication.attempts + 1,
                                   started_at=now, ended_at=now, outcome=DeliveryAttempt.Outcome.OK,
                                   message=message[:500], duration_ms=0, worker="manual")


@transaction.atomic(durable=True)
def record_manual_post(publication: Publication, *, acting_user, url: str) -> Publication:
    publication = Publication.objects.select_for_update().select_related("channel", "item").get(pk=publication.pk)
    require(can_post_manually(acting_user, publication), "只有该账号承办单位的经办人可以登记人工发布。")
    if publication.channel.kind not in MANUAL_KINDS:
        raise ValidationError("该渠道通过接口自动发布，无需人工登记。")
    if publication.status != PublicationStatus.QUEUED:
        raise ValidationError(f"该发布记录当前状态为“{publication.get_status_display()}”，不能登记发布。")
    problems = send_problems(publication.item.unit, [publication.channel])
    if problems:
        raise ValidationError("不能登记发布：" + "；".join(problems) + "。请勿在平台上发布该内容。")
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError({"url": "请填写完整的发布地址（以 http:// 或 https:// 开头）。"}) from None
    now = timezone.now()
    Publication.objects.filter(pk=publication.pk).update(
        status=PublicationStatus.LIVE, url=url[:500], live_at=now, remote_id=url[:200],
        attempts=publication.attempts + 1, remote_state={"manual": True, "recorded_by": acting_user.pk})
    _attempt(publication, DeliveryAttempt.Kind.PUBLISH, f"人工发布，登记地址：{url}")
    audit.record("publication.manual_post", actor=acting_user, obj=publication, unit=publication.item.unit_id,
                 details={"url": url, "channel": publication.channel_id})
    publication.refresh_from_db()
    return publication


@transaction.atomic(durable=True)
def record_manual_withdrawal(publication: Publication, *, acting_user) -> Publication:
    publication = Publication.objects.select_for_update().select_related("channel", "item").get(pk=publication.pk)
    require(can_post_manually(acting_user, publication), "只有该账号承办单位的经办人可以确认人工撤下。")
    if publication.status != PublicationStatus.WITHDRAWN or publication.withdraw_state != WithdrawState.PENDING:
        raise ValidationError("该发布记录没有待人工撤下的任务。")
    Publication.objects.filter(pk=publication.pk).update(withdraw_state=WithdrawState.DONE)
    _attempt(publication, DeliveryAttempt.Kind.WITHDRAW, "人工确认已从平台删除。")
    audit.record("publication.manual_withdraw", actor=acting_user, obj=publication, unit=publication.item.unit_id,
                 details={"channel": publication.channel_id})
    publication.refresh_from_db()
    return publication


def copy_text(publication) -> str:
    """The approved text as plain text, ready to paste into the platform."""
    from .connectors.adapt import plain_text, public_url

    revision = publication.revision
    parts = [revision.title, "", plain_text(revision.body_html)]
    if revision.source_name:
        parts += ["", f"来源：{revision.source_name}"]
    parts += ["", f"原文：{public_url(publication)}"]
    return "\n".join(parts).strip()

