"""Recording what the monitors saw (website crawls, silent accounts, archive rescans) as runs and
de-duplicated findings; the actions here are run by system tasks, not by people."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govpub.audit import log as audit
from govpub.channels.models import Channel
from govpub.notifications.notify import notify

from .. import policy

WEBSITE_KINDS = ("broken_link", "slow_page", "home_stale", "column_stale", "column_empty")
# Per page: the content scan's findings, withdrawn pages still online, and articles no publication explains.
PAGE_KINDS = ("page_content", "hidden_link", "injected_code", "withdrawn_online", "unexplained_page")


def _home_max_days(config: dict, kind: str = "website", code: str = "home_not_updated", default: int = 14) -> int:
    entry = next((v for v in config.get(kind, {}).get("veto", []) if v.get("code") == code), {})
    return int(entry.get("max_days", default))


def _upsert_findings(channel, current: dict, kinds, now, *, resolve_missing=True, covered=None, created=None) -> dict:
    """De-duplicate across runs: an open finding with the same (kind, key) is seen again, not created anew;
    open findings of these kinds that were not seen this time are resolved (only those `covered` says this
    run looked at, when given). New rows are appended to `created` when given (to notify about them)."""
    from ..models import MonitorFinding

    counts = {"new": 0, "again": 0, "resolved": 0}
    open_findings = {(f.kind, f.key): f for f in
                     MonitorFinding.objects.select_for_update().filter(channel=channel, kind__in=kinds,
                                                                       resolved_at__isnull=True)}
    for (kind, key), finding in open_findings.items():
        if (kind, key) in current:
            data = current.pop((kind, key))
            finding.last_seen, finding.seen_count = now, finding.seen_count + 1
            finding.message, finding.url = data["message"][:300], data.get("url", "")[:1000]
            finding.evidence = {**data.get("evidence", {}), "days_open": (now - finding.first_seen).days}
            finding.save(update_fields=["last_seen", "seen_count", "message", "url", "evidence"])
            counts["again"] += 1
        elif resolve_missing and (covered is None or covered(finding)):
            finding.resolved_at = now
            finding.save(update_fields=["resolved_at"])
            counts["resolved"] += 1
    for (kind, key), data in current.items():
        finding = MonitorFinding.objects.create(
            channel=channel, kind=kind, key=key[:500], url=data.get("url", "")[:1000], column=data.get("column"),
            message=data["message"][:300], evidence={**data.get("evidence", {}), "days_open": 0},
            first_seen=now, last_seen=now)
        if created is not None:
            created.append(finding)
        counts["new"] += 1
    return counts


def _content_findings(findings) -> dict:
    """Machine-check findings on pages or posts (serious and warnings), keyed by URL + rule + text."""
    current = {}
    for f in findings:
        if f.severity == "info":
            continue
        current[(f.kind, f.key)] = {
            "url": f.url, "message": f"{f.category}：{f.message}",
            "evidence": {"text": f.text, "rule": f.rule, "severity": f.severity, "category": f.category,
                         "start": f.start, "end": f.end, "suggestion": f.suggestion, "location": f.location}}
    return current


def _page_findings(result, withdrawn, unexplained=()) -> dict:
    """The content scan's findings, withdrawn pages still online and 来源不明 articles, per page."""
    current = _content_findings(result.findings())
    for page in unexplained:
        current[("unexplained_page", page.url)] = {
            "url": page.url, "message": f"来源不明：发布时间为 {page.published:%Y-%m-%d} 的网页没有对应的发布记录",
            "evidence": {"published": page.published.isoformat(), "severity": "info"}}
    for url in withdrawn:
        page = result.pages.get(url)
        if page is not None and page.ok:
            current[("withdrawn_online", url)] = {"url": url, "message": "已撤下的信息仍可在网站上访问",
                                                  "evidence": {"status": page.status}}
    return current


