"""Chinese full-text search for the public website.

Chinese has no spaces, so both databases index jieba-segmented text (words joined by spaces):
  * SQLite: an external-content FTS5 table `portal_search_fts` over SearchDocument.segmented,
    ranked by bm25;
  * PostgreSQL: a generated `search_vector` = to_tsvector('simple', segmented) with a GIN index,
    ranked by ts_rank.
The query is segmented the same way (precise mode; the index holds search-mode words, a superset),
and every query word must match. Snippets are cut from the plain text in Python, so they read
naturally (no spaces between words) and highlight every query word.

index_item(item) / unindex_item(item) keep the catalogue in step with what the public can read;
govpub.portal.signals calls them after every commit that touches an item or its publications.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Min
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from govpub.content.models import Item, ItemState
from govpub.publishing.models import Publication, PublicationStatus

from .models import SearchDocument

PAGE_SIZE = 10
RANK_WINDOW = 1000  # matches ranked by relevance (the newest); older ones follow by date
MAX_QUERY_CHARS = 100
MAX_QUERY_WORDS = 12
_WORD = re.compile(r"\w", re.UNICODE)

_jieba = None


def _segmenter():
    global _jieba
    if _jieba is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        _jieba = jieba
    return _jieba


def plain_text(body_html: str) -> str:
    text = html.unescape(strip_tags(body_html or ""))
    return re.sub(r"\s+", " ", text).strip()


def _words(tokens) -> list[str]:
    # Punctuation and spaces are not words; lower-case so Latin words match either case.
    return [t.strip().lower() for t in tokens if _WORD.search(t)]


def segment_for_index(text: str) -> str:
    return " ".join(_words(_segmenter().cut_for_search(text)))


def query_words(q: str) -> list[str]:
    words = []
    for word in _words(_segmenter().cut((q or "")[:MAX_QUERY_CHARS])):
        if word not in words:
            words.append(word)
    return words[:MAX_QUERY_WORDS]


def _live_website_publications(item_id: int):
    return Publication.objects.filter(item_id=item_id, status=PublicationStatus.LIVE, column__isnull=False)


def index_item(item: Item | int) -> bool:
    """Put the item in the catalogue if the public can read it now, else take it out. Returns whether indexed."""
    item_id = item if isinstance(item, int) else item.pk
    item = Item.objects.select_related("live_revision").filter(pk=item_id).first()
    live = None
    if item is not None and item.state != ItemState.WITHDRAWN and item.live_revision_id:
        live = (_live_website_publications(item_id).filter(revision_id=item.live_revision_id)
                .order_by("column__position", "id").first())
    if live is None:
        unindex_item(item_id)
        return False
    revision = item.live_revision
    text = plain_text(revision.body_html)
    first = (Publication.objects.filter(item_id=item_id, column__isnull=False, live_at__isnull=False)
             .aggregate(first=Min("live_at"))["first"]) or live.live_at
    SearchDocument.objects.update_or_create(item_id=item_id, defaults={
        "title": revision.title, "text": text, "column_id": live.column_id, "published_at": first,
        "segmented": segment_for_index(f"{revision.title} {revision.summary} {text}"),
    })
    return True


def unindex_item(item: Item | int) -> None:
    SearchDocument.objects.filter(item_id=item if isinstance(item, int) else item.pk).delete()


def reindex_all() -> int:
    """Rebuild the catalogue from the publications (operators: `govpub manage portal_reindex`)."""
    live_ids = set(Publication.objects.filter(status=PublicationStatus.LIVE, column__isnull=False)
                   .values_list("item_id", flat=True))
    SearchDocument.objects.exclude(item_id__in=live_ids).delete()
    return sum(index_item(item_id) for item_id in sorted(live_ids))


class _Matches:
    """A lazy, sliceable result list for Django's Paginator.

    Ranking every match costs time in proportion to the number of matches (bm25 / ts_rank per row), so
    the RANK_WINDOW newest matches (by item id) are ranked by relevance and come first; any older matches
    follow newest first. The count is exact. Every query is a parameterised statement on the index only.
    """

    def __init__(self, words: list[str]):
        self.words = words
        if connection.vendor == "postgresql":
            match = ("FROM portal_searchdocument, plainto_tsquery('simple', %s) q "
                     "WHERE search_vector @@ q")
            self.sql = {
                "count": f"SELECT COUNT(*) {match}",
                "cutoff": f"SELECT item_id {match} ORDER BY item_id DESC LIMIT 1 OFFSET %s",
                "ranked": f"SELECT item_id {match} AND item_id >= %s "
                          "ORDER BY ts_rank(search_vector, q) DESC, item_id DESC LIMIT %s OFFSET %s",
                "tail": f"SELECT item_id {match} AND item_id < %s ORDER BY item_id DESC LIMIT %s OFFSET %s",
            }
            self.query = " ".join(words)
        else:
            match = "FROM portal_search_fts WHERE portal_search_fts MATCH %s"
            self.sql = {
                "count": f"SELECT COUNT(*) {match}",
                "cutoff": f"SELECT rowid {match} ORDER BY rowid DESC LIMIT 1 OFFSET %s",
                "ranked": f"SELECT rowid {match} AND rowid >= %s ORDER BY rank, rowid DESC LIMIT %s OFFSET %s",
                "tail": f"SELECT rowid {match} AND rowid < %s ORDER BY rowid DESC LIMIT %s OFFSET %s",
            }
            # Each word quoted: FTS5 operators and syntax in the user's input are just text.
            self.query = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        self._count = self._cutoff = None

    def _fetch(self, name: str, *params) -> list:
        with connection.cursor() as cursor:
            cursor.execute(self.sql[name], [self.query, *params])
            return cursor.fetchall()

    def count(self) -> int:
        if self._count is None:
            self._count = self._fetch("count")[0][0]
        return self._count

    def __len__(self) -> int:
        return self.count()

    def _ranked_size(self) -> tuple[int, int]:
        """(how many matches are ranked, the lowest item id among them)."""
        if self._cutoff is None:
            if self.count() <= RANK_WINDOW:
                self._cutoff = (self.count(), 0)
            else:
                self._cutoff = (RANK_WINDOW, self._fetch("cutoff", RANK_WINDOW - 1)[0][0])
        return self._cutoff

    def __getitem__(self, window: slice) -> list[SearchDocument]:
        start, stop = window.start or 0, window.stop
        ranked, cutoff = self._ranked_size()
        ids = []
        if start < ranked:
            ids += [row[0] for row in self._fetch("ranked", cutoff, min(stop, ranked) - start, start)]
        if stop > ranked and cutoff:
            offset = max(0, start - ranked)
            ids += [row[0] for row in self._fetch("tail", cutoff, stop - max(start, ranked), offset)]
        documents = SearchDocument.objects.select_related("column").defer("segmented").in_bulk(ids)
        return [documents[i] for i in ids if i in documents]


@dataclass
class Hit:
    document: SearchDocument
    title_html: str
    snippet: str

    @property
    def item_id(self) -> int:
        return self.document.item_id


def highlight(text: str, words: list[str], *, width: int = 120) -> str:
    """An escaped excerpt around the first hit with every query word in <mark>."""
    lowered = text.lower()
    positions = [p for p in (lowered.find(w) for w in words) if p >= 0]
    start = max(0, min(positions) - 30) if positions else 0
    excerpt = text[start:start + width]
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(excerpt):
        out.append(escape(excerpt[last:match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(excerpt[last:]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)


@dataclass
class Results:
    query: str
    words: list[str]
    page: object | None  # django.core.paginator.Page of Hit, or None when the query has no words
    total: int


def search(q: str, page: int | str = 1) -> Results:
    q = (q or "").strip()
    words = query_words(q)
    if not words:
        return Results(query=q, words=[], page=None, total=0)
    paginator = Paginator(_Matches(words), PAGE_SIZE)
    current = paginator.get_page(page)
    current.object_list = [Hit(document=d, title_html=highlight(d.title, words, width=200),
                                  snippet=highlight(d.text, words)) for d in current.object_list]
    return Results(query=q, words=words, page=current, total=paginator.count)
