"""A polite asynchronous website checker (httpx): broken links, slow pages, dates on the home page and columns.

Pure asyncio + httpx, no Django: the monitor task turns a CrawlResult into findings. Politeness: robots.txt
(and its Crawl-delay), a global concurrency limit, a per-host rate limit, timeouts, a page cap, and no
requests to loopback/private addresses unless explicitly allowed (SSRF: staff may enter any URL)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import socket
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from govpub.ops import netguard

# httpx logs every request at INFO; a crawl of thousands of pages would flood the service log.
logging.getLogger("httpx").setLevel(logging.WARNING)

USER_AGENT = "GovPubMonitor/1.0 (government website monitoring)"
HTML_SUFFIXES = ("", ".html", ".htm", ".shtml", ".php", ".jsp", ".asp", ".aspx")
DOCUMENT_SUFFIXES = (".docx", ".xlsx", ".pdf", ".txt")  # attachments the content scanner reads
REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5
DATE_RE = re.compile(r"(20\d\d|19\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
# The date an article page says it was published (发布时间：2026-11-03): list pages show many dates, an
# article one such label; the monitor uses it to tell articles from navigation.
PUBLISHED_RE = re.compile(r"(?:发布|发文|成文)?(?:时间|日期)\s*[:：]\s*(20\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
TAG_RE = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", re.S | re.I)


@dataclass
class CrawlConfig:
    start_url: str
    extra_urls: list[str] = field(default_factory=list)  # column pages to visit even if nothing links them
    watch_urls: list[str] = field(default_factory=list)  # fetched to see whether they are online (not broken if gone)
    max_pages: int = 5000
    concurrency: int = 8
    rate_per_host: float = 10.0  # requests per second per host; 0 = unlimited
    timeout: float = 15.0
    slow_seconds: float = 3.0
    allow_private: bool = False
    check_external: bool = True
    obey_robots: bool = True
    max_bytes: int = 5 * 1024 * 1024
    user_agent: str = USER_AGENT


@dataclass
class Page:
    url: str
    status: int | None
    elapsed: float
    error: str = ""
    is_html: bool = False
    dates: list[dt.date] = field(default_factory=list)
    published: dt.date | None = None  # the page's own 发布时间 label, when it has one (an article)
    findings: list = field(default_factory=list)  # from the content scanner, when the crawl has one

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 400

    def latest_date(self, today: dt.date) -> dt.date | None:
        past = [d for d in self.dates if d <= today]
        return max(past) if past else None


@dataclass
class BrokenLink:
    url: str
    status: int | None
    error: str
    linked_from: list[str]
    on_home: bool


@dataclass
class CrawlResult:
    start_url: str
    home: Page | None
    pages: dict[str, Page]
    checked: dict[str, Page]
    broken: list[BrokenLink]
    slow: list[Page]
    blocked_by_robots: int
    refused: list[str]
    seconds: float

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def findings(self) -> list:
        """Every page's and attachment's scanner findings, in URL order."""
        return [f for _, page in sorted({**self.checked, **self.pages}.items()) for f in page.findings]


class _Links(HTMLParser):
    ATTRS = {"a": "href", "area": "href", "iframe": "src", "frame": "src", "img": "src", "script": "src",
             "link": "href", "embed": "src", "source": "src"}
    NAVIGABLE = {"a", "area", "iframe", "frame"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, bool]] = []
        self.base: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "base":
            self.base = dict(attrs).get("href") or self.base
            return
        name = self.ATTRS.get(tag)
        if name:
            value = dict(attrs).get(name)
            if value:
                self.links.append((value.strip(), tag in self.NAVIGABLE))


def extract(html: str, page_url: str) -> tuple[list[tuple[str, bool]], list[dt.date], dt.date | None]:
    """(absolute link, navigable) pairs, the calendar dates shown in the page's text, and the date its
    发布时间/发布日期 label gives (None when it has none)."""
    parser = _Links()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # malformed markup: keep what was parsed
        pass
    base = urljoin(page_url, parser.base) if parser.base else page_url
    links = []
    for raw, navigable in parser.links:
        if raw.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        absolute = urldefrag(urljoin(base, raw)).url
        if absolute.startswith(("http://", "https://")):
            links.append((absolute, navigable))
    text = TAG_RE.sub(" ", html)
    label = PUBLISHED_RE.search(text)
    published = _dates([label.groups()]) if label else []
    return links, _dates(DATE_RE.findall(text)), published[0] if published else None


def _dates(found) -> list[dt.date]:
    dates = []
    for y, m, d in found:
        try:
            dates.append(dt.date(int(y), int(m), int(d)))
        except ValueError:
            pass
    return dates


def _is_document(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(DOCUMENT_SUFFIXES)


def _looks_like_page(url: str) -> bool:
    path = urlsplit(url).path
    last = path.rsplit("/", 1)[-1]
    suffix = ("." + last.rsplit(".", 1)[-1].lower()) if "." in last else ""
    return suffix in HTML_SUFFIXES


class _RateLimiter:
    def __init__(self, per_second: float):
        self.interval = 1.0 / per_second if per_second else 0.0
        self.next_at = 0.0
        self.lock = asyncio.Lock()

    async def wait(self):
        if not self.interval:
            return
        async with self.lock:
            now = time.monotonic()
            delay = self.next_at - now
            self.next_at = max(now, self.next_at) + self.interval
        if delay > 0:
            await asyncio.sleep(delay)


class Crawler:
    """`scanner` (optional, e.g. supervision.pagescan.PageScanner): `page(url, html)` and `document(url, bytes)`
    return each page's and same-site attachment's findings, kept on its Page."""

    def __init__(self, config: CrawlConfig, client: httpx.AsyncClient | None = None, scanner=None):
        self.config = config
        self.client = client
        self.scanner = scanner
        self.semaphore = asyncio.Semaphore(config.concurrency)
        self.limiters: dict[str, _RateLimiter] = {}
        self.host_ok: dict[tuple[str, int | None], bool] = {}
        self.robots: dict[str, RobotFileParser | None] = {}
        self.refused: list[str] = []
        start = urlsplit(config.start_url)
        self.origin = (start.scheme, start.netloc.lower())

    def _internal(self, url: str) -> bool:
        parts = urlsplit(url)
        return (parts.scheme, parts.netloc.lower()) == self.origin

    async def _allowed_host(self, host: str, port: int | None = None) -> bool:
        """The SSRF policy of govpub.ops.netguard (GOVPUB_ALLOW_PRIVATE_HOSTS), resolved without blocking the loop."""
        if self.config.allow_private:
            return True
        if (host, port) not in self.host_ok:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
                netguard.check_addresses(host, [netguard.address_of(i[4][0]) for i in infos], port)
                self.host_ok[host, port] = bool(infos)
            except netguard.BlockedAddress:
                self.host_ok[host, port] = False
            except (OSError, ValueError, UnicodeError):
                self.host_ok[host, port] = True  # unresolvable: the request itself will fail and be reported
        return self.host_ok[host, port]

    def _limiter(self, netloc: str) -> _RateLimiter:
        if netloc not in self.limiters:
            rate = self.config.rate_per_host
            robots = self.robots.get(netloc)
            delay = robots.crawl_delay(self.config.user_agent) if robots else None
            if delay:
                rate = min(rate, 1.0 / float(delay)) if rate else 1.0 / float(delay)
            self.limiters[netloc] = _RateLimiter(rate)
        return self.limiters[netloc]

    async def _request(self, method: str, url: str) -> httpx.Response:
        """GET and HEAD are safe to repeat: a kept-alive connection the server closed as the request went
        out (RemoteProtocolError, ReadError, WriteError: no response at all) is tried once more on a fresh
        one — otherwise a busy site shows pages that answer fine as broken links."""
        headers = {"User-Agent": self.config.user_agent}
        try:
            return await self.client.request(method, url, headers=headers)
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
            return await self.client.request(method, url, headers=headers)

    async def fetch(self, url: str, method: str = "GET", *, want_text: bool = False,
                    want_bytes: bool = False) -> tuple[Page, str | bytes]:
        """One URL, following redirects by hand so that every hop is checked against the address policy.
        The body comes back as text for HTML (or want_text), as bytes with want_bytes, within max_bytes."""
        started = time.monotonic()
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            parts = urlsplit(current)
            try:
                port = parts.port or netguard.default_port(parts.scheme)
            except ValueError:
                port = None
            if not await self._allowed_host(parts.hostname or "", port):
                self.refused.append(current)
                return Page(url, None, 0.0, "目标为内网或本机地址，未检查"), ""
            await self._limiter(parts.netloc.lower()).wait()
            async with self.semaphore:
                try:
                    response = await self._request(method, current)
                except httpx.TimeoutException:
                    return Page(url, None, time.monotonic() - started, f"超时（{self.config.timeout:g} 秒）"), ""
                except httpx.HTTPError as error:
                    return Page(url, None, time.monotonic() - started, f"连接失败：{type(error).__name__}"), ""
            if response.status_code in REDIRECTS and response.headers.get("location"):
                current = urljoin(current, response.headers["location"])
                continue
            elapsed = time.monotonic() - started
            kind = response.headers.get("content-type", "").lower()
            is_html = "html" in kind
            body: str | bytes = ""
            if method == "GET" and len(response.content) <= self.config.max_bytes:
                if want_bytes:
                    body = response.content
                elif is_html or want_text:
                    body = response.text
            return Page(url, response.status_code, elapsed, "", is_html), body
        return Page(url, None, time.monotonic() - started, "重定向次数过多"), ""

    async def _load_robots(self, netloc: str, scheme: str):
        if netloc in self.robots:
            return
        self.robots[netloc] = None
        if not self.config.obey_robots:
            return
        page, text = await self.fetch(f"{scheme}://{netloc}/robots.txt", "GET", want_text=True)
        if page.status == 200:
            parser = RobotFileParser()
            parser.parse(text.splitlines())
            self.robots[netloc] = parser
            self.limiters.pop(netloc, None)

    def _robots_allow(self, url: str) -> bool:
        parser = self.robots.get(urlsplit(url).netloc.lower())
        return parser is None or parser.can_fetch(self.config.user_agent, url)

    async def run(self) -> CrawlResult:
        config = self.config
        own_client = self.client is None
        if own_client:
            self.client = httpx.AsyncClient(timeout=httpx.Timeout(config.timeout), follow_redirects=False,
                                            limits=httpx.Limits(max_connections=config.concurrency * 2))
        began = time.monotonic()
        try:
            start = urlsplit(config.start_url)
            await self._load_robots(start.netloc.lower(), start.scheme)
            return await self._crawl(began)
        finally:
            if own_client:
                await self.client.aclose()

    async def _crawl(self, began: float) -> CrawlResult:
        config = self.config
        pages: dict[str, Page] = {}
        checked: dict[str, Page] = {}
        sources: dict[str, list[str]] = {}
        from_home: set[str] = set()
        seen: set[str] = set()
        blocked = 0
        budget = [config.max_pages]  # pages still allowed to be fetched
        queue: asyncio.Queue = asyncio.Queue()
        home_url = urldefrag(config.start_url).url

        def enqueue(url: str, as_page: bool):
            nonlocal blocked
            if url in seen:
                return
            if self._internal(url) and not self._robots_allow(url):
                seen.add(url)
                blocked += 1
                return
            if as_page and self._internal(url) and _looks_like_page(url):
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            seen.add(url)
            queue.put_nowait((url, as_page))

        for url in [home_url, *config.extra_urls, *config.watch_urls]:
            enqueue(urldefrag(url).url, True)

        async def work():
            while True:
                url, as_page = await queue.get()
                try:
                    if as_page and self._internal(url) and _looks_like_page(url):
                        page, text = await self.fetch(url, "GET")
                        pages[url] = page
                        if text and page.ok:
                            links, page.dates, page.published = extract(text, url)
                            if self.scanner is not None:  # an archived article is read on its own date
                                page.findings = self.scanner.page(url, text, as_of=page.published)
                            for link, navigable in links:
                                if url == home_url:
                                    from_home.add(link)
                                sources.setdefault(link, [])
                                if len(sources[link]) < 5 and url not in sources[link]:
                                    sources[link].append(url)
                                internal = self._internal(link)
                                if not internal and not config.check_external:
                                    continue
                                enqueue(link, navigable and internal)
                    elif self.scanner is not None and self._internal(url) and _is_document(url):
                        page, data = await self.fetch(url, "GET", want_bytes=True)
                        if data and page.ok:
                            page.findings = self.scanner.document(url, data)
                        checked[url] = page
                    else:
                        page, _ = await self.fetch(url, "HEAD")
                        if page.status in (405, 501) or (page.status == 403 and not self._internal(url)):
                            page, _ = await self.fetch(url, "GET")  # servers that refuse HEAD
                        checked[url] = page
                finally:
                    queue.task_done()

        workers = [asyncio.create_task(work()) for _ in range(max(1, config.concurrency))]
        try:
            await queue.join()
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)

        broken = []
        for url, page in list(pages.items()) + list(checked.items()):
            if page.ok or page.error.startswith("目标为内网"):
                continue
            linked_from = sources.get(url, [])
            if not linked_from and url != home_url and url not in config.extra_urls:
                continue
            broken.append(BrokenLink(url, page.status, page.error, linked_from, url in from_home))
        broken.sort(key=lambda b: b.url)
        slow = sorted((p for p in pages.values() if p.ok and p.elapsed > config.slow_seconds), key=lambda p: p.url)
        return CrawlResult(config.start_url, pages.get(home_url), pages, checked, broken, slow, blocked,
                           self.refused, time.monotonic() - began)


def crawl(config: CrawlConfig, scanner=None) -> CrawlResult:
    return asyncio.run(Crawler(config, scanner=scanner).run())


@dataclass
class ColumnSpec:
    key: str
    name: str
    url: str
    interval_days: int | None


@dataclass
class ColumnState:
    spec: ColumnSpec
    reachable: bool
    latest: dt.date | None
    entries: int

    def days_since(self, today: dt.date) -> int | None:
        return (today - self.latest).days if self.latest else None

    @property
    def empty(self) -> bool:
        return self.reachable and self.entries == 0

    def stale(self, today: dt.date) -> bool:
        days = self.days_since(today)
        return (self.spec.interval_days is not None and days is not None and days > self.spec.interval_days)


def column_states(result: CrawlResult, columns: list[ColumnSpec], today: dt.date) -> list[ColumnState]:
    """How each column's page looks: a column is empty when its page lists nothing with a date."""
    states = []
    for spec in columns:
        page = result.pages.get(urldefrag(spec.url).url)
        if page is None or not page.ok:
            states.append(ColumnState(spec, False, None, 0))
            continue
        dated = [d for d in page.dates if d <= today]
        states.append(ColumnState(spec, True, max(dated) if dated else None, len(dated)))
    return states
