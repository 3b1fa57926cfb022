"""Who may see and change channels, columns and content lists."""

from __future__ import annotations

from django.db.models import Q

from govpub.orgs import policy as orgs_policy
from govpub.orgs.models import Role

from .models import Channel, ChannelStatus


def visible_channels(user):
    """Channels a unit sponsors or operates, or where it is responsible for content-list entries."""
    if orgs_policy.oversees_everything(user):
        return Channel.objects.all()
    units = orgs_policy.member_unit_ids(user)
    return Channel.objects.filter(
        Q(sponsor_unit_id__in=units) | Q(operator_unit_id__in=units)
        | Q(content_list__responsible_unit_id__in=units, content_list__is_active=True)
    ).distinct()


def can_view_channel(user, channel: Channel) -> bool:
    return visible_channels(user).filter(pk=channel.pk).exists()


def can_view_entry(user, entry) -> bool:
    return can_view_channel(user, entry.channel)


def can_edit_channels(user) -> bool:
    return orgs_policy.is_admin(user)


def can_change_status(user, channel: Channel, status: str) -> bool:
    """Pausing, resuming and closing: the supervisor (责令关停) and admins, or the sponsor unit's principal.
    Reopening a paused channel is for the authority that paused it only (`status` "" asks about the page)."""
    if not (orgs_policy.oversees_everything(user)
            or orgs_policy.has_role(user, Role.PRINCIPAL, channel.sponsor_unit_id)):
        return False
    if is_reopening(channel, status):
        return orgs_policy.holds_authority(user, channel.status_origin)
    return True


def is_reopening(channel: Channel, status: str) -> bool:
    return status == ChannelStatus.RUNNING and channel.status == ChannelStatus.PAUSED


def status_refused_message(channel: Channel, status: str) -> str:
    if is_reopening(channel, status):
        return orgs_policy.lift_refused_message(channel.status_origin)
    return "您没有权限变更该渠道的状态。"


def can_edit_structure(user, channel: Channel) -> bool:
    """Columns and the content list: admins, and the operator unit's office head (第六条(三) 制定有关制度)."""
    if orgs_policy.is_admin(user):
        return True
    return any(
        orgs_policy.has_role(user, role, channel.operator_unit_id) for role in (Role.OFFICE_HEAD, Role.PRINCIPAL)
    )
