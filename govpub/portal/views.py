"""The public government website: home, columns, articles, 政府信息公开, search, feeds and sitemap.

Everything here is public (login_not_required) and server-rendered; the source of truth for what is
online is the live website publications (status LIVE, with a column). Lists never load article bodies.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Max, Min, Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from govpub.channels.models import Channel, ChannelKind, Column
from govpub.channels.targets import resolve as resolve_targets
from govpub.content.files import stored_path
from govpub.content.models import Attachment, Item, ItemState, Rendition
from govpub.content.references import ATTACHMENT_SRC, IMG_TAG, SRC
from govpub.publishing.models import Publication, PublicationStatus

from . import identity
from . import search as search_module
from .models import Listing

PAGE_SIZE = 20
HOME_BLOCK_SIZE = 6
DIRECTORY_ROOT_NAME = "政府信息公开"
LARGE_COOKIE, CONTRAST_COOKIE = "govpub_large", "govpub_contrast"


# --- the site and its columns -------------------------------------------------------------------

class Site:
    """The website channel and its column tree, loaded once per request (a handful of rows)."""

    def __init__(self):
        self.channel = (Channel.objects.filter(kind=ChannelKind.WEBSITE)
                        .select_related("sponsor_unit", "operator_unit").order_by("id").first())
        self.identity = identity.current(self.channel)
        self.columns = list(Column.objects.filter(channel=self.channel, is_active=True)
                            .order_by("position", "id")) if self.channel else []
        self.by_id = {c.pk: c for c in self.columns}
        self.by_slug = {c.slug: c for c in self.columns}
        self.children: dict[int | None, list[Column]] = {}
        for column in self.columns:
            parent = column.parent_id if column.parent_id in self.by_id else None
            self.children.setdefault(parent, []).append(column)

    @property
    def name(self) -> str:
        return self.identity.name

    @property
    def id_code(self) -> str:
        return self.identity.id_code

    @property
    def top_columns(self) -> list[Column]:
        return self.children.get(None, [])

    def subtree_ids(self, column: Column) -> list[int]:
        ids, stack = [], [column]
        while stack:
            node = stack.pop()
            if node.pk in ids:
                continue
            ids.append(node.pk)
            stack.extend(self.children.get(node.pk, []))
        return ids

    def named(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    def top_of(self, column: Column) -> Column:
        seen = set()
        while column.parent_id in self.by_id and column.pk not in seen:
            seen.add(column.pk)
            column = self.by_id[column.parent_id]
        return column

    def breadcrumbs(self, column: Column) -> list[Column]:
        trail, seen = [], set()
        while column is not None and column.pk not in seen:
            seen.add(column.pk)
            trail.append(column)
            column = self.by_id.get(column.parent_id)
        return list(reversed(trail))


def _site(request) -> Site:
    if not hasattr(request, "_govpub_site"):
        request._govpub_site = Site()
    return request._govpub_site


def _render(request, template, context=None, status=200, current=None):
    site = _site(request)
    # The public site is Chinese whatever the browser asks for (its pages say lang="zh-Hans").
    with translation.override(settings.LANGUAGE_CODE):
        return _render_page(request, template, site, context, status, current)


def _render_page(request, template, site, context, status, current):
    return render(request, template, {
        "site": site, "current_top": current, "path": request.get_full_path(),
        "large_text": request.COOKIES.get(LARGE_COOKIE) == "1",
        "high_contrast": request.COOKIES.get(CONTRAST_COOKIE) == "1",
        **(context or {}),
    }, status=status)


# --- listings -----------------------------------------------------------------------------------

def listed(column: Column | None = None):
    """A list of the site (portal.models.Listing): the column with its sub-columns, or the whole site
    with None; newest first by the date each entry shows, the publication id breaking ties — one range
    of one index, whatever the number of items."""
    return Listing.objects.filter(column=column).order_by("-published_at", "-publication_id")


def live_ids(column: Column | None = None):
    """Ids of the list's publications, in list order (see listed)."""
    return listed(column).values_list("publication_id", flat=True)


