"""The publish gate: the one function every publishing path asks (DESIGN.md §2 invariants 1, 6, 7)."""

from __future__ import annotations

from govpub.channels.targets import resolve
from govpub.content.models import Item
from govpub.review.machine_check import open_blocks, run_machine_check
from govpub.review.models import Decision, ReviewRun, RunStatus


def gate_problems(item: Item, revision_hash: str) -> list[str]:
    """Everything that stops this exact revision from going out now; empty means it may."""
    revision = item.current_revision
    if revision is None or revision.content_hash != revision_hash:
        return ["所发布的版本不是稿件的当前版本（内容已修改），须重新审核。"]
    problems = []
    run = (ReviewRun.objects.filter(item=item, revision=revision, status=RunStatus.APPROVED)
           .prefetch_related("decisions").order_by("-id").first())
    if run is None:
        problems.append("当前版本尚未完成全部审核环节。")
    else:
        approved = {d.step: d for d in run.decisions.all() if d.decision == Decision.Outcome.APPROVE}
        if any(step not in approved or approved[step].revision_hash != revision_hash for step in run.steps):
            problems.append("当前版本缺少某一审核环节的通过意见。")
        if revision.major and "principal_review" not in run.steps:
            problems.append("重大信息须经主要负责人审核。")
    block_reason = item.unit.publish_block_reason()
    if block_reason:
        problems.append(block_reason)
    try:
        targets = resolve(revision.targets)
    except Exception as error:  # a target deleted or malformed: refuse rather than guess
        problems.append(f"发布目标无效：{error}")
        targets = []
    if not targets:
        problems.append("没有发布目标。")
    for target in targets:
        if not target.is_running:
            problems.append(f"发布目标“{target.label}”当前为“{target.channel.get_status_display()}”状态，不能发布。")
    blocks = open_blocks(run_machine_check(revision))
    if blocks:
        problems.append(f"按现行词库复查，仍有 {len(blocks)} 个未处理的机审阻断问题。")
    return problems