@transaction.atomic(durable=True)
def record_website_monitor(channel: Channel, result, columns, *, today: dt.date, started_at=None,
                           acting_user=None, withdrawn=(), unexplained=()):
    """Turn one crawl into a MonitorRun, an availability probe and de-duplicated findings; `withdrawn`:
    the URLs of publications GovPub withdrew from this site (fetched by the crawl); `unexplained`: the
    crawled article pages no publication explains (reconcile.unexplained_pages)."""
    from ..indicators import current_version
    from ..models import MonitorRun, Probe

    policy.require(policy.can_run_system_task(acting_user))
    now = timezone.now()
    home = result.home
    timeout = 15.0
    Probe.objects.create(channel=channel, at=now, ok=bool(home and home.ok and home.elapsed <= timeout),
                         status=getattr(home, "status", None),
                         elapsed_ms=int(home.elapsed * 1000) if home else None,
                         error=(home.error if home else "未能访问首页")[:300])
    run = MonitorRun(channel=channel, started_at=started_at or now, finished_at=now, url=result.start_url,
                     pages=result.page_count, links_checked=len(result.pages) + len(result.checked))
    if home is None or not home.ok:
        # Nothing trustworthy was seen: keep earlier findings as they are, record the outage.
        run.ok = False
        run.summary = {"error": home.error if home else "未能访问首页", "status": getattr(home, "status", None)}
        run.save()
        counts = _upsert_findings(channel, {("unreachable", "home"): {
            "message": f"首页无法访问（{home.status or home.error if home else '无响应'}）", "url": result.start_url,
            "evidence": {"status": getattr(home, "status", None), "error": getattr(home, "error", "")}}},
            ("unreachable",), now, resolve_missing=False)
        audit.record("monitor.website", actor=acting_user, obj=run, unit=channel.operator_unit_id,
                     details={"ok": False, **run.summary, **counts})
        return run
    _upsert_findings(channel, {}, ("unreachable",), now)  # reachable again

    config = current_version().config
    home_limit = _home_max_days(config)
    home_latest = home.latest_date(today)
    run.home_last_update = home_latest
    current = {}
    for link in result.broken:
        current[("broken_link", link.url)] = {
            "message": f"不可用链接（{link.status or link.error}）", "url": link.url,
            "evidence": {"status": link.status, "error": link.error, "linked_from": link.linked_from,
                         "on_home": link.on_home}}
    for page in result.slow:
        current[("slow_page", page.url)] = {"message": f"页面打开用时 {page.elapsed:.1f} 秒", "url": page.url,
                                            "evidence": {"seconds": round(page.elapsed, 2)}}
    home_days = (today - home_latest).days if home_latest else None
    if home_days is None or home_days > home_limit:
        current[("home_stale", "home")] = {
            "message": "首页未发现更新日期" if home_days is None else f"首页 {home_days} 天未更新",
            "url": result.start_url, "evidence": {"days": home_days if home_days is not None else 9999,
                                                  "latest": home_latest.isoformat() if home_latest else None}}
    columns_by_slug = {c.slug: c for c in channel.columns.all()}
    for state in columns:
        if not state.reachable:
            continue  # its page is reported as a broken link
        column = columns_by_slug.get(state.spec.key)
        if state.empty:
            current[("column_empty", state.spec.key)] = {
                "message": f"空白栏目：{state.spec.name}", "url": state.spec.url, "column": column,
                "evidence": {"column": state.spec.name}}
        elif state.stale(today):
            days = state.days_since(today)
            current[("column_stale", state.spec.key)] = {
                "message": f"栏目“{state.spec.name}”{days} 天未更新（更新周期 {state.spec.interval_days} 天）",
                "url": state.spec.url, "column": column,
                "evidence": {"column": state.spec.name, "days": days, "interval": state.spec.interval_days,
                             "latest": state.latest.isoformat()}}
    counts = _upsert_findings(channel, current, WEBSITE_KINDS, now)
    pages = _page_findings(result, withdrawn, unexplained)
    by_kind = {kind: sum(1 for k, _ in pages if k == kind) for kind in PAGE_KINDS}
    serious = sum(1 for data in pages.values() if data["evidence"].get("severity", "serious") == "serious")
    crawled = set(result.pages) | set(result.checked)
    created = []
    page_counts = _upsert_findings(channel, pages, PAGE_KINDS, now, covered=lambda f: f.url in crawled,
                                   created=created)
    counts = {key: counts[key] + page_counts[key] for key in counts}
    _tell_about_new(channel, created)
    run.summary = {**by_kind, "serious_content": serious,"broken_links": len(result.broken), "slow_pages": len(result.slow),
                   "empty_columns": sum(1 for s in columns if s.empty),
                   "stale_columns": sum(1 for s in columns if not s.empty and s.stale(today)),
                   "blocked_by_robots": result.blocked_by_robots, "refused": len(result.refused),
                   "seconds": round(result.seconds, 2), **counts}
    run.save()
    audit.record("monitor.website", actor=acting_user, obj=run, unit=channel.operator_unit_id,
                 details={"channel": channel.pk, "pages": run.pages, **run.summary})
    return run


def _running(kind: str) -> bool:
    """A job of this kind is queued or running (monitoring jobs run one of a kind at a time)."""
    from govpub.jobs.models import Job
    from govpub.jobs.runner import OPEN

    return Job.objects.filter(kind=kind, state__in=OPEN).exists()


MONITORING_JOBS = {"crawl": "网站和政务新媒体监测（含网页内容检查、账号核查）", "probe": "网站可用性探测",
                   "accounts": "政务新媒体账号核查", "rescan": "已发布稿件复查"}


