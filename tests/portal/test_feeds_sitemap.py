"""RSS feeds parse in a real feed reader library; the sitemap validates against the sitemaps.org schema."""

import re
from pathlib import Path

import feedparser
import pytest
import xmlschema
from django.test import Client

from govpub.channels.models import Channel, ChannelKind

pytestmark = pytest.mark.django_db
SCHEMA = xmlschema.XMLSchema(Path(__file__).with_name("sitemap.xsd"))
INDEX_SCHEMA = xmlschema.XMLSchema(Path(__file__).with_name("siteindex.xsd"))


def test_every_column_feed_parses(published):
    item = published(title="关于订阅测试的通知", body="<p>RSS 订阅测试。</p>", column="tzgg", summary="订阅测试摘要")
    client = Client()
    for column in Channel.objects.get(kind=ChannelKind.WEBSITE).columns.all():
        response = client.get(f"/columns/{column.slug}/feed/")
        assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
        feed = feedparser.parse(response.content)
        assert not feed.bozo, (column.slug, feed.get("bozo_exception"))
        assert feed.version == "rss20"
        assert column.name in feed.feed.title
    feed = feedparser.parse(client.get("/columns/tzgg/feed/").content)
    entry = next(e for e in feed.entries if e.link.endswith(f"/articles/{item.pk}/"))
    assert entry.title == "关于订阅测试的通知" and entry.summary == "订阅测试摘要"
    assert entry.published_parsed is not None


def test_parent_column_feed_includes_children(published):
    item = published(title="信息公开订阅测试", column="gkzn")
    feed = feedparser.parse(Client().get("/columns/zfxxgk/feed/").content)
    assert any(e.link.endswith(f"/articles/{item.pk}/") for e in feed.entries)


def test_unknown_column_feed_is_404():
    assert Client().get("/columns/no-such/feed/").status_code == 404


def test_sitemap_index_and_sections_validate_and_list_pages_and_articles(published, withdraw):
    live = published(title="网站地图测试信息", column="gzdt")
    gone = published(title="网站地图撤稿测试", column="gzdt")
    withdraw(gone)
    client = Client()
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    INDEX_SCHEMA.validate(index.content)
    sections = re.findall(r"<loc>http://testserver(/sitemap-[a-z]+\.xml)</loc>", index.content.decode())
    assert sorted(sections) == ["/sitemap-articles.xml", "/sitemap-pages.xml"]
    xml = ""
    for section in sections:
        response = client.get(section)
        assert response.status_code == 200
        SCHEMA.validate(response.content)
        xml += response.content.decode()
    assert f"/articles/{live.pk}/</loc>" in xml and f"/articles/{gone.pk}/</loc>" not in xml
    assert "/columns/gzdt/</loc>" in xml and "/zfxxgk/</loc>" in xml
    assert "<loc>http://testserver/</loc>" in xml


def test_article_sitemap_splits_into_pages(published, monkeypatch):
    from govpub.portal.views import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 5)
    published(title="网站地图分页测试", column="gzdt")  # with the demo items: more than 5
    client = Client()
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-articles.xml?p=2</loc>" in index
    page2 = client.get("/sitemap-articles.xml", {"p": 2})
    assert page2.status_code == 200
    SCHEMA.validate(page2.content)
    assert client.get("/sitemap-nothing.xml").status_code == 404
