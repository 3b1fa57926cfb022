"""The check indicators (《政府网站与政务新媒体检查指标》国办秘函〔2019〕19号): configuration and scoring.

Scoring is split in two: `collect_facts` reads what monitoring, machine review and tickets recorded for a
channel in a period; `score_facts` is a pure function of those facts and one indicator version, so a
result can be recomputed by hand from its stored facts and the version it names."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.core.exceptions import ValidationError

DEFAULT_FILE = Path(__file__).with_name("indicators.json")
KINDS = ("website", "new_media")


def default_config() -> dict:
    return json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))


def _number(value, where: str, errors: list, *, integer=False, maximum=None):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        errors.append(f"{where} 必须是数字")
        return
    if value < 0:
        errors.append(f"{where} 不能为负数")
    if integer and int(value) != value:
        errors.append(f"{where} 必须是整数")
    if maximum is not None and value > maximum:
        errors.append(f"{where} 不能大于 {maximum}")


NUMERIC_KEYS = {"window_days": True, "timeout_seconds": False, "max_failure_ratio": False, "max_days": True,
                "min_columns": True, "min_items": True, "points_each": False, "max_points": False,
                "threshold_seconds": False, "min_posts_per_week": False}


def validate_config(config) -> dict:
    """Check an edited configuration; raises ValidationError listing every problem in Chinese."""
    errors: list[str] = []
    if not isinstance(config, dict):
        raise ValidationError("指标配置必须是一个 JSON 对象。")
    for key in ("full_score", "pass_score"):
        _number(config.get(key), key, errors)
    if not errors and config["pass_score"] > config["full_score"]:
        errors.append("pass_score 不能大于 full_score")
    for kind in KINDS:
        section = config.get(kind)
        if not isinstance(section, dict):
            errors.append(f"缺少 {kind} 部分")
            continue
        for part in ("veto", "deductions"):
            entries = section.get(part)
            if not isinstance(entries, list):
                errors.append(f"{kind}.{part} 必须是列表")
                continue
            codes = set()
            for index, entry in enumerate(entries):
                where = f"{kind}.{part}[{index}]"
                if not isinstance(entry, dict) or not entry.get("code") or not entry.get("name"):
                    errors.append(f"{where} 须有 code 和 name")
                    continue
                if entry["code"] in codes:
                    errors.append(f"{where} 的 code“{entry['code']}”重复")
                codes.add(entry["code"])
                for key, integer in NUMERIC_KEYS.items():
                    if key in entry:
                        _number(entry[key], f"{where}.{key}", errors, integer=integer,
                                maximum=1 if key == "max_failure_ratio" else None)
                if part == "deductions" and not {"points_each", "max_points"} <= set(entry):
                    errors.append(f"{where} 须有 points_each 和 max_points")
                for group in entry.get("groups", []):
                    if not isinstance(group, dict) or not isinstance(group.get("keywords"), list):
                        errors.append(f"{where}.groups 每项须有 keywords 列表")
                    else:
                        _number(group.get("max_days"), f"{where}.groups.max_days", errors, integer=True)
    if errors:
        raise ValidationError(errors)
    return config


DEFAULT_NOTE = "国办秘函〔2019〕19号 默认指标"


def current_version():
    """The newest indicator version. Before anyone has stored one, the shipped defaults as an unsaved
    version 1 (reading writes nothing; the first action that needs a stored version saves it)."""
    from .models import IndicatorVersion

    version = IndicatorVersion.objects.order_by("-number").first()
    return version or IndicatorVersion(number=1, config=default_config(), note=DEFAULT_NOTE)


@dataclass
class Facts:
    """What was observed for one channel in one period (all counts, hand-checkable)."""

    kind: str  # website | new_media
    period_days: int = 0
    # Whether anything observed the channel in the period (a monitor run, a finding, for a website a
    # probe): a channel nobody looked at is 未监测, never a pass by default.
    monitored: bool = True
    monitor_runs: int = 0
    probes_total: int = 0
    probes_failed: int = 0
    # 站点无法访问 is judged week by week (uptime.py): the weeks at ≥ 5 % failures, as readable lines.
    unreachable_weeks: list = field(default_factory=list)
    weeks_without_probes: int = 0
    home_days_since_update: int | None = None
    # columns: name → days since last update; `stale` are those past their content-list interval.
    column_days: dict = field(default_factory=dict)
    stale_columns: list = field(default_factory=list)
    empty_columns: list = field(default_factory=list)
    unanswered_days: list = field(default_factory=list)
    findings: dict = field(default_factory=dict)  # category → machine findings on what was published (扣分)
    confirmed: dict = field(default_factory=dict)  # category → confirmed serious problems (单项否决)
    home_broken_links: int = 0
    other_broken_links: int = 0
    slow_pages: int = 0
    overdue_tickets: int = 0
    days_since_last_post: int | None = None
    posts_in_period: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Score:
    score: Decimal | None  # None: 未监测
    passed: bool
    vetoes: list
    deductions: list

    @property
    def status(self) -> str:
        """passed | failed | unmonitored (IndicatorScore.Status)."""
        if self.score is None:
            return "unmonitored"
        return "passed" if self.passed else "failed"


def _categories_count(counts: dict, categories) -> int:
    return sum(counts.get(c, 0) for c in categories or ())


def _veto_hit(entry: dict, facts: Facts) -> str | None:
    """Why this veto item applies, or None. Unknown codes never veto (a typo must not fail a site)."""
    code = entry["code"]
    if code == "site_unreachable":
        if facts.unreachable_weeks:
            return (f"首页在 {entry.get('timeout_seconds', 15)} 秒内无法打开的次数达到一周探测的 "
                    f"{entry.get('max_failure_ratio', 0.05):.0%}：" + "；".join(facts.unreachable_weeks))
    elif code == "home_not_updated":
        days = facts.home_days_since_update
        if days is not None and days > entry.get("max_days", 14):
            return f"首页 {days} 天未更新"
    elif code == "columns_not_updated":
        stale = []
        for name, days in facts.column_days.items():
            for group in entry.get("groups", []):
                if any(k in name for k in group["keywords"]) and days > group["max_days"]:
                    stale.append(f"{name}（{days} 天）")
                    break
        if len(stale) >= entry.get("min_columns", 5):
            return f"{len(stale)} 个栏目未按期更新：" + "、".join(stale)
    elif code == "columns_long_not_updated":
        if len(facts.stale_columns) >= entry.get("min_columns", 10):
            return f"{len(facts.stale_columns)} 个栏目超过更新周期未更新"
    elif code == "empty_columns":
        if len(facts.empty_columns) >= entry.get("min_columns", 5):
            return f"{len(facts.empty_columns)} 个空白栏目：" + "、".join(facts.empty_columns)
    elif code == "interaction_unanswered":
        late = [d for d in facts.unanswered_days if d > entry.get("max_days", 90)]
        if len(late) >= entry.get("min_items", 1):
            return f"{len(late)} 条留言超过 {entry.get('max_days', 90)} 天未回复"
    elif code in ("serious_errors", "leaked_secrets"):
        count = _categories_count(facts.confirmed, entry.get("categories"))
        if count >= entry.get("min_items", 1):
            return f"发现 {count} 处"
    elif code == "account_silent":
        days = facts.days_since_last_post
        if days is None or days > entry.get("max_days", 14):
            return "从未发布信息" if days is None else f"{days} 天未更新"
    return None


def _deduction_count(entry: dict, facts: Facts, vetoed: set) -> int:
    code = entry["code"]
    if code == "home_broken_links":
        return facts.home_broken_links
    if code == "other_broken_links":
        return facts.other_broken_links
    if code == "slow_pages":
        return facts.slow_pages
    if code == "stale_columns":  # counted once: not again when the veto already applies
        return 0 if vetoed & {"columns_not_updated", "columns_long_not_updated"} else len(facts.stale_columns)
    if code == "empty_columns_some":
        return 0 if "empty_columns" in vetoed else len(facts.empty_columns)
    if code in ("wording_errors", "privacy_warnings"):
        return _categories_count(facts.findings, entry.get("categories"))
    if code == "overdue_tickets":
        return facts.overdue_tickets
    if code == "low_activity":
        weeks = max(1, facts.period_days // 7)
        return 1 if facts.posts_in_period / weeks < entry.get("min_posts_per_week", 1) else 0
    return 0


def _dec(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def score_facts(facts: Facts, config: dict) -> Score:
    """Full score minus capped deductions; any veto item, or a score under the pass mark, fails. A channel
    that was not monitored in the period gets no score at all (未监测)."""
    if not facts.monitored:
        return Score(score=None, passed=False, vetoes=[], deductions=[])
    section = config["website" if facts.kind == "website" else "new_media"]
    vetoes = []
    for entry in section["veto"]:
        why = _veto_hit(entry, facts)
        if why:
            vetoes.append({"code": entry["code"], "name": entry["name"], "detail": why})
    vetoed = {v["code"] for v in vetoes}
    deductions, total = [], Decimal(0)
    for entry in section["deductions"]:
        count = _deduction_count(entry, facts, vetoed)
        if count:
            points = min(_dec(entry["points_each"]) * count, _dec(entry["max_points"]))
            total += points
            deductions.append({"code": entry["code"], "name": entry["name"], "count": count,
                               "points": float(points)})
    score = max(Decimal(0), _dec(config["full_score"]) - total)
    return Score(score=score, passed=not vetoes and score >= _dec(config["pass_score"]), vetoes=vetoes,
                 deductions=deductions)


FACT_LABELS = {
    "monitored": "期内有监测数据", "monitor_runs": "监测次数", "period_days": "考核期天数",
    "probes_total": "可用性探测次数", "probes_failed": "探测失败次数",
    "unreachable_weeks": "无法访问的周（失败次数≥5%）", "weeks_without_probes": "无探测数据的周数", "home_days_since_update": "首页未更新天数",
    "column_days": "栏目未更新天数", "stale_columns": "超期未更新栏目", "empty_columns": "空白栏目",
    "unanswered_days": "未回复留言的天数", "findings": "已发布信息的机审问题（按类别）",
    "confirmed": "确认的严重问题（按类别）", "home_broken_links": "首页不可用链接", "other_broken_links": "其他页面不可用链接",
    "slow_pages": "打开缓慢的页面", "overdue_tickets": "逾期未整改的交办问题", "days_since_last_post": "距最后一次发布天数",
    "posts_in_period": "期内发布信息数",
}
SKIPPED_FACTS = {"kind"}


def _fact_value(value):
    from govpub.textcheck.findings import CATEGORY_LABELS

    if isinstance(value, bool):
        return "是" if value else "否（未监测）"
    if isinstance(value, dict):
        return "；".join(f"{CATEGORY_LABELS.get(k, k)} {v}" for k, v in value.items()) or "无"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "无"
    return "—" if value is None else value


def fact_rows(facts: dict) -> list[tuple[str, object]]:
    """A stored score's facts as (Chinese label, readable value) rows, in the order of Facts."""
    order = [name for name in Facts.__dataclass_fields__ if name not in SKIPPED_FACTS]
    known = [(FACT_LABELS.get(k, k), _fact_value(facts[k])) for k in order if k in facts]
    return known + [(k, _fact_value(v)) for k, v in facts.items() if k not in order and k not in SKIPPED_FACTS]