@transaction.atomic(durable=True)
def start_monitoring(*, acting_user, what: str):
    """A supervisor starts a monitoring job now (the same durable job the schedule runs); its progress
    shows on the monitoring page. One of a kind at a time: a second click while it runs is refused."""
    from govpub.jobs.runner import start_job

    policy.require(policy.can_start_monitoring(acting_user), policy.MONITORING_REFUSAL)
    if what not in MONITORING_JOBS:
        raise ValidationError({"what": "请选择要启动的监测：" + "、".join(MONITORING_JOBS.values()) + "。"})
    if _running(what):
        raise ValidationError(f"{MONITORING_JOBS[what]}正在进行，请等它完成后再启动。")
    job = start_job(what, {}, created_by=acting_user)
    audit.record("monitor.start", actor=acting_user, obj=job, details={"what": what})
    return job


SCAN_MAX_PAGES = 2000  # an ad-hoc scan from the UI is bounded; the CLI takes any --max-pages


@transaction.atomic(durable=True)
def start_site_scan(*, acting_user, url: str, max_pages: int | None = None):
    """A supervisor scans any website now (not necessarily a channel): the same check as the daily crawl's
    content scan, nothing recorded as findings; the report is the job's result. One scan at a time."""
    from govpub.jobs.runner import start_job

    from ..sitescan import is_site_address

    policy.require(policy.can_start_monitoring(acting_user), policy.MONITORING_REFUSAL)
    url = (url or "").strip()
    errors = {}
    if not is_site_address(url) or len(url) > 1000:
        errors["url"] = "请填写网站地址，以 http:// 或 https:// 开头。"
    max_pages = max_pages or 200
    if not 1 <= max_pages <= SCAN_MAX_PAGES:
        errors["max_pages"] = f"最多检查页面数应在 1 到 {SCAN_MAX_PAGES} 之间。"
    if errors:
        raise ValidationError(errors)
    if _running("scan"):
        raise ValidationError("已有一个临时检查正在进行，请等它完成后再启动。")
    job = start_job("scan", {"url": url, "max_pages": max_pages}, created_by=acting_user)
    audit.record("monitor.scan", actor=acting_user, obj=job, details={"url": url, "max_pages": max_pages})
    return job


RECONCILE_KINDS = ("unreviewed_post", "content_mismatch", "withdrawn_online")
# Told to the unit and the supervisor at once, with the reason it cannot wait.
URGENT_KINDS = {"unreviewed_post": "第八条 先审后发", "content_mismatch": "第八条 先审后发",
                "hidden_link": "疑似网站被入侵", "injected_code": "疑似网站被入侵"}


def _post_findings(account, posts) -> dict:
    """The reconciliation's observations as findings, one per post and kind (the post's id is the key)."""
    from ..reconcile import reconcile

    current = {}
    for seen in reconcile(account, posts):
        post = seen.post
        current[(seen.kind, post.remote_id or post.url)] = {
            "url": post.url, "message": seen.message,
            "evidence": {"title": post.title, "text": (post.extra.get("text") or "")[:500],
                         "posted_at": post.extra["at"].isoformat() if post.extra.get("at") else post.published_at,
                         "publication": seen.publication_id, **({"difference": seen.detail} if seen.detail else {})}}
    return current


def _tell_about_new(channel, created) -> None:
    """One notification per channel and urgent kind for what this run found new (a back-end posting spree
    or a site full of 暗链 is one message, not hundreds); the supervisor's opens the channel's findings."""
    from ..recipients import supervisors, unit_leads

    for kind, reason in URGENT_KINDS.items():
        new = [f for f in created if f.kind == kind]
        if not new:
            continue
        text = f"{channel.name}：{new[0].message}" + (f"等 {len(new)} {'条' if kind in RECONCILE_KINDS else '处'}" if len(new) > 1 else "") + f"（{reason}）"
        notify(unit_leads(channel.operator_unit_id), None, kind, text + "。请核实并处置，必要时撤下。")
        notify(supervisors(), new[0], kind, text)


