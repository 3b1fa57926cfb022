"""The review panel on the item page, the decision endpoint and the 审核 queue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from govpub.content import actions as content_actions
from govpub.content import policy as content_policy
from govpub.content.forms import ReasonForm
from govpub.content.models import FIELD_LABELS, ItemState, MachineFinding
from govpub.content.views import _get_item, render_item, revision_diff
from govpub.orgs.policy import get_visible_or_404
from govpub.ui.forms import add_form_errors, run_action, run_form_action

from . import actions, policy
from .evidence import by_point
from .forms import AnnotationForm, DecisionForm
from .models import CHECKLIST, Annotation, Decision, ReviewRun, RunStatus, Step
from .todo import todo_for

CHECKLIST_LABELS = dict(CHECKLIST)


def _last_approved_revision(item):
    decision = (Decision.objects.filter(run__item=item, decision=Decision.Outcome.APPROVE)
                .select_related("run__revision").order_by("-decided_at", "-id").first())
    return decision.run.revision if decision else None


def review_context(request, item, form: DecisionForm | None = None, annotation_form=None) -> dict:
    run = (ReviewRun.objects.filter(item=item, status=RunStatus.ACTIVE).prefetch_related("decisions").first())
    step = run.next_step if run else None
    refusal = policy.decision_refusal(request.user, item, run, step) if step else None
    may_decide = bool(step) and refusal is None and item.state == ItemState.IN_REVIEW
    may_submit = policy.can_submit(request.user, item)
    context = {"run": run, "step_label": Step(step).label if step else "", "may_decide": may_decide,
               "decision_refusal": refusal if step else None,
               # 机审, 提交审核 and dismissing a finding of the current revision (content's rows say which may be)
               "can_check": may_submit, "can_submit": may_submit and item.state in actions.SUBMITTABLE,
               "may_dismiss": may_submit, "dismiss_form": ReasonForm()}
    if may_decide:
        context["decision_form"] = form or DecisionForm(initial={"revision_hash": item.current_revision.content_hash},
                                                        evidence=by_point(item.current_revision))
        previous = _last_approved_revision(item)
        context["since_approved"] = previous
        if previous is not None and previous.pk != item.current_revision_id:
            context["since_approved_rows"] = revision_diff(previous, item.current_revision)
    if may_decide:
        context["annotation_form"] = annotation_form or AnnotationForm()
    context["annotations"] = list(Annotation.objects.of_item(item))
    runs = (ReviewRun.objects.filter(item=item).select_related("revision", "started_by")
            .prefetch_related("decisions__reviewer").order_by("-started_at", "-id"))
    history = []
    for r in runs:
        decisions = []
        for d in r.decisions.all():
            failed = [CHECKLIST_LABELS[k] for k, v in d.checklist.items() if v is False]
            decisions.append({"d": d, "failed": failed, "unanswered": len(CHECKLIST_LABELS) - len(d.checklist)})
        history.append({"run": r, "steps": [Step(s).label for s in r.steps], "decisions": decisions})
    context["review_history"] = history
    return context


@require_POST
def decide(request, pk):
    item = _get_item(request, pk)
    form = DecisionForm(request.POST, evidence=by_point(item.current_revision))
    decision = request.POST.get("decision", "")
    if not form.is_valid():
        messages.error(request, f"审核通过须逐项回答第八条十项审核要点、保密审查和校对确认：还有 {len(form.unanswered())} 项未回答。"
                       if form.unanswered() else "审核意见未保存，请刷新页面后重试。")
        return render_item(request, item, status=400, **review_context(request, item, form))
    try:
        actions.record_decision(item, acting_user=request.user, revision_hash=form.cleaned_data["revision_hash"],
                                decision=decision, **form.answers())
    except actions.StaleRevision as error:
        messages.error(request, error.messages[0])
        return redirect("item_detail", pk=item.pk)
    except ValidationError as error:
        add_form_errors(form, error)
        messages.error(request, "审核意见未保存：" + " ".join(error.messages))
        return render_item(request, item, status=400, **review_context(request, item, form))
    labels = dict(Decision.Outcome.choices)
    messages.success(request, f"已提交审核意见：{labels.get(decision, decision)}。")
    return redirect("item_detail", pk=item.pk)


@require_POST
def annotate(request, pk):
    """审核批注 from the review panel; a refused one shows on the page with what was typed."""
    item = _get_item(request, pk)
    form = AnnotationForm(request.POST)
    if run_form_action(request, form, lambda data: actions.annotate(item, acting_user=request.user, **data),
                       "已添加批注。"):
        return redirect(f"{item.get_absolute_url()}#h-annotations")
    return render_item(request, item, status=400, **review_context(request, item, annotation_form=form))


def review_queue(request):
    entries = [e for e in todo_for(request.user) if e.kind == "review"]
    in_review = (content_policy.visible_items(request.user).filter(state=ItemState.IN_REVIEW)
                 .select_related("current_revision", "unit").order_by("submitted_at"))
    return render(request, "review/queue.html", {"entries": entries, "in_review": in_review})


# --- 机审 and submission from the item page -------------------------------------------------------------

@require_POST
def item_check(request, pk):
    item = _get_item(request, pk)
    findings = actions.check_current_revision(item, acting_user=request.user)
    blocks = sum(1 for f in findings if f.is_open_block)
    if findings:
        messages.warning(request, f"机审完成：发现 {len(findings)} 个问题，其中阻断 {blocks} 个，须处理后才能提交审核。")
    else:
        messages.success(request, "机审完成：未发现问题。")
    return redirect("item_detail", pk=item.pk)


@require_POST
def item_submit(request, pk):
    item = _get_item(request, pk)
    try:
        actions.submit_for_review(item, acting_user=request.user)
    except actions.SubmitBlocked as error:
        listed = "；".join(f"{FIELD_LABELS.get(f.field, f.field)}“{f.text}”：{f.message}" for f in error.findings)
        messages.error(request, f"{error.messages[0]} {listed}")
    except ValidationError as error:
        messages.error(request, "不能提交审核：" + " ".join(error.messages))
    else:
        messages.success(request, "已提交审核，等待初审。")
    return redirect("item_detail", pk=item.pk)


def _get_finding(request, pk) -> MachineFinding:
    return get_visible_or_404(content_policy.can_view_finding, request.user,
                              MachineFinding.objects.select_related("revision__item"), pk=pk)


@require_POST
def finding_apply(request, pk):
    finding = _get_finding(request, pk)
    item = finding.revision.item
    revision = run_action(request, lambda: content_actions.apply_suggestion(finding, acting_user=request.user),
                          lambda revision: f"已将“{finding.text}”改为“{finding.suggestion}”，保存为第 {revision.number} 版。",
                          failed="未能应用修改建议：")
    if revision:
        # Check the new revision at once so the editor sees what is left to fix.
        actions.check_current_revision(item, acting_user=request.user)
    return redirect("item_detail", pk=item.pk)


@require_POST
def findings_apply(request, pk):
    """应用所选修改建议: the chosen suggestions of the current revision in one save, one new revision."""
    from govpub.content.views import _get_item

    item = _get_item(request, pk)
    ids = [int(v) for v in request.POST.getlist("finding") if v.isdigit()]
    revision = run_action(request, lambda: content_actions.apply_suggestions(item, ids, acting_user=request.user),
                          lambda revision: f"已应用 {len(ids)} 条修改建议，保存为第 {revision.number} 版。",
                          failed="未能应用修改建议：")
    if revision:
        actions.check_current_revision(item, acting_user=request.user)
    return redirect("item_detail", pk=item.pk)


@require_POST
def finding_dismiss(request, pk):
    finding = _get_finding(request, pk)
    item = finding.revision.item
    form = ReasonForm(request.POST)
    reason = form.data.get("reason", "")
    run_action(request, lambda: actions.dismiss_finding(finding, acting_user=request.user, reason=reason),
               f"已忽略问题“{finding.text}”，理由会显示给每位审核人员。", failed="未能忽略该问题：")
    return redirect("item_detail", pk=item.pk)
