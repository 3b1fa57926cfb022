"""Annual assessment (年度考核, 第十一条(四)): a score per unit from the year's indicator scores, tickets,
inspections and accountability incidents, with configurable weights; the breakdown is kept, not only the total."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone

# Each component is scored 0–100; the total is the weighted mean of the components that have data. A unit
# whose channels were never monitored has no total (未监测) and no rank: no data is not a result.
DEFAULT_WEIGHTS = {"indicators": 0.4, "tickets": 0.3, "inspections": 0.2, "incidents": 0.1,
                   "ticket_overdue_penalty": 10, "incident_penalty": 25, "order_penalty": 20, "shutdown_penalty": 40}
COMPONENTS = {"indicators": "检查指标", "tickets": "问题整改", "inspections": "督查抽查", "incidents": "责任追究"}


def validate_weights(weights: dict) -> dict:
    result = dict(DEFAULT_WEIGHTS)
    errors = []
    for key, value in (weights or {}).items():
        if key not in DEFAULT_WEIGHTS:
            errors.append(f"未知的权重项：{key}")
            continue
        try:
            value = float(value)
        except (TypeError, ValueError):
            errors.append(f"{key} 必须是数字")
            continue
        if value < 0:
            errors.append(f"{key} 不能为负数")
        result[key] = value
    if not errors and sum(result[k] for k in COMPONENTS) <= 0:
        errors.append("各项权重之和必须大于 0")
    if errors:
        raise ValidationError(errors)
    return result


def current_weights() -> dict:
    from .models import AssessmentConfig

    config = AssessmentConfig.objects.order_by("-created_at", "-id").first()
    return validate_weights(config.weights) if config else dict(DEFAULT_WEIGHTS)


@dataclass
class UnitAssessment:
    unit: object
    components: dict = field(default_factory=dict)  # key → (score or None when there is no data, detail)
    total: float | None = None
    rank: int | None = None
    failed_channels: list = field(default_factory=list)  # "channel（veto or score）" that failed in the year

    @property
    def verdict(self) -> str:
        if self.total is None:
            return "未监测"
        return "不合格" if self.failed_channels else "合格"


def compute(year: int, weights: dict | None = None) -> list[UnitAssessment]:
    from govpub.orgs.models import Unit, UnitKind

    from .bulletin import compute as quarter_figures
    from .models import Incident, IndicatorScore

    weights = validate_weights(weights) if weights is not None else current_weights()
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    tz = timezone.get_current_timezone()
    rows = {u.pk: UnitAssessment(u) for u in Unit.objects.exclude(kind=UnitKind.OPEN_OFFICE).order_by("kind", "name")}
    scores: dict[int, list[float]] = {}
    failing: dict[int, list[str]] = {}
    for unit_id, channel, score, status, vetoes in IndicatorScore.objects.filter(
            period_end__gte=start, period_end__lte=end).order_by("period_end", "pk").values_list(
            "channel__operator_unit_id", "channel__name", "score", "status", "vetoes"):
        if status == IndicatorScore.Status.UNMONITORED:
            continue
        # A channel failed by a 单项否决 counts 0: its points must not raise its unit.
        scores.setdefault(unit_id, []).append(0.0 if vetoes else float(score))
        if status == IndicatorScore.Status.FAILED:
            why = "、".join(v.get("name", "") for v in vetoes) or f"{score} 分"
            failing.setdefault(unit_id, []).append(f"{channel}（{why}）")
    opened, overdue, checked, failed, orders, shutdowns = {}, {}, {}, {}, {}, {}
    for quarter in (1, 2, 3, 4):
        if dt.date(year, 3 * quarter - 2, 1) > timezone.localdate():
            break
        for figures in quarter_figures(year, quarter)[2]:
            uid = figures.unit.pk
            opened[uid] = opened.get(uid, 0) + figures.tickets_opened
            overdue[uid] = overdue.get(uid, 0) + figures.tickets_overdue
            checked[uid] = checked.get(uid, 0) + figures.samples_checked
            failed[uid] = failed.get(uid, 0) + figures.samples_failed
            orders[uid] = orders.get(uid, 0) + figures.orders
            shutdowns[uid] = shutdowns.get(uid, 0) + figures.shutdowns
    incidents: dict[int, int] = {}
    for unit_id in Incident.objects.filter(
            occurred_at__gte=dt.datetime(year, 1, 1, tzinfo=tz),
            occurred_at__lt=dt.datetime(year + 1, 1, 1, tzinfo=tz)).values_list("unit_id", flat=True):
        incidents[unit_id] = incidents.get(unit_id, 0) + 1
    for uid, row in rows.items():
        values = scores.get(uid)
        row.failed_channels = failing.get(uid, [])
        row.components["indicators"] = (
            round(sum(values) / len(values), 1) if values else None,
            (f"{len(values)} 次渠道得分的平均（单项否决按 0 分计）" if values else "未监测：全年没有渠道得分"))
        penalty = (weights["ticket_overdue_penalty"] * overdue.get(uid, 0) + weights["order_penalty"] * orders.get(uid, 0)
                   + weights["shutdown_penalty"] * shutdowns.get(uid, 0))
        row.components["tickets"] = (max(0.0, 100 - penalty),
                                     f"交办 {opened.get(uid, 0)} 个，逾期 {overdue.get(uid, 0)} 个，"
                                     f"限期整改令 {orders.get(uid, 0)} 次，责令关停 {shutdowns.get(uid, 0)} 次")
        row.components["inspections"] = (
            round(100 * (checked[uid] - failed[uid]) / checked[uid], 1) if checked.get(uid) else None,
            f"抽查 {checked[uid]} 篇，存在问题 {failed[uid]} 篇" if checked.get(uid) else "未抽查（不计入总分）")
        row.components["incidents"] = (max(0.0, 100 - weights["incident_penalty"] * incidents.get(uid, 0)),
                                       f"责任追究事件 {incidents.get(uid, 0)} 起")
        if values:
            counted = [k for k in COMPONENTS if row.components[k][0] is not None and weights[k] > 0]
            weight = sum(weights[k] for k in counted)
            row.total = round(sum(weights[k] * row.components[k][0] for k in counted) / weight, 1) if weight else None
    order = {"合格": 0, "不合格": 1, "未监测": 2}
    ranked = sorted(rows.values(), key=lambda r: (order[r.verdict], -(r.total or 0), r.unit.name))
    position = 0
    for row in ranked:
        if row.total is not None:
            position += 1
            row.rank = position
    return ranked
