"""Quarterly bulletin: every figure is the hand-counted difference our fixtures make (the demo data has its own)."""

import datetime as dt
import io

import pytest
from django.utils import timezone

from govpub.publishing import actions as publishing_actions
from govpub.publishing.models import Publication
from govpub.review import actions as review_actions
from govpub.review.models import CHECKLIST_KEYS
from govpub.supervision import actions
from govpub.supervision.bulletin import compute, quarter_bounds
from govpub.supervision.models import MonitorFinding, Ticket

from .conftest import people

pytestmark = pytest.mark.django_db
PARTY, YANJI = "区党政办公室", "燕矶镇人民政府"


def test_quarter_bounds():
    assert quarter_bounds(2026, 1) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert quarter_bounds(2026, 4) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    with pytest.raises(ValueError):
        quarter_bounds(2026, 5)


def _figures(year, quarter):
    return {r.unit.name: r for r in compute(year, quarter)[2]}


def test_figures_ranking_and_downloads(approved_item, make_item, assign, yanji_wechat, client_for):
    from workflow.conftest import decide

    today = timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    before = _figures(year, quarter)

    for n in range(2):  # 2 items published by 区党政办公室
        item = approved_item(title=f"通报测试稿件{n}")
        publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                        revision_hash=item.current_revision.content_hash)
        Publication.objects.filter(item=item).update(live_at=timezone.now())
    returned = make_item(title="退回的稿件")  # 1 returned at 初审
    review_actions.submit_for_review(returned, acting_user=people("demo-editor"))
    decide(returned, "first_review", "return")

    in_time = assign(yanji_wechat, title="按期整改")  # 燕矶镇: 3 tickets, 1 closed in time, 1 overdue
    actions.report_rectification(in_time, acting_user=people("yanji-editor"), text="已整改")
    actions.verify_ticket(in_time, acting_user=people("demo-supervisor"))
    late = assign(yanji_wechat, title="逾期未整改")
    Ticket.objects.filter(pk=late.pk).update(deadline=today - dt.timedelta(days=1))
    assign(yanji_wechat, title="整改中")
    MonitorFinding.objects.create(channel=yanji_wechat, kind="account_silent", key="last_post", message="20 天未更新")
    actions.compute_scores(acting_user=people("demo-supervisor"), period_start=quarter_bounds(year, quarter)[0],
                           period_end=today, channels=[yanji_wechat])  # silent account → veto → not passed

    inspection = actions.draw_sample(actions.plan_inspection(
        acting_user=people("demo-supervisor"), title="抽查", units=[returned.unit], sample_size=1, seed=1,
        period_start=today, period_end=today), acting_user=people("demo-supervisor"))
    actions.review_sample(inspection.samples.get(), acting_user=people("demo-supervisor"),
                          checklist={k: k != "truthful" for k in CHECKLIST_KEYS}, comment="数据有误")

    after = _figures(year, quarter)
    party, yanji = after[PARTY], after[YANJI]
    delta = lambda name, attr: getattr(after[name], attr) - getattr(before[name], attr)  # noqa: E731
    assert delta(PARTY, "items_published") == 2
    assert delta(PARTY, "returned") == 1 and delta(PARTY, "rejected") == 0
    assert (delta(PARTY, "samples_checked"), delta(PARTY, "samples_failed")) == (1, 1)
    assert (delta(YANJI, "tickets_opened"), delta(YANJI, "tickets_closed_in_time"), delta(YANJI, "tickets_overdue")) \
        == (3, 1, 1)
    assert delta(YANJI, "monitor_problems") >= 1  # + the account_silent finding the scoring found on its own
    assert yanji.scores and yanji.failed_channels == 1 and yanji.average_score is not None
    assert {"初审", "复审", "终审"} <= set(party.step_hours)
    assert party.avg_hours_to_publish is not None
    ranked = [r for r in after.values() if r.rank is not None]
    assert sorted(r.rank for r in ranked) == list(range(1, len(ranked) + 1))
    assert all(r.verdict == "未监测" for r in after.values() if r.rank is None)

    supervisor = client_for("demo-supervisor")
    page = supervisor.get(f"/staff/supervision/bulletin/?year={year}&quarter={quarter}").content.decode()
    assert "季度政府网站和政务新媒体信息内容管理情况的通报" in page and YANJI in page
    assert '<svg role="img" aria-label="各单位交办问题数"' in page and f"燕矶镇：{yanji.tickets_opened}</title>" in page

    from docx import Document
    from openpyxl import load_workbook

    word = supervisor.get(f"/staff/supervision/bulletin/?year={year}&quarter={quarter}&format=docx")
    doc = Document(io.BytesIO(word.content))
    table = doc.tables[0]
    row = next(r for r in table.rows if r.cells[1].text == YANJI)
    assert [c.text for c in row.cells][11:14] == [str(yanji.tickets_opened), str(yanji.tickets_closed_in_time),
                                                   str(yanji.tickets_overdue)]
    # The charts are in the document: one bar per unit, the longest for the largest figure.
    assert any(p.text == "图：各单位交办问题数" for p in doc.paragraphs)
    chart = doc.tables[1]
    bars = {r.cells[0].text: (len(r.cells[1].text), int(r.cells[2].text)) for r in chart.rows}
    assert bars["燕矶镇"][1] == yanji.tickets_opened
    assert max(bars.values(), key=lambda b: b[1])[0] == 24
    assert all(length == round(24 * value / max(v for _, v in bars.values())) for length, value in bars.values())
    excel = supervisor.get(f"/staff/supervision/bulletin/?year={year}&quarter={quarter}&format=xlsx")
    import zipfile

    assert "xl/charts/chart1.xml" in zipfile.ZipFile(io.BytesIO(excel.content)).namelist()  # native bar chart
    sheet = load_workbook(io.BytesIO(excel.content)).active
    values = {r[1]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert values[PARTY][2] == party.items_published and values[YANJI][13] == yanji.tickets_overdue
    assert client_for("yanji-editor").get("/staff/supervision/bulletin/").status_code == 403
    assert supervisor.get("/staff/supervision/bulletin/?quarter=9").status_code == 404


def test_xlsx_cells_never_become_formulas(client_for):
    """A unit name typed as a formula is text in the downloaded bulletin, shown as typed (CSV/formula injection)."""
    from openpyxl import load_workbook

    from govpub.orgs import actions as orgs_actions
    from govpub.orgs.models import UnitKind

    evil = '=HYPERLINK("http://evil","x")'
    orgs_actions.create_unit(acting_user=people("demo-admin"), name=evil, kind=UnitKind.DEPARTMENT)
    orgs_actions.create_unit(acting_user=people("demo-admin"), name="@SUM(1+1)", kind=UnitKind.DEPARTMENT)
    today = timezone.localdate()
    excel = client_for("demo-supervisor").get(
        f"/staff/supervision/bulletin/?year={today.year}&quarter={(today.month - 1) // 3 + 1}&format=xlsx")
    book = load_workbook(io.BytesIO(excel.content))
    for sheet, column in ((book.worksheets[0], 2), (book.worksheets[1], 1)):
        cells = {c.value: c for c in sheet.iter_cols(min_col=column, max_col=column).__next__()}
        for name in (evil, "@SUM(1+1)"):
            assert name in cells, sheet.title
            assert cells[name].data_type != "f" and cells[name].quotePrefix
        assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    ranks = [row[0].value for row in book.worksheets[0].iter_rows(min_row=3)]
    assert all(isinstance(r, int) or r == "未监测" for r in ranks if r is not None)  # numbers stay numbers
