"""The monitoring page: each channel's latest run and the findings, for the 政务公开办 to assign."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from govpub.ui.forms import run_action, run_form_action
from govpub.ui.paging import paginate

from .. import actions, policy, uptime
from ..desk import desk as desk_queues
from ..indicators import current_version


def monitor_list(request):
    from govpub.channels.models import Channel

    from ..models import MonitorFinding, MonitorKind

    policy.require(policy.can_view_indicators(request.user), policy.MONITOR_REFUSAL)
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
    from ..models import MonitorRun

    latest_ids = [run_id for run_id in (MonitorRun.objects.filter(channel=c).order_by("-started_at", "-id")
                                        .values_list("pk", flat=True).first()
                                        for c in Channel.objects.filter(monitor_runs__isnull=False).distinct())
                  if run_id]
    runs = MonitorRun.objects.filter(pk__in=latest_ids).select_related("channel").order_by("channel__kind", "channel__name")
    return render(request, "supervision/monitor_list.html", {
        "runs": runs, "uptime": uptime.channel_table(current_version().config, timezone.localdate()),
        "page": page, "querystring": querystring, "kinds": MonitorKind.choices, "kind": kind, "status": status,
        "channels": Channel.objects.filter(pk__in=MonitorFinding.objects.values("channel_id")), "channel_id": channel_id,
        "can_assign": policy.can_assign(request.user),
        "can_start": policy.can_start_monitoring(request.user), "jobs": actions.MONITORING_JOBS,
    })


@require_POST
def monitor_start(request):
    what = request.POST.get("what", "")
    run_action(request, lambda: actions.start_monitoring(acting_user=request.user, what=what),
               lambda job: f"已启动{actions.MONITORING_JOBS[what]}，进度见下方。", failed="未能启动：")
    return redirect("monitor_list")


def desk(request):
    """The 政务公开办's work queue: urgent findings, reports to verify, overdue and due tickets, veto risks."""
    policy.require(policy.can_view_desk(request.user), policy.DESK_REFUSAL)
    return render(request, "supervision/desk.html", {"queues": desk_queues(), "jobs": actions.MONITORING_JOBS})


def monitor_scan(request):
    """临时检查网站: any site, the daily crawl's content check; the report is the job's result."""
    from govpub.jobs.models import Job

    from ..forms import SiteScanForm

    policy.require(policy.can_start_monitoring(request.user), policy.MONITORING_REFUSAL)
    form = SiteScanForm(request.POST or None)
    job = run_form_action(request, form, lambda data: actions.start_site_scan(acting_user=request.user, **data),
                          "已开始检查，结果见下方。")
    if job:
        return redirect("monitor_scan_result", pk=job.pk)
    return render(request, "supervision/site_scan.html", {
        "form": form, "scans": Job.objects.filter(kind="scan").order_by("-created_at", "-id")[:10]})


def monitor_scan_result(request, pk):
    from govpub.jobs.models import Job

    policy.require(policy.can_view_indicators(request.user), policy.MONITOR_REFUSAL)
    job = get_object_or_404(Job, kind="scan", pk=pk)
    return render(request, "supervision/site_scan_result.html", {"job": job, "result": job.result or {},
                                                                   "url": job.params.get("url", "")})
