"""An item body over GOVPUB_MAX_BODY_HTML_CHARS is refused on the edit page with a Chinese message; what the
editor typed comes back and the saved version is untouched."""

import pytest

from .test_bad_input import assert_kept, assert_untouched, form_data

pytestmark = pytest.mark.django_db


def test_too_long_body_is_refused_and_the_form_kept(make_item, client_for, column, settings):
    item = make_item()
    revision_id = item.current_revision_id
    data = form_data(column)
    settings.GOVPUB_MAX_BODY_HTML_CHARS = len(data["body_html"]) - 1
    response = client_for("demo-editor").post(f"/staff/items/{item.pk}/edit/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"正文过长（含格式代码共 {len(data['body_html'])} 个字符），上限为 {len(data['body_html']) - 1} 个字符" in html
    assert_kept(html)
    assert_untouched(item, revision_id)
