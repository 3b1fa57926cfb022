"""Publishing, scheduled publishing and withdrawal (第八、九、十二条)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from govpub.audit import log as audit
from govpub.channels.targets import resolve
from govpub.content import lifecycle
from govpub.content.models import Item, ItemState
from govpub.notifications.notify import notify
from govpub.ops import netguard
from govpub.orgs.policy import require
from govpub.review.models import Decision

from . import credentials, manual, policy
from .connectors import forget_tokens
from .gate import gate_problems, send_problems
from .models import ChannelCredential, DeliveryAttempt, Publication, PublicationStatus, WithdrawState


class GateRefused(ValidationError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("不能发布：" + "；".join(problems))


def public_url(item: Item) -> str:
    return reverse("public_article", args=[item.pk])


def _reviewers(item: Item):
    return [d.reviewer for d in Decision.objects.filter(run__item=item, run__revision=item.current_revision)
            .select_related("reviewer")]


def _go_live(item: Item, acting_user) -> list[Publication]:
    """Create one publication per target for the current revision (exactly once) and put the website ones live."""
    revision = item.current_revision
    existing = {p.target: p for p in Publication.objects.filter(revision=revision)}
    now = timezone.now()
    created = []
    for target in resolve(revision.targets):
        if target.key in existing:
            continue
        website = target.column is not None
        created.append(Publication.objects.create(
            item=item, revision=revision, revision_hash=revision.content_hash, target=target.key,
            channel=target.channel, column=target.column, published_by=acting_user,
            status=PublicationStatus.LIVE if website else PublicationStatus.QUEUED,
            url=public_url(item) if website else "", live_at=now if website else None))
    # A correction replaces what was online before: the website page shows the new revision, and the
    # old new-media posts come down from their platforms while the corrected ones go out.
    older = list(Publication.objects.filter(item=item).exclude(revision=revision).filter(
        status__in=[PublicationStatus.LIVE, PublicationStatus.QUEUED, PublicationStatus.SENDING]))
    Publication.objects.filter(pk__in=[p.pk for p in older if p.column_id]).update(
        status=PublicationStatus.SUPERSEDED)
    old_posts = [p for p in older if p.column_id is None]
    Publication.objects.filter(pk__in=[p.pk for p in old_posts]).update(
        status=PublicationStatus.WITHDRAWN, withdrawn_at=now)
    lifecycle.move(item, "publish", acting_user=acting_user, live_revision=revision, scheduled_at=None)
    audit.record("item.publish", actor=acting_user, obj=item, unit=item.unit_id,
                 details={"revision": revision.number, "hash": revision.content_hash,
                          "publications": [p.pk for p in created], "targets": revision.targets})
    notify([item.author, *_reviewers(item)], item, "publish", f"已发布：{revision.title}")
    from . import delivery

    delivery.schedule_publications(created)  # new-media targets go out through the outbox after commit
    delivery.request_withdrawal(old_posts)
    return list(Publication.objects.filter(revision=revision).order_by("id"))


@transaction.atomic(durable=True)
def publish_item(item: Item, *, acting_user, revision_hash: str, at: dt.datetime | None = None) -> list[Publication]:
    """Publish now, or schedule for `at`. Idempotent: publishing the already-live revision again changes nothing."""
    item = Item.objects.locked(item)
    require(policy.can_publish(acting_user, item), policy.PUBLISH_REFUSAL)
    revision = item.current_revision
    if item.state == ItemState.PUBLISHED and item.live_revision_id == revision.pk \
            and revision.content_hash == revision_hash:
        return list(Publication.objects.filter(revision=revision).order_by("id"))
    if not lifecycle.allowed(item, "publish"):
        raise GateRefused([policy.publish_state_refusal(item)])
    problems = gate_problems(item, revision_hash)
    if problems:
        raise GateRefused(problems)
    if at is not None and at > timezone.now() + dt.timedelta(seconds=30):
        lifecycle.move(item, "schedule", acting_user=acting_user, scheduled_at=at)
        audit.record("item.schedule", actor=acting_user, obj=item, unit=item.unit_id,
                     details={"at": at.isoformat(), "hash": revision_hash})
        from .tasks import publish_scheduled

        item_id, user_id = item.pk, acting_user.pk
        transaction.on_commit(lambda: publish_scheduled.schedule((item_id, revision_hash, user_id), eta=at))
        return []
    return _go_live(item, acting_user)


@transaction.atomic(durable=True)
def publish_if_still_due(item_id: int, revision_hash: str, user_id: int) -> list[Publication]:
    """The scheduled task: re-asks the gate at the chosen time; refusal is recorded, never forced."""
    from govpub.orgs.models import Person

    item = Item.objects.locked(item_id)
    user = Person.objects.get(pk=user_id)
    if item.state != ItemState.SCHEDULED or item.current_revision.content_hash != revision_hash:
        return []  # edited, cancelled or already published since it was scheduled
    if item.scheduled_at and item.scheduled_at > timezone.now() + dt.timedelta(seconds=5):
        return []  # rescheduled later; the later task will publish
    problems = gate_problems(item, revision_hash)
    if not policy.can_publish(user, item):
        problems.append("安排定时发布的人员已无发布权限。")
    if problems:
        lifecycle.move(item, "unschedule", acting_user=user, scheduled_at=None)
        audit.record("item.schedule_refused", actor=user, obj=item, unit=item.unit_id, details={"problems": problems})
        notify([user, item.author], item, "schedule_refused",
               f"定时发布未执行：{item.current_revision.title}——{'；'.join(problems)}")
        return []
    return _go_live(item, user)


@transaction.atomic(durable=True)
def cancel_schedule(item: Item, *, acting_user) -> Item:
    item = Item.objects.locked(item)
    require(policy.can_publish(acting_user, item))
    if item.state != ItemState.SCHEDULED:
        raise ValidationError("该稿件没有定时发布安排。")
    lifecycle.move(item, "unschedule", acting_user=acting_user, scheduled_at=None)
    audit.record("item.schedule_cancel", actor=acting_user, obj=item, unit=item.unit_id)
    return item


NOTHING_ONLINE = "该稿件当前没有在线的发布，无需撤稿。"


@transaction.atomic(durable=True)
def withdraw_item(item: Item, *, acting_user, reason: str) -> Item:
    """撤稿: off every channel, everything kept."""
    item = Item.objects.locked(item)
    require(policy.can_withdraw(acting_user, item), "您无权撤下该稿件。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "撤稿须填写原因。"})
    if item.live_revision_id is None:
        raise ValidationError("该稿件尚未发布，无需撤稿。")
    if item.state == ItemState.WITHDRAWN:
        raise ValidationError("该稿件已撤稿。")
    now = timezone.now()
    publications = list(Publication.objects.filter(item=item).exclude(status=PublicationStatus.WITHDRAWN))
    if not publications:  # withdrawn before and being fixed for republication: nothing is online
        raise ValidationError(NOTHING_ONLINE)
    Publication.objects.filter(pk__in=[p.pk for p in publications]).update(
        status=PublicationStatus.WITHDRAWN, withdrawn_at=now)
    from . import delivery

    delivery.request_withdrawal(publications)  # and off the external platforms, after commit
    previous = lifecycle.move(item, "withdraw", acting_user=acting_user, withdrawn_reason=reason, scheduled_at=None)
    audit.record("item.withdraw", actor=acting_user, obj=item, unit=item.unit_id,
                 details={"reason": reason, "previous_state": previous,
                          "publications": [p.pk for p in publications]})
    notify([item.author, *_reviewers(item)], item, "withdraw", f"已撤稿：{item.current_revision.title}——{reason}")
    return item


# --- re-sending and manual posting (platforms without an API) -------------------------------------

@transaction.atomic(durable=True)
def resend(publication: Publication, *, acting_user) -> Publication:
    """重新发送: after a permanent failure has been dealt with (credentials set, account fixed…)."""
    from . import delivery

    publication = Publication.objects.select_for_update().select_related("item", "channel").get(pk=publication.pk)
    require(policy.can_publish(acting_user, publication.item), "只有本单位的经办人可以重新发送。")
    item = publication.item
    if publication.status == PublicationStatus.FAILED:
        if item.state != ItemState.PUBLISHED or item.live_revision_id != publication.revision_id:
            raise ValidationError("该发布记录对应的版本已不在线，不能重新发送。")
        problems = send_problems(item.unit, [publication.channel])
        if problems:
            raise ValidationError("不能重新发送：" + "；".join(problems))
        Publication.objects.filter(pk=publication.pk).update(
            status=PublicationStatus.QUEUED, attempts=0, next_attempt_at=None, last_error="", last_error_code="")
        kind = delivery.PUBLISH
    elif publication.withdraw_state == WithdrawState.FAILED:
        Publication.objects.filter(pk=publication.pk).update(
            withdraw_state=WithdrawState.PENDING, attempts=0, next_attempt_at=None, last_error="", last_error_code="")
        kind = delivery.WITHDRAW
    else:
        raise ValidationError("只有发送失败或撤下失败的记录可以重新发送。")
    audit.record(f"publication.re{kind}", actor=acting_user, obj=publication, unit=item.unit_id)
    delivery.enqueue_on_commit([publication.pk], kind)
    publication.refresh_from_db()
    return publication


def _manual_attempt(publication, kind: str, message: str) -> None:
    now = timezone.now()
    DeliveryAttempt.objects.create(publication=publication, kind=kind, number=publication.attempts + 1,
                                   started_at=now, ended_at=now, outcome=DeliveryAttempt.Outcome.OK,
                                   message=message[:500], duration_ms=0, worker="manual")


@transaction.atomic(durable=True)
def record_manual_post(publication: Publication, *, acting_user, url: str) -> Publication:
    publication = Publication.objects.select_for_update().select_related("channel", "item").get(pk=publication.pk)
    require(policy.can_post_manually(acting_user, publication), "只有该账号承办单位的经办人可以登记人工发布。")
    if publication.channel.kind not in manual.MANUAL_KINDS:
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
    _manual_attempt(publication, DeliveryAttempt.Kind.PUBLISH, f"人工发布，登记地址：{url}")
    audit.record("publication.manual_post", actor=acting_user, obj=publication, unit=publication.item.unit_id,
                 details={"url": url, "channel": publication.channel_id})
    publication.refresh_from_db()
    return publication


@transaction.atomic(durable=True)
def record_manual_withdrawal(publication: Publication, *, acting_user) -> Publication:
    publication = Publication.objects.select_for_update().select_related("channel", "item").get(pk=publication.pk)
    require(policy.can_post_manually(acting_user, publication), "只有该账号承办单位的经办人可以确认人工撤下。")
    if publication.status != PublicationStatus.WITHDRAWN or publication.withdraw_state != WithdrawState.PENDING:
        raise ValidationError("该发布记录没有待人工撤下的任务。")
    Publication.objects.filter(pk=publication.pk).update(withdraw_state=WithdrawState.DONE)
    _manual_attempt(publication, DeliveryAttempt.Kind.WITHDRAW, "人工确认已从平台删除。")
    audit.record("publication.manual_withdraw", actor=acting_user, obj=publication, unit=publication.item.unit_id,
                 details={"channel": publication.channel_id})
    publication.refresh_from_db()
    return publication


# --- channel API credentials -----------------------------------------------------------------------

@transaction.atomic(durable=True)
def set_credentials(channel, *, acting_user, app_id: str | None = None, api_base: str | None = None,
                    **secrets: str) -> ChannelCredential:
    """Store credentials. An empty or missing secret keeps the stored one; the audit event names fields, not values."""
    require(policy.can_set_credentials(acting_user), policy.CREDENTIALS_REFUSAL)
    unknown = set(secrets) - set(credentials.SECRET_FIELDS)
    if unknown:
        raise ValueError(f"unknown secret fields: {sorted(unknown)}")
    if api_base and not api_base.startswith(("http://", "https://")):
        raise ValidationError({"api_base": "接口地址须以 http:// 或 https:// 开头。"})
    if api_base:
        try:  # refused again before every request; saying so now spares a failed delivery later
            netguard.check_url(api_base.strip())
        except netguard.BlockedAddress as blocked:
            raise ValidationError({"api_base": str(blocked)}) from None
    row, _ = ChannelCredential.objects.select_for_update().get_or_create(channel=channel)
    stored = credentials.decrypt(row.secrets_encrypted)
    changed = []
    for name, value in secrets.items():
        value = (value or "").strip()
        if value:
            stored[name] = value
            changed.append(name)
    if app_id is not None and app_id.strip() != row.app_id:
        row.app_id = app_id.strip()
        changed.append("app_id")
    if api_base is not None and api_base.strip() != row.api_base:
        row.api_base = api_base.strip().rstrip("/")
        changed.append("api_base")
    row.secrets_encrypted = credentials.encrypt(stored)
    row.updated_by = acting_user
    row.save()
    audit.record("channel.credentials_set", actor=acting_user, obj=channel, unit=channel.operator_unit_id,
                 details={"fields": sorted(changed)})
    forget_tokens(channel.pk)
    return row
