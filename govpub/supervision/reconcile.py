"""What an account really shows, held against what GovPub approved (第八条 先审后发, 一事一审).

The posts come from the platform's own read API (connectors' read_posts), never from GovPub's
records, so a post made straight in the WeChat or Weibo back-end is seen. Each live post is matched
to the publication it came from — by the platform id GovPub recorded, or by the key GovPub puts in
every 阅读原文 link (survives a lost reply) — and then:
- no publication behind it: 未经审核发布 (unless it predates the account's registration in GovPub);
- a publication, but the text differs from the approved revision: 发布内容与审核版本不一致;
- a publication GovPub has withdrawn or replaced by a correction: 已撤稿仍在线.
For an external website, unexplained_pages does the same for its article pages (来源不明).
Reads only; supervision's actions record what this finds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urldefrag

from django.utils import timezone

from govpub.channels.models import ChannelKind
from govpub.publishing.connectors import RemotePost, adapt
from govpub.publishing.models import Publication, PublicationStatus

UNREVIEWED, MISMATCH, WITHDRAWN_ONLINE = "unreviewed_post", "content_mismatch", "withdrawn_online"
LABELS = {UNREVIEWED: "未经审核发布", MISMATCH: "发布内容与审核版本不一致", WITHDRAWN_ONLINE: "已撤稿仍在线"}

KEY = re.compile(r"[?&]from=gp&key=(\d+)-([0-9a-f]{16})")
URL = re.compile(r"https?://\S+")
SPACE = re.compile(r"\s+")


@dataclass
class Observation:
    kind: str
    post: RemotePost
    publication_id: int | None = None
    detail: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    @property
    def message(self) -> str:
        title = self.post.title or _flat(self.post.extra.get("text", ""))[:30]
        return f"{self.label}：“{title}”"


def _flat(text: str) -> str:
    return SPACE.sub("", URL.sub("", text or "")).rstrip("…")


def _marker(post: RemotePost) -> tuple[int, str] | None:
    for text in (post.extra.get("content_source_url", ""), post.extra.get("text", ""), post.url):
        found = KEY.search(text or "")
        if found:
            return int(found.group(1)), found.group(2)
    return None


def publications_behind(channel, posts: list[RemotePost]) -> dict[str, Publication]:
    """remote id → the channel's publication it came from (two queries for any number of posts)."""
    mine = Publication.objects.filter(channel=channel).select_related("revision")
    by_remote = {p.remote_id: p for p in mine.filter(remote_id__in=[p.remote_id for p in posts if p.remote_id])}
    markers = {post.remote_id: _marker(post) for post in posts if post.remote_id not in by_remote}
    keyed = mine.in_bulk([m[0] for m in markers.values() if m])
    for remote_id, marker in markers.items():
        publication = keyed.get(marker[0]) if marker else None
        if publication is not None and publication.revision_hash.startswith(marker[1]):
            by_remote[remote_id] = publication
    return by_remote


def differs(channel, post: RemotePost, publication: Publication) -> dict | None:
    """None when the post says what the approved revision says; else what differs."""
    revision = publication.revision
    posted = _flat(post.extra.get("text", ""))
    if channel.kind == ChannelKind.WECHAT:
        expected = _flat(adapt.plain_text(adapt.wechat_html(revision.body_html, {})))
        if _flat(post.title) != _flat(revision.title):
            return {"field": "标题", "approved": revision.title, "posted": post.title}
        if posted != expected:
            return {"field": "正文", "approved": expected[:200], "posted": posted[:200]}
        return None
    # Weibo: “【标题】摘要 链接”, the summary cut to fit — every word of it must come from the revision.
    head = f"【{_flat(revision.title)}】"
    if not posted.startswith(head):
        return {"field": "标题", "approved": revision.title, "posted": posted[:60]}
    rest = posted[len(head):]
    sources = (_flat(revision.summary), _flat(adapt.plain_text(revision.body_html)),
               _flat(adapt.digest(revision.summary, revision.body_html, 120)))
    if rest and not any(rest in source for source in sources):
        return {"field": "正文", "approved": sources[0] or sources[1][:200], "posted": rest[:200]}
    return None


def reconcile(channel, posts: list[RemotePost]) -> list[Observation]:
    """Every live post that GovPub cannot account for, in the order the platform lists them."""
    behind = publications_behind(channel, posts)
    registered = channel.created_at
    found = []
    for post in posts:
        publication = behind.get(post.remote_id)
        if publication is None:
            at = post.extra.get("at")
            if at is None or registered is None or at >= registered:
                found.append(Observation(UNREVIEWED, post))
            continue
        if publication.status in (PublicationStatus.WITHDRAWN, PublicationStatus.SUPERSEDED):
            found.append(Observation(WITHDRAWN_ONLINE, post, publication.pk, {"status": publication.get_status_display()}))
            continue
        difference = differs(channel, post, publication)
        if difference:
            found.append(Observation(MISMATCH, post, publication.pk, difference))
    return found


def last_post_at(posts: list[RemotePost]):
    """When the account last showed the public something new (None: no dated post)."""
    dates = [p.extra.get("at") for p in posts if p.extra.get("at") is not None]
    return max(dates) if dates else None


def _normal(url: str) -> str:
    return urldefrag(url).url.rstrip("/")


def unexplained_pages(channel, pages) -> list:
    """An external website's article pages that no publication of this channel explains (来源不明):
    pages that carry a 发布时间 on or after the channel's registration in GovPub and whose URL is not one
    GovPub published or recorded. Informational — a page may come from a system GovPub does not see —
    but a stream of them is how a site edited around 先审后发 shows. One query per 500 pages."""
    registered = timezone.localtime(channel.created_at).date() if channel.created_at else None
    articles = {_normal(p.url): p for p in pages
                if p.ok and p.is_html and p.published and (registered is None or p.published >= registered)}
    known = set()
    urls = list(articles)
    for start in range(0, len(urls), 500):
        batch = urls[start:start + 500]
        candidates = batch + [u + "/" for u in batch]
        known |= {_normal(u) for u in Publication.objects.filter(channel=channel, url__in=candidates)
                  .values_list("url", flat=True)}
    return [page for url, page in sorted(articles.items()) if url not in known]
