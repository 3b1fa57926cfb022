"""Availability per website and week: the 国办 rule judges 站点无法访问 on one week of probes — the site
counts as unreachable when at least 5 % of that week's probes failed to open the home page within 15 s.

A week nobody probed is 无数据: shown as such, never as a pass (and never as a veto). Reads only; the
probes are written by the monitor (monitor.probe and every crawl)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

NO_DATA, OK, UNREACHABLE = "no_data", "ok", "unreachable"
LABELS = {NO_DATA: "无数据", OK: "正常", UNREACHABLE: "无法访问"}


@dataclass(frozen=True)
class Week:
    start: dt.date  # a Monday
    probes: int = 0
    failed: int = 0
    max_ratio: float = 0.05

    @property
    def ratio(self) -> float | None:
        return self.failed / self.probes if self.probes else None

    @property
    def percent(self) -> float | None:
        return None if self.ratio is None else self.ratio * 100

    @property
    def status(self) -> str:
        if not self.probes:
            return NO_DATA
        # In whole numbers (per mille): 3 of 60 is 5 % exactly, whatever float division says.
        return UNREACHABLE if self.failed * 1000 >= round(self.max_ratio * 1000) * self.probes else OK

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=6)

    def describe(self) -> str:
        """One line a supervisor can read out: 11月30日—12月6日 探测 336 次，失败 2 次（0.6%）."""
        span = f"{self.start.month}月{self.start.day}日—{self.end.month}月{self.end.day}日"
        if not self.probes:
            return f"{span} 无探测数据"
        return f"{span} 探测 {self.probes} 次，失败 {self.failed} 次（{self.ratio:.1%}）"


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    """The Mondays of the weeks that overlap [start, end] (dates, end inclusive)."""
    first, weeks = monday(start), []
    while first <= end:
        weeks.append(first)
        first += dt.timedelta(days=7)
    return weeks


def weekly(channel_ids, start: dt.date, end: dt.date, *, timeout_seconds: float = 15,
           max_ratio: float = 0.05) -> dict[int, list[Week]]:
    """channel id → one Week per week overlapping [start, end], oldest first, 无数据 weeks included.

    One query for any number of channels and probes: per channel, two conditional counts per week
    (weeks begin at local midnight on Monday), evaluated by the database over the probes' time index —
    no per-row date conversion. A probe fails when it was not ok or took longer than `timeout_seconds`."""
    from .models import Probe

    tz = timezone.get_current_timezone()
    starts = week_starts(start, end)
    bounds = [timezone.make_aware(dt.datetime.combine(w, dt.time.min), tz) for w in starts]
    bounds.append(bounds[-1] + dt.timedelta(days=7))
    failed = Q(ok=False) | Q(elapsed_ms__gt=int(timeout_seconds * 1000))
    counts = {}
    for n in range(len(starts)):
        in_week = Q(at__gte=bounds[n], at__lt=bounds[n + 1])
        counts[f"t{n}"] = Count("id", filter=in_week)
        counts[f"f{n}"] = Count("id", filter=in_week & failed)
    rows = {row["channel_id"]: row for row in
            Probe.objects.filter(channel_id__in=list(channel_ids), at__gte=bounds[0], at__lt=bounds[-1])
            .values("channel_id").annotate(**counts)}
    empty = {key: 0 for key in counts}
    return {pk: [Week(w, rows.get(pk, empty)[f"t{n}"], rows.get(pk, empty)[f"f{n}"], max_ratio=max_ratio)
                 for n, w in enumerate(starts)] for pk in channel_ids}


def unreachable_weeks(weeks: list[Week]) -> list[Week]:
    return [w for w in weeks if w.status == UNREACHABLE]


def rule(config: dict) -> dict:
    """The 站点无法访问 thresholds of an indicator edition: timeout_seconds and max_ratio."""
    entry = next((v for v in config["website"]["veto"] if v["code"] == "site_unreachable"), {})
    return {"timeout_seconds": entry.get("timeout_seconds", 15), "max_ratio": entry.get("max_failure_ratio", 0.05)}


@dataclass
class Row:
    channel: object
    weeks: list  # oldest first


def channel_table(config: dict, today: dt.date, weeks: int = 4) -> list[Row]:
    """Every running website with a URL and its last `weeks` weeks (this one included), for the monitoring page."""
    from .monitor import running_websites

    sites = list(running_websites().order_by("name", "pk"))
    start = monday(today) - dt.timedelta(days=7 * (weeks - 1))
    counted = weekly([s.pk for s in sites], start, today, **rule(config))
    return [Row(site, counted[site.pk]) for site in sites]
