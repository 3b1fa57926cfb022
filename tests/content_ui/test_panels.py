"""The item page is built from panels that review and publishing register (issue 13, item 4):
content knows no view of the apps above it, and the page still shows each panel to the right people."""

import ast
from pathlib import Path

import pytest

import govpub
from govpub.review import actions as review_actions

from .conftest import answers, people

CONTENT = Path(govpub.__file__).parent / "content"
STEPS = ["demo-editor2", "demo-office-head", "demo-deputy"]


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function, relative imports resolved."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # from . / from .x / from ..x, seen from inside govpub/content
                package = ["govpub", "content"][: 3 - node.level]
                base = ".".join(package + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("filename", ["views.py", "panels.py"])
def test_content_imports_no_view_of_review_or_publishing(filename):
    imported = imported_modules(CONTENT / filename)
    upward = sorted(n for n in imported if n.startswith(("govpub.review.views", "govpub.publishing.views")))
    assert upward == [], f"content/{filename} imports views of the apps above it: {upward}"


def test_the_panel_registry_imports_nothing_from_the_apps_above():
    imported = imported_modules(CONTENT / "panels.py")
    assert not [n for n in imported if n.startswith(("govpub.review", "govpub.publishing"))]


def test_review_and_publishing_register_their_panels_in_page_order():
    from govpub.content import panels

    assert [p.name for p in panels.registered()][:2] == ["review", "publishing"]


def test_item_page_shows_the_decision_form_only_to_the_reviewer_of_the_step(make_item, client_for):
    item = make_item()
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    reviewer = client_for("demo-editor2").get(f"/staff/items/{item.pk}/").content.decode()
    assert 'class="form decision-form"' in reviewer and "审核：初审" in reviewer
    other = client_for("demo-office-head").get(f"/staff/items/{item.pk}/").content.decode()
    assert 'class="form decision-form"' not in other and "初审须由本单位的经办人办理" in other


def test_item_page_shows_the_publish_panel_only_to_who_may_publish(make_item, client_for):
    item = make_item()
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    for username in STEPS:
        item.refresh_from_db()
        response = client_for(username).post(f"/staff/items/{item.pk}/decide/", {
            "revision_hash": item.current_revision.content_hash, "decision": "approve", "comment": "同意",
            **answers()})
        assert response.status_code == 302, response.content.decode()[:2000]
    editor = client_for("demo-editor").get(f"/staff/items/{item.pk}/").content.decode()
    assert 'id="h-publish"' in editor and "立即发布" in editor
    # The review history (review's panel) comes before the publish panel, as it always did.
    assert editor.index('id="h-history"') < editor.index('id="h-publish"')
    deputy = client_for("demo-deputy").get(f"/staff/items/{item.pk}/").content.decode()
    assert "立即发布" not in deputy
