"""The 三审三校 workflow: submit, dismiss a finding, record a decision (DESIGN.md §2 invariants 2–6)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from govpub.audit import log as audit
from govpub.content import lifecycle
from govpub.content.models import Item, ItemState, MachineFinding
from govpub.notifications.notify import notify
from govpub.orgs.policy import require

from . import policy
from .machine_check import open_blocks, run_machine_check
from .models import CHECKLIST, CHECKLIST_KEYS, Annotation, Decision, ReviewRun, RunStatus, Step


class SubmitBlocked(ValidationError):
    """The revision has `block` findings that are neither fixed nor dismissed."""

    def __init__(self, findings: list[MachineFinding]):
        self.findings = findings
        super().__init__(f"机审发现 {len(findings)} 个阻断问题：请修改，或填写理由后忽略。")


class StaleRevision(ValidationError):
    """A decision or publication named a revision that is not the item's current one."""

    def __init__(self):
        super().__init__("稿件内容已更新，您审核的不是当前版本。请刷新后审核最新版本。")


SUBMITTABLE = lifecycle.SUBMITTABLE
VOID_REASONS = {"revise": "稿件内容已修改，审核需从初审重新开始", "withdraw": "稿件已撤稿"}


def void_active_run(event: str):
    """The lifecycle hook for `event`: the item's active review run, if any, no longer counts."""
    def hook(item: Item, acting_user, previous_state: str) -> None:
        run = ReviewRun.objects.filter(item=item, status=RunStatus.ACTIVE).first()
        if run is None:
            return
        run.status, run.ended_at, run.void_reason = RunStatus.VOIDED, timezone.now(), VOID_REASONS[event]
        run.save(update_fields=["status", "ended_at", "void_reason"])
        audit.record("review.void", actor=acting_user, obj=item, unit=item.unit_id,
                     details={"run": run.pk, "reason": run.void_reason})

    return hook


@transaction.atomic(durable=True)
def check_current_revision(item: Item, *, acting_user) -> list[MachineFinding]:
    """Machine-check the item's current revision and keep the findings (the editor's 机审 button)."""
    item = Item.objects.locked(item)
    require(policy.can_submit(acting_user, item), "只有本单位的经办人可以发起机审。")
    return run_machine_check(item.current_revision)


def submit_for_review(item: Item, *, acting_user) -> ReviewRun:
    # The check runs in its own transaction first, so the findings survive a refused submission.
    check_current_revision(item, acting_user=acting_user)
    return _submit(item, acting_user=acting_user)


@transaction.atomic(durable=True)
def _submit(item: Item, *, acting_user) -> ReviewRun:
    item = Item.objects.locked(item)
    require(policy.can_submit(acting_user, item), "只有本单位的经办人可以提交审核。")
    lifecycle.require(item, "submit")
    revision = item.current_revision
    if not revision.targets:
        raise ValidationError({"targets": "请至少选择一个发布栏目或账号。"})
    if item.live_revision_id and not revision.correction_note:
        raise ValidationError({"correction_note": "已发布稿件的更正须填写更正说明。"})
    blocks = open_blocks(run_machine_check(revision))
    if blocks:
        raise SubmitBlocked(blocks)
    run = ReviewRun.objects.create(item=item, revision=revision, revision_hash=revision.content_hash,
                                   steps=policy.required_steps(revision.major), started_by=acting_user)
    lifecycle.move(item, "submit", acting_user=acting_user, submitted_at=timezone.now())
    audit.record("item.submit", actor=acting_user, obj=item, unit=item.unit_id,
                 details={"run": run.pk, "revision": revision.number, "hash": revision.content_hash,
                          "steps": run.steps})
    notify(policy.eligible_reviewers(item, run, run.next_step), item, "submit",
           f"待{Step(run.next_step).label}：{revision.title}")
    return run


