"""Every change to supervision tickets: atomic, policy-checked, audited, notifications on commit."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govpub.audit import log as audit
from govpub.channels import actions as channel_actions
from govpub.channels.models import Channel, ChannelStatus
from govpub.notifications.notify import notify
from govpub.orgs import actions as org_actions
from govpub.orgs.models import UNIT_ROLES, MeasureOrigin, Person, Role, RoleAssignment, Suspension

from . import letters, policy
from .models import OPEN_STATES, OWING_STATES, LetterCounter, Ticket, TicketEvent, TicketMethod, TicketState

REMIND_DAYS_BEFORE = 2


def _unit_people(unit_id, roles=UNIT_ROLES):
    ids = RoleAssignment.objects.active().filter(unit_id=unit_id, role__in=roles).values("person_id")
    return list(Person.objects.filter(pk__in=ids, is_active=True))


def _supervisors():
    ids = RoleAssignment.objects.active().filter(role=Role.SUPERVISOR).values("person_id")
    return list(Person.objects.filter(pk__in=ids, is_active=True))


def _unit_leads(unit_id):
    return _unit_people(unit_id, (Role.OFFICE_HEAD, Role.PRINCIPAL))


def _lock(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def _event(ticket, kind, actor, note="", stored=None) -> TicketEvent:
    fields = {}
    if stored is not None:
        fields = {"file_name": stored.name, "file_sha256": stored.sha256, "file_size": stored.size,
                  "file_content_type": stored.content_type, "file_storage": stored.storage_name}
    return TicketEvent.objects.create(ticket=ticket, kind=kind, actor=actor, note=note, **fields)


def _set_state(ticket: Ticket, state: str, **extra) -> None:
    ticket.state = state
    ticket.state_changed_at = timezone.now()
    for name, value in extra.items():
        setattr(ticket, name, value)
    ticket.save(update_fields=["state", "state_changed_at", *extra])


def _next_letter_number(year: int) -> int:
    counter, _ = LetterCounter.objects.get_or_create(year=year)
    counter = LetterCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _audit(action, ticket, actor, **details):
    audit.record(action, actor=actor, obj=ticket, unit=ticket.unit_id, details=details)


@transaction.atomic(durable=True)
def assign_ticket(*, acting_user, channel: Channel, title: str, description: str, method: str,
                  deadline: dt.date, evidence: str = "", machine_finding=None, monitor_finding=None) -> Ticket:
    """问题交办: to the channel's operator unit, with a method and a deadline."""
    policy.require(policy.can_assign(acting_user), "只有区政务公开办的监管人员可以交办问题。")
    title, description = (title or "").strip(), (description or "").strip()
    errors = {}
    if not title:
        errors["title"] = "请填写问题。"
    if not description:
        errors["description"] = "请填写问题描述。"
    if method not in TicketMethod.values:
        errors["method"] = "请选择交办方式。"
    if deadline is None or deadline < timezone.localdate():
        errors["deadline"] = "整改期限不能早于今天。"
    if channel.status == ChannelStatus.CLOSED:
        errors["channel"] = "该渠道已关停，不能再交办问题。"
    if errors:
        raise ValidationError(errors)
    channel = Channel.objects.select_related("operator_unit").get(pk=channel.pk)
    now = timezone.now()
    ticket = Ticket(channel=channel, unit=channel.operator_unit, title=title, description=description,
                    evidence=(evidence or "").strip(), method=method, deadline=deadline, created_by=acting_user,
                    created_at=now, state_changed_at=now, machine_finding=machine_finding,
                    monitor_finding=monitor_finding)
    if method == TicketMethod.LETTER:
        year = timezone.localtime(now).year
        ticket.letter_year, ticket.letter_seq = year, _next_letter_number(year)
        ticket.letter_no = letters.letter_number(year, ticket.letter_seq)
    ticket.save()
    _event(ticket, TicketEvent.Kind.ASSIGN, acting_user,
           f"交办方式：{ticket.get_method_display()}；整改期限：{deadline:%Y-%m-%d}"
           + (f"；发文字号：{ticket.letter_no}" if ticket.letter_no else ""))
    _audit("ticket.assign", ticket, acting_user, channel=channel.pk, method=method, deadline=deadline.isoformat(),
           letter_no=ticket.letter_no, finding=getattr(machine_finding, "pk", None),
           monitor_finding=getattr(monitor_finding, "pk", None))
    notify(_unit_leads(ticket.unit_id), None, "ticket_assigned",
           f"区政务公开办交办问题：{title}（{channel.name}），请于 {deadline:%Y-%m-%d} 前整改并报送。")
    return ticket


