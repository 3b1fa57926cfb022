"""Every change to channels, columns and the content list: atomic, policy-checked, audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govpub.audit import log as audit
from govpub.orgs import policy as orgs_policy
from govpub.orgs.actions import notify_supervisors
from govpub.orgs.policy import require

from . import policy
from .models import Channel, ChannelKind, ChannelStatus, Column, ContentListEntry

CHANNEL_FIELDS = ("kind", "name", "sponsor_unit", "operator_unit", "opened_on", "verified_entity",
                  "account_id", "url", "site_code")


def _describe(value):
    return getattr(value, "pk", value) if not isinstance(value, (str, int, type(None))) else value


@transaction.atomic(durable=True)
def create_channel(*, acting_user, **fields) -> Channel:
    require(policy.can_edit_channels(acting_user))
    unknown = set(fields) - set(CHANNEL_FIELDS)
    if unknown:
        raise ValueError(f"unknown channel fields: {sorted(unknown)}")
    channel = Channel(**fields)
    channel.full_clean()
    channel.save()
    audit.record("channel.create", actor=acting_user, obj=channel, unit=channel.operator_unit_id,
                 details={k: str(_describe(v)) for k, v in fields.items()})
    return channel


@transaction.atomic(durable=True)
def update_channel(channel: Channel, *, acting_user, **changes) -> Channel:
    require(policy.can_edit_channels(acting_user))
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    diff = {}
    for field, value in changes.items():
        if field not in CHANNEL_FIELDS or field == "kind":
            raise ValueError(f"channel field {field!r} cannot be changed here")
        old = getattr(channel, field)
        if old != value:
            diff[field] = [str(_describe(old)), str(_describe(value))]
            setattr(channel, field, value)
    if diff:
        channel.full_clean()
        channel.save()
        audit.record("channel.update", actor=acting_user, obj=channel, unit=channel.operator_unit_id, details=diff)
    return channel


@transaction.atomic(durable=True)
def change_channel_status(channel: Channel, *, acting_user, status: str, reason: str) -> Channel:
    return set_channel_status(channel, acting_user=acting_user, status=status, reason=reason)


@transaction.atomic(savepoint=False)
def set_channel_status(channel: Channel, *, acting_user, status: str, reason: str) -> Channel:
    """暂停/恢复/关停 inside the caller's transaction. The acting person's authority is recorded with the new
    status, so that a pause the 政务公开办 imposed is reopened by it only."""
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    require(policy.can_change_status(acting_user, channel, status), policy.status_refused_message(channel, status))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写状态变更的原因。"})
    if status == channel.status:
        raise ValidationError("渠道已处于该状态。")
    if not channel.can_move_to(status):
        raise ValidationError(
            f"渠道不能从“{channel.get_status_display()}”变为“{ChannelStatus(status).label}”：已关停的渠道不能恢复。"
        )
    old, old_origin = channel.status, channel.status_origin
    channel.status = status
    channel.status_reason = reason
    channel.status_changed_at = timezone.now()
    channel.status_origin = orgs_policy.measure_origin(acting_user)
    channel.save(update_fields=["status", "status_reason", "status_changed_at", "status_origin"])
    audit.record("channel.status", actor=acting_user, obj=channel, unit=channel.operator_unit_id,
                 details={"from": old, "to": status, "reason": reason, "origin": channel.status_origin,
                          "previous_origin": old_origin})
    label = ChannelStatus(status).label
    if status == ChannelStatus.RUNNING:
        notify_supervisors("measure_lifted", f"{channel.name}已恢复运行（{acting_user.display_name}）：{reason}")
    else:
        notify_supervisors("measure_imposed",
                           f"{channel.name}已{label}（{channel.get_status_origin_display()}决定）：{reason}")
    return channel


@transaction.atomic(durable=True)
def create_column(*, acting_user, channel: Channel, name: str, slug: str, parent: Column | None = None,
                  position: int = 0) -> Column:
    require(policy.can_edit_structure(acting_user, channel))
    if channel.kind != ChannelKind.WEBSITE:
        raise ValidationError("只有政府网站可以设置栏目。")
    if parent is not None and parent.channel_id != channel.pk:
        raise ValidationError({"parent": "上级栏目必须属于同一网站。"})
    column = Column(channel=channel, parent=parent, name=name, slug=slug, position=position)
    column.full_clean()
    column.save()
    audit.record("column.create", actor=acting_user, obj=column, unit=channel.operator_unit_id,
                 details={"name": name, "slug": slug, "parent": getattr(parent, "pk", None)})
    return column


@transaction.atomic(durable=True)
def add_content_list_entry(*, acting_user, channel: Channel, category: str, responsible_unit,
                           column: Column | None = None, responsible_person=None,
                           update_interval_days: int | None = None, note: str = "") -> ContentListEntry:
    require(policy.can_edit_structure(acting_user, channel))
    if column is not None and column.channel_id != channel.pk:
        raise ValidationError({"column": "栏目必须属于该渠道。"})
    entry = ContentListEntry(channel=channel, column=column, category=category, responsible_unit=responsible_unit,
                             responsible_person=responsible_person, update_interval_days=update_interval_days,
                             note=note)
    entry.full_clean()
    entry.save()
    audit.record("content_list.add", actor=acting_user, obj=entry, unit=responsible_unit,
                 details={"channel": channel.pk, "column": getattr(column, "pk", None), "category": category,
                          "responsible_unit": responsible_unit.pk, "update_interval_days": update_interval_days})
    return entry


@transaction.atomic(durable=True)
def deactivate_content_list_entry(entry: ContentListEntry, *, acting_user) -> ContentListEntry:
    require(policy.can_edit_structure(acting_user, entry.channel))
    entry = ContentListEntry.objects.select_for_update().get(pk=entry.pk)
    entry.is_active = False
    entry.save(update_fields=["is_active"])
    audit.record("content_list.deactivate", actor=acting_user, obj=entry, unit=entry.responsible_unit_id)
    return entry
