"""One fetched page or attachment → what is wrong with it: the same machine check as a submission (every
category, the statistical typo stage included) on the page's visible text, plus what only the markup shows
(govpub.supervision.markup). Offsets index the visible text (or the attachment's extracted text).

The crawler calls a PageScanner for every page and document of the site it crawls; it runs in the crawl's
event loop, so a page is checked as soon as it arrives and only its findings are kept, not its HTML."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from urllib.parse import urljoin, urlsplit

from govpub.textcheck.findings import CATEGORY_LABELS

from . import markup

SEVERITY = {"block": "serious", "warn": "warning", "info": "info"}
CRAWL_CATEGORY = {"hidden_link": "暗链", "injected_code": "挂马迹象"}
# Written for a submission's author; on a crawled site every partner link in every footer would repeat
# them, and the markup check judges foreign hosts instead. Dates likewise: a site's lists and 发布时间 labels
# show dates in the site's own template format (2026-12-05, 12月05日); GB/T 9704's form is for the 公文 itself.
PAGE_SKIPPED_RULES = {"link.external", "wording.date_format"}


@dataclass(frozen=True)
class PageFinding:
    url: str
    kind: str        # page_content | hidden_link | injected_code (MonitorKind codes)
    category: str    # Chinese label
    rule: str
    severity: str    # serious | warning | info
    text: str
    message: str
    suggestion: str = ""
    start: int | None = None
    end: int | None = None
    location: str = ""

    @property
    def key(self) -> str:
        """Same URL + rule + text is the same finding in the next run."""
        return f"{self.url}|{self.rule}|{self.text}"[:500]

    def as_dict(self) -> dict:
        return asdict(self)


def _trusted_hosts() -> tuple[str, ...]:
    return tuple(h.strip().lower() for h in os.environ.get("GOVPUB_MONITOR_TRUSTED_HOSTS", "").split(",") if h.strip())


class PageScanner:
    """`checker`: a textcheck Checker (govpub.lexicons.checker.current_checker() in GovPub); `own_sites`:
    netlocs whose links are the district's own (GovPub's portal, which every 阅读原文 link points at)."""

    def __init__(self, checker, *, trusted_hosts=None, own_sites=()):
        self.checker = checker
        self.trusted_hosts = _trusted_hosts() if trusted_hosts is None else tuple(trusted_hosts)
        self.own_sites = {s.lower() for s in own_sites}

    def page(self, url: str, html: str, *, as_of=None) -> list[PageFinding]:
        """`as_of`: the page's own 发布时间, so an old article naming the office holders of its day is not a
        finding; None reads it as of today."""
        result = self.checker.check_html(html, as_of=as_of)
        out = [f for f in (self._from_text(url, finding) for finding in result.findings) if f]
        for seen in markup.inspect(html, url, trusted_hosts=self.trusted_hosts):
            out.append(PageFinding(url, seen.kind, CRAWL_CATEGORY[seen.kind], seen.rule, "serious", seen.text,
                                   seen.message, "核实后立即删除，并排查网站是否被入侵" if seen.kind == "injected_code"
                                   else "核实后立即删除隐藏链接，并排查网站是否被入侵"))
        return out

    def post(self, url: str, title: str, text: str) -> list[PageFinding]:
        """A new-media post as the platform shows it (title and plain text); offsets index title + newline + text."""
        result = self.checker.check_text(f"{title}\n{text}" if title else text)
        return [f for f in (self._from_text(url, finding) for finding in result) if f]

    def document(self, url: str, data: bytes) -> list[PageFinding]:
        from govpub.textcheck.extract import ExtractionError

        name = urlsplit(url).path.rsplit("/", 1)[-1] or "attachment"
        try:
            result = self.checker.check_file(name, data=data, name=name)
        except ExtractionError as error:
            return [PageFinding(url, "page_content", "附件", "crawl.unreadable_attachment", "info", name,
                                f"附件无法读取，未能检查：{error}")]
        return [f for f in (self._from_text(url, finding) for finding in result.findings) if f]

    def _from_text(self, url: str, f) -> PageFinding | None:
        if f.rule in PAGE_SKIPPED_RULES:
            return None
        if f.category == "link":
            raw = f.location.split("=", 1)[1].split("；")[0] if f.location and "=" in f.location else f.text
            netloc = urlsplit(urljoin(url, raw)).netloc.lower()
            if netloc == urlsplit(url).netloc.lower() or netloc in self.own_sites:
                return None  # the site's (or GovPub's) own links: the crawler reports them when broken
        return PageFinding(url, "page_content", CATEGORY_LABELS.get(f.category, f.category), f.rule,
                           SEVERITY.get(f.severity, "info"), f.text[:200], f.message, f.suggestion or "",
                           f.start, f.end, f.location or "")