@transaction.atomic(durable=True)
def accept_ticket(ticket: Ticket, *, acting_user) -> Ticket:
    """The unit signs for the ticket and starts rectifying."""
    ticket = _lock(ticket)
    policy.require(policy.can_rectify(acting_user, ticket), "只有责任单位的人员可以签收交办问题。")
    if ticket.state != TicketState.ASSIGNED:
        raise ValidationError(f"该问题当前为“{ticket.get_state_display()}”，不能签收。")
    _set_state(ticket, TicketState.RECTIFYING)
    _event(ticket, TicketEvent.Kind.ACCEPT, acting_user)
    _audit("ticket.accept", ticket, acting_user)
    return ticket


@transaction.atomic(durable=True)
def report_rectification(ticket: Ticket, *, acting_user, text: str, stored_file=None) -> Ticket:
    """整改情况报送, with evidence (a description, optionally a stored file from content.files.store_upload)."""
    ticket = _lock(ticket)
    policy.require(policy.can_rectify(acting_user, ticket), "只有责任单位的人员可以报送整改情况。")
    if ticket.state not in OWING_STATES:
        raise ValidationError(f"该问题当前为“{ticket.get_state_display()}”，不能报送整改情况。")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写整改情况及证明。"})
    _set_state(ticket, TicketState.REPORTED)
    _event(ticket, TicketEvent.Kind.REPORT, acting_user, text, stored_file)
    _audit("ticket.report", ticket, acting_user, text=text[:500],
           file=getattr(stored_file, "sha256", None), late=ticket.deadline < timezone.localdate())
    notify(_supervisors(), None, "ticket_reported", f"{ticket.unit.name} 报送了“{ticket.title}”的整改情况，请核验。")
    return ticket


@transaction.atomic(durable=True)
def send_back(ticket: Ticket, *, acting_user, reason: str, new_deadline: dt.date | None = None) -> Ticket:
    """Rectification not accepted: back to 整改中, optionally with a new deadline."""
    ticket = _lock(ticket)
    policy.require(policy.can_verify(acting_user, ticket), "只有区政务公开办的监管人员可以退回整改。")
    if ticket.state != TicketState.REPORTED:
        raise ValidationError("只有已报送整改情况的问题可以退回。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写退回原因。"})
    if new_deadline is not None and new_deadline < timezone.localdate():
        raise ValidationError({"new_deadline": "新的整改期限不能早于今天。"})
    extra = {}
    if new_deadline is not None:
        extra = {"deadline": new_deadline, "reminded_at": None, "overdue_marked_at": None}
    _set_state(ticket, TicketState.RECTIFYING, **extra)
    _event(ticket, TicketEvent.Kind.SEND_BACK, acting_user,
           reason + (f"（新的整改期限：{new_deadline:%Y-%m-%d}）" if new_deadline else ""))
    _audit("ticket.send_back", ticket, acting_user, reason=reason,
           new_deadline=new_deadline.isoformat() if new_deadline else None)
    notify(_unit_leads(ticket.unit_id), None, "ticket_sent_back",
           f"“{ticket.title}”的整改情况未通过核验，请继续整改：{reason}")
    return ticket


def _lift_if_last(ticket: Ticket, acting_user, why: str) -> bool:
    """Lift the ticket's rectification order unless another open ticket still holds the same one."""
    suspension = ticket.suspension
    if suspension is None or suspension.lifted_at is not None:
        return False
    if Ticket.objects.filter(suspension=suspension, state__in=OPEN_STATES).exclude(pk=ticket.pk).exists():
        return False
    org_actions.release_suspension(ticket.unit, acting_user=acting_user, reason=why)
    _event(ticket, TicketEvent.Kind.LIFT, acting_user, why)
    return True


