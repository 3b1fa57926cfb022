"""Quarterly bulletin (季度通报, 第十一条(三)): per-unit figures computed from what happened, on screen, .docx, .xlsx."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

STEP_LABELS = {"first_review": "初审", "second_review": "复审", "final_review": "终审", "principal_review": "主要负责人审核"}


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1–4")
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def _aware(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


@dataclass
class UnitFigures:
    unit: object
    items_published: int = 0
    avg_hours_to_publish: float | None = None
    step_hours: dict = field(default_factory=dict)  # step → average hours
    returned: int = 0
    rejected: int = 0
    findings: dict = field(default_factory=dict)  # category → count
    monitor_problems: int = 0
    # {"channel", "score" (None: 未监测), "status" (passed|failed|unmonitored), "vetoed": [veto names]}
    scores: list = field(default_factory=list)
    tickets_opened: int = 0
    tickets_closed_in_time: int = 0
    tickets_overdue: int = 0
    samples_checked: int = 0
    samples_failed: int = 0
    # Sanctions (第十一条、第十二条): 限期整改令 and 责令关停 ordered in the quarter, 问责 decided in it, and
    # tickets from earlier quarters still owing at its end.
    orders: int = 0
    shutdowns: int = 0
    accountability: int = 0
    carried_overdue: int = 0
    rank: int | None = None  # None: 未监测, ranked apart

    @property
    def monitored_scores(self) -> list:
        return [s for s in self.scores if s["status"] != "unmonitored"]

    @property
    def average_score(self) -> float | None:
        """The mean of the monitored channels' scores, a channel failed by a 单项否决 counting 0: a unit is
        never raised by a channel that failed, whatever its points."""
        scores = self.monitored_scores
        if not scores:
            return None
        return round(sum(0.0 if s["vetoed"] else float(s["score"]) for s in scores) / len(scores), 1)

    @property
    def failed_channels(self) -> int:
        return sum(1 for s in self.scores if s["status"] == "failed")

    @property
    def unmonitored_channels(self) -> list[str]:
        return [s["channel"] for s in self.scores if s["status"] == "unmonitored"]

    @property
    def verdict(self) -> str:
        if not self.monitored_scores:
            return "未监测"
        return "不合格" if self.failed_channels else "合格"

    @property
    def sanctions(self) -> str:
        parts = [(self.orders, "限期整改令"), (self.shutdowns, "责令关停"), (self.accountability, "问责"),
                 (self.carried_overdue, "往期逾期未整改")]
        return "、".join(f"{label} {n}" for n, label in parts if n) or "—"


def _mean(values):
    return round(sum(values) / len(values), 1) if values else None


def compute(year: int, quarter: int, unit_ids=None) -> tuple[dt.date, dt.date, list[UnitFigures]]:
    from govpub.content.models import Item, MachineFinding
    from govpub.orgs.models import Unit, UnitKind
    from govpub.publishing.models import Publication
    from govpub.review.models import Decision

    from .models import (Incident, IndicatorScore, InspectionSample, MonitorFinding, Ticket, TicketEvent,
                         TicketState)

    start, end = quarter_bounds(year, quarter)
    start_at, end_at = _aware(start), _aware(end + dt.timedelta(days=1))
    units = Unit.objects.exclude(kind=UnitKind.OPEN_OFFICE).order_by("kind", "name")
    if unit_ids is not None:  # one chunk of a bulletin job
        units = units.filter(pk__in=unit_ids)
    rows = {u.pk: UnitFigures(u) for u in units}

    first_live = {}
    for item_id, unit_id, live_at in (Publication.objects.filter(live_at__gte=start_at, live_at__lt=end_at)
                                      .values_list("item_id", "item__unit_id", "live_at")):
        if unit_id in rows and (item_id not in first_live or live_at < first_live[item_id][1]):
            first_live[item_id] = (unit_id, live_at)
    submitted = dict(Item.objects.filter(pk__in=first_live).values_list("pk", "submitted_at"))
    hours: dict[int, list] = {}
    for item_id, (unit_id, live_at) in first_live.items():
        rows[unit_id].items_published += 1
        if submitted.get(item_id) and submitted[item_id] <= live_at:
            hours.setdefault(unit_id, []).append((live_at - submitted[item_id]).total_seconds() / 3600)
    for unit_id, values in hours.items():
        rows[unit_id].avg_hours_to_publish = _mean(values)

    step_values: dict[int, dict[str, list]] = {}
    decisions = (Decision.objects.filter(decided_at__gte=start_at, decided_at__lt=end_at)
                 .select_related("run", "run__item").order_by("run_id", "decided_at", "id"))
    previous = {}
    for decision in decisions:
        unit_id = decision.run.item.unit_id
        if unit_id not in rows:
            continue
        row = rows[unit_id]
        if decision.decision == Decision.Outcome.RETURN:
            row.returned += 1
        elif decision.decision == Decision.Outcome.REJECT:
            row.rejected += 1
        since = previous.get(decision.run_id, decision.run.started_at)
        step_values.setdefault(unit_id, {}).setdefault(decision.step, []).append(
            (decision.decided_at - since).total_seconds() / 3600)
        previous[decision.run_id] = decision.decided_at
    for unit_id, steps in step_values.items():
        rows[unit_id].step_hours = {STEP_LABELS.get(s, s): _mean(v) for s, v in steps.items()}

    for unit_id, category in (MachineFinding.objects.filter(checked_at__gte=start_at, checked_at__lt=end_at)
                              .exclude(severity="info").values_list("revision__item__unit_id", "category")):
        if unit_id in rows:
            rows[unit_id].findings[category] = rows[unit_id].findings.get(category, 0) + 1

    for unit_id in (MonitorFinding.objects.filter(first_seen__lt=end_at)
                    .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=start_at))
                    .values_list("channel__operator_unit_id", flat=True)):
        if unit_id in rows:
            rows[unit_id].monitor_problems += 1

    latest = {}
    for score in (IndicatorScore.objects.filter(period_end__gte=start, period_end__lte=end)
                  .select_related("channel").order_by("channel_id", "-period_end", "-computed_at")):
        latest.setdefault(score.channel_id, score)
    for score in latest.values():
        if score.channel.operator_unit_id in rows:
            rows[score.channel.operator_unit_id].scores.append({
                "channel": score.channel.name, "score": None if score.score is None else float(score.score),
                "status": score.status, "vetoed": [v.get("name", "") for v in score.vetoes]})

    reported = {}
    for ticket_id, at in (TicketEvent.objects.filter(kind=TicketEvent.Kind.REPORT).order_by("at")
                          .values_list("ticket_id", "at")):
        reported[ticket_id] = at  # the last report counts (a sent-back ticket must report again)
    for ticket in Ticket.objects.filter(created_at__gte=start_at, created_at__lt=end_at):
        row = rows.get(ticket.unit_id)
        if row is None:
            continue
        row.tickets_opened += 1
        last_report = reported.get(ticket.pk)
        in_time = last_report is not None and timezone.localtime(last_report).date() <= ticket.deadline
        if ticket.state == TicketState.VERIFIED and in_time:
            row.tickets_closed_in_time += 1
        elif (ticket.state in (TicketState.ASSIGNED, TicketState.RECTIFYING) and ticket.deadline < min(end, timezone.localdate())) \
                or (last_report is not None and not in_time) or ticket.state == TicketState.SHUT_DOWN:
            row.tickets_overdue += 1

    for unit_id, kind in (TicketEvent.objects.filter(at__gte=start_at, at__lt=end_at,
                                                     kind__in=(TicketEvent.Kind.ORDER, TicketEvent.Kind.SHUT_DOWN))
                          .values_list("ticket__unit_id", "kind")):
        if unit_id in rows:
            if kind == TicketEvent.Kind.ORDER:
                rows[unit_id].orders += 1
            else:
                rows[unit_id].shutdowns += 1
    for unit_id in Incident.objects.filter(decided_at__gte=start_at, decided_at__lt=end_at).values_list("unit_id", flat=True):
        if unit_id in rows:
            rows[unit_id].accountability += 1
    for unit_id in Ticket.objects.filter(created_at__lt=start_at).overdue(end).values_list("unit_id", flat=True):
        if unit_id in rows:
            rows[unit_id].carried_overdue += 1

    for unit_id, result in (InspectionSample.objects.filter(reviewed_at__gte=start_at, reviewed_at__lt=end_at)
                            .values_list("item__unit_id", "result")):
        if unit_id in rows:
            rows[unit_id].samples_checked += 1
            rows[unit_id].samples_failed += result == "fail"

    return start, end, rank(rows.values())


def rank(rows) -> list[UnitFigures]:
    """合格 units by average score, then 不合格 ones (a veto fails the unit whatever its points), then the
    未监测 ones, which get no rank: no data is not a result."""
    order = {"合格": 0, "不合格": 1, "未监测": 2}
    ranked = sorted(rows, key=lambda r: (order[r.verdict], -(r.average_score or 0), r.failed_channels,
                                         r.tickets_overdue + r.carried_overdue, r.samples_failed, r.unit.name))
    position = 0
    for row in ranked:
        if row.verdict == "未监测":
            row.rank = None
        else:
            position += 1
            row.rank = position
    return ranked


HEADERS = ["排名", "单位", "发布信息数", "平均审核用时（小时）", "退回", "不予发布", "机审问题", "监测问题",
           "渠道平均得分", "结果", "不合格渠道", "交办问题", "按期整改", "逾期", "督查抽查", "抽查问题", "处理措施"]


def table_rows(rows: list[UnitFigures]) -> list[list]:
    return [[r.rank if r.rank is not None else "未监测", r.unit.name, r.items_published,
             r.avg_hours_to_publish if r.avg_hours_to_publish is not None else "—",
             r.returned, r.rejected, sum(r.findings.values()), r.monitor_problems,
             r.average_score if r.average_score is not None else "—", r.verdict, r.failed_channels, r.tickets_opened,
             r.tickets_closed_in_time, r.tickets_overdue, r.samples_checked, r.samples_failed, r.sanctions]
            for r in rows]


def title(year: int, quarter: int) -> str:
    return f"关于{year}年第{'一二三四'[quarter - 1]}季度政府网站和政务新媒体信息内容管理情况的通报"


def as_xlsx(year: int, quarter: int, rows: list[UnitFigures]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from govpub.ops.spreadsheet import append_row  # unit names are user input: never a formula

    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}年第{quarter}季度"
    append_row(sheet, [title(year, quarter)])
    sheet["A1"].font = Font(bold=True, size=14)
    append_row(sheet, HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    for row in table_rows(rows):
        append_row(sheet, row)
    findings = book.create_sheet("机审问题分类")
    categories = sorted({c for r in rows for c in r.findings})
    append_row(findings, ["单位", *categories])
    for r in rows:
        append_row(findings, [r.unit.name, *[r.findings.get(c, 0) for c in categories]])
    sheet.column_dimensions["B"].width = 24
    if rows:
        from openpyxl.chart import BarChart, Reference

        chart = BarChart()  # a native Excel chart: no image library needed
        chart.type, chart.title, chart.y_axis.title = "bar", "各单位发布信息数与交办问题", "数量"
        published_col, tickets_col = HEADERS.index("发布信息数") + 1, HEADERS.index("交办问题") + 1
        data = Reference(sheet, min_col=published_col, max_col=published_col, min_row=2, max_row=2 + len(rows))
        tickets = Reference(sheet, min_col=tickets_col, max_col=tickets_col, min_row=2, max_row=2 + len(rows))
        chart.add_data(data, titles_from_data=True)
        chart.add_data(tickets, titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=2, min_row=3, max_row=2 + len(rows)))
        chart.height, chart.width = 12, 20
        sheet.add_chart(chart, f"B{len(rows) + 5}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_docx(year: int, quarter: int, start: dt.date, end: dt.date, rows: list[UnitFigures]) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from .letters import XIAOBIAOSONG, _paragraph, chinese_date, issuer_name, official_document

    issuer = issuer_name()
    doc = official_document(issuer)
    _paragraph(doc)
    _paragraph(doc, title(year, quarter), font=XIAOBIAOSONG, size=22, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc)
    _paragraph(doc, "各乡镇人民政府，区直各部门：")
    published = sum(r.items_published for r in rows)
    opened = sum(r.tickets_opened for r in rows)
    overdue = sum(r.tickets_overdue for r in rows)
    failed_units = [r.unit.name for r in rows if r.failed_channels]
    _paragraph(doc, f"根据日常监测、抽查检查等情况，现将{chinese_date(start)}至{chinese_date(end)}全区政府网站和政务新媒体"
                    f"信息内容管理情况通报如下。本季度各单位共发布信息 {published} 条，交办问题 {opened} 个，"
                    f"其中逾期未整改 {overdue} 个。", indent_chars=2)
    if failed_units:
        _paragraph(doc, "检查不合格渠道所属单位：" + "、".join(failed_units) + "（触发单项否决的渠道按 0 分计入单位平均分）。"
                        "请相关单位立即整改。", indent_chars=2)
    for paragraph in sanction_paragraphs(rows):
        _paragraph(doc, paragraph, indent_chars=2)
    table = doc.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, HEADERS):
        cell.text = header
    for values in table_rows(rows):
        for cell, value in zip(table.add_row().cells, values):
            cell.text = str(value)
    _paragraph(doc)
    _docx_bar_chart(doc, "各单位交办问题数", rows, "tickets_opened")
    _docx_bar_chart(doc, "各单位发布信息数", rows, "items_published")
    _paragraph(doc)
    _paragraph(doc, issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, chinese_date(timezone.localdate()), align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def sanction_paragraphs(rows: list[UnitFigures]) -> list[str]:
    """The quarter's sanctions and the units not monitored, named unit by unit (empty parts left out)."""
    out = []
    for attr, label in (("orders", "被下达限期整改令"), ("shutdowns", "被责令关停渠道"), ("accountability", "被问责"),
                        ("carried_overdue", "往期交办问题至本季度末仍逾期未整改")):
        named = [f"{r.unit.name}（{getattr(r, attr)}）" for r in rows if getattr(r, attr)]
        if named:
            out.append(f"本季度{label}的单位：" + "、".join(named) + "。")
    unmonitored = [r.unit.name for r in rows if r.verdict == "未监测"]
    if unmonitored:
        out.append("以下单位的渠道本季度没有监测数据，未予评分、不参与排名：" + "、".join(unmonitored) + "。")
    return out


