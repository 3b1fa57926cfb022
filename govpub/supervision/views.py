"""Staff pages for problem assignment (问题交办). Thin: policy from policy.py, changes through actions.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from govpub.content.files import stored_path, store_upload
from govpub.content.models import MachineFinding
from govpub.orgs.models import Unit
from govpub.ui.forms import add_form_errors
from govpub.ui.paging import paginate
from govpub.ui.reauth import reauth_required

from . import actions, letters, policy
from .forms import ReasonForm, ReportForm, SendBackForm, TicketForm, VerifyForm
from .models import OPEN_STATES, OWING_STATES, Ticket, TicketEvent, TicketState, local_today


def _visible(request, pk) -> Ticket:
    return policy.get_visible_or_404(policy.can_view_ticket, request.user,
                                     Ticket.objects.select_related("channel", "unit", "created_by", "suspension"), pk=pk)


def ticket_list(request):
    user = request.user
    tickets = policy.visible_tickets(user).select_related("channel", "unit")
    state = request.GET.get("state", "")
    unit_id = request.GET.get("unit", "")
    overdue = request.GET.get("overdue", "")
    if state == "open":
        tickets = tickets.filter(state__in=OPEN_STATES)
    elif state in TicketState.values:
        tickets = tickets.filter(state=state)
    if unit_id.isdigit():
        tickets = tickets.filter(unit_id=int(unit_id))
    if overdue == "1":
        tickets = tickets.overdue()
    page, querystring = paginate(request, tickets)
    units = Unit.objects.filter(pk__in=policy.visible_tickets(user).values("unit_id")).order_by("name")
    return render(request, "supervision/ticket_list.html", {
        "page": page, "querystring": querystring, "states": TicketState.choices, "state": state,
        "units": units, "unit_id": unit_id, "overdue": overdue, "today": local_today(),
        "can_assign": policy.can_assign(user),
        "overdue_count": policy.visible_tickets(user).overdue().count(),
    })


def ticket_create(request):
    policy.require(policy.can_assign(request.user), "只有区政务公开办的监管人员可以交办问题。")
    finding = None
    finding_id = request.POST.get("finding") or request.GET.get("finding")
    if finding_id and str(finding_id).isdigit():
        finding = get_object_or_404(MachineFinding.objects.select_related("revision"), pk=int(finding_id))
    monitor_finding = None
    monitor_id = request.POST.get("monitor") or request.GET.get("monitor")
    if monitor_id and str(monitor_id).isdigit():
        from .models import MonitorFinding

        monitor_finding = get_object_or_404(MonitorFinding.objects.select_related("channel"), pk=int(monitor_id))
    initial = {}
    if monitor_finding is not None:
        initial = {"channel": monitor_finding.channel_id,
                   "title": f"{monitor_finding.get_kind_display()}：{monitor_finding.message}"[:200],
                   "description": f"监测发现：{monitor_finding.message}（首次发现 "
                                  f"{timezone.localtime(monitor_finding.first_seen):%Y-%m-%d}，"
                                  f"共发现 {monitor_finding.seen_count} 次）。",
                   "evidence": "\n".join(filter(None, [monitor_finding.url] + [
                       f"{k}：{v}" for k, v in (monitor_finding.evidence or {}).items()]))}
    if finding is not None:
        initial = {"title": f"{finding.message}：{finding.text}"[:200],
                   "description": f"稿件《{finding.revision.title}》第 {finding.revision.number} 版存在问题："
                                  f"{finding.message}（{finding.rule}，依据{finding.basis or '—'}）。",
                   "evidence": f"原文：“{finding.text}”" + (f"；建议：{finding.suggestion}" if finding.suggestion else "")}
    form = TicketForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = actions.assign_ticket(acting_user=request.user, machine_finding=finding,
                                           monitor_finding=monitor_finding, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, f"已交办给{ticket.unit.name}。"
                             + (f"发文字号：{ticket.letter_no}。" if ticket.letter_no else ""))
            return redirect("ticket_detail", pk=ticket.pk)
    return render(request, "supervision/ticket_form.html", {"form": form, "finding": finding,
                                                            "monitor_finding": monitor_finding})


def ticket_detail(request, pk):
    ticket = _visible(request, pk)
    user = request.user
    can_rectify = policy.can_rectify(user, ticket)
    is_supervisor = policy.can_verify(user, ticket)
    return render(request, "supervision/ticket_detail.html", {
        "ticket": ticket,
        "events": ticket.events.select_related("actor"),
        "can_accept": can_rectify and ticket.state == TicketState.ASSIGNED,
        "can_report": can_rectify and ticket.state in OWING_STATES,
        "can_verify": is_supervisor and ticket.state == TicketState.REPORTED,
        "can_escalate": policy.can_escalate(user, ticket) and ticket.state in OPEN_STATES,
        "order_active": ticket.suspension_id is not None and ticket.suspension.lifted_at is None,
        "report_form": ReportForm(), "verify_form": VerifyForm(), "send_back_form": SendBackForm(),
        "reason_form": ReasonForm(),
    })


def ticket_letter(request, pk):
    ticket = _visible(request, pk)
    if not ticket.letter_no:
        raise Http404("该问题不是以交办函方式交办的。")
    response = HttpResponse(letters.build_letter(ticket), content_type=(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    filename = f"交办函_{ticket.letter_year}_{ticket.letter_seq}.docx"
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_POST
def ticket_accept(request, pk):
    ticket = _visible(request, pk)
    try:
        actions.accept_ticket(ticket, acting_user=request.user)
        messages.success(request, "已签收，请按期整改。")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("ticket_detail", pk=pk)


def ticket_report(request, pk):
    ticket = _visible(request, pk)
    policy.require(policy.can_rectify(request.user, ticket), "只有责任单位的人员可以报送整改情况。")
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = form.cleaned_data.get("file")
            stored = store_upload(upload) if upload else None
            actions.report_rectification(ticket, acting_user=request.user, text=form.cleaned_data["text"],
                                         stored_file=stored)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, "整改情况已报送，等待区政务公开办核验。")
            return redirect("ticket_detail", pk=pk)
    return render(request, "supervision/action_form.html", {
        "form": form, "ticket": ticket, "title": "报送整改情况", "multipart": True, "submit": "报送"})


def _supervisor_form(request, pk, form_class, action, title, submit, done, danger=False):
    ticket = _visible(request, pk)
    policy.require(policy.can_verify(request.user, ticket), "只有区政务公开办的监管人员可以执行此操作。")
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action(ticket, form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("ticket_detail", pk=pk)
    return render(request, "supervision/action_form.html", {
        "form": form, "ticket": ticket, "title": title, "submit": submit, "danger": danger})


def _ticket_page(request, pk):
    return reverse("ticket_detail", args=[pk])


# Supervisory measures (整改令, 关停, lifting them) re-authenticate before the form and before the change.
measure = reauth_required(_ticket_page, form_page=True)


def ticket_verify(request, pk):
    def verify(request, pk):
        return _supervisor_form(
            request, pk, VerifyForm,
            lambda t, data: actions.verify_ticket(t, acting_user=request.user, note=data["note"]),
            "核验办结", "核验通过，办结", "已核验办结。")

    ticket = _visible(request, pk)
    lifts_an_order = ticket.suspension_id is not None and ticket.suspension.lifted_at is None
    return (measure(verify) if lifts_an_order else verify)(request, pk)


def ticket_send_back(request, pk):
    return _supervisor_form(
        request, pk, SendBackForm,
        lambda t, data: actions.send_back(t, acting_user=request.user, reason=data["reason"],
                                          new_deadline=data.get("new_deadline")),
        "退回重新整改", "退回", "已退回责任单位重新整改。")


@measure
def ticket_order(request, pk):
    return _supervisor_form(
        request, pk, ReasonForm,
        lambda t, data: actions.order_rectification(t, acting_user=request.user, reason=data["reason"]),
        "下达限期整改令（暂停该单位信息发布）", "下达整改令", "已下达整改令，该单位已暂停信息发布。", danger=True)


@measure
def ticket_shutdown(request, pk):
    return _supervisor_form(
        request, pk, ReasonForm,
        lambda t, data: actions.order_shutdown(t, acting_user=request.user, reason=data["reason"]),
        "责令关停渠道", "责令关停", "已责令关停该渠道。", danger=True)


def event_file(request, pk):
    event = policy.get_visible_or_404(policy.can_view_event, request.user,
                                      TicketEvent.objects.select_related("ticket"), pk=pk)
    if not event.file_storage:
        raise Http404("没有证明材料。")
    path = stored_path(event.file_storage)
    if not path.exists():
        raise Http404("文件已不存在。")
    return FileResponse(path.open("rb"), as_attachment=True, filename=event.file_name,
                        content_type=event.file_content_type or "application/octet-stream")


# --- indicators and scores -------------------------------------------------------------------------


def _last_quarter(today):
    import datetime as dt

    first_month = ((today.month - 1) // 3) * 3 + 1
    this_quarter = dt.date(today.year, first_month, 1)
    end = this_quarter - dt.timedelta(days=1)
    return dt.date(end.year, ((end.month - 1) // 3) * 3 + 1, 1), end


def indicator_detail(request, number=None):
    from .indicators import current_version
    from .models import IndicatorVersion

    policy.require(policy.can_view_indicators(request.user), "只有区政务公开办和管理员可以查看检查指标。")
    current = current_version()
    version = current if number is None else get_object_or_404(IndicatorVersion, number=number)
    return render(request, "supervision/indicators.html", {
        "version": version, "current": current, "config": version.config,
        "sections": [("政府网站", version.config["website"]), ("政务新媒体", version.config["new_media"])],
        "versions": IndicatorVersion.objects.select_related("created_by")[:50],
        "can_edit": policy.can_edit_indicators(request.user),
    })


def indicator_edit(request):
    import json

    from .forms import IndicatorConfigForm
    from .indicators import current_version

    policy.require(policy.can_edit_indicators(request.user), "只有区政务公开办的监管人员可以修订检查指标。")
    current = current_version()
    form = IndicatorConfigForm(request.POST or None, initial={
        "config": json.dumps(current.config, ensure_ascii=False, indent=2)})
    if request.method == "POST" and form.is_valid():
        try:
            version = actions.save_indicator_version(acting_user=request.user, config=form.cleaned_data["config"],
                                                     note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error("config" if not hasattr(error, "error_dict") else None, error)
        else:
            messages.success(request, f"已保存为检查指标第 {version.number} 版。")
            return redirect("indicator_detail")
    return render(request, "web/form.html", {"form": form, "title": f"修订检查指标（当前第 {current.number} 版）"})


def score_list(request):
    from .forms import ScoreForm
    from .indicators import current_version

    user = request.user
    scores = policy.visible_scores(user).select_related("channel", "version", "channel__operator_unit")
    start, end = _last_quarter(local_today())
    form = ScoreForm(request.POST or None, initial={"period_start": start, "period_end": end})
    if request.method == "POST":
        policy.require(policy.can_edit_indicators(user), "只有区政务公开办的监管人员可以计算指标得分。")
        if form.is_valid():
            try:
                results = actions.compute_scores(acting_user=user, **form.cleaned_data)
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                failed = sum(1 for r in results if not r.passed)
                messages.success(request, f"已计算 {len(results)} 个渠道的得分，其中 {failed} 个不合格。")
                params = f"?period_end={form.cleaned_data['period_end']:%Y-%m-%d}"
                return redirect(f"{request.path}{params}")
    period_end = request.GET.get("period_end", "")
    result = request.GET.get("result", "")
    if period_end:
        scores = scores.filter(period_end=period_end)
    if result == "pass":
        scores = scores.filter(passed=True)
    elif result == "fail":
        scores = scores.filter(passed=False)
    page, querystring = paginate(request, scores)
    ends = policy.visible_scores(user).order_by("-period_end").values_list("period_end", flat=True).distinct()
    return render(request, "supervision/score_list.html", {
        "page": page, "querystring": querystring, "form": form, "period_end": period_end, "result": result,
        "period_ends": list(dict.fromkeys(ends))[:20], "can_compute": policy.can_edit_indicators(user),
        "current": current_version() if policy.can_view_indicators(user) else None,
    })


def score_detail(request, pk):
    score = get_object_or_404(policy.visible_scores(request.user).select_related("channel", "version"), pk=pk)
    return render(request, "supervision/score_detail.html", {"score": score, "facts": score.facts})


def monitor_list(request):
    from govpub.channels.models import Channel

    from .models import MonitorFinding, MonitorKind

    policy.require(policy.can_view_indicators(request.user), "只有区政务公开办和管理员可以查看监测问题。")
    findings = MonitorFinding.objects.select_related("channel", "column")
    channel_id, kind, status = request.GET.get("channel", ""), request.GET.get("kind", ""), request.GET.get("status", "open")
    if channel_id.isdigit():
        findings = findings.filter(channel_id=int(channel_id))
    if kind in MonitorKind.values:
        findings = findings.filter(kind=kind)
    if status == "open":
        findings = findings.filter(resolved_at__isnull=True)
    elif status == "resolved":
        findings = findings.filter(resolved_at__isnull=False)
    page, querystring = paginate(request, findings)
    from .models import MonitorRun

    latest_ids = [run_id for run_id in (MonitorRun.objects.filter(channel=c).order_by("-started_at", "-id")
                                        .values_list("pk", flat=True).first()
                                        for c in Channel.objects.filter(monitor_runs__isnull=False).distinct())
                  if run_id]
    runs = MonitorRun.objects.filter(pk__in=latest_ids).select_related("channel").order_by("channel__kind", "channel__name")
    return render(request, "supervision/monitor_list.html", {
        "runs": runs,
        "page": page, "querystring": querystring, "kinds": MonitorKind.choices, "kind": kind, "status": status,
        "channels": Channel.objects.filter(pk__in=MonitorFinding.objects.values("channel_id")), "channel_id": channel_id,
        "can_assign": policy.can_assign(request.user),
    })


# --- inspections (督查) ----------------------------------------------------------------------------


def inspection_list(request):
    from .models import Inspection

    policy.require(policy.can_view_indicators(request.user), "只有区政务公开办和管理员可以查看督查。")
    inspections = Inspection.objects.prefetch_related("units").select_related("created_by")
    state = request.GET.get("state", "")
    if state:
        inspections = inspections.filter(state=state)
    page, querystring = paginate(request, inspections)
    from .models import InspectionState

    return render(request, "supervision/inspection_list.html", {
        "page": page, "querystring": querystring, "state": state, "states": InspectionState.choices,
        "can_inspect": policy.can_inspect(request.user)})


def inspection_create(request):
    from .forms import InspectionForm

    policy.require(policy.can_inspect(request.user), "只有区政务公开办的监管人员可以安排督查。")
    form = InspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = actions.plan_inspection(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, f"已安排督查，随机种子为 {inspection.seed}。")
            return redirect("inspection_detail", pk=inspection.pk)
    return render(request, "web/form.html", {"form": form, "title": "安排督查"})


def inspection_detail(request, pk):
    from .models import Inspection

    policy.require(policy.can_view_indicators(request.user), "只有区政务公开办和管理员可以查看督查。")
    inspection = get_object_or_404(Inspection.objects.select_related("created_by"), pk=pk)
    samples = inspection.samples.select_related("item__unit", "revision", "reviewed_by")
    return render(request, "supervision/inspection_detail.html", {
        "inspection": inspection, "samples": samples, "units": inspection.units.all(),
        "failed": sum(1 for s in samples if s.result == "fail"), "can_inspect": policy.can_inspect(request.user)})


@require_POST
def inspection_sample(request, pk):
    from .models import Inspection

    policy.require(policy.can_inspect(request.user), "只有区政务公开办的监管人员可以抽样。")
    inspection = get_object_or_404(Inspection, pk=pk)
    try:
        inspection = actions.draw_sample(inspection, acting_user=request.user)
        messages.success(request, f"已从 {inspection.candidate_count} 篇稿件中抽取 {inspection.samples.count()} 篇。")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("inspection_detail", pk=pk)


def sample_review(request, pk):
    from .forms import SampleReviewForm
    from .models import InspectionSample

    # Refused before the lookup: samples are the 政务公开办's alone, so no one else learns which ids exist.
    policy.require(policy.can_inspect(request.user), "只有区政务公开办的监管人员可以复核抽样稿件。")
    sample = get_object_or_404(InspectionSample.objects.select_related("inspection", "item__unit", "revision"), pk=pk)
    form = SampleReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        comment = data.pop("comment")
        try:
            actions.review_sample(sample, acting_user=request.user, checklist=data, comment=comment)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, "复核结果已保存。")
            return redirect("inspection_detail", pk=sample.inspection_id)
    return render(request, "supervision/sample_review.html", {"form": form, "sample": sample})


def bulletin(request):
    """季度通报: the figures for a chosen quarter, on screen or as .docx / .xlsx."""
    from . import bulletin as bulletin_module

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
        "title": bulletin_module.title(year, quarter), "years": range(local_today().year, local_today().year - 5, -1),
        "charts": [("各单位发布信息数", bulletin_module.chart_bars(rows, "items_published")),
                   ("各单位交办问题数", bulletin_module.chart_bars(rows, "tickets_opened")),
                   ("各单位逾期问题数", bulletin_module.chart_bars(rows, "tickets_overdue"))],
        "quarters": [(1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")],
    })


# --- accountability and assessment -----------------------------------------------------------------


def incident_list(request):
    incidents = policy.visible_incidents(request.user).select_related("unit")
    page, querystring = paginate(request, incidents)
    return render(request, "supervision/incident_list.html", {
        "page": page, "querystring": querystring, "can_record": policy.can_record_incidents(request.user)})


@reauth_required(lambda request: reverse("incident_list"), form_page=True)  # may suspend the unit
def incident_create(request):
    from .forms import IncidentForm

    policy.require(policy.can_record_incidents(request.user), "只有区政务公开办的监管人员可以记录责任追究事件。")
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = actions.record_incident(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, "已记录责任追究事件。")
            return redirect("incident_detail", pk=incident.pk)
    return render(request, "web/form.html", {"form": form, "title": "记录责任追究事件"})


def incident_detail(request, pk):
    from .forms import DecisionForm

    incident = get_object_or_404(policy.visible_incidents(request.user).select_related("unit", "suspension"), pk=pk)
    can_record = policy.can_record_incidents(request.user)
    form = DecisionForm(request.POST or None, initial={"decision": incident.decision})
    if request.method == "POST":
        policy.require(can_record, "只有区政务公开办的监管人员可以记录问责决定。")
        if form.is_valid():
            actions.decide_accountability(incident, acting_user=request.user, decision=form.cleaned_data["decision"])
            messages.success(request, "问责决定已保存。")
            return redirect("incident_detail", pk=pk)
    return render(request, "supervision/incident_detail.html", {
        "incident": incident, "items": incident.items.select_related("current_revision"),
        "tickets": incident.tickets.all(), "people": incident.responsible.all(), "form": form,
        "can_record": can_record})


def assessment(request):
    from . import assessment as assessment_module
    from .forms import WeightsForm

    policy.require(policy.can_view_indicators(request.user), "只有区政务公开办和管理员可以查看年度考核。")
    weights = assessment_module.current_weights()
    form = WeightsForm(request.POST or None, initial=weights)
    if request.method == "POST":
        policy.require(policy.can_edit_indicators(request.user), "只有区政务公开办的监管人员可以调整考核权重。")
        if form.is_valid():
            try:
                actions.save_assessment_weights(acting_user=request.user, weights=form.cleaned_data)
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "考核权重已保存。")
                return redirect(f"{request.path}?year={request.GET.get('year', '')}")
    try:
        year = int(request.GET.get("year") or local_today().year)
    except ValueError:
        raise Http404("年度无效。")
    rows = assessment_module.compute(year, weights)
    return render(request, "supervision/assessment.html", {
        "year": year, "rows": rows, "components": assessment_module.COMPONENTS, "form": form,
        "weight_list": [(label, weights[key]) for key, label in assessment_module.COMPONENTS.items()],
        "can_edit": policy.can_edit_indicators(request.user),
        "years": range(local_today().year, local_today().year - 5, -1)})