def record_lift_in_tickets(suspension: Suspension, acting_user) -> None:
    """After 解除暂停发布 (orgs.actions.lift_suspension's hook, same transaction): a suspension that is a
    ticket's 整改令 shows the lift in the history of every such ticket."""
    for ticket in Ticket.objects.select_for_update().filter(suspension=suspension).order_by("pk"):
        _event(ticket, TicketEvent.Kind.LIFT, acting_user, suspension.lift_reason)
        _audit("ticket.lift", ticket, acting_user, reason=suspension.lift_reason, suspension=suspension.pk)
        notify(_unit_leads(ticket.unit_id), None, "ticket_lifted",
               f"“{ticket.title}”的整改令已解除，恢复信息发布：{suspension.lift_reason}")


@transaction.atomic(durable=True)
def verify_ticket(ticket: Ticket, *, acting_user, note: str = "") -> Ticket:
    """核验办结; a rectification order issued for this ticket is lifted with it."""
    ticket = _lock(ticket)
    policy.require(policy.can_verify(acting_user, ticket), "只有区政务公开办的监管人员可以核验整改。")
    if ticket.state != TicketState.REPORTED:
        raise ValidationError("只有已报送整改情况的问题可以核验办结。")
    _set_state(ticket, TicketState.VERIFIED, verified_at=timezone.now(), verified_by=acting_user)
    _event(ticket, TicketEvent.Kind.VERIFY, acting_user, (note or "").strip())
    lifted = _lift_if_last(ticket, acting_user, f"交办问题 #{ticket.pk} 已整改到位，经核验解除暂停发布。")
    _audit("ticket.verify", ticket, acting_user, note=(note or "").strip(), lifted_suspension=lifted)
    notify(_unit_leads(ticket.unit_id), None, "ticket_verified",
           f"“{ticket.title}”整改已核验办结" + ("，已解除暂停发布。" if lifted else "。"))
    return ticket


@transaction.atomic(durable=True)
def order_rectification(ticket: Ticket, *, acting_user, reason: str) -> Ticket:
    """限期整改令: the unit is suspended from publishing (第十二条) until the ticket is verified."""
    ticket = _lock(ticket)
    policy.require(policy.can_escalate(acting_user, ticket), "只有区政务公开办的监管人员可以下达整改令。")
    if ticket.state not in OPEN_STATES:
        raise ValidationError("该问题已办结，不能再下达整改令。")
    if ticket.suspension_id and ticket.suspension.lifted_at is None:
        raise ValidationError("该问题已下达整改令，责任单位正处于暂停发布状态。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写下达整改令的原因。"})
    why = f"限期整改令（交办问题 #{ticket.pk}：{ticket.title}）：{reason}"
    existing = Suspension.objects.filter(unit_id=ticket.unit_id, lifted_at__isnull=True).first()
    # One active suspension per unit: one already in force also covers this ticket, and becomes the supervision's.
    suspension = org_actions.impose_suspension(ticket.unit, acting_user=acting_user, reason=why[:500],
                                               origin=MeasureOrigin.SUPERVISION, join=True)
    ticket.suspension = suspension
    ticket.save(update_fields=["suspension"])
    _event(ticket, TicketEvent.Kind.ORDER, acting_user, reason)
    _audit("ticket.order_rectification", ticket, acting_user, reason=reason, suspension=suspension.pk,
           joined_existing=existing is not None)
    notify(_unit_people(ticket.unit_id), None, "ticket_order",
           f"因“{ticket.title}”逾期未整改，本单位已被暂停信息发布，整改核验后解除。")
    return ticket


@transaction.atomic(durable=True)
def order_shutdown(ticket: Ticket, *, acting_user, reason: str) -> Ticket:
    """责令关停: the channel is closed (final) and the ticket ends with it."""
    ticket = _lock(ticket)
    policy.require(policy.can_escalate(acting_user, ticket), "只有区政务公开办的监管人员可以责令关停。")
    if ticket.state not in OPEN_STATES:
        raise ValidationError("该问题已办结，不能责令关停。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写责令关停的原因。"})
    channel = Channel.objects.get(pk=ticket.channel_id)
    if channel.status != ChannelStatus.CLOSED:
        channel_actions.set_channel_status(
            channel, acting_user=acting_user, status=ChannelStatus.CLOSED,
            reason=f"责令关停（交办问题 #{ticket.pk}）：{reason}"[:500])
    _set_state(ticket, TicketState.SHUT_DOWN, shut_down_at=timezone.now())
    _event(ticket, TicketEvent.Kind.SHUT_DOWN, acting_user, reason)
    _audit("ticket.shutdown", ticket, acting_user, reason=reason, channel=channel.pk)
    notify(_unit_people(ticket.unit_id), None, "ticket_shutdown", f"{channel.name}已被责令关停：{reason}")
    return ticket


