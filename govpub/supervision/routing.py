"""Who a supervision ticket goes to (第九条 发布内容清单, 第十一条(一) 问题交办).

A channel's content list names the unit responsible for each column or kind of content — a district
portal run by the 区政府办 carries a 乡镇动态 column that 燕矶镇 answers for — so a problem in that column
goes to 燕矶镇, not to the portal's operator. Where the list says nothing, the channel's operator unit is
responsible. Reads only."""

from __future__ import annotations

from dataclasses import dataclass

from govpub.channels.models import ContentListEntry


@dataclass(frozen=True)
class Route:
    unit: object
    why: str  # shown on the form and kept in the ticket's history


def _entry(channel, column_id):
    return (ContentListEntry.objects.filter(channel=channel, column_id=column_id, is_active=True)
            .select_related("responsible_unit", "column").order_by("id").first())


def column_of(channel, url: str):
    """The column a page of this channel belongs to, from the publication GovPub made at that URL."""
    from govpub.publishing.models import Publication

    if not url:
        return None
    return (Publication.objects.filter(channel=channel, url=url, column__isnull=False)
            .order_by("-id").values_list("column_id", flat=True).first())


def route(channel, *, column_id=None, url: str = "") -> Route:
    """The responsible unit for a problem on `channel`, in `column_id` or at `url` when known."""
    column_id = column_id or column_of(channel, url)
    if column_id:
        entry = _entry(channel, column_id)
        if entry is not None:
            return Route(entry.responsible_unit,
                         f"发布内容清单：栏目“{entry.column.name}”（{entry.category}）由{entry.responsible_unit.name}负责")
    return Route(channel.operator_unit, f"渠道“{channel.name}”的承办单位")


def responsible_units(channel):
    """Units a ticket on this channel may go to: its operator and sponsor, and every unit its content
    list makes responsible for something on it."""
    from govpub.orgs.models import Unit

    listed = ContentListEntry.objects.filter(channel=channel, is_active=True).values("responsible_unit_id")
    ids = {channel.operator_unit_id, channel.sponsor_unit_id} - {None}
    return Unit.objects.filter(pk__in=listed) | Unit.objects.filter(pk__in=ids)