DOCX_BAR_CELLS = 24  # the longest bar, in full-block characters


def _docx_bar_chart(doc, caption: str, rows: list[UnitFigures], attr: str) -> None:
    """A horizontal bar chart drawn in the document itself (a table of full-block bars), so it opens in any
    Word or WPS without an image library on the server or a chart engine in the reader."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    from .letters import _paragraph

    _paragraph(doc, f"图：{caption}", align=WD_ALIGN_PARAGRAPH.CENTER, size=14, bold=True)
    values = [(r.unit.short_name or r.unit.name, getattr(r, attr)) for r in rows]
    top = max((v for _, v in values), default=0) or 1
    table = doc.add_table(rows=0, cols=3)
    for name, value in values:
        cells = table.add_row().cells
        cells[0].text = name
        length = round(DOCX_BAR_CELLS * value / top)
        run = cells[1].paragraphs[0].add_run("█" * length)
        run.font.color.rgb, run.font.size = RGBColor(0xA4, 0x00, 0x0F), Pt(10)
        cells[2].text = str(value)


ROW = 20  # SVG units per bar


def chart_bars(rows: list[UnitFigures], attr: str = "items_published") -> dict:
    """Geometry of an on-screen horizontal bar chart (inline SVG, no script, no image library)."""
    values = [(r.unit.short_name or r.unit.name, getattr(r, attr)) for r in rows]
    top = max((v for _, v in values), default=0) or 1
    bars = [{"name": name, "value": value, "y": i * ROW, "text_y": i * ROW + 14,
             "width": round(400 * value / top), "label_x": 134 + round(400 * value / top)}
            for i, (name, value) in enumerate(values)]
    return {"bars": bars, "height": len(bars) * ROW}


class BulletinJob:
    """The quarterly bulletin as a durable job (govpub.jobs): figures computed per group of units (params
    units_per_chunk; default all units in one chunk — every figure is an aggregate over the whole quarter, so
    more chunks repeat those scans), then ranked and written as .docx and .xlsx under MEDIA_ROOT/bulletins."""

    label = "季度通报生成"

    @staticmethod
    def plan(params: dict):
        from govpub.orgs.models import Unit, UnitKind

        quarter_bounds(params["year"], params["quarter"])  # a bad quarter fails before any chunk exists
        ids = list(Unit.objects.exclude(kind=UnitKind.OPEN_OFFICE).order_by("pk").values_list("pk", flat=True))
        size = int(params.get("units_per_chunk") or len(ids) or 1)
        return [({"units": ids[i:i + size]}, len(ids[i:i + size])) for i in range(0, len(ids), size)]

    @staticmethod
    def run(params: dict, payload: dict) -> dict:
        _, _, rows = compute(params["year"], params["quarter"], unit_ids=payload["units"])
        return {"rows": [figures_as_dict(r) for r in rows]}

    @staticmethod
    def finish(params: dict, results: list[dict]) -> dict:
        import uuid

        from django.conf import settings

        from govpub.orgs.models import Unit

        year, quarter = params["year"], params["quarter"]
        data = [d for r in results for d in r.get("rows", [])]
        units = Unit.objects.in_bulk([d["unit"] for d in data])
        rows = rank(figures_from_dict(d, units[d["unit"]]) for d in data if d["unit"] in units)
        start, end = quarter_bounds(year, quarter)
        folder = settings.MEDIA_ROOT / "bulletins"
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"{year}Q{quarter}-{uuid.uuid4().hex[:8]}"
        (folder / f"{stem}.docx").write_bytes(as_docx(year, quarter, start, end, rows))
        (folder / f"{stem}.xlsx").write_bytes(as_xlsx(year, quarter, rows))
        return {"units": len(rows), "docx": f"bulletins/{stem}.docx", "xlsx": f"bulletins/{stem}.xlsx",
                "summary": f"{year}年第{quarter}季度通报：{len(rows)} 个单位，已生成 Word 和 Excel 文件"}


def figures_as_dict(row: UnitFigures) -> dict:
    data = {name: getattr(row, name) for name in UnitFigures.__dataclass_fields__ if name != "unit"}
    data["unit"] = row.unit.pk
    return data


def figures_from_dict(data: dict, unit) -> UnitFigures:
    values = {k: v for k, v in data.items() if k != "unit"}
    return UnitFigures(unit=unit, **values)