@transaction.atomic(durable=True)
def mark_overdue_tickets(*, acting_user=None, today: dt.date | None = None) -> list[int]:
    """Mark every ticket newly past its deadline (the daily task); returns their ids."""
    policy.require(policy.can_run_system_task(acting_user))
    marked = []
    tickets = Ticket.objects.overdue(today).filter(overdue_marked_at__isnull=True).select_for_update()
    for ticket in tickets:
        ticket.overdue_marked_at = timezone.now()
        ticket.save(update_fields=["overdue_marked_at"])
        _event(ticket, TicketEvent.Kind.OVERDUE, acting_user, f"已超过整改期限 {ticket.deadline:%Y-%m-%d}")
        _audit("ticket.overdue", ticket, acting_user, deadline=ticket.deadline.isoformat())
        notify(_unit_leads(ticket.unit_id) + _supervisors(), None, "ticket_overdue",
               f"交办问题“{ticket.title}”（{ticket.unit.name}）已逾期，整改期限为 {ticket.deadline:%Y-%m-%d}。")
        marked.append(ticket.pk)
    return marked


@transaction.atomic(durable=True)
def send_deadline_reminders(*, acting_user=None, today: dt.date | None = None,
                            days: int = REMIND_DAYS_BEFORE) -> list[int]:
    """Remind the unit once when a deadline is `days` or fewer days away."""
    policy.require(policy.can_run_system_task(acting_user))
    reminded = []
    for ticket in Ticket.objects.due_soon(days, today).filter(reminded_at__isnull=True).select_for_update():
        ticket.reminded_at = timezone.now()
        ticket.save(update_fields=["reminded_at"])
        _event(ticket, TicketEvent.Kind.REMIND, acting_user, f"整改期限 {ticket.deadline:%Y-%m-%d} 临近")
        _audit("ticket.remind", ticket, acting_user, deadline=ticket.deadline.isoformat())
        notify(_unit_people(ticket.unit_id), None, "ticket_reminder",
               f"交办问题“{ticket.title}”将于 {ticket.deadline:%Y-%m-%d} 到期，请按时整改并报送。")
        reminded.append(ticket.pk)
    return reminded


# --- indicators (检查指标) and scores ---------------------------------------------------------------


@transaction.atomic(durable=True)
def save_indicator_version(*, acting_user, config: dict, note: str = ""):
    """A new edition of the indicators; earlier editions and the scores computed with them stay as they were."""
    from .indicators import current_version, validate_config
    from .models import IndicatorVersion

    policy.require(policy.can_edit_indicators(acting_user), "只有区政务公开办的监管人员可以修订检查指标。")
    validate_config(config)
    latest = current_version()
    if latest.config == config:
        raise ValidationError("指标内容没有变化。")
    version = IndicatorVersion.objects.create(number=latest.number + 1, config=config, note=(note or "").strip()[:300],
                                              created_by=acting_user)
    audit.record("indicators.version", actor=acting_user, obj=version,
                 details={"number": version.number, "previous": latest.number, "note": version.note})
    return version


@transaction.atomic(durable=True)
def compute_scores(*, acting_user, period_start: dt.date, period_end: dt.date, channels=None) -> list:
    """Score every channel (or the given ones) for the period with the current indicator version."""
    from .indicators import collect_facts, current_version, score_facts
    from .models import IndicatorScore

    policy.require(policy.can_run_system_task(acting_user), "只有区政务公开办的监管人员可以计算指标得分。")
    if period_end < period_start:
        raise ValidationError({"period_end": "考核期止不能早于考核期起。"})
    version = current_version()
    if channels is None:
        channels = Channel.objects.exclude(status=ChannelStatus.CLOSED).order_by("kind", "name")
    results = []
    for channel in channels:
        facts = collect_facts(channel, period_start, period_end, version.config)
        score = score_facts(facts, version.config)
        results.append(IndicatorScore.objects.create(
            channel=channel, period_start=period_start, period_end=period_end, version=version, score=score.score,
            passed=score.passed, vetoes=score.vetoes, deductions=score.deductions, facts=facts.as_dict(),
            computed_by=acting_user))
    audit.record("indicators.score", actor=acting_user, details={
        "version": version.number, "period": [period_start.isoformat(), period_end.isoformat()],
        "channels": len(results), "failed": sum(1 for r in results if not r.passed)})
    return results


