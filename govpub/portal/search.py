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
RANK_WINDOW = 500  # matches ranked by relevance (the newest); older ones follow by date
COUNT_LIMIT = 2000  # counted exactly up to here; beyond, “more than”
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

    Ranking every match costs time in proportion to the number of matches, and so does counting them on
    PostgreSQL (heap visits), so the work per query is bounded: the RANK_WINDOW newest matches (by item
    id) are fetched with their score in one query and ordered by relevance; older matches follow newest
    first; the count stops at COUNT_LIMIT (the page then says “more than”). Every statement is
    parameterised, and the user's words are only ever data.
    """

    def __init__(self, words: list[str]):
        self.words = words
        if connection.vendor == "postgresql":
            match = ("FROM portal_searchdocument, plainto_tsquery('simple', %s) q "
                     "WHERE search_vector @@ q")
            self.sql = {
                "count": f"SELECT COUNT(*) FROM (SELECT 1 {match} LIMIT %s) hits",
                # ts_rank: higher is better; negated so that smaller sorts first on both databases.
                "window": f"SELECT item_id, -ts_rank(search_vector, q) {match} ORDER BY item_id DESC LIMIT %s",
                "tail": f"SELECT item_id {match} AND item_id < %s ORDER BY item_id DESC LIMIT %s OFFSET %s",
            }
            self.query = " ".join(words)
        else:
            match = "FROM portal_search_fts WHERE portal_search_fts MATCH %s"
            self.sql = {
                "count": f"SELECT COUNT(*) FROM (SELECT 1 {match} LIMIT %s)",
                # FTS5's rank is bm25(), smaller is better; computed only for the rows returned.
                "window": f"SELECT rowid, rank {match} ORDER BY rowid DESC LIMIT %s",
                "tail": f"SELECT rowid {match} AND rowid < %s ORDER BY rowid DESC LIMIT %s OFFSET %s",
            }
            # Each word quoted: FTS5 operators and syntax in the user's input are just text.
            self.query = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        self._count = self._ranked = None
        self.capped = False

    def _fetch(self, name: str, *params) -> list:
        with connection.cursor() as cursor:
            cursor.execute(self.sql[name], [self.query, *params])
            return cursor.fetchall()

    def count(self) -> int:
        if self._count is None:
            found = self._fetch("count", COUNT_LIMIT + 1)[0][0]
            self.capped = found > COUNT_LIMIT
            self._count = min(found, COUNT_LIMIT)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def _window(self) -> tuple[list[int], int]:
        """(the newest matches ordered by relevance, the item id below which the date-ordered tail starts)."""
        if self._ranked is None:
            rows = self._fetch("window", RANK_WINDOW)
            cutoff = min(pk for pk, _ in rows) if len(rows) == RANK_WINDOW else 0
            self._ranked = ([pk for pk, _ in sorted(rows, key=lambda row: (row[1], -row[0]))], cutoff)
        return self._ranked

    def __getitem__(self, window: slice) -> list[SearchDocument]:
        start, stop = window.start or 0, window.stop
        ranked, cutoff = self._window()
        ids = ranked[start:stop]
        if stop > len(ranked) and cutoff:
            ids += [row[0] for row in self._fetch("tail", cutoff, stop - max(start, len(ranked)),
                                                  max(0, start - len(ranked)))]
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
    capped: bool = False  # more matches than COUNT_LIMIT; `total` is the limit


def search(q: str, page: int | str = 1) -> Results:
    q = (q or "").strip()
    words = query_words(q)
    if not words:
        return Results(query=q, words=[], page=None, total=0)
    matches = _Matches(words)
    paginator = Paginator(matches, PAGE_SIZE)
    current = paginator.get_page(page)
    current.object_list = [Hit(document=d, title_html=highlight(d.title, words, width=200),
                                  snippet=highlight(d.text, words)) for d in current.object_list]
    return Results(query=q, words=words, page=current, total=paginator.count, capped=matches.capped)
