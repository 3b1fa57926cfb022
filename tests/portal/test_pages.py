"""The public website's pages, as an anonymous visitor sees them."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from govpub.content import actions as content_actions
from govpub.orgs.models import Unit
from govpub.publishing import actions as publishing_actions
from govpub.review import actions as review_actions
from govpub.web.demo_content import demo_pdf

from .conftest import decide, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client()


def text(response) -> str:
    return response.content.decode()


def test_home_shows_latest_items_and_the_notice_and_policy_blocks(client, published):
    news = published(title="临空经济区召开项目观摩会", column="gzdt")
    notice = published(title="关于调整办公时间的通知", column="tzgg")
    policy = published(title="关于印发测试管理办法的通知", column="zcwj")
    page = client.get("/")
    html = text(page)
    assert page.status_code == 200 and '<html lang="zh-Hans">' in html
    for item in (news, notice, policy):
        assert f'href="/articles/{item.pk}/"' in html
    assert 'id="block-tzgg">通知公告</h2>' in html and 'id="block-zcwj">政策文件</h2>' in html
    # 通知公告 and 政策文件 come first among the column blocks
    assert html.index("block-tzgg") < html.index("block-zcwj") < html.index("block-gzdt")
    assert 'class="skip" href="#main"' in html and '<main id="main"' in html


def test_footer_shows_sponsor_site_code_and_filings(client, settings):
    html = text(client.get("/"))
    assert "主办单位：鄂州市临空经济区管理委员会" in html
    assert "网站标识码：4207000041" in html  # the website channel's code by default
    assert "鄂ICP备00000000号" in html and "鄂公网安备00000000000000号" in html
    settings.GOVPUB_SITE_ID_CODE, settings.GOVPUB_ICP = "4207990001", "鄂ICP备12345678号-1"
    html = text(client.get("/"))
    assert "网站标识码：4207990001" in html and "鄂ICP备12345678号-1" in html


def test_column_page_lists_its_items_paginated(client, published, django_assert_max_num_queries):
    items = [published(title=f"乡镇动态测试信息第{n}条", column="xzdt") for n in range(3)]
    other = published(title="不属于乡镇动态的信息", column="gzdt")
    with django_assert_max_num_queries(8):
        page = client.get("/columns/xzdt/")
    html = text(page)
    assert page.status_code == 200 and "<h1>乡镇动态</h1>" in html
    for item in items:
        assert f'/articles/{item.pk}/' in html
    assert f'/articles/{other.pk}/' not in html
    assert re.search(r"\d{4}-\d{2}-\d{2}</time>", html)


def test_column_pagination(client, published, monkeypatch):
    from govpub.portal import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    first, second, third = (published(title=f"部门动态分页测试{n}", column="bmdt") for n in range(3))
    page1, page2 = text(client.get("/columns/bmdt/")), text(client.get("/columns/bmdt/?page=2"))
    assert 'rel="next"' in page1 and 'rel="prev"' in page2
    # newest first; the demo items of the column come after ours
    assert f"/articles/{third.pk}/" in page1 and f"/articles/{second.pk}/" in page1
    assert f"/articles/{first.pk}/" in page2
    assert client.get("/columns/bmdt/?page=999").status_code == 200  # past the end: the last page


def test_parent_column_lists_its_childrens_items(client, published):
    child = published(title="测试信息公开年报", column="gknb")
    html = text(client.get("/columns/zfxxgk/"))
    assert f"/articles/{child.pk}/" in html
    assert 'href="/columns/gknb/"' in html  # the sub-column navigation


def test_unknown_column_is_a_portal_404(client):
    page = client.get("/columns/no-such-column/")
    assert page.status_code == 404 and "页面不存在" in text(page)


def test_article_page_has_title_date_source_body_and_meta_tags(client, published):
    item = published(title="关于开展测试工作的通知", body="<p>请各单位认真做好测试工作。</p>", column="tzgg",
                     source_kind="reprint", source_name="湖北省人民政府网", source_url="https://www.hubei.gov.cn/x.html")
    page = client.get(f"/articles/{item.pk}/")
    html = text(page)
    assert page.status_code == 200
    assert "<h1>关于开展测试工作的通知</h1>" in html and "请各单位认真做好测试工作。" in html
    live_at = item.publications.get().live_at.astimezone(dt.timezone(dt.timedelta(hours=8)))
    stamp = live_at.strftime("%Y-%m-%d %H:%M")
    assert f"发布时间：<time" in html and f">{stamp}</time>" in html
    assert "来源：" in html and "湖北省人民政府网" in html
    assert '<meta name="SiteName" content="鄂州市临空经济区管理委员会">' in html
    assert '<meta name="SiteIDCode" content="4207000041">' in html
    assert '<meta name="ColumnName" content="通知公告">' in html
    assert '<meta name="ArticleTitle" content="关于开展测试工作的通知">' in html
    assert f'<meta name="PubDate" content="{stamp}">' in html
    assert '<meta name="ContentSource" content="湖北省人民政府网">' in html


def test_never_published_items_are_404(client, make_item, approved_item):
    draft, approved = make_item(), approved_item()
    for item in (draft, approved):
        assert client.get(f"/articles/{item.pk}/").status_code == 404
    assert client.get("/articles/999999/").status_code == 404


def test_withdrawn_item_answers_410_and_leaves_every_list(client, published, withdraw):
    item = published(title="即将撤下的测试通知", column="tzgg")
    assert f"/articles/{item.pk}/" in text(client.get("/columns/tzgg/"))
    withdraw(item)
    page = client.get(f"/articles/{item.pk}/")
    assert page.status_code == 410 and "该信息已撤下" in text(page)
    assert "即将撤下的测试通知" not in text(page)
    for url in ("/", "/columns/tzgg/", "/zfxxgk/", "/columns/tzgg/feed/", "/sitemap-articles.xml"):
        assert f"/articles/{item.pk}/" not in text(client.get(url)), url


def test_correction_shows_the_note_and_the_new_text(client, published, correct):
    item = published(title="关于召开测试会议的通知", body="<p>会议定于周一召开。</p>", column="tzgg")
    correct(item, "会议时间由周一调整为周二。", body_html="<p>会议定于周二召开。</p>")
    html = text(client.get(f"/articles/{item.pk}/"))
    assert "更正说明" in html and "会议时间由周一调整为周二。" in html
    assert "会议定于周二召开。" in html and "会议定于周一召开。" not in html
    assert "更新时间" in html
    # listed once, not once per version
    assert text(client.get("/columns/tzgg/")).count(f'href="/articles/{item.pk}/"') == 1


def test_attachment_of_a_live_item_downloads(client, column_of, django_capture_on_commit_callbacks):
    item = content_actions.create_item(acting_user=people("demo-editor"), unit=Unit.objects.get(name="区党政办公室"),
                                       title="附件下载测试通知", body_html="<p>见附件。</p>",
                                       targets=[f"column:{column_of('zcwj').pk}"])
    pdf = content_actions.add_attachment(item, SimpleUploadedFile("测试办法.pdf", demo_pdf()),
                                         acting_user=people("demo-editor"))
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    for step in ("first_review", "second_review", "final_review"):
        decide(item, step)
    item.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                        revision_hash=item.current_revision.content_hash)
    url = f"/articles/{item.pk}/files/{pdf.pk}/"
    assert f'href="{url}"' in text(client.get(f"/articles/{item.pk}/"))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == demo_pdf()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    # another item's attachment id through this item's URL, or a made-up id: 404
    assert client.get(f"/articles/{item.pk}/files/{pdf.pk + 1000}/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        publishing_actions.withdraw_item(item, acting_user=people("demo-editor"), reason="附件有误")
    assert client.get(url).status_code == 410


def test_attachment_of_an_unpublished_item_is_not_served(client, make_item):
    item = make_item()
    pdf = content_actions.add_attachment(item, SimpleUploadedFile("草稿附件.pdf", demo_pdf()),
                                         acting_user=people("demo-editor"))
    assert client.get(f"/articles/{item.pk}/files/{pdf.pk}/").status_code == 404


def test_directory_lists_metadata_and_filters(client, published):
    a = published(title="关于印发测试实施方案的通知", column="fdzdgknr", index_no="TEST-2024-0001",
                  issuing_org="区财政局", written_on="2024-05-06", doc_no="鄂临财发〔2024〕1号", topic="财政预算")
    b = published(title="测试年度报告", column="gknb", index_no="TEST-2025-0002", issuing_org="区政务公开办",
                  written_on="2025-01-10", topic="政务公开")
    outside = published(title="不在信息公开目录的动态", column="gzdt")
    html = text(client.get("/zfxxgk/"))
    for label in ("索引号", "发布机构", "成文日期", "文号", "主题分类"):
        assert f'<th scope="col">{label}</th>' in html
    assert "TEST-2024-0001" in html and "鄂临财发〔2024〕1号" in html and "2024-05-06" in html
    assert f"/articles/{b.pk}/" in html and f"/articles/{outside.pk}/" not in html

    def listed(query):
        body = text(client.get("/zfxxgk/", query))
        return {a.pk: f"/articles/{a.pk}/" in body, b.pk: f"/articles/{b.pk}/" in body}

    assert listed({"topic": "财政预算"}) == {a.pk: True, b.pk: False}
    assert listed({"org": "区政务公开办"}) == {a.pk: False, b.pk: True}
    assert listed({"year": "2024"}) == {a.pk: True, b.pk: False}
    assert listed({"q": "实施方案"}) == {a.pk: True, b.pk: False}
    assert listed({"q": "鄂临财发"}) == {a.pk: True, b.pk: False}
    assert listed({"year": "abcd", "topic": ""})[a.pk]  # junk filters are ignored


def test_article_in_directory_shows_its_metadata_table(client, published):
    item = published(title="测试预算公开说明", column="fdzdgknr", index_no="TEST-2026-0003", issuing_org="区财政局",
                     written_on="2026-02-01", doc_no="鄂临财〔2026〕2号", topic="财政预算")
    html = text(client.get(f"/articles/{item.pk}/"))
    for value in ("TEST-2026-0003", "区财政局", "2026-02-01", "鄂临财〔2026〕2号", "财政预算"):
        assert value in html


# (An <img> from elsewhere would stop the gate itself — its bytes were never reviewed — so the event handler
# rides on a tag the gate lets through; tests/content_ui checks <img onerror> is stripped at save.)
HOSTILE = ('<p>正文<script>alert("x")</script><span onerror="alert(1)">图</span>'
           '<a href="javascript:alert(2)">链接</a><iframe src="https://evil.example/"></iframe></p>')


def test_hostile_html_never_reaches_a_page(client, published):
    item = published(title='<script>alert("标题")</script>测试标题', body=HOSTILE, column="gzdt",
                     summary='"><script>alert(3)</script>')
    pages = [f"/articles/{item.pk}/", "/", "/columns/gzdt/", "/search/?q=测试标题", "/columns/gzdt/feed/"]
    for url in pages:
        html = text(client.get(url))
        assert "<script>alert" not in html and "onerror=" not in html and "javascript:alert" not in html, url
        assert "<iframe" not in html, url
    article = text(client.get(f"/articles/{item.pk}/"))
    assert "&lt;script&gt;alert(&quot;标题&quot;)&lt;/script&gt;测试标题" in article  # shown as text, escaped


def test_search_query_is_escaped(client):
    html = text(client.get("/search/", {"q": '<script>alert(1)</script>"'}))
    assert "<script>alert(1)" not in html


def test_large_text_and_high_contrast_modes_are_cookies_set_by_plain_links(client):
    html = text(client.get("/columns/gzdt/"))
    assert 'href="/display/?large=1&amp;next=/columns/gzdt/"' in html
    response = client.get("/display/", {"large": "1", "next": "/columns/gzdt/"})
    assert response.status_code == 302 and response["Location"] == "/columns/gzdt/"
    html = text(client.get("/columns/gzdt/"))
    assert 'class="portal large-text"' in html and "恢复标准字号" in html
    client.get("/display/", {"contrast": "1", "next": "/"})
    assert 'class="portal large-text high-contrast"' in text(client.get("/"))
    client.get("/display/", {"large": "0", "contrast": "0", "next": "/"})
    assert 'class="portal"' in text(client.get("/"))
    # no open redirect
    assert client.get("/display/", {"large": "1", "next": "https://evil.example/"})["Location"] == "/"


def test_home_queries_do_not_grow_with_items(client, published, django_assert_max_num_queries):
    for n in range(4):
        published(title=f"查询次数测试{n}", column="gzdt")
    with django_assert_max_num_queries(20):
        assert client.get("/").status_code == 200