# --- monitoring ------------------------------------------------------------------------------------

WEBSITE_KINDS = ("broken_link", "slow_page", "home_stale", "column_stale", "column_empty")


def _home_max_days(config: dict, kind: str = "website", code: str = "home_not_updated", default: int = 14) -> int:
    entry = next((v for v in config.get(kind, {}).get("veto", []) if v.get("code") == code), {})
    return int(entry.get("max_days", default))


def _upsert_findings(channel, current: dict, kinds, now, *, resolve_missing=True) -> dict:
    """De-duplicate across runs: an open finding with the same (kind, key) is seen again, not created anew;
    open findings of these kinds that were not seen this time are resolved."""
    from .models import MonitorFinding

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
        elif resolve_missing:
            finding.resolved_at = now
            finding.save(update_fields=["resolved_at"])
            counts["resolved"] += 1
    for (kind, key), data in current.items():
        MonitorFinding.objects.create(channel=channel, kind=kind, key=key[:500], url=data.get("url", "")[:1000],
                                      column=data.get("column"), message=data["message"][:300],
                                      evidence={**data.get("evidence", {}), "days_open": 0},
                                      first_seen=now, last_seen=now)
        counts["new"] += 1
    return counts


@transaction.atomic(durable=True)
def record_website_monitor(channel: Channel, result, columns, *, today: dt.date, started_at=None,
                           acting_user=None):
    """Turn one crawl into a MonitorRun, an availability probe and de-duplicated findings."""
    from .indicators import current_version
    from .models import MonitorRun, Probe

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
    run.summary = {"broken_links": len(result.broken), "slow_pages": len(result.slow),
                   "empty_columns": sum(1 for s in columns if s.empty),
                   "stale_columns": sum(1 for s in columns if not s.empty and s.stale(today)),
                   "blocked_by_robots": result.blocked_by_robots, "refused": len(result.refused),
                   "seconds": round(result.seconds, 2), **counts}
    run.save()
    audit.record("monitor.website", actor=acting_user, obj=run, unit=channel.operator_unit_id,
                 details={"channel": channel.pk, "pages": run.pages, **run.summary})
    return run


@transaction.atomic(durable=True)
def check_accounts(*, acting_user=None, today: dt.date | None = None, channel_ids=None) -> list:
    """New media: the last post of every running account (from its publications); silent ones become findings."""
    from django.db.models import Max

    from govpub.publishing.models import Publication

    from .indicators import current_version
    from .models import MonitorRun

    policy.require(policy.can_run_system_task(acting_user))
    today = today or timezone.localdate()
    limit = _home_max_days(current_version().config, "new_media", "account_silent")
    now = timezone.now()
    accounts = Channel.objects.exclude(kind="website").filter(status=ChannelStatus.RUNNING)
    if channel_ids:
        accounts = accounts.filter(pk__in=channel_ids)
    last_posts = dict(Publication.objects.filter(channel__in=accounts, live_at__isnull=False)
                      .values_list("channel_id").annotate(last=Max("live_at")))
    runs = []
    for account in accounts:
        last = last_posts.get(account.pk)
        days = (today - timezone.localtime(last).date()).days if last else None
        current = {}
        if days is None or days > limit:
            current[("account_silent", "last_post")] = {
                "message": "账号从未发布信息" if days is None else f"账号 {days} 天未更新",
                "evidence": {"days": days,
                             "last_post": timezone.localtime(last).isoformat() if last else None}}
        counts = _upsert_findings(account, current, ("account_silent",), now)
        run = MonitorRun.objects.create(channel=account, kind="new_media", started_at=now, finished_at=now,
                                        home_last_update=timezone.localtime(last).date() if last else None,
                                        summary={"days_since_last_post": days, **counts})
        runs.append(run)
    audit.record("monitor.accounts", actor=acting_user,
                 details={"accounts": len(runs), "silent": sum(1 for r in runs if r.summary["new"] + r.summary["again"])})
    return runs


# --- inspections (督查) ----------------------------------------------------------------------------


