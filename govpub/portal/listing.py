"""The site's lists (portal.models.Listing): which rows an item has, rewritten whenever it goes
online, is corrected or comes down.

relist runs inside the transaction of publish/withdraw (a hook on the item's lifecycle, see
PortalConfig.ready), so the lists never show what rolled back and never keep what was withdrawn.
"""

from __future__ import annotations

from django.db.models import Min

from govpub.channels.models import Column
from govpub.content.models import Item, ItemState
from govpub.publishing.models import Publication, PublicationStatus

from .models import Listing


def list_keys(column_ids, parents: dict[int, int | None]) -> list[int | None]:
    """The lists an item in these columns appears in: each column, every ancestor, and the whole
    site (None) — each once, in the order given. Pure, so migrations can use it too."""
    keys: list[int | None] = []
    for column_id in column_ids:
        seen, node = set(), column_id
        while node is not None and node not in seen:  # a broken tree (a cycle) must not hang a publish
            seen.add(node)
            if node not in keys:
                keys.append(node)
            node = parents.get(node)
    return keys + [None]


def relist(item_id: int) -> None:
    """Rewrite the item's rows from its live website publications (none when it is not online)."""
    Listing.objects.filter(item_id=item_id).delete()
    item = Item.objects.filter(pk=item_id).only("state", "live_revision_id").first()
    if item is None or item.state == ItemState.WITHDRAWN or item.live_revision_id is None:
        return
    website = Publication.objects.filter(item_id=item_id, column__isnull=False)
    live = list(website.filter(status=PublicationStatus.LIVE, revision_id=item.live_revision_id)
                .order_by("column__position", "id").values_list("id", "column_id", "column__channel_id", "live_at"))
    if not live:
        return
    first = website.filter(live_at__isnull=False).aggregate(first=Min("live_at"))["first"] or live[0][3]
    parents = dict(Column.objects.filter(channel_id__in={row[2] for row in live}).values_list("id", "parent_id"))
    publication_of = {}
    for publication_id, column_id, _channel, _live_at in live:
        for key in list_keys([column_id], parents):
            publication_of.setdefault(key, publication_id)
    Listing.objects.bulk_create([Listing(publication_id=publication_id, item_id=item_id, column_id=key,
                                         published_at=first) for key, publication_id in publication_of.items()])


def relist_all() -> int:
    """Every item that has a website publication (operators: `govpub manage portal_reindex`)."""
    item_ids = set(Publication.objects.filter(column__isnull=False).values_list("item_id", flat=True))
    Listing.objects.exclude(item_id__in=item_ids).delete()
    for item_id in sorted(item_ids):
        relist(item_id)
    return len(item_ids)
