"""The publish gate: the one function every publishing path asks (DESIGN.md §2 invariants 1, 6, 7)."""

from __future__ import annotations

from govpub.channels.targets import resolve
from govpub.content.models import Item
from govpub.content.references import empty_images, foreign_images, referenced_attachment_ids
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
    problems += file_problems(revision)
    try:
        targets = resolve(revision.targets)
    except Exception as error:  # a target deleted or malformed: refuse rather than guess
        problems.append(f"发布目标无效：{error}")
        targets = []
    if not targets:
        problems.append("没有发布目标。")
    problems += send_problems(item.unit, [t.channel for t in targets], labels=[t.label for t in targets])
    blocks = open_blocks(run_machine_check(revision))
    if blocks:
        problems.append(f"按现行词库复查，仍有 {len(blocks)} 个未处理的机审阻断问题。")
    return problems


def file_problems(revision) -> list[str]:
    """Every file the revision's body shows or links to is one of the revision's own (hashed, reviewed) files."""
    own = set(revision.attachments.values_list("pk", flat=True))
    problems = []
    stray = [pk for pk in referenced_attachment_ids(revision.body_html) if pk not in own]
    if stray:
        problems.append(f"正文引用了 {len(stray)} 个不属于该审核版本的文件，须重新上传并审核。")
    empty = empty_images(revision.body_html)
    if empty:  # a body saved before the sanitiser dropped them: each would go out as a broken picture
        problems.append(f"正文中有 {empty} 张没有图片地址的空图片（常见于旧稿件导入），发布后会显示为破损图片："
                        f"请编辑稿件删除后重新审核。")
    outside = [src for src in foreign_images(revision.body_html) if src.strip()]
    if outside:
        problems.append(f"正文中有 {len(outside)} 张外部网站的图片（如“{outside[0][:60]}”），其内容未经审核："
                        f"请下载后作为本稿件的图片上传，重新审核后发布。")
    return problems


def send_problems(unit, channels, labels=None) -> list[str]:
    """The unit and channel conditions (第十二条, 暂停/关停): asked by the gate, and again at every send."""
    problems = []
    block_reason = unit.publish_block_reason()
    if block_reason:
        problems.append(block_reason)
    for channel, label in zip(channels, labels or [str(c) for c in channels]):
        if not channel.is_running:
            problems.append(f"发布目标“{label}”当前为“{channel.get_status_display()}”状态，不能发布。")
    return problems