def inspection_candidates(units, start: dt.date, end: dt.date) -> list[int]:
    """Published items of the units that went live on any channel in [start, end], by id (a stable order)."""
    from govpub.content.models import Item, ItemState
    from govpub.publishing.models import Publication

    tz = timezone.get_current_timezone()
    start_at = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    end_at = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    live = Publication.objects.filter(live_at__gte=start_at, live_at__lt=end_at).values("item_id")
    return list(Item.objects.filter(unit__in=units, state=ItemState.PUBLISHED, live_revision__isnull=False,
                                    pk__in=live).order_by("pk").values_list("pk", flat=True))


def sample_ids(candidates: list[int], size: int, seed: int) -> list[int]:
    """The reproducible draw: random.Random(seed).sample over the id-ordered candidates."""
    import random

    return random.Random(seed).sample(candidates, min(size, len(candidates)))


@transaction.atomic(durable=True)
def plan_inspection(*, acting_user, title: str, units, period_start: dt.date, period_end: dt.date,
                    sample_size: int, seed: int | None = None):
    import secrets

    from .models import Inspection

    policy.require(policy.can_inspect(acting_user), "只有区政务公开办的监管人员可以安排督查。")
    units = list(units)
    errors = {}
    if not (title or "").strip():
        errors["title"] = "请填写督查名称。"
    if not units:
        errors["units"] = "请选择被督查单位。"
    if period_end < period_start:
        errors["period_end"] = "发布时间止不能早于发布时间起。"
    if sample_size < 1:
        errors["sample_size"] = "抽样数量至少为 1。"
    if errors:
        raise ValidationError(errors)
    inspection = Inspection.objects.create(title=title.strip(), period_start=period_start, period_end=period_end,
                                           sample_size=sample_size, created_by=acting_user,
                                           seed=seed if seed is not None else secrets.randbelow(2**31))
    inspection.units.set(units)
    audit.record("inspection.plan", actor=acting_user, obj=inspection,
                 details={"units": [u.pk for u in units], "period": [period_start.isoformat(), period_end.isoformat()],
                          "sample_size": sample_size, "seed": inspection.seed})
    return inspection


@transaction.atomic(durable=True)
def draw_sample(inspection, *, acting_user):
    """Draw once; the candidates' digest and the seed are recorded so anyone can redraw and compare."""
    import hashlib

    from govpub.content.models import Item

    from .models import Inspection, InspectionSample, InspectionState

    policy.require(policy.can_inspect(acting_user), "只有区政务公开办的监管人员可以抽样。")
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.state != InspectionState.PLANNED:
        raise ValidationError("该督查已抽样。")
    candidates = inspection_candidates(inspection.units.all(), inspection.period_start, inspection.period_end)
    if not candidates:
        raise ValidationError("所选单位在该时间段内没有已发布的稿件，无法抽样。")
    chosen = sample_ids(candidates, inspection.sample_size, inspection.seed)
    items = Item.objects.in_bulk(chosen)
    InspectionSample.objects.bulk_create([
        InspectionSample(inspection=inspection, position=n, item_id=pk, revision_id=items[pk].live_revision_id)
        for n, pk in enumerate(chosen, start=1)])
    inspection.state, inspection.sampled_at = InspectionState.SAMPLED, timezone.now()
    inspection.candidate_count = len(candidates)
    inspection.candidate_digest = hashlib.sha256(",".join(map(str, candidates)).encode()).hexdigest()
    inspection.save(update_fields=["state", "sampled_at", "candidate_count", "candidate_digest"])
    audit.record("inspection.sample", actor=acting_user, obj=inspection,
                 details={"seed": inspection.seed, "candidates": len(candidates),
                          "digest": inspection.candidate_digest, "items": chosen})
    return inspection


