"""An ad-hoc content scan of any website, registered as a channel or not (`govpub monitor scan URL`):
every page and same-site attachment through the machine check, the markup checks, and broken links.
Nothing is recorded: the report is printed (fields: docs/operations.md)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from .crawler import crawl
from .monitor import crawl_config, page_scanner
from .pagescan import PageFinding


class UnreadableSite(Exception):
    """The address is not a website that could be read; str() is a Chinese message."""


@dataclass
class SiteScan:
    url: str
    pages: int
    findings: list[PageFinding]

    @property
    def serious(self) -> list[PageFinding]:
        return [f for f in self.findings if f.severity == "serious"]

    def as_json(self) -> dict:
        return {"pages": self.pages, "findings": [
            {key: value for key, value in f.as_dict().items() if key != "location"} for f in self.findings]}


def is_site_address(url: str) -> bool:
    """An http(s) address with a host (what a scan can start from)."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def scan_site(url: str, *, max_pages: int | None = None, allow_private: bool = False, scanner=None) -> SiteScan:
    """Crawl `url` (up to max_pages pages) and check what it shows; raises UnreadableSite when the home
    page cannot be read (or may not be: loopback and intranet addresses need allow_private)."""
    if not is_site_address(url):
        raise UnreadableSite(f"“{url}”不是网站地址，请以 http:// 或 https:// 开头。")
    overrides = {"allow_private": True} if allow_private else {}
    if max_pages:
        overrides["max_pages"] = max_pages
    result = crawl(crawl_config(url, **overrides), scanner=scanner or page_scanner())
    home = result.home
    if home is None or not home.ok:
        reason = (home.error or f"HTTP {home.status}") if home else "无响应"
        raise UnreadableSite(f"无法读取网站首页 {url}：{reason}")
    findings = result.findings()
    for link in result.broken:
        findings.append(PageFinding(
            link.linked_from[0] if link.linked_from else link.url, "broken_link", "不可用链接", "crawl.broken_link",
            "warning", link.url, f"不可用链接（{link.status or link.error}）", "修复或删除该链接"))
    return SiteScan(url, result.page_count, findings)


REPORT_LIMIT = 500  # findings kept in a UI scan's report (the CLI prints all of them)


class SiteScanJob:
    """A supervisor's ad-hoc scan from the UI or the API, as a durable job: one chunk, the whole site.
    params: url, max_pages. Private addresses only as the server's settings allow (never from the request)."""

    label = "临时检查网站"

    @staticmethod
    def plan(params: dict):
        return [({"url": params["url"]}, 1)]

    @staticmethod
    def run(params: dict, payload: dict) -> dict:
        try:
            report = scan_site(payload["url"], max_pages=params.get("max_pages"))
        except UnreadableSite as error:
            return {"error": str(error)}
        found = report.as_json()["findings"]
        return {"pages": report.pages, "serious": len(report.serious), "total": len(found),
                "findings": found[:REPORT_LIMIT]}

    @staticmethod
    def finish(params: dict, results: list[dict]) -> dict:
        [result] = results
        if result.get("error"):
            return {"url": params["url"], "error": result["error"], "summary": result["error"]}
        return {**result, "url": params["url"],
                "summary": f"检查 {params['url']}：{result['pages']} 个页面，严重问题 {result['serious']} 个，"
                           f"其他问题 {result['total'] - result['serious']} 个"}
