"""POST /check and the item body have documented size limits (settings GOVPUB_MAX_CHECK_CHARS,
GOVPUB_MAX_BODY_HTML_CHARS): over them, a Chinese 413 (check) or a field error (item save), and nothing
is checked or saved."""

import pytest

from govpub.content.models import Item

from .conftest import BODY


def test_default_limits_are_half_a_million_characters_of_text_and_two_million_of_html(api):
    client = api("demo-editor")
    assert client.post("/check", {"text": "字" * 500_000}).status_code == 200
    over = client.post("/check", {"text": "字" * 500_001})
    assert over.status_code == 413
    assert over.json()["detail"] == "待检查的文字过长（500001 字），一次最多检查 500000 字，请分段提交。"
    html = client.post("/check", {"html": "<p>" + "字" * 2_000_000 + "</p>"})
    assert html.status_code == 413 and "一次最多 2000000 个字符" in html.json()["detail"]


def test_the_limits_are_settings(api, settings):
    settings.GOVPUB_MAX_CHECK_CHARS = 10
    settings.GOVPUB_MAX_BODY_HTML_CHARS = 16
    client = api("demo-editor")
    assert client.post("/check", {"text": "身份证号42070419900101123X"}).status_code == 413
    assert client.post("/check", {"text": "一二三四五六七八九十"}).status_code == 200
    assert client.post("/check", {"html": "<p>一二三四五六七八九十</p>"}).status_code == 413  # 17 characters
    assert client.post("/check", {"html": "<p>一二三四五六七八九</p>"}).status_code == 200


def test_an_item_body_over_the_limit_is_refused_with_a_chinese_field_error(api, column_key, party_office_id,
                                                                           settings):
    settings.GOVPUB_MAX_BODY_HTML_CHARS = len(BODY)
    client = api("demo-editor")
    before = Item.objects.count()
    response = client.post("/items", {"unit": party_office_id, "title": "超长正文", "body_html": BODY + "<p>多</p>", "targets": [column_key]})
    assert response.status_code == 400
    assert response.json()["errors"]["body_html"] == [
        f"正文过长（含格式代码共 {len(BODY) + 8} 个字符），上限为 {len(BODY)} 个字符，请拆分为几篇稿件。"]
    assert Item.objects.count() == before
    created = client.post("/items", {"unit": party_office_id, "title": "正好到上限", "body_html": BODY, "targets": [column_key]})
    assert created.status_code == 201, created.content


@pytest.mark.parametrize("path", ["/check"])
def test_openapi_documents_the_413(api, path):
    schema = api("demo-editor").get("/openapi.json").json()
    assert "413" in schema["paths"][f"/api/v1{path}"]["post"]["responses"]