@transaction.atomic(durable=True)
def review_sample(sample, *, acting_user, checklist: dict, comment: str = ""):
    """Re-review one sampled item against the 第八条 checklist; any failed point needs a comment."""
    from govpub.review.models import CHECKLIST_KEYS

    from .models import Inspection, InspectionSample, InspectionState, SampleResult

    policy.require(policy.can_inspect(acting_user), "只有区政务公开办的监管人员可以复核抽样稿件。")
    sample = InspectionSample.objects.select_for_update().select_related("inspection").get(pk=sample.pk)
    if sample.inspection.state == InspectionState.DONE:
        raise ValidationError("该督查已完成，不能再修改复核结果。")
    missing = [k for k in CHECKLIST_KEYS if k not in checklist]
    if missing:
        raise ValidationError("请逐项回答审核要点。")
    answers = {k: bool(checklist[k]) for k in CHECKLIST_KEYS}
    passed = all(answers.values())
    comment = (comment or "").strip()
    if not passed and not comment:
        raise ValidationError({"comment": "存在问题的，请填写复核意见。"})
    sample.checklist, sample.comment = answers, comment
    sample.result = SampleResult.PASS if passed else SampleResult.FAIL
    sample.reviewed_by, sample.reviewed_at = acting_user, timezone.now()
    sample.save()
    inspection = Inspection.objects.select_for_update().get(pk=sample.inspection_id)
    finished = not inspection.samples.filter(result=SampleResult.PENDING).exists()
    if finished:
        inspection.state, inspection.finished_at = InspectionState.DONE, timezone.now()
        inspection.save(update_fields=["state", "finished_at"])
    audit.record("inspection.review", actor=acting_user, obj=inspection, unit=sample.item.unit_id,
                 details={"sample": sample.pk, "item": sample.item_id, "result": sample.result,
                          "failed": [k for k, v in answers.items() if not v], "finished": finished})
    return sample


# --- accountability (责任追究) and the annual assessment (考核) ---------------------------------------


@transaction.atomic(durable=True)
def record_incident(*, acting_user, unit, title: str, description: str, occurred_at, remedy: str = "none",
                    remedy_note: str = "", items=(), tickets=(), responsible=(), audit_events=(), suspend: bool = False):
    """Record a harmful publication or serious failure; `suspend` also orders the unit to stop publishing."""
    from .models import Incident

    policy.require(policy.can_record_incidents(acting_user), "只有区政务公开办的监管人员可以记录责任追究事件。")
    if not (title or "").strip() or not (description or "").strip():
        raise ValidationError("请填写事件和事件经过。")
    if remedy not in Incident.Remedy.values:
        raise ValidationError({"remedy": "补救措施无效。"})
    incident = Incident.objects.create(unit=unit, title=title.strip(), description=description.strip(),
                                       occurred_at=occurred_at, remedy=remedy, remedy_note=(remedy_note or "").strip(),
                                       audit_events=[int(e) for e in audit_events], created_by=acting_user)
    incident.items.set(items)
    incident.tickets.set(tickets)
    incident.responsible.set(responsible)
    if suspend:
        incident.suspension = org_actions.impose_suspension(
            unit, acting_user=acting_user, reason=f"责任追究（{incident.title}）"[:500],
            origin=MeasureOrigin.SUPERVISION, join=True)
        incident.save(update_fields=["suspension"])
    audit.record("incident.record", actor=acting_user, obj=incident, unit=unit.pk, details={
        "remedy": remedy, "items": [i.pk for i in items], "tickets": [t.pk for t in tickets],
        "responsible": [p.username for p in responsible], "audit_events": incident.audit_events,
        "suspension": incident.suspension_id})
    return incident


@transaction.atomic(durable=True)
def decide_accountability(incident, *, acting_user, decision: str):
    from .models import Incident

    policy.require(policy.can_record_incidents(acting_user), "只有区政务公开办的监管人员可以记录问责决定。")
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    decision = (decision or "").strip()
    if not decision:
        raise ValidationError({"decision": "请填写问责决定。"})
    incident.decision, incident.decided_at = decision, timezone.now()
    incident.save(update_fields=["decision", "decided_at"])
    audit.record("incident.decide", actor=acting_user, obj=incident, unit=incident.unit_id,
                 details={"decision": decision[:500]})
    return incident


@transaction.atomic(durable=True)
def save_assessment_weights(*, acting_user, weights: dict):
    from .assessment import validate_weights
    from .models import AssessmentConfig

    policy.require(policy.can_edit_indicators(acting_user), "只有区政务公开办的监管人员可以调整考核权重。")
    weights = validate_weights(weights)
    config = AssessmentConfig.objects.create(weights=weights, created_by=acting_user)
    audit.record("assessment.weights", actor=acting_user, obj=config, details=weights)
    return config


@transaction.atomic(durable=True)
def record_rescan(results: dict, *, acting_user=None) -> dict:
    """De-duplicated 严重错误 findings for rescanned items, on every channel where the item is live;
    earlier rescan findings of these items that no longer hold are resolved."""
    from govpub.publishing.models import Publication, PublicationStatus

    from .models import MonitorFinding, MonitorKind

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
