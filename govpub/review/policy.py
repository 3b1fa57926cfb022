"""Who may submit and decide each review step (第六条; DESIGN.md §2 invariants 2–4)."""

from __future__ import annotations

from govpub.orgs import policy as orgs_policy
from govpub.orgs.models import Person, Role, RoleAssignment

from .models import Decision, ReviewRun, Step

STEP_ROLE = {
    Step.FIRST: Role.EDITOR,
    Step.SECOND: Role.OFFICE_HEAD,
    Step.FINAL: Role.DEPUTY,
    Step.PRINCIPAL: Role.PRINCIPAL,
}
# 复审、终审 and the principal's review are done by three different people, none the author.
SEPARATED_STEPS = {Step.SECOND, Step.FINAL, Step.PRINCIPAL}


def required_steps(major: bool) -> list[str]:
    steps = [Step.FIRST, Step.SECOND, Step.FINAL]
    if major:
        steps.append(Step.PRINCIPAL)
    return [s.value for s in steps]


def can_submit(user, item) -> bool:
    return orgs_policy.has_role(user, Role.EDITOR, item.unit_id)


def reviewer_refusal(user, item) -> str | None:
    """Why this person may not act as a reviewer of this item's unit at all, or None.

    Asked before anything about the item's state is said: someone with no reviewing role in the unit
    learns nothing about it."""
    if not any(orgs_policy.has_role(user, role, item.unit_id) for role in STEP_ROLE.values()):
        return "您不是本单位的审核人员（谁公开、谁审核）。"
    return None


def decision_refusal(user, item, run: ReviewRun, step: str) -> str | None:
    """Why this person may not decide this step of this run, or None if they may."""
    role = STEP_ROLE[Step(step)]
    if not orgs_policy.has_role(user, role, item.unit_id):
        return f"{Step(step).label}须由本单位的{role.label}办理（谁公开、谁审核）。"
    if step in SEPARATED_STEPS:
        if user.pk in writers(run):
            return "撰稿人（包括修改过该版本内容的人员）不能办理复审、终审或主要负责人审核。"
        others = {d.reviewer_id for d in run.decisions.all()
                  if d.step in SEPARATED_STEPS and d.step != step and d.decision == Decision.Outcome.APPROVE}
        if user.pk in others:
            return "复审、终审和主要负责人审核须由三位不同的人员办理，您已审核过本稿件的其他环节。"
    return None


def writers(run: ReviewRun) -> set[int]:
    """Everyone who wrote any part of the revision under review: the author and whoever saved it or an earlier
    revision (each revision carries forward what the earlier ones said)."""
    from govpub.content.models import Revision

    if not hasattr(run, "_writers"):  # asked once per eligible person when notifying
        saved_by = Revision.objects.filter(item_id=run.item_id, number__lte=run.revision.number)
        run._writers = {run.item.author_id, *saved_by.values_list("created_by_id", flat=True)}
    return run._writers


def eligible_reviewers(item, run: ReviewRun, step: str):
    """The people who may decide this step now (for to-do lists and notifications)."""
    people = Person.objects.filter(
        is_active=True, roles__in=RoleAssignment.objects.active().filter(unit_id=item.unit_id,
                                                                         role=STEP_ROLE[Step(step)]))
    return [p for p in people.distinct() if decision_refusal(p, item, run, step) is None]


def annotation_refusal(user, item, run: ReviewRun) -> str | None:
    """Why this person may not annotate the revision under review, or None: whoever may decide its
    current step may comment on passages of it."""
    return decision_refusal(user, item, run, run.next_step)