@transaction.atomic(durable=True)
def dismiss_finding(finding: MachineFinding, *, acting_user, reason: str) -> MachineFinding:
    item = Item.objects.locked(finding.revision.item)
    require(policy.can_submit(acting_user, item), "只有本单位的经办人可以忽略机审问题。")
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError({"reason": "请填写忽略该问题的理由（至少 4 个字），审核人员会看到。"})
    finding = MachineFinding.objects.select_for_update().get(pk=finding.pk)
    if finding.dismissed_at:
        raise ValidationError("该问题已被忽略。")
    if finding.revision_id != item.current_revision_id:
        raise StaleRevision()
    finding.dismissed_by, finding.dismissed_at, finding.dismissed_reason = acting_user, timezone.now(), reason
    finding.save(update_fields=["dismissed_by", "dismissed_at", "dismissed_reason"])
    audit.record("finding.dismiss", actor=acting_user, obj=item, unit=item.unit_id,
                 details={"finding": finding.pk, "rule": finding.rule, "text": finding.text, "reason": reason})
    return finding


def _validate_answers(decision: str, checklist: dict, confidentiality_ok, proofread_ok) -> dict:
    """Approval needs every answer, one by one, all 是 (第八条: a real review); a return or a rejection
    needs only its reason — the answers given are kept, the rest stay unanswered."""
    if decision not in Decision.Outcome.values:
        raise ValidationError({"decision": "审核意见只能是通过、退回修改或不予发布。"})
    checklist = checklist or {}
    if any(checklist.get(key) is not None and not isinstance(checklist.get(key), bool) for key in CHECKLIST_KEYS) \
            or any(v is not None and not isinstance(v, bool) for v in (confidentiality_ok, proofread_ok)):
        raise ValidationError({"checklist": "审核要点的回答只能是“是”或“否”。"})
    answers = {key: checklist[key] for key in CHECKLIST_KEYS if isinstance(checklist.get(key), bool)}
    if decision == Decision.Outcome.APPROVE:
        if len(answers) < len(CHECKLIST_KEYS) or confidentiality_ok is None or proofread_ok is None:
            raise ValidationError({"checklist": "审核通过须逐项回答第八条十项审核要点、保密审查和校对确认。"})
        if not (all(answers.values()) and confidentiality_ok and proofread_ok):
            raise ValidationError({"checklist": "审核要点、保密审查或校对有未通过项，不能审核通过：请退回修改或不予发布。"})
    return answers


def _point_notes(revision, answers: dict, given: dict | None) -> dict:
    """A 是 on a point the machine check has open findings on needs a word of why (the reviewer saw them)."""
    from .evidence import by_point

    given = {k: (v or "").strip()[:500] for k, v in (given or {}).items() if k in CHECKLIST_KEYS and isinstance(v, str)}
    labels = dict(CHECKLIST)
    missing = {f"r_{key}": f"“{labels[key]}”一项有未处理的机审问题，回答“是”须简要说明理由。"
               for key in by_point(revision) if answers.get(key) is True and not given.get(key)}
    if missing:
        raise ValidationError(missing)
    return {k: v for k, v in given.items() if v}


def _waiting_run(item: Item, refused: str = "") -> ReviewRun:
    """The item's active review run, when a step of it waits (decisions prefetched); else the refusal."""
    run = ReviewRun.objects.filter(item=item, status=RunStatus.ACTIVE).prefetch_related("decisions").first()
    if item.state != ItemState.IN_REVIEW or run is None or not run.next_step:
        raise ValidationError(f"稿件当前状态为“{item.get_state_display()}”，没有待审核的环节{refused}。")
    return run


