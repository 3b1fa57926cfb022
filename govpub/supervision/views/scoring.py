"""Pages of the indicators (检查指标), the channel scores and the annual assessment (年度考核),
the views over actions/scoring.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from govpub.ui.forms import add_form_errors
from govpub.ui.paging import paginate

from .. import actions, policy
from ..models import local_today
from ._common import _last_quarter


def indicator_detail(request, number=None):
    from ..indicators import current_version
    from ..models import IndicatorVersion

    policy.require(policy.can_view_indicators(request.user), "只有区政务公开办和管理员可以查看检查指标。")
    current = current_version()
    version = current if number in (None, current.number) else get_object_or_404(IndicatorVersion, number=number)
    return render(request, "supervision/indicators.html", {
        "version": version, "current": current, "config": version.config,
        "sections": [("政府网站", version.config["website"]), ("政务新媒体", version.config["new_media"])],
        "versions": IndicatorVersion.objects.select_related("created_by")[:50],
        "can_edit": policy.can_edit_indicators(request.user),
    })


def indicator_edit(request):
    import json

    from ..forms import IndicatorConfigForm
    from ..indicators import current_version

    policy.require(policy.can_edit_indicators(request.user), policy.INDICATORS_REFUSAL)
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
    from ..forms import ScoreForm
    from ..indicators import current_version

    user = request.user
    scores = policy.visible_scores(user).select_related("channel", "version", "channel__operator_unit")
    start, end = _last_quarter(local_today())
    form = ScoreForm(request.POST or None, initial={"period_start": start, "period_end": end})
    if request.method == "POST":
        policy.require(policy.can_run_system_task(user), policy.SCORES_REFUSAL)
        if form.is_valid():
            try:
                results = actions.compute_scores(acting_user=user, **form.cleaned_data)
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                failed = sum(1 for r in results if r.status == "failed")
                unmonitored = sum(1 for r in results if r.status == "unmonitored")
                messages.success(request, f"已计算 {len(results)} 个渠道的得分，其中 {failed} 个不合格"
                                          + (f"，{unmonitored} 个未监测（无监测数据，不计分）" if unmonitored else "") + "。")
                params = f"?period_end={form.cleaned_data['period_end']:%Y-%m-%d}"
                return redirect(f"{request.path}{params}")
    period_end = request.GET.get("period_end", "")
    result = request.GET.get("result", "")
    if period_end:
        scores = scores.filter(period_end=period_end)
    statuses = {"pass": "passed", "fail": "failed", "unmonitored": "unmonitored"}
    if result in statuses:
        scores = scores.filter(status=statuses[result])
    page, querystring = paginate(request, scores)
    ends = policy.visible_scores(user).order_by("-period_end").values_list("period_end", flat=True).distinct()
    return render(request, "supervision/score_list.html", {
        "page": page, "querystring": querystring, "form": form, "period_end": period_end, "result": result,
        "period_ends": list(dict.fromkeys(ends))[:20], "can_compute": policy.can_edit_indicators(user),
        "current": current_version() if policy.can_view_indicators(user) else None,
    })


def score_detail(request, pk):
    from ..indicators import evidence_findings, fact_rows

    score = get_object_or_404(policy.visible_scores(request.user).select_related("channel", "version"), pk=pk)
    return render(request, "supervision/score_detail.html", {
        "score": score, "facts": fact_rows(score.facts),
        "evidence": evidence_findings(score.channel, score.period_start, score.period_end)[:200]})


def assessment(request):
    from .. import assessment as assessment_module
    from ..forms import WeightsForm

    policy.require(policy.can_view_indicators(request.user), "只有区政务公开办和管理员可以查看年度考核。")
    weights = assessment_module.current_weights()
    form = WeightsForm(request.POST or None, initial=weights)
    if request.method == "POST":
        policy.require(policy.can_edit_indicators(request.user), policy.WEIGHTS_REFUSAL)
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
