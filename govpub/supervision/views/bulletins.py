"""The quarterly bulletin (季度通报) page and its .docx / .xlsx downloads."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render

from .. import policy
from ..models import local_today
from ._common import _last_quarter


def bulletin(request):
    """季度通报: the figures for a chosen quarter, on screen or as .docx / .xlsx."""
    from .. import bulletin as bulletin_module

    policy.require(policy.can_view_indicators(request.user), "只有区政务公开办和管理员可以查看季度通报。")
    default_start, _ = _last_quarter(local_today())
    try:
        year = int(request.GET.get("year", default_start.year))
        quarter = int(request.GET.get("quarter", (default_start.month - 1) // 3 + 1))
        start, end, rows = bulletin_module.compute(year, quarter)
    except ValueError:
        raise Http404("季度无效。")
    fmt = request.GET.get("format", "")
    from django.utils.http import content_disposition_header

    if fmt in ("docx", "xlsx"):
        if fmt == "docx":
            data = bulletin_module.as_docx(year, quarter, start, end, rows)
            kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        else:
            data = bulletin_module.as_xlsx(year, quarter, rows)
            kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(data, content_type=kind)
        response["Content-Disposition"] = content_disposition_header(True, f"{year}年第{quarter}季度通报.{fmt}")
        return response
    return render(request, "supervision/bulletin.html", {
        "year": year, "quarter": quarter, "start": start, "end": end, "rows": rows,
        "headers": bulletin_module.HEADERS, "table": bulletin_module.table_rows(rows),
        "sanctions": bulletin_module.sanction_paragraphs(rows),
        "title": bulletin_module.title(year, quarter), "years": range(local_today().year, local_today().year - 5, -1),
        "charts": [("各单位发布信息数", bulletin_module.chart_bars(rows, "items_published")),
                   ("各单位交办问题数", bulletin_module.chart_bars(rows, "tickets_opened")),
                   ("各单位逾期问题数", bulletin_module.chart_bars(rows, "tickets_overdue"))],
        "quarters": [(1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")],
    })