@transaction.atomic(durable=True)
def check_accounts(*, acting_user=None, today: dt.date | None = None, channel_ids=None, readings=None) -> list:
    """New media, from what each account really shows where its platform could be read (`readings`,
    from supervision/observe.py): the last post for silence, and every live post reconciled with the
    publications behind it (未经审核发布, 内容不一致, 已撤稿仍在线). Accounts that could not be read
    fall back to GovPub's own publication records for silence, and their reconciliation findings stay
    as they were (not resolved by a run that saw nothing)."""
    from django.db.models import Max

    from govpub.publishing.models import Publication

    from ..indicators import current_version
    from ..models import MonitorRun
    from ..observe import running_accounts
    from ..reconcile import last_post_at

    policy.require(policy.can_run_system_task(acting_user))
    readings = readings or {}
    today = today or timezone.localdate()
    limit = _home_max_days(current_version().config, "new_media", "account_silent")
    now = timezone.now()
    accounts = running_accounts(channel_ids)
    recorded = dict(Publication.objects.filter(channel__in=accounts, live_at__isnull=False)
                    .values_list("channel_id").annotate(last=Max("live_at")))
    runs = []
    for account in accounts:
        reading = readings.get(account.pk)
        read = reading is not None and reading.read
        last = last_post_at(reading.posts) if read else recorded.get(account.pk)
        days = (today - timezone.localtime(last).date()).days if last else None
        current = {}
        if days is None or days > limit:
            current[("account_silent", "last_post")] = {
                "message": "账号从未发布信息" if days is None else f"账号 {days} 天未更新",
                "evidence": {"days": days, "source": "平台接口" if read else "发布记录",
                             "last_post": timezone.localtime(last).isoformat() if last else None}}
        summary = {"days_since_last_post": days, "silent": bool(current), "source": "api" if read else "records"}
        kinds = ("account_silent",)
        if read:
            current.update(_post_findings(account, reading.posts))
            kinds += RECONCILE_KINDS
            if reading.findings is not None:  # the machine check of every live post
                current.update(_content_findings(reading.findings))
                kinds += ("page_content",)
                summary["serious_content"] = sum(1 for f in reading.findings if f.severity == "serious")
            summary["posts"] = len(reading.posts)
            summary.update({kind: sum(1 for k, _ in current if k == kind) for kind in RECONCILE_KINDS})
        elif reading is not None and reading.error:
            summary["read_error"] = reading.error[:300]
        created = []
        summary.update(_upsert_findings(account, current, kinds, now, created=created))  # (consumes current)
        _tell_about_new(account, created)
        run = MonitorRun.objects.create(channel=account, kind="new_media", started_at=now, finished_at=now,
                                        home_last_update=timezone.localtime(last).date() if last else None,
                                        summary=summary)
        runs.append(run)
    audit.record("monitor.accounts", actor=acting_user, details={
        "accounts": len(runs), "read": sum(1 for r in runs if r.summary["source"] == "api"),
        "silent": sum(1 for r in runs if r.summary["silent"]),
        "unreviewed_posts": sum(r.summary.get("unreviewed_post", 0) for r in runs)})
    return runs


@transaction.atomic(durable=True)
def record_rescan(results: dict, *, acting_user=None) -> dict:
    """De-duplicated 严重错误 findings for rescanned items, on every channel where the item is live;
    earlier rescan findings of these items that no longer hold are resolved."""
    from govpub.publishing.models import Publication, PublicationStatus

    from ..models import MonitorFinding, MonitorKind

    policy.require(policy.can_run_system_task(acting_user))
    now = timezone.now()
    counts = {"items": len(results), "new": 0, "again": 0, "resolved": 0}
    live = {}
    for item_id, channel_id, url in (Publication.objects.filter(item_id__in=results, status=PublicationStatus.LIVE)
                                     .values_list("item_id", "channel_id", "url")):
        live.setdefault(item_id, {}).setdefault(channel_id, url)
    current = {}
    for item_id, problems in results.items():
        for channel_id, url in live.get(item_id, {}).items():
            for p in problems:
                key = f"item:{item_id}:{p['field']}:{p['rule']}:{p['start']}"
                current[(channel_id, key)] = {"url": url or "", "message": f"《{p['title']}》{p['message']}：{p['text']}",
                                              "evidence": {**p, "item": item_id}}
    prefixes = tuple(f"item:{item_id}:" for item_id in results)
    open_rows = MonitorFinding.objects.select_for_update().filter(kind=MonitorKind.SERIOUS_ERROR,
                                                                  resolved_at__isnull=True)
    for finding in open_rows:
        if not finding.key.startswith(prefixes):
            continue
        data = current.pop((finding.channel_id, finding.key), None)
        if data is None:
            finding.resolved_at = now
            finding.save(update_fields=["resolved_at"])
            counts["resolved"] += 1
        else:
            finding.last_seen, finding.seen_count = now, finding.seen_count + 1
            finding.save(update_fields=["last_seen", "seen_count"])
            counts["again"] += 1
    for (channel_id, key), data in current.items():
        MonitorFinding.objects.create(channel_id=channel_id, kind=MonitorKind.SERIOUS_ERROR, key=key[:500],
                                      url=data["url"][:1000], message=data["message"][:300], evidence=data["evidence"],
                                      first_seen=now, last_seen=now)
        counts["new"] += 1
    audit.record("monitor.rescan", actor=acting_user, details=counts)
    return counts
