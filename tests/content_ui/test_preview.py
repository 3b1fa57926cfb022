"""Preview before publishing (issue 16 item 6): the website article and the WeChat post of a revision, seen by
whoever sees the item, never public, with WeChat's limits checked; 立即发布 names its targets first."""

import pytest
from django.test import Client

from govpub.channels.targets import allowed_targets
from govpub.orgs.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def wechat_key(db):
    unit = Unit.objects.get(name="区党政办公室")
    return next(t.key for t in allowed_targets(unit) if t.channel.kind == "wechat")


def test_site_preview_shows_the_unpublished_revision_to_the_unit_only(make_item, client_for):
    item = make_item(body="<p>预览中的正文段落。</p>")
    response = client_for("demo-editor").get(f"/staff/items/{item.pk}/preview/site/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "预览：第 1 版，尚未发布" in html and "预览中的正文段落" in html and "全区政务公开工作推进会召开" in html
    assert 'name="robots" content="noindex, nofollow"' in html and response["Cache-Control"] == "private, no-store"
    assert client_for("yanji-editor").get(f"/staff/items/{item.pk}/preview/site/").status_code == 404
    assert Client().get(f"/articles/{item.pk}/").status_code == 404  # a preview publishes nothing


def test_wechat_preview_names_what_wechat_would_refuse(make_item, client_for, column, wechat_key):
    long_title = "关于进一步做好全区政务公开和政府网站与政务新媒体日常监管工作的补充通知"
    assert len(long_title) > 32
    item = make_item(title=long_title, targets=[f"column:{column.pk}", wechat_key])
    detail = client_for("demo-editor").get(f"/staff/items/{item.pk}/").content.decode()
    assert "预览微信图文" in detail and "预览网站页面" in detail
    html = client_for("demo-editor").get(f"/staff/items/{item.pk}/preview/wechat/").content.decode()
    assert f"标题 {len(long_title)} / 32 字" in html and "超过微信公众号的 32 字上限" in html
    assert "未填写摘要：微信将显示正文的前 120 字" in html and "区党政办公室召开全区政务公开工作推进会" in html

    fine = make_item(title="全区政务公开推进会召开", summary="会议部署下一阶段任务。", targets=[wechat_key])
    html = client_for("demo-editor").get(f"/staff/items/{fine.pk}/preview/wechat/").content.decode()
    assert "微信将拒绝发布" not in html and "会议部署下一阶段任务。" in html