def load(ids) -> list[Publication]:
    """The publications for these ids, in this order, with their revision's list fields (never the body)
    and the date each item first went online (as on its article page): two queries for any number."""
    ids = list(ids)
    rows = (Publication.objects.select_related("revision", "column")
            .only("id", "item_id", "url", "live_at", "column__id", "column__name", "column__slug",
                  "revision__id", "revision__title", "revision__index_no", "revision__issuing_org",
                  "revision__written_on", "revision__doc_no", "revision__topic", "revision__summary")
            .in_bulk(ids)) if ids else {}
    publications = [rows[i] for i in ids if i in rows]
    item_ids = {p.item_id for p in publications}
    first = dict(Publication.objects.filter(item_id__in=item_ids, column__isnull=False, live_at__isnull=False)
                 .values("item_id").annotate(first=Min("live_at")).values_list("item_id", "first")) if item_ids else {}
    for p in publications:
        p.published_at = first.get(p.item_id, p.live_at)
    return publications


def _latest(column: Column | None, limit: int) -> list[int]:
    """The newest `limit` publication ids of a list (one row per item in each list)."""
    return list(live_ids(column)[:limit])


def _page(request, ids_queryset):
    page = Paginator(ids_queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = load(page.object_list)
    return page


def _page_query(request, **extra) -> str:
    """The current filters as a query string prefix for pagination links."""
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    params.update(extra)
    return urlencode(params)


# --- pages --------------------------------------------------------------------------------------

@login_not_required
@require_GET
def home(request):
    site = _site(request)
    notices, policies = site.named("通知公告"), site.named("政策文件")
    # 通知公告, 政策文件 first, then every other top-level column (each with its sub-columns)
    ordered = [c for c in (notices, policies) if c] + [c for c in site.top_columns if c not in (notices, policies)]
    latest_ids = _latest(None, HOME_BLOCK_SIZE * 2)
    block_ids = [_latest(column, HOME_BLOCK_SIZE) for column in ordered]
    loaded = {p.pk: p for p in load(latest_ids + [pk for ids in block_ids for pk in ids])}
    latest = [loaded[pk] for pk in latest_ids if pk in loaded]
    featured = [{"column": column, "entries": [loaded[pk] for pk in ids if pk in loaded]}
                for column, ids in zip(ordered, block_ids)]
    return _render(request, "portal/home.html", {"latest": latest, "blocks": featured})


def _column_or_404(request, slug) -> Column:
    column = _site(request).by_slug.get(slug)
    if column is None:
        raise Http404("栏目不存在")
    return column


@login_not_required
@require_GET
def column(request, slug):
    site = _site(request)
    try:
        column = _column_or_404(request, slug)
    except Http404:
        return _render(request, "portal/not_found.html", status=404)
    page = _page(request, live_ids(column))
    return _render(request, "portal/column.html", {
        "column": column, "page": page, "children": site.children.get(column.pk, []),
        "breadcrumbs": site.breadcrumbs(column), "page_query": _page_query(request),
        "feed_url": reverse("public_column_feed", args=[column.slug]),
    }, current=site.top_of(column))


def _public_item(item_id):
    """(item, live website publications of its live revision) or raises Http404; withdrawn items return (item, None)."""
    item = (Item.objects.select_related("live_revision", "unit").filter(pk=item_id).first())
    if item is None or item.live_revision_id is None:
        raise Http404("信息不存在")
    publications = list(Publication.objects.filter(item=item, revision_id=item.live_revision_id,
                                                   status=PublicationStatus.LIVE, column__isnull=False)
                        .select_related("column").order_by("column__position", "id"))
    if item.state == ItemState.WITHDRAWN or not publications:
        # 410 only for what the website once showed and took down (also while a withdrawn item is being fixed
        # for republication); an item that was only on new media stays unknown here.
        latest = Publication.objects.filter(item=item, column__isnull=False).order_by("-id").values_list(
            "status", flat=True).first()
        if latest == PublicationStatus.WITHDRAWN:
            return item, None
        raise Http404("信息不存在")
    return item, publications


@login_not_required
@require_GET
def article(request, item_id):
    try:
        item, publications = _public_item(item_id)
    except Http404:
        return _render(request, "portal/not_found.html", status=404)
    if publications is None:
        return _render(request, "portal/withdrawn.html", {"item": item}, status=410)
    revision = item.live_revision
    first = (Publication.objects.filter(item=item, column__isnull=False, live_at__isnull=False)
             .aggregate(first=Min("live_at"))["first"])
    updated = publications[0].live_at
    return _article_page(request, item, revision, [p.column for p in publications], public_body(item, revision),
                         first_published=first or updated,
                         updated=updated if first and updated and updated > first else None)


def _article_page(request, item, revision, columns, body_html, **extra):
    """A revision's article page in these columns (the first gives the breadcrumbs and the site's section)."""
    site = _site(request)
    column = site.by_id.get(columns[0].pk, columns[0]) if columns else None
    top = site.top_of(column) if column else None
    source = revision.source_name if revision.source_kind == "reprint" else (revision.issuing_org or item.unit.name)
    return _render(request, "portal/article.html", {
        "item": item, "revision": revision, "column": column, "columns": columns,
        "breadcrumbs": site.breadcrumbs(column) if column else [], "source": source,
        "attachments": revision.attachments.exclude(kind=Attachment.Kind.SOURCE_DOCX), "body_html": body_html,
        "is_directory_item": top is not None and top.name == DIRECTORY_ROOT_NAME, **extra,
    }, current=top)


def preview(request, item, revision):
    """A revision as its article page would show it, before anyone publishes it (staff only, never cached,
    never indexed). The body keeps its staff file links, which the signed-in viewer can open."""
    columns = [t.column for t in resolve_targets(revision.targets) if t.column is not None]
    response = _article_page(request, item, revision, columns,
                             mark_safe(scrollable_tables(revision.body_html)),  # sanitised on save, like every body
                             preview=True, first_published=timezone.now())
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- the files of what is online ----------------------------------------------------------------

# The staff download URL a body refers to an uploaded file by (with or without the /staff prefix).
STAFF_FILE = re.compile(rf"^(?:/staff)?{ATTACHMENT_SRC.pattern}$")
FILE_LINK = re.compile(r'(<a\b[^>]*?\bhref=")([^"]*)(")', re.I)
IMAGE_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif"}
# Short: a withdrawn or superseded image must drop out of caches soon; the URL names the bytes, so a cached
# copy is never stale while it lasts.
PUBLIC_FILE_MAX_AGE = 300


def live_files(revision) -> dict[int, Attachment]:
    """What the live revision publishes: its attachments (never the Word original) and its cover."""
    files = {a.pk: a for a in revision.attachments.exclude(kind=Attachment.Kind.SOURCE_DOCX)}
    if revision.cover_id and revision.cover_id not in files:
        files[revision.cover_id] = revision.cover
    return files


def public_file_url(item_id: int, file: Attachment, copy: Rendition | None = None) -> str:
    """An image's (or one of its copies') public URL; it names the bytes (digest prefix), so caches may keep it
    while it is live."""
    shown = copy or file
    return reverse("public_file", kwargs={"item_id": item_id, "attachment_id": file.pk,
                                          "digest": shown.sha256[:16], "ext": IMAGE_EXTENSIONS[shown.content_type]})


# The column an article's body fills at most (portal.css .page): a phone takes the narrow copy.
BODY_IMAGE_SIZES = "(max-width: 48rem) 100vw, 48rem"
WEB_MAX_WIDTH = 1280


def _picture(item_id: int, file: Attachment, copies: list[Rendition], rest: str) -> str:
    """An <img> that loads the copy that fits the screen, lazily, with its space reserved; the full-size upload
    is shown only when it is no larger than the largest copy."""
    candidates = list(copies)
    if file.width and file.width <= WEB_MAX_WIDTH:
        candidates.append(file)
    if not candidates or not file.width:  # stored before sizes were recorded: the upload as it is
        return f'<img src="{public_file_url(item_id, file)}"{rest} loading="lazy">'
    largest = max(candidates, key=lambda c: c.width)
    urls = [(public_file_url(item_id, file, None if c is file else c), c.width) for c in candidates]
    srcset = ", ".join(f"{url} {width}w" for url, width in sorted(urls, key=lambda u: u[1]))
    return (f'<img src="{urls[candidates.index(largest)][0]}" srcset="{srcset}" sizes="{BODY_IMAGE_SIZES}" '
            f'width="{largest.width}" height="{largest.height}"{rest} loading="lazy" decoding="async">')


def public_body(item, revision) -> str:
    """The approved body with its links to uploaded files (staff URLs, which send visitors to the login page)
    pointed at the public ones, its images at their web copies. Only markup changes; a file the revision does
    not carry is left as it is."""
    files = live_files(revision)
    copies: dict[int, list[Rendition]] = {}
    for copy in Rendition.objects.filter(attachment_id__in=list(files), use=Rendition.Use.WEB):
        copies.setdefault(copy.attachment_id, []).append(copy)

    def image(match):
        tag = match.group(0)
        src = SRC.search(tag)
        staff = STAFF_FILE.match(src.group(1)) if src else None
        file = files.get(int(staff.group(1))) if staff else None
        if file is None or file.content_type not in IMAGE_EXTENSIONS:
            return tag
        # what the editor wrote besides the source and size (alt, title), already sanitised
        rest = "".join(f" {m.group(0)}" for m in re.finditer(r'\b(?:alt|title)="[^"]*"', tag))
        return _picture(item.pk, file, copies.get(file.pk, []), rest)

    def public(match):
        staff = STAFF_FILE.match(match.group(2))
        file = files.get(int(staff.group(1))) if staff else None
        if file is None:
            return match.group(0)
        return f"{match.group(1)}{reverse('public_attachment', args=[item.pk, file.pk])}{match.group(3)}"

    return mark_safe(scrollable_tables(FILE_LINK.sub(public, IMG_TAG.sub(image, revision.body_html or ""))))


# The sanitiser lets <table> through without attributes, so every table of a body is written exactly so.
BODY_TABLE_OPEN = '<div class="body-table" role="region" tabindex="0" aria-label="表格（可左右滑动查看）"><table>'


def scrollable_tables(body: str) -> str:
    """Each body table in a box of its own that scrolls sideways on a phone (portal.css), reachable by keyboard
    as a scrolling region must be: a pasted Word table is often wider than 390 px."""
    return body.replace("<table>", BODY_TABLE_OPEN).replace("</table>", "</table></div>")


def _live_file(item, attachment_id) -> Attachment | None:
    return live_files(item.live_revision).get(attachment_id)


@login_not_required
@require_GET
def public_file(request, item_id, attachment_id, digest, ext):
    """An image of the live revision of an item online now, shown inline; 404 for anything else — after
    撤稿, once the revision is superseded, for another item's file, or a digest that is not the file's."""
    try:
        item, publications = _public_item(int(item_id))
    except Http404:
        item, publications = None, None
    file = _live_file(item, int(attachment_id)) if publications else None
    if file is not None and file.sha256[:16] != digest:  # one of its web copies, named by their own digest
        file = next((c for c in file.renditions.filter(use=Rendition.Use.WEB) if c.sha256[:16] == digest), None)
    if (file is None or IMAGE_EXTENSIONS.get(file.content_type) != ext
            or not stored_path(file.storage_name).is_file()):
        return _render(request, "portal/not_found.html", status=404)
    etag = f'"{file.sha256}"'
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={PUBLIC_FILE_MAX_AGE}",
               "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox"}
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        response = FileResponse(stored_path(file.storage_name).open("rb"), content_type=file.content_type)
    for name, value in headers.items():
        response[name] = value
    return response


