"""Keeps the search catalogue in step with publishing, without touching the publishing code.

Publishing writes Publication rows and saves the Item (publish, correction, withdrawal all end with
item.save()); after the transaction commits, the item is re-indexed from what is in the database,
so the catalogue never shows something that rolled back. A failure here is logged, never raised
into the already-committed publishing action (robust on_commit); `govpub manage portal_reindex`
rebuilds the catalogue.
"""

from __future__ import annotations

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def _reindex_later(item_id: int | None, using: str | None) -> None:
    if item_id is None:
        return

    def run():
        from django.core.cache import cache

        from .search import index_item
        from .views import FACETS_CACHE_KEY

        try:
            cache.delete(FACETS_CACHE_KEY)
            index_item(item_id)
        except Exception:  # noqa: BLE001 — the publish has committed; the catalogue can be rebuilt
            log.exception("search re-index of item %s failed", item_id)

    transaction.on_commit(run, using=using)


def publication_saved(sender, instance, using=None, **kwargs):
    _reindex_later(instance.item_id, using)


def item_saved(sender, instance, using=None, raw=False, **kwargs):
    if not raw:
        _reindex_later(instance.pk, using)


def connect() -> None:
    from django.db.models.signals import post_save

    from govpub.content.models import Item
    from govpub.publishing.models import Publication

    post_save.connect(publication_saved, sender=Publication, dispatch_uid="portal.search.publication")
    post_save.connect(item_saved, sender=Item, dispatch_uid="portal.search.item")
