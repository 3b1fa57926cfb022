"""A body table (a pasted Word table) is shown in a box that scrolls sideways and that a keyboard can reach."""

import pytest
from django.test import Client

from govpub.portal.views import BODY_TABLE_OPEN, scrollable_tables

pytestmark = pytest.mark.django_db

TABLE = '<table><tbody><tr><td rowspan="2">乡镇</td><td colspan="2">更新条数</td></tr></tbody></table>'


def test_the_article_wraps_each_body_table_and_changes_nothing_else(published):
    item = published(body=f"<p>统计如下。</p>{TABLE}<p>&lt;table&gt;是文字</p>")
    page = Client().get(f"/articles/{item.pk}/").content.decode()
    assert f'{BODY_TABLE_OPEN}<tbody><tr><td rowspan="2">乡镇</td><td colspan="2">更新条数</td></tr></tbody></table></div>' in page
    assert "<p>统计如下。</p>" in page and "<p>&lt;table&gt;是文字</p>" in page


def test_nested_tables_stay_balanced():
    nested = "<table><tbody><tr><td><table><tbody><tr><td>内</td></tr></tbody></table></td></tr></tbody></table>"
    out = scrollable_tables(nested)
    assert out.count('<div class="body-table"') == 2 and out.count("</div>") == 2
    assert out.startswith(BODY_TABLE_OPEN) and out.endswith("</table></div>")