@login_not_required
@require_GET
def attachment(request, item_id, attachment_id):
    """Only files of the live revision of an item that is online now; nothing else is reachable."""
    try:
        item, publications = _public_item(item_id)
    except Http404:
        return _render(request, "portal/not_found.html", status=404)
    if publications is None:
        return _render(request, "portal/withdrawn.html", {"item": item}, status=410)
    file = _live_file(item, attachment_id)
    path = stored_path(file.storage_name) if file else None
    if file is None or not path.is_file():
        return _render(request, "portal/not_found.html", status=404)
    response = FileResponse(path.open("rb"), as_attachment=True, filename=file.name, content_type=file.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


FACETS_CACHE_KEY, FACETS_SECONDS = "portal:directory-facets", 300


def _directory_facets(column_ids) -> tuple[list, list, list]:
    """Filter choices: the distinct 主题分类, 发布机构 and years of the directory's live items. A few hundred
    ms with 30,000 items, so cached; publishing clears the cache (signals), the timeout covers other processes."""
    facets = Publication.objects.filter(status=PublicationStatus.LIVE, column_id__in=column_ids).order_by()
    topics = sorted(t for t in facets.values_list("revision__topic", flat=True).distinct() if t)
    orgs = sorted(o for o in facets.values_list("revision__issuing_org", flat=True).distinct() if o)
    years = sorted({d.year for d in facets.exclude(revision__written_on=None)
                    .values_list("revision__written_on", flat=True).distinct()}, reverse=True)
    return topics, orgs, years


@login_not_required
@require_GET
def directory(request):
    """政府信息公开 directory: items under the 政府信息公开 column tree with their metadata, filterable."""
    site = _site(request)
    root = site.named(DIRECTORY_ROOT_NAME)
    ids = site.subtree_ids(root) if root else []
    qs = listed(root) if root else Listing.objects.none()
    topic, org = request.GET.get("topic", "").strip(), request.GET.get("org", "").strip()
    keyword, year = request.GET.get("q", "").strip()[:50], request.GET.get("year", "").strip()
    sub = request.GET.get("column", "").strip()
    if sub and sub in site.by_slug and site.by_slug[sub].pk in ids:
        qs = listed(site.by_slug[sub])
    if topic:
        qs = qs.filter(publication__revision__topic=topic)
    if org:
        qs = qs.filter(publication__revision__issuing_org=org)
    if year.isdigit() and len(year) == 4:
        y = int(year)
        qs = qs.filter(Q(publication__revision__written_on__year=y)
                       | Q(publication__revision__written_on__isnull=True, published_at__year=y))
    if keyword:
        qs = qs.filter(Q(publication__revision__title__icontains=keyword)
                       | Q(publication__revision__doc_no__icontains=keyword)
                       | Q(publication__revision__index_no__icontains=keyword))
    topics, orgs, years = cache.get_or_set(FACETS_CACHE_KEY, lambda: _directory_facets(ids), FACETS_SECONDS)
    return _render(request, "portal/directory.html", {
        "root": root, "page": _page(request, qs.values_list("publication_id", flat=True)),
        "topics": topics, "orgs": orgs, "years": years,
        "subcolumns": site.children.get(root.pk, []) if root else [],
        "filters": {"topic": topic, "org": org, "year": year, "q": keyword, "column": sub},
        "page_query": _page_query(request),
    }, current=root)


@login_not_required
@require_GET
def search(request):
    results = search_module.search(request.GET.get("q", ""), request.GET.get("page", 1))
    return _render(request, "portal/search.html", {
        "results": results, "page_query": _page_query(request),
    })


@login_not_required
@require_GET
def display(request):
    """适老化 switches: plain links that set a cookie and return to the page; no JavaScript needed."""
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = "/"
    response = HttpResponseRedirect(target)
    for param, cookie in (("large", LARGE_COOKIE), ("contrast", CONTRAST_COOKIE)):
        value = request.GET.get(param)
        if value == "1":
            response.set_cookie(cookie, "1", max_age=365 * 86400, samesite="Lax", httponly=True)
        elif value == "0":
            response.delete_cookie(cookie, samesite="Lax")
    return response


# --- feeds and sitemap --------------------------------------------------------------------------

class ColumnFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "zh-cn"

    def get_object(self, request, slug):
        self.request_site = Site()
        column = self.request_site.by_slug.get(slug)
        if column is None:
            raise Http404("栏目不存在")
        return column

    def title(self, column):
        return f"{column.name} - {self.request_site.name}"

    def link(self, column):
        return reverse("public_column", args=[column.slug])

    def description(self, column):
        return f"{self.request_site.name}网站“{column.name}”栏目最新信息"

    def items(self, column):
        return load(_latest(column, 20))

    def item_title(self, publication):
        return publication.revision.title

    def item_description(self, publication):
        return publication.revision.summary or publication.revision.title

    def item_link(self, publication):
        return reverse("public_article", args=[publication.item_id])

    def item_guid(self, publication):
        return self.item_link(publication)

    def item_pubdate(self, publication):
        return publication.published_at

    def item_categories(self, publication):
        return [publication.column.name]


class SiteFeed(ColumnFeed):
    """The whole site's newest entries (every active column), advertised on the home page."""

    def get_object(self, request):
        self.request_site = Site()
        return None

    def title(self, obj):
        return f"{self.request_site.name}网站"

    def link(self, obj):
        return reverse("public_home")

    def description(self, obj):
        return f"{self.request_site.name}网站最新信息"

    def items(self, obj):
        return load(_latest(None, 20))


column_feed = login_not_required(ColumnFeed())
site_feed = login_not_required(SiteFeed())


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    limit = 50000

    def items(self):
        return (Publication.objects.filter(status=PublicationStatus.LIVE, column__isnull=False)
                .order_by("item_id").values("item_id").annotate(lastmod=Min("live_at")))

    def location(self, row):
        return reverse("public_article", args=[row["item_id"]])

    def lastmod(self, row):
        return row["lastmod"]

    def get_latest_lastmod(self):
        # One aggregate instead of Django's default of walking every item.
        return (Publication.objects.filter(status=PublicationStatus.LIVE, column__isnull=False)
                .aggregate(latest=Max("live_at"))["latest"])


class PageSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        site = Site()
        pages = [reverse("public_home"), reverse("public_directory")]
        return pages + [reverse("public_column", args=[c.slug]) for c in site.columns]

    def location(self, path):
        return path


SITEMAPS = {"pages": PageSitemap, "articles": ArticleSitemap}


@login_not_required
@require_GET
def sitemap(request):
    """The sitemap index: one sitemap per section, the articles split into files of 50,000."""
    return sitemap_views.index(request, SITEMAPS, template_name="portal/sitemap_index.xml",
                               sitemap_url_name="public_sitemap_section")


@login_not_required
@require_GET
def sitemap_section(request, section):
    return sitemap_views.sitemap(request, SITEMAPS, section=section, template_name="portal/sitemap.xml")


# --- the site's own pictures (网站标识, 横幅, 浏览器图标) ----------------------------------------------

DEFAULT_FAVICON = "govpub/favicon.png"


@login_not_required
@require_GET
def site_image(request, field, digest):
    """A picture of the site identity; the digest in the URL changes with the picture, so it is cached for a year."""
    row = identity.stored()
    data = bytes(getattr(row, field) or b"") if field in identity.IMAGE_FIELDS else b""
    if not data or identity.digest(data) != digest:
        return _render(request, "portal/not_found.html", status=404)
    response = HttpResponse(data, content_type="image/png")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@login_not_required
@require_GET
def favicon(request):
    """/favicon.ico, which browsers ask for on every site: the administrator's icon, else GovPub's."""
    row = identity.stored()
    if row.favicon:
        return redirect("public_site_image", field="favicon", digest=identity.digest(bytes(row.favicon)))
    return redirect(static(DEFAULT_FAVICON))
