"""Chinese full-text search, on whichever database the suite runs (SQLite FTS5 or PostgreSQL tsvector)."""

import pytest
from django.db import connection
from django.test import Client

from govpub.portal import search
from govpub.portal.models import SearchDocument

pytestmark = pytest.mark.django_db

BODY = ("<p>临空经济区召开专题会议，研究部署下一阶段招商引资工作，要求围绕航空物流产业链精准发力，"
        "推动重点项目落地见效。</p>")


def hit_ids(q, page=1):
    results = search.search(q, page)
    return [hit.item_id for hit in results.page.object_list] if results.page else []


def test_finds_an_item_by_a_chinese_word_inside_its_body(published):
    item = published(title="专题会议研究部署重点工作", body=BODY, column="gzdt")
    assert item.pk in hit_ids("招商引资")
    assert item.pk in hit_ids("航空物流")
    assert item.pk in hit_ids("招商引资 航空物流")  # every word must match
    assert item.pk not in hit_ids("招商引资 乡村振兴")


def test_search_page_shows_title_highlighted_snippet_date_and_column(published):
    item = published(title="专题会议研究部署重点工作", body=BODY, column="gzdt")
    html = Client().get("/search/", {"q": "招商引资"}).content.decode()
    assert f'href="/articles/{item.pk}/"' in html
    assert "<mark>招商引资</mark>工作" in html
    assert "栏目：工作动态" in html
    assert item.publications.get().live_at.strftime("%Y") in html
    assert "找到与“招商引资”相关的信息" in html


def test_index_is_segmented_chinese(published):
    item = published(title="专题会议研究部署重点工作", body=BODY, column="gzdt")
    words = SearchDocument.objects.get(item=item).segmented.split()
    assert "招商引资" in words and "航空" in words and "物流" in words
    assert "，" not in words


def test_withdrawn_items_leave_the_index_and_corrections_replace_the_text(published, withdraw, correct):
    kept = published(title="关于测试更正的通知", body="<p>本次活动地点为燕矶镇文化广场。</p>", column="tzgg")
    gone = published(title="关于测试撤稿的通知", body="<p>本次活动地点为杨叶镇文化广场。</p>", column="tzgg")
    assert gone.pk in hit_ids("杨叶镇")
    withdraw(gone)
    assert gone.pk not in hit_ids("杨叶镇")
    assert not SearchDocument.objects.filter(item=gone).exists()

    correct(kept, "活动地点有误，已更正。", body_html="<p>本次活动地点为新庙镇文化广场。</p>")
    assert kept.pk in hit_ids("新庙镇") and kept.pk not in hit_ids("燕矶镇")


def test_drafts_and_approved_items_are_not_searchable(make_item, approved_item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft = make_item(title="未发布的稿件", body="<p>沙窝乡召开未发布会议。</p>")
        approved = approved_item(title="审核通过未发布", body="<p>沙窝乡召开未发布会议。</p>")
    assert draft.pk not in hit_ids("沙窝乡") and approved.pk not in hit_ids("沙窝乡")


@pytest.mark.parametrize("q", ["", "   ", "！！！，。", "*", '"', "AND OR NOT", "NEAR(", "'; DROP TABLE x; --",
                               "a" * 500, "\x00", "招商引资\" OR \"x"])
def test_empty_or_garbage_queries_get_a_friendly_answer(q):
    response = Client().get("/search/", {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    assert any(message in html for message in ("请输入要查找的关键词", "未能识别您输入的关键词", "没有找到", "找到与"))


def test_empty_query_message(published):
    assert "请输入要查找的关键词" in Client().get("/search/").content.decode()
    assert "未能识别您输入的关键词" in Client().get("/search/", {"q": "，。！"}).content.decode()
    assert "没有找到与“鲲鹏展翅”相关的信息" in Client().get("/search/", {"q": "鲲鹏展翅"}).content.decode()


def test_results_are_paginated(published, monkeypatch):
    monkeypatch.setattr(search, "PAGE_SIZE", 2)
    items = [published(title=f"分页检索测试第{n}条", body="<p>长江大保护专项行动持续推进。</p>", column="gzdt")
             for n in range(3)]
    first, second = hit_ids("长江大保护"), hit_ids("长江大保护", 2)
    assert len(first) == 2 and len(second) >= 1
    assert set(first + second) >= {i.pk for i in items}
    html = Client().get("/search/", {"q": "长江大保护"}).content.decode()
    assert 'rel="next"' in html and "q=%E9%95%BF" in html  # the query is kept in the pager links


def test_highlight_escapes_text():
    html = search.highlight('<b>招商</b>引资 & "x"', ["招商"])
    assert html == '&lt;b&gt;<mark>招商</mark>&lt;/b&gt;引资 &amp; &quot;x&quot;'


def test_reindex_all_rebuilds_the_catalogue(published):
    item = published(title="重建索引测试", body="<p>临空经济区推进智慧城市建设。</p>", column="gzdt")
    SearchDocument.objects.all().delete()
    assert item.pk not in hit_ids("智慧城市")
    assert search.reindex_all() >= 1
    assert item.pk in hit_ids("智慧城市")


def test_runs_on_the_expected_index():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'portal_search_fts'")
        else:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname = 'portal_searchdocument_vector'")
        assert cursor.fetchone()


def test_relevance_window_then_newest_first_covers_every_match_once(published, monkeypatch):
    """Only the RANK_WINDOW newest matches are ranked; the rest follow by date — together, every match once."""
    monkeypatch.setattr(search, "RANK_WINDOW", 2)
    monkeypatch.setattr(search, "PAGE_SIZE", 3)
    items = [published(title=f"排序窗口测试{n}", body="<p>临空经济区推进低空经济产业发展。</p>", column="gzdt")
             for n in range(5)]
    seen = hit_ids("低空经济") + hit_ids("低空经济", 2)
    assert sorted(seen) == sorted({*seen}) and {i.pk for i in items} <= set(seen)
    # after the ranked window, older matches come newest first
    tail = [pk for pk in seen[2:] if pk in {i.pk for i in items}]
    assert tail == sorted(tail, reverse=True)


def test_count_stops_at_the_limit_and_says_so(published, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 2)
    for n in range(3):
        published(title=f"计数上限测试{n}", body="<p>临空经济区推进数字政府建设。</p>", column="gzdt")
    results = search.search("数字政府")
    assert results.capped and results.total == 2
    html = Client().get("/search/", {"q": "数字政府"}).content.decode()
    assert "相关的信息超过 2 条" in html
