"""Staff pages for problem assignment (问题交办): list, assign, sign for, report, verify, send back,
整改令 and 关停. Thin: policy from policy.py, changes through actions/."""

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

from .. import actions, letters, policy, routing
from ..forms import ReasonForm, ReportForm, SendBackForm, TicketForm, VerifyForm
from ..models import OPEN_STATES, OWING_STATES, Ticket, TicketEvent, TicketState, local_today


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
    policy.require(policy.can_assign(request.user), policy.ASSIGN_REFUSAL)
    finding = None
    finding_id = request.POST.get("finding") or request.GET.get("finding")
    if finding_id and str(finding_id).isdigit():
        finding = get_object_or_404(MachineFinding.objects.select_related("revision"), pk=int(finding_id))
    from ..models import MonitorFinding

    monitor_ids = [int(v) for v in (request.POST.getlist("monitor") or request.GET.getlist("monitor")) if v.isdigit()]
    found = {f.pk: f for f in MonitorFinding.objects.select_related("channel", "column").filter(pk__in=monitor_ids[:50])}
    if len(found) != len(set(monitor_ids[:50])):
        raise Http404("监测问题不存在。")
    monitor_findings = [found[pk] for pk in dict.fromkeys(monitor_ids[:50])]
    initial = {}
    if monitor_findings:
        first = monitor_findings[0]
        initial = {"channel": first.channel_id, "title": _monitor_title(monitor_findings)[:200],
                   "description": _monitor_description(monitor_findings),
                   "evidence": "\n".join(filter(None, [first.url] + [
                       f"{k}：{v}" for k, v in (first.evidence or {}).items()])) if len(monitor_findings) == 1 else ""}
        initial["unit"] = routing.route(first.channel, column_id=first.column_id,
                                        url=first.url if len(monitor_findings) == 1 else "").unit.pk
    if finding is not None:
        initial = {"title": f"{finding.message}：{finding.text}"[:200],
                   "description": f"稿件《{finding.revision.title}》第 {finding.revision.number} 版存在问题："
                                  f"{finding.message}（{finding.rule}，依据{finding.basis or '—'}）。",
                   "evidence": f"原文：“{finding.text}”" + (f"；建议：{finding.suggestion}" if finding.suggestion else "")}
    form = TicketForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = actions.assign_ticket(acting_user=request.user, machine_finding=finding,
                                           monitor_findings=monitor_findings, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, f"已交办给{ticket.unit.name}。"
                             + (f"发文字号：{ticket.letter_no}。" if ticket.letter_no else ""))
            return redirect("ticket_detail", pk=ticket.pk)
    return render(request, "supervision/ticket_form.html", {"form": form, "finding": finding,
                                                            "monitor_findings": monitor_findings})


def _monitor_title(findings) -> str:
    first = findings[0]
    if len(findings) == 1:
        return f"{first.get_kind_display()}：{first.message}"
    return f"{first.channel.name}存在{len(findings)}个问题"


def _monitor_description(findings) -> str:
    """One numbered line per problem, as the 交办函 lists them."""
    def line(f):
        return (f"{f.get_kind_display()}：{f.message}（{f.url + '，' if f.url and len(findings) > 1 else ''}首次发现 "
                f"{timezone.localtime(f.first_seen):%Y-%m-%d}，共发现 {f.seen_count} 次）")
    if len(findings) == 1:
        return f"监测发现：{line(findings[0])}。"
    return "监测发现以下问题：\n" + "\n".join(f"{n}. {line(f)}；" for n, f in enumerate(findings, 1))


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
    policy.require(policy.can_rectify(request.user, ticket), policy.RECTIFY_REFUSAL)
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
