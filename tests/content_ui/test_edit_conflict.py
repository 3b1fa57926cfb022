"""No lost work (issue 16 item 5): a save based on an older revision is refused and merged, never written over
another editor's save — in the staff UI and in the API (PATCH base_revision → 409)."""

import re

import pytest
from hypothesis import given, strategies as st

from govpub.content.merge import merge

from .test_bad_input import form_data

pytestmark = pytest.mark.django_db


def edit(client, item, column, base, **fields):
    return client.post(f"/staff/items/{item.pk}/edit/", form_data(column, base_revision=base, **fields))


def test_second_editor_gets_a_merge_not_a_silent_overwrite(make_item, client_for, column):
    item = make_item()
    first, second = client_for("demo-editor"), client_for("demo-editor2")
    assert 'name="base_revision" value="1"' in second.get(f"/staff/items/{item.pk}/edit/").content.decode()

    assert edit(first, item, column, 1, title="推进会标题由王晓明修改").status_code == 302
    response = edit(second, item, column, 1, title="全区政务公开工作推进会召开",
                    body_html="<p>李娜补写的一段正文。</p>")
    html = response.content.decode()
    assert response.status_code == 409
    assert "保存冲突" in html and "王晓明" in html and "第 2 版" in html
    item.refresh_from_db()
    assert item.current_revision.number == 2 and "李娜" not in item.current_revision.body_html
    # The form comes back merged: the title the second editor did not touch is the first editor's,
    # the body is what the second editor typed, and the next save is based on revision 2.
    assert 'value="推进会标题由王晓明修改"' in html and "李娜补写的一段正文" in html
    assert 'name="base_revision" value="2"' in html
    assert re.search(r"<ins>[^<]*王晓明[^<]*</ins>", html)  # the other person's change, as a diff

    assert edit(second, item, column, 2, title="推进会标题由王晓明修改",
                body_html="<p>李娜补写的一段正文。</p>").status_code == 302
    item.refresh_from_db()
    revision = item.current_revision
    assert revision.number == 3 and revision.title == "推进会标题由王晓明修改" and "李娜" in revision.body_html


def test_both_changing_the_body_keeps_the_second_editors_text_and_names_the_field(make_item, client_for, column):
    item = make_item()
    edit(client_for("demo-editor"), item, column, 1, title="全区政务公开工作推进会召开",
         body_html="<p>王晓明的正文。</p>")
    response = edit(client_for("demo-editor2"), item, column, 1, title="全区政务公开工作推进会召开",
                    body_html="<p>李娜的正文。</p>")
    html = response.content.decode()
    assert response.status_code == 409
    assert "您和对方都修改了：正文" in html and "李娜的正文" in html and "王晓明的正文" in html


def test_a_save_on_the_current_revision_goes_through(make_item, client_for, column):
    item = make_item()
    assert edit(client_for("demo-editor"), item, column, 1, title="新标题").status_code == 302
    item.refresh_from_db()
    assert item.current_revision.number == 2


# --- the merge itself ---

values = st.fixed_dictionaries({"title": st.sampled_from(["甲", "乙", "丙"]),
                                "targets": st.lists(st.sampled_from(["column:1", "channel:2"]), unique=True)})


@given(values, values, values)
def test_merge_never_loses_a_change(base, current, mine):
    merged = merge(base, current, mine)
    for name in mine:
        mine_changed = (sorted(mine[name]) != sorted(base[name])) if name == "targets" else mine[name] != base[name]
        theirs_changed = (sorted(current[name]) != sorted(base[name])) if name == "targets" else current[name] != base[name]
        if mine_changed:
            assert merged.values[name] == mine[name]  # the editor's typing is never dropped
        elif theirs_changed:
            assert merged.values[name] == current[name] and name in merged.theirs
        else:
            assert merged.values[name] == mine[name]
        assert (name in merged.both) == (mine_changed and theirs_changed and
                                          (sorted(mine[name]) != sorted(current[name]) if name == "targets"
                                           else mine[name] != current[name]))
