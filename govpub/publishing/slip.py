"""审核签发单: one sheet per item and revision for the paper archive many offices keep — the item, its
unit and author, each review step (reviewer, time, outcome, the ten 第八条 answers, 保密审查, 校对,
opinion), the revision's fingerprint, and where and when it was published. The same facts feed the
printable page and the PDF; reads only."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.utils import timezone

from govpub.review.models import CHECKLIST, Decision, ReviewRun

from .models import Publication

ANSWER = {True: "是", False: "否", None: "未回答"}


@dataclass
class SlipStep:
    step: str
    reviewer: str
    decided_at: object
    outcome: str
    answers: list[tuple[str, str]]  # (question, 是/否/未回答)
    confidentiality: str
    proofread: str
    comment: str
    notes: list[tuple[str, str]] = field(default_factory=list)  # (question, why 是 despite open findings)


@dataclass
class Slip:
    title: str
    unit: str
    author: str
    revision: int
    fingerprint: str
    submitted_at: object
    submitted_by: str
    run_status: str
    steps: list[SlipStep] = field(default_factory=list)
    publications: list[tuple[str, str, object]] = field(default_factory=list)  # (where, status, live at)


def revision_for(item, number: int | None):
    """The revision a slip is asked for: that number (None when the item has none such), else the one
    online, else the current one."""
    if number is not None:
        return item.revisions.filter(number=number).first()
    return item.live_revision or item.current_revision


def _run_for(item, revision):
    """The review run of that revision that decided it: approved first, else the latest."""
    runs = ReviewRun.objects.filter(item=item, revision=revision).select_related("started_by").order_by("-started_at", "-id")
    return next((r for r in runs if r.status == "approved"), None) or runs.first()


def build(item, revision) -> Slip:
    run = _run_for(item, revision)
    slip = Slip(title=revision.title, unit=item.unit.name, author=item.author.display_name, revision=revision.number,
                fingerprint=revision.content_hash, submitted_at=run.started_at if run else None,
                submitted_by=run.started_by.display_name if run else "—",
                run_status=run.get_status_display() if run else "未提交审核")
    if run is not None:
        for d in Decision.objects.filter(run=run).select_related("reviewer").order_by("decided_at", "id"):
            slip.steps.append(SlipStep(
                step=d.get_step_display(), reviewer=d.reviewer.display_name, decided_at=d.decided_at,
                outcome=d.get_decision_display(),
                answers=[(f"（{'一二三四五六七八九十'[n]}）{question}", ANSWER[d.checklist.get(key)])
                         for n, (key, question) in enumerate(CHECKLIST)],
                confidentiality=ANSWER[d.confidentiality_ok], proofread=ANSWER[d.proofread_ok], comment=d.comment,
                notes=[(question, d.point_notes[key]) for key, question in CHECKLIST if d.point_notes.get(key)]))
    for p in (Publication.objects.filter(item=item, revision=revision).select_related("channel", "column")
              .order_by("id")):
        where = f"{p.channel.name} / {p.column.path_name}" if p.column else p.channel.name
        slip.publications.append((where, p.get_status_display(), p.live_at))
    return slip


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def pdf(slip: Slip) -> bytes:
    """The slip as an A4 PDF. The text uses the Adobe-GB1 CID font STSong-Light, which every PDF reader
    supplies for Chinese, so no font file ships with GovPub and the text stays selectable and searchable."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from xml.sax.saxutils import escape

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10.5, leading=15, wordWrap="CJK")
    head = ParagraphStyle("head", parent=body, fontSize=18, leading=26, alignment=1)
    small = ParagraphStyle("small", parent=body, fontSize=9, leading=12)

    def p(text, style=body):
        return Paragraph(escape(str(text)), style)

    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                       ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2"))])
    width = A4[0] - 40 * mm
    story = [p("政务信息审核签发单", head), Spacer(1, 6 * mm)]
    facts = [("标题", slip.title), ("单位", slip.unit), ("撰稿人", slip.author),
             ("版本", f"第 {slip.revision} 版"), ("提交审核", f"{slip.submitted_by}，{_when(slip.submitted_at)}"),
             ("审核结果", slip.run_status)]
    table = Table([[p(k), p(v)] for k, v in facts], colWidths=[28 * mm, width - 28 * mm])
    table.setStyle(grid)
    story += [table, Spacer(1, 5 * mm)]
    for step in slip.steps:
        # The step and who decided it across the table's width; the answers below; a step is never split
        # over two pages.
        rows = [[p(f"{step.step}：{step.reviewer}　{_when(step.decided_at)}　意见：{step.outcome}"), ""]]
        rows += [[p(q, small), p(a, small)] for q, a in step.answers]
        rows += [[p("保密审查", small), p(step.confidentiality, small)], [p("校对", small), p(step.proofread, small)],
                 [p("审核意见", small), p(step.comment or "—", small)]]
        rows += [[p(f"说明（{q}）", small), p(note, small)] for q, note in step.notes]
        table = Table(rows, colWidths=[width - 40 * mm, 40 * mm])
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("SPAN", (0, 0), (1, 0)), ("BACKGROUND", (0, 0), (1, 0), colors.HexColor("#f2f2f2"))]))
        story += [KeepTogether([table, Spacer(1, 4 * mm)])]
    if not slip.steps:
        story += [p("该版本尚无审核意见。"), Spacer(1, 4 * mm)]
    rows = [[p("发布渠道", small), p("状态", small), p("上线时间", small)]]
    rows += [[p(w, small), p(s, small), p(_when(at), small)] for w, s, at in slip.publications] or []
    if not slip.publications:
        rows.append([p("尚未发布", small), p("—", small), p("—", small)])
    table = Table(rows, colWidths=[width - 70 * mm, 30 * mm, 40 * mm])
    table.setStyle(grid)
    story += [table, Spacer(1, 5 * mm), p(f"版本指纹（SHA-256）：{slip.fingerprint}", small),
              p(f"打印时间：{_when(timezone.now())}　由政务信息审核发布管理平台生成", small)]
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, title=f"审核签发单：{slip.title}", author=slip.unit)
    def page_number(canvas, document):
        canvas.setFont("STSong-Light", 9)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"第 {document.page} 页")

    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return out.getvalue()
