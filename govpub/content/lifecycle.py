"""An item's life: its states and every allowed transition, written once (DESIGN.md §3).

Every change of `Item.state` goes through `move`, which refuses a transition the table does not
allow. Apps above content (review, publishing) react to a move through hooks they register, run in
the same transaction — so content never writes their tables, and no state is set anywhere else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import Item, ItemState

S = ItemState

# event → (the states it may start from, the state it leads to)
TRANSITIONS: dict[str, tuple[frozenset, ItemState]] = {
    # A content change voids what reviewers approved: back to draft, review starts again at 初审. A withdrawn
    # item may be fixed this way too, and goes through the whole review again before it is republished.
    "revise": (frozenset({S.IN_REVIEW, S.APPROVED, S.SCHEDULED, S.PUBLISHED, S.WITHDRAWN}), S.DRAFT),
    "submit": (frozenset({S.DRAFT, S.RETURNED}), S.IN_REVIEW),
    "approve": (frozenset({S.IN_REVIEW}), S.APPROVED),
    "return": (frozenset({S.IN_REVIEW}), S.RETURNED),
    "reject": (frozenset({S.IN_REVIEW}), S.REJECTED),
    "schedule": (frozenset({S.APPROVED, S.SCHEDULED}), S.SCHEDULED),
    "unschedule": (frozenset({S.SCHEDULED}), S.APPROVED),
    "publish": (frozenset({S.APPROVED, S.SCHEDULED}), S.PUBLISHED),
    # 撤稿 takes down what is online, whatever is in progress on a newer revision.
    "withdraw": (frozenset(set(S) - {S.WITHDRAWN}), S.WITHDRAWN),
}
LABELS = {"revise": "修改", "submit": "提交审核", "approve": "审核通过", "return": "退回修改", "reject": "不予发布",
          "schedule": "定时发布", "unschedule": "取消定时发布", "publish": "发布", "withdraw": "撤稿"}
SUBMITTABLE = TRANSITIONS["submit"][0]

_hooks: dict[str, list[Callable]] = defaultdict(list)


def on(event: str, hook: Callable[[Item, object, str], None]) -> None:
    """Run hook(item, acting_user, previous_state) after every `event` move, in the mover's transaction."""
    if event not in TRANSITIONS:
        raise ValueError(f"unknown item event: {event}")
    if hook not in _hooks[event]:
        _hooks[event].append(hook)


def allowed(item: Item, event: str) -> bool:
    return item.state in TRANSITIONS[event][0]


def require(item: Item, event: str) -> None:
    if not allowed(item, event):
        raise ValidationError(f"稿件当前状态为“{item.get_state_display()}”，不能{LABELS[event]}。")


def move(item: Item, event: str, *, acting_user, **fields) -> str:
    """Apply `event` to a locked item (and any fields that change with it); returns the previous state."""
    require(item, event)
    previous = item.state
    item.state, item.state_changed_at = TRANSITIONS[event][1], timezone.now()
    for name, value in fields.items():
        setattr(item, name, value)
    item.save(update_fields=["state", "state_changed_at", "updated_at", *fields])
    for hook in _hooks[event]:
        hook(item, acting_user, previous)
    return previous
