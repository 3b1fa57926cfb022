"""Each person's 待办: what waits for them, oldest first, with how long it has waited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from govpub.content.models import Item, ItemState
from govpub.orgs import policy as orgs_policy
from govpub.orgs.models import Role

from . import policy
from .models import ReviewRun, RunStatus, Step


class Waiting:
    """How long a duty with a `since` has waited (shared by every kind of 待办 entry)."""

    since: datetime

    @property
    def waited(self):
        return timezone.now() - self.since

    @property
    def waited_text(self) -> str:
        return waited_text(self.waited)


@dataclass
class TodoEntry(Waiting):
    item: Item
    kind: str  # review / revise / publish
    label: str
    since: datetime


def waited_text(waited) -> str:
    """3 天 2 小时 / 5 小时 10 分钟 / 8 分钟."""
    seconds = int(waited.total_seconds())
    days, hours, minutes = seconds // 86400, seconds % 86400 // 3600, seconds % 3600 // 60
    if days:
        return f"{days} 天 {hours} 小时"
    if hours:
        return f"{hours} 小时 {minutes} 分钟"
    return f"{max(minutes, 0)} 分钟"


def todo_for(user) -> list[TodoEntry]:
    roles = orgs_policy.active_roles(user)
    unit_ids = {u for u, _ in roles}
    entries = []
    runs = (ReviewRun.objects.filter(status=RunStatus.ACTIVE, item__unit_id__in=unit_ids)
            .select_related("item", "item__current_revision", "item__unit").prefetch_related("decisions"))
    for run in runs:
        step = run.next_step
        if step and policy.decision_refusal(user, run.item, run, step) is None:
            decided = [d.decided_at for d in run.decisions.all()]
            entries.append(TodoEntry(run.item, "review", f"待{Step(step).label}", max(decided, default=run.started_at)))
    editor_units = {u for u, r in roles if r == Role.EDITOR}
    # No ORDER BY (the entries are sorted below): with one, SQLite walks the lists' updated_at index over every
    # item instead of the few the state index finds (50 ms a page at 100,000 items). Bodies are not needed.
    for item in (Item.objects.filter(state=ItemState.RETURNED, author=user).order_by()
                 .select_related("current_revision", "unit").defer("current_revision__body_html")):
        entries.append(TodoEntry(item, "revise", "退回修改", item.state_changed_at))
    for item in (Item.objects.filter(state=ItemState.APPROVED, unit_id__in=editor_units).order_by()
                 .select_related("current_revision", "unit").defer("current_revision__body_html")):
        entries.append(TodoEntry(item, "publish", "待发布", item.state_changed_at))
    entries.sort(key=lambda e: e.since)
    return entries
