"""Monitoring glue: crawl a website channel / look at new-media accounts, then record findings via actions."""

from __future__ import annotations

import datetime as dt
import os
from urllib.parse import urljoin

from django.utils import timezone

from govpub.channels.models import Channel, ChannelKind, ChannelStatus, ContentListEntry

from .crawler import ColumnSpec, CrawlConfig, column_states, crawl
from .reconcile import unexplained_pages

# Where a column's list page lives, relative to the site's URL; the built-in portal's scheme by default.
COLUMN_PATH = os.environ.get("GOVPUB_MONITOR_COLUMN_PATH", "columns/{slug}/")
OFF = {"0", "false", "no", "off"}


def _env_bool(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def running_websites(channel_ids=None):
    """The websites the monitors look at: every running one with a URL, or only these (running_accounts'
    twin for new media, in observe.py)."""
    sites = Channel.objects.filter(kind=ChannelKind.WEBSITE, status=ChannelStatus.RUNNING).exclude(url="")
    return sites.filter(pk__in=channel_ids) if channel_ids else sites


def crawl_config(url: str, **overrides) -> CrawlConfig:
    """Settings from the environment: GOVPUB_MONITOR_ALLOW_PRIVATE (off: never crawl loopback/intranet
    addresses), GOVPUB_MONITOR_CONCURRENCY, GOVPUB_MONITOR_RATE (requests/s per host), GOVPUB_MONITOR_MAX_PAGES,
    GOVPUB_MONITOR_TIMEOUT, GOVPUB_MONITOR_CHECK_EXTERNAL (on: links to other sites are checked too; off
    where the server has no internet)."""
    options = dict(
        start_url=url,
        allow_private=_env_bool("GOVPUB_MONITOR_ALLOW_PRIVATE"),
        concurrency=int(os.environ.get("GOVPUB_MONITOR_CONCURRENCY", "4")),
        rate_per_host=float(os.environ.get("GOVPUB_MONITOR_RATE", "5")),
        max_pages=int(os.environ.get("GOVPUB_MONITOR_MAX_PAGES", "5000")),
        timeout=float(os.environ.get("GOVPUB_MONITOR_TIMEOUT", "15")),
        check_external=os.environ.get("GOVPUB_MONITOR_CHECK_EXTERNAL", "1").strip().lower() not in OFF,
    )
    options.update(overrides)
    return CrawlConfig(**options)


def website_columns(channel: Channel) -> list[ColumnSpec]:
    """Each active column with the shortest update interval its content list promises."""
    intervals: dict[int, int] = {}
    for entry in ContentListEntry.objects.filter(channel=channel, is_active=True, column__isnull=False,
                                                 update_interval_days__isnull=False):
        current = intervals.get(entry.column_id)
        intervals[entry.column_id] = min(current, entry.update_interval_days) if current else entry.update_interval_days
    return [ColumnSpec(column.slug, column.name, urljoin(channel.url, COLUMN_PATH.format(slug=column.slug)),
                       intervals.get(column.pk))
            for column in channel.columns.filter(is_active=True).order_by("position", "id")]


def page_scanner():
    """Every page and same-site attachment through the submissions' machine check (current lexicons)."""
    from urllib.parse import urlsplit

    from django.conf import settings

    from govpub.lexicons.checker import current_checker

    from .pagescan import PageScanner

    return PageScanner(current_checker(), own_sites=[urlsplit(settings.GOVPUB_PUBLIC_BASE_URL).netloc])


def withdrawn_urls(channel: Channel) -> list[str]:
    """Pages GovPub withdrew from this site: the crawl fetches them to see whether they are still online."""
    from govpub.publishing.models import Publication, PublicationStatus

    live = Publication.objects.filter(channel=channel, status=PublicationStatus.LIVE).values("url")
    return list(Publication.objects.filter(channel=channel, status=PublicationStatus.WITHDRAWN)
                .exclude(url="").exclude(url__in=live).order_by("url").values_list("url", flat=True).distinct()[:1000])


def run_website_monitor(channel: Channel, *, acting_user=None, today: dt.date | None = None,
                        content: bool | None = None, **overrides):
    """Crawl one website channel and record what was found; returns the MonitorRun. `content` (default:
    GOVPUB_MONITOR_CONTENT, on): machine-check every page and attachment as well."""
    from . import actions

    if not channel.url:
        raise ValueError(f"渠道“{channel.name}”没有网址，无法监测。")
    if content is None:
        content = os.environ.get("GOVPUB_MONITOR_CONTENT", "1").strip().lower() not in OFF
    columns = website_columns(channel)
    config = crawl_config(channel.url, **overrides)
    config.extra_urls = [c.url for c in columns]
    config.watch_urls = withdrawn_urls(channel)
    started = timezone.now()
    result = crawl(config, scanner=page_scanner() if content else None)
    today = today or timezone.localdate()
    # The built-in portal's pages come from publications; an external site's articles must be explained.
    unexplained = [] if is_builtin_portal(channel) else unexplained_pages(channel, result.pages.values())
    return actions.record_website_monitor(channel, result, column_states(result, columns, today), today=today,
                                          started_at=started, acting_user=acting_user, withdrawn=config.watch_urls,
                                          unexplained=unexplained)


def is_builtin_portal(channel: Channel) -> bool:
    """The website GovPub itself serves (GOVPUB_PUBLIC_BASE_URL): every page on it is a publication."""
    from urllib.parse import urlsplit

    from django.conf import settings

    return urlsplit(channel.url).netloc == urlsplit(settings.GOVPUB_PUBLIC_BASE_URL).netloc


def run_all(*, acting_user=None, allow_private: bool | None = None, channel_ids=None) -> list:
    """Every running website with a URL, then the new-media accounts; one failure does not stop the rest."""
    import logging

    runs = []
    sites = running_websites(channel_ids)
    overrides = {} if allow_private is None else {"allow_private": allow_private}
    for site in sites:
        try:
            runs.append(run_website_monitor(site, acting_user=acting_user, **overrides))
        except Exception:  # a broken site or network must not stop the other checks
            logging.getLogger(__name__).exception("website monitor failed for channel %s", site.pk)
    runs += check_accounts_now(acting_user=acting_user, channel_ids=channel_ids)
    return runs


def check_accounts_now(*, acting_user=None, channel_ids=None) -> list:
    """Read every running account's platform (outside any transaction), then record what was seen."""
    from . import actions
    from .observe import read_accounts, running_accounts

    return actions.check_accounts(acting_user=acting_user, channel_ids=channel_ids,
                                  readings=read_accounts(running_accounts(channel_ids), scanner=page_scanner()))


def probe(channel: Channel, *, allow_private: bool | None = None, timeout: float = 15.0):
    """One availability probe of the home page; not a crawl."""
    import asyncio

    from .crawler import Crawler
    from .models import Probe

    config = crawl_config(channel.url, timeout=timeout, obey_robots=False)
    if allow_private is not None:
        config.allow_private = allow_private

    async def once():
        import httpx

        async with httpx.AsyncClient(timeout=httpx.Timeout(timeout)) as client:
            page, _ = await Crawler(config, client).fetch(channel.url, "GET")
            return page

    page = asyncio.run(once())
    return Probe.objects.create(channel=channel, ok=page.ok and page.elapsed <= timeout, status=page.status,
                                elapsed_ms=int(page.elapsed * 1000), error=page.error[:300])


def probe_all(**kwargs) -> list:
    return [probe(site, **kwargs) for site in running_websites()]


class CrawlJob:
    """The daily crawl as a durable job (govpub.jobs): one chunk per running website, one for the accounts.
    params: channel_ids (only these), allow_private. A re-run chunk crawls again; findings are de-duplicated."""

    label = "网站和政务新媒体监测"

    @staticmethod
    def plan(params: dict):
        sites = running_websites(params.get("channel_ids"))
        return [({"channel": pk}, 1) for pk in sites.order_by("pk").values_list("pk", flat=True)] + [({"accounts": True}, 1)]

    @staticmethod
    def run(params: dict, payload: dict) -> dict:
        if payload.get("accounts"):
            return {"accounts": len(check_accounts_now(channel_ids=params.get("channel_ids") or None))}
        overrides = {} if params.get("allow_private") is None else {"allow_private": params["allow_private"]}
        run = run_website_monitor(Channel.objects.get(pk=payload["channel"]), **overrides)
        return {"channel": payload["channel"], "run": run.pk, "ok": run.ok, "pages": run.pages}

    @staticmethod
    def finish(params: dict, results: list[dict]) -> dict:
        sites = [r for r in results if "channel" in r]
        accounts = sum(r.get("accounts", 0) for r in results)
        down = sum(1 for r in sites if not r["ok"])
        return {"sites": len(sites), "down": down, "pages": sum(r["pages"] or 0 for r in sites), "accounts": accounts,
                "summary": f"监测网站 {len(sites)} 个（无法访问 {down} 个），新媒体账号 {accounts} 个"}


class ProbeJob:
    """Probe every running website's home page now (the same probe the half-hourly schedule makes)."""

    label = "网站可用性探测"

    @staticmethod
    def plan(params: dict):
        return [({"channel": pk}, 1) for pk in running_websites().order_by("pk").values_list("pk", flat=True)]

    @staticmethod
    def run(params: dict, payload: dict) -> dict:
        result = probe(Channel.objects.get(pk=payload["channel"]))
        return {"channel": payload["channel"], "ok": result.ok}

    @staticmethod
    def finish(params: dict, results: list[dict]) -> dict:
        down = sum(1 for r in results if not r["ok"])
        return {"sites": len(results), "down": down, "summary": f"探测网站 {len(results)} 个，无法访问 {down} 个"}


class AccountsJob:
    """Read every running account's platform and reconcile its posts now (without crawling the websites)."""

    label = "政务新媒体账号核查"

    @staticmethod
    def plan(params: dict):
        return [({"accounts": True}, 1)]

    @staticmethod
    def run(params: dict, payload: dict) -> dict:
        return {"accounts": len(check_accounts_now())}

    @staticmethod
    def finish(params: dict, results: list[dict]) -> dict:
        accounts = sum(r["accounts"] for r in results)
        return {"accounts": accounts, "summary": f"核查政务新媒体账号 {accounts} 个"}
