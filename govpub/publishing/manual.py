"""Manual publishing for platforms without an API (抖音, 今日头条, 自建客户端, 其他).

The publication waits in the operator unit's to-do list with the approved text ready to copy; an
editor of that unit posts it by hand and records the post's address. A withdrawal waits the same
way until the editor confirms the post was deleted.
"""

from __future__ import annotations

from govpub.channels.models import ChannelKind

from . import policy
from .models import Publication, PublicationStatus, WithdrawState

MANUAL_KINDS = (ChannelKind.DOUYIN, ChannelKind.TOUTIAO, ChannelKind.APP, ChannelKind.OTHER)


def manual_tasks_for(user):
    """Publications waiting for this person's units to post (or delete) them by hand, oldest first."""
    units = policy.editor_unit_ids(user)
    base = (Publication.objects.filter(channel__kind__in=MANUAL_KINDS, channel__operator_unit_id__in=units,
                                       column__isnull=True)
            .select_related("item", "revision", "channel", "published_by"))
    posts = base.filter(status=PublicationStatus.QUEUED)
    withdrawals = base.filter(status=PublicationStatus.WITHDRAWN, withdraw_state=WithdrawState.PENDING)
    return (posts | withdrawals).order_by("created_at", "id")


def copy_text(publication) -> str:
    """The approved text as plain text, ready to paste into the platform."""
    from .connectors.adapt import plain_text, public_url

    revision = publication.revision
    parts = [revision.title, "", plain_text(revision.body_html)]
    if revision.source_name:
        parts += ["", f"来源：{revision.source_name}"]
    parts += ["", f"原文：{public_url(publication)}"]
    return "\n".join(parts).strip()

