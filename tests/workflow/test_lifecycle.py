"""The item's states and transitions live in one table (govpub/content/lifecycle.py); nothing else sets them."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from govpub.content import lifecycle
from govpub.content.models import ItemState

from .conftest import people

PACKAGE = Path(lifecycle.__file__).resolve().parents[1]


def _state_writes(tree: ast.AST):
    """`x.state = ItemState…` / `x.state, … = …` assignments and `.update(state=…)` / `Item(…, state=…)` calls."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets = [t for target in node.targets for t in (target.elts if isinstance(target, ast.Tuple) else [target])]
            if any(isinstance(t, ast.Attribute) and t.attr == "state" for t in targets) and "ItemState" in ast.unparse(node.value):
                yield node.lineno
        if isinstance(node, ast.Call) and any(k.arg == "state" and "ItemState" in ast.unparse(k.value)
                                              for k in node.keywords):
            if isinstance(node.func, ast.Attribute) and node.func.attr in ("update", "create", "bulk_update"):
                yield node.lineno


def test_no_item_state_is_written_outside_the_lifecycle():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "lifecycle.py" or "migrations" in path.parts or path.parts[-2:] == ("jobs", "scale.py"):
            continue
        offenders += [f"{path.relative_to(PACKAGE)}:{line}" for line in _state_writes(ast.parse(path.read_text()))]
    assert offenders == []


def test_the_check_sees_a_direct_write():
    assert list(_state_writes(ast.parse("item.state, item.x = ItemState.PUBLISHED, 1"))) == [1]
    assert list(_state_writes(ast.parse("Item.objects.filter(pk=1).update(state=ItemState.DRAFT)"))) == [1]


@pytest.mark.django_db
def test_a_transition_the_table_does_not_allow_is_refused(make_item):
    item = make_item()
    assert item.state == ItemState.DRAFT
    with pytest.raises(ValidationError, match="不能发布"):
        lifecycle.move(item, "publish", acting_user=people("demo-editor"))
    item.refresh_from_db()
    assert item.state == ItemState.DRAFT


def test_every_state_is_reachable_and_every_event_leads_somewhere():
    targets = {target for _sources, target in lifecycle.TRANSITIONS.values()}
    assert targets | {ItemState.DRAFT} == set(ItemState)
    assert set(lifecycle.LABELS) == set(lifecycle.TRANSITIONS)
