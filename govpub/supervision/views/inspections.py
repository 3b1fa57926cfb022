"""Pages of the inspections (督查): plan, draw the sample, re-review each sampled item."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from govpub.ui.forms import add_form_errors
from govpub.ui.paging import paginate

from .. import actions, policy


def inspection_list(request):
    from ..models import Inspection

    policy.require(policy.can_view_indicators(request.user), "只有区政务公开办和管理员可以查看督查。")
    inspections = Inspection.objects.prefetch_related("units").select_related("created_by")
    state = request.GET.get("state", "")
    if state:
        inspections = inspections.filter(state=state)
    page, querystring = paginate(request, inspections)
    from ..models import InspectionState

    return render(request, "supervision/inspection_list.html", {
        "page": page, "querystring": querystring, "state": state, "states": InspectionState.choices,
        "can_inspect": policy.can_inspect(request.user)})


def inspection_create(request):
    from ..forms import InspectionForm

    policy.require(policy.can_inspect(request.user), policy.SCHEDULE_INSPECTION_REFUSAL)
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
    from ..models import Inspection

    policy.require(policy.can_view_indicators(request.user), "只有区政务公开办和管理员可以查看督查。")
    inspection = get_object_or_404(Inspection.objects.select_related("created_by"), pk=pk)
    samples = inspection.samples.select_related("item__unit", "revision", "reviewed_by")
    return render(request, "supervision/inspection_detail.html", {
        "inspection": inspection, "samples": samples, "units": inspection.units.all(),
        "failed": sum(1 for s in samples if s.result == "fail"), "can_inspect": policy.can_inspect(request.user)})


@require_POST
def inspection_sample(request, pk):
    from ..models import Inspection

    policy.require(policy.can_inspect(request.user), policy.SAMPLE_REFUSAL)
    inspection = get_object_or_404(Inspection, pk=pk)
    try:
        inspection = actions.draw_sample(inspection, acting_user=request.user)
        messages.success(request, f"已从 {inspection.candidate_count} 篇稿件中抽取 {inspection.samples.count()} 篇。")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("inspection_detail", pk=pk)


def sample_review(request, pk):
    from ..forms import SampleReviewForm
    from ..models import InspectionSample

    # Refused before the lookup: samples are the 政务公开办's alone, so no one else learns which ids exist.
    policy.require(policy.can_inspect(request.user), policy.SAMPLE_REVIEW_REFUSAL)
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