@transaction.atomic(durable=True)
def record_decision(item: Item, *, acting_user, revision_hash: str, decision: str, checklist: dict | None = None,
                    confidentiality_ok: bool | None = None, proofread_ok: bool | None = None,
                    comment: str = "", point_notes: dict | None = None) -> Decision:
    item = Item.objects.locked(item)
    refusal = policy.reviewer_refusal(acting_user, item)
    require(refusal is None, refusal)
    run = _waiting_run(item)
    if revision_hash != run.revision_hash or revision_hash != item.current_revision.content_hash:
        raise StaleRevision()
    step = run.next_step
    refusal = policy.decision_refusal(acting_user, item, run, step)
    if refusal:
        raise PermissionDenied(refusal)
    answers = _validate_answers(decision, checklist, confidentiality_ok, proofread_ok)
    comment = (comment or "").strip()
    if decision != Decision.Outcome.APPROVE and not comment:
        raise ValidationError({"comment": "退回或不予发布时须填写意见。"})
    notes = _point_notes(item.current_revision, answers, point_notes)
    record = Decision.objects.create(run=run, revision_hash=revision_hash, step=step, reviewer=acting_user,
                                     decision=decision, checklist=answers, confidentiality_ok=confidentiality_ok,
                                     proofread_ok=proofread_ok, comment=comment, point_notes=notes)
    title = item.current_revision.title
    following = None
    if decision == Decision.Outcome.APPROVE:
        done = set(run.approved_steps()) | {step}  # run.decisions was prefetched before this one
        following = next((s for s in run.steps if s not in done), None)
        if following is None:
            run.status, run.ended_at = RunStatus.APPROVED, timezone.now()
    else:
        run.status, run.ended_at = (RunStatus.RETURNED if decision == Decision.Outcome.RETURN else RunStatus.REJECTED,
                                    timezone.now())
    run.save(update_fields=["status", "ended_at"])
    if following is None:  # the run has ended: the item moves on
        lifecycle.move(item, decision, acting_user=acting_user)  # the outcomes are the lifecycle's event names
    else:  # a step passed, the next one is waiting from now
        item.state_changed_at = timezone.now()
        item.save(update_fields=["state_changed_at", "updated_at"])
    audit.record("review.decision", actor=acting_user, obj=item, unit=item.unit_id,
                 details={"run": run.pk, "step": step, "decision": decision, "hash": revision_hash,
                          "checklist": answers, "confidentiality_ok": confidentiality_ok,
                          "proofread_ok": proofread_ok, "comment": comment, "point_notes": notes})
    label = Step(step).label
    if following:
        notify(policy.eligible_reviewers(item, run, following), item, "approve",
               f"待{Step(following).label}：{title}")
    elif decision == Decision.Outcome.APPROVE:
        notify([item.author], item, "approved", f"审核通过，可以发布：{title}")
    elif decision == Decision.Outcome.RETURN:
        notify([item.author], item, "return", f"{label}退回修改：{title}——{comment}")
    else:
        notify([item.author], item, "reject", f"{label}不予发布：{title}——{comment}")
    return record


def _words(text: str) -> str:
    return "".join((text or "").split())


@transaction.atomic(durable=True)
def annotate(item: Item, *, acting_user, quote: str, comment: str) -> Annotation:
    """审核批注 on a passage of the revision under review; the passage must be in it (title, summary or
    body, white space aside), so the editor can find what is meant."""
    from govpub.content.suggestions import visible_text

    item = Item.objects.locked(item)
    refusal = policy.reviewer_refusal(acting_user, item)
    require(refusal is None, refusal)
    run = _waiting_run(item, "，不能添加批注")
    refusal = policy.annotation_refusal(acting_user, item, run)
    if refusal:
        raise PermissionDenied(refusal)
    quote, comment = " ".join((quote or "").split())[:300], (comment or "").strip()
    errors = {}
    revision = item.current_revision
    if not quote:
        errors["quote"] = "请选中或粘贴要批注的原文。"
    elif _words(quote) not in _words(revision.title + revision.summary + visible_text(revision.body_html)):
        errors["quote"] = "所批原文不在当前版本中，请从正文中复制。"
    if not comment:
        errors["comment"] = "请填写批注。"
    if errors:
        raise ValidationError(errors)
    note = Annotation.objects.create(run=run, revision=revision, step=run.next_step, author=acting_user, quote=quote,
                                     comment=comment[:2000])
    audit.record("review.annotate", actor=acting_user, obj=item, unit=item.unit_id,
                 details={"run": run.pk, "step": run.next_step, "quote": quote, "comment": comment[:2000]})
    return note