def evidence_findings(channel, start: dt.date, end: dt.date):
    """The monitor findings open at some time in [start, end]: the rows collect_facts counted."""
    from django.db.models import Q
    from django.utils import timezone

    from .models import MonitorFinding

    tz = timezone.get_current_timezone()
    start_at = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    end_at = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return (MonitorFinding.objects.filter(channel=channel, first_seen__lt=end_at)
            .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=start_at)).order_by("first_seen", "id"))


def _days(a: dt.datetime, end: dt.date) -> int:
    from django.utils import timezone

    return (end - timezone.localtime(a).date()).days


def collect_facts(channel, start: dt.date, end: dt.date, config: dict) -> Facts:
    """The facts for a channel over [start, end] from monitor findings, probes, publications and tickets."""
    from django.db.models import Max
    from django.utils import timezone

    from govpub.content.models import MachineFinding
    from govpub.publishing.models import Publication
    from govpub.textcheck.findings import CATEGORY_LABELS

    from .models import MonitorKind, MonitorRun, Ticket

    category_codes = {label: code for code, label in CATEGORY_LABELS.items()}

    tz = timezone.get_current_timezone()
    start_at = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    end_at = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    facts = Facts(kind="website" if channel.is_website else "new_media", period_days=(end - start).days + 1)

    observed = False  # any monitor finding in the period is an observation of the channel
    for finding in evidence_findings(channel, start, end):
        observed = True
        evidence = finding.evidence or {}
        if finding.kind == MonitorKind.BROKEN_LINK:
            if evidence.get("on_home"):
                facts.home_broken_links += 1
            else:
                facts.other_broken_links += 1
        elif finding.kind == MonitorKind.SLOW_PAGE:
            facts.slow_pages += 1
        elif finding.kind == MonitorKind.HOME_STALE:
            days = int(evidence.get("days", 0))
            facts.home_days_since_update = max(days, facts.home_days_since_update or 0)
        elif finding.kind == MonitorKind.COLUMN_STALE:
            name = evidence.get("column") or finding.message
            facts.stale_columns.append(name)
            facts.column_days[name] = int(evidence.get("days", 0))
        elif finding.kind == MonitorKind.COLUMN_EMPTY:
            facts.empty_columns.append(evidence.get("column") or finding.message)
        elif finding.kind == MonitorKind.INTERACTION:
            facts.unanswered_days.append(int(evidence.get("days", 0)))
        elif finding.kind == MonitorKind.SERIOUS_ERROR:
            category = evidence.get("category", "political")
            facts.confirmed[category] = facts.confirmed.get(category, 0) + 1
        elif finding.kind == MonitorKind.PAGE_CONTENT and evidence.get("severity") == "serious":
            # A serious problem the content scan saw on a live page counts as confirmed, like a rescan's.
            category = category_codes.get(evidence.get("category"), evidence.get("category"))
            facts.confirmed[category] = facts.confirmed.get(category, 0) + 1
        elif finding.kind == MonitorKind.ACCOUNT_SILENT and evidence.get("days") is not None:
            facts.days_since_last_post = int(evidence["days"])

    if facts.kind == "website":
        from . import uptime

        weeks = uptime.weekly([channel.pk], start, end, **uptime.rule(config))[channel.pk]
        facts.probes_total = sum(w.probes for w in weeks)
        facts.probes_failed = sum(w.failed for w in weeks)
        facts.unreachable_weeks = [w.describe() for w in uptime.unreachable_weeks(weeks)]
        facts.weeks_without_probes = sum(1 for w in weeks if not w.probes)

    # What went out on this channel in the period, and the machine findings its revisions still carry.
    publications = Publication.objects.filter(channel=channel, live_at__isnull=False)
    in_period = publications.filter(live_at__gte=start_at, live_at__lt=end_at)
    facts.posts_in_period = in_period.values("item_id").distinct().count()
    # Warnings reviewers let through count as deductions; vetoes need a confirmed problem (a monitor finding).
    findings = (MachineFinding.objects.filter(revision__in=in_period.values("revision_id"), dismissed_at__isnull=True,
                                              severity__in=("block", "warn"))
                .values("revision_id", "field", "category", "start", "rule").distinct())
    for row in findings:
        facts.findings[row["category"]] = facts.findings.get(row["category"], 0) + 1
    if facts.kind == "new_media" and facts.days_since_last_post is None:
        last = publications.filter(live_at__lt=end_at).aggregate(last=Max("live_at"))["last"]
        facts.days_since_last_post = _days(last, end) if last else None

    facts.overdue_tickets = Ticket.objects.filter(channel=channel).overdue(end).filter(created_at__lt=end_at).count()
    facts.monitor_runs = MonitorRun.objects.filter(channel=channel, started_at__gte=start_at, started_at__lt=end_at).count()
    facts.monitored = bool(facts.monitor_runs or facts.probes_total or observed)
    return facts
