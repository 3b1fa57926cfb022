"""来源不明 (issue 14 item 3): an external website's article pages that no publication explains, from a real
crawl of a local site; pages older than the channel's registration, pages GovPub published and the built-in
portal are not reported; the finding is informational and resolves when the page is explained."""

import datetime as dt

import pytest
from django.utils import timezone

from bench.harness.testsite import SiteServer, generate_site
from govpub.channels.models import Channel
from govpub.publishing.models import Publication
from govpub.supervision.crawler import Page
from govpub.supervision.models import MonitorFinding
from govpub.supervision.monitor import is_builtin_portal, run_website_monitor
from govpub.supervision.reconcile import unexplained_pages

pytestmark = pytest.mark.django_db


def _page(url, published, status=200):
    return Page(url=url, status=status, elapsed=0.1, is_html=True, published=published)


def _register(channel, day: dt.date):
    Channel.objects.filter(pk=channel.pk).update(
        created_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9))))
    channel.refresh_from_db()


def test_only_articles_since_registration_that_no_publication_explains(website, approved_item):
    _register(website, dt.date(2026, 10, 1))
    item = approved_item()
    Publication.objects.create(item=item, revision=item.current_revision, revision_hash=item.current_revision.content_hash,
                               target=f"channel:{website.pk}", channel=website, url="https://site.example/a/2.html",
                               published_by=item.current_revision.created_by)
    pages = [_page("https://site.example/a/1.html", dt.date(2026, 11, 3)),      # unexplained
             _page("https://site.example/a/2.html/", dt.date(2026, 11, 4)),     # GovPub published it
             _page("https://site.example/a/3.html", dt.date(2026, 9, 30)),      # before registration
             _page("https://site.example/a/", None),                            # a list page: no 发布时间
             _page("https://site.example/a/4.html", dt.date(2026, 11, 5), status=404)]
    assert [p.url for p in unexplained_pages(website, pages)] == ["https://site.example/a/1.html"]


def test_a_crawl_reports_them_as_information_and_resolves_them_when_explained(website_at, tmp_path):
    today = timezone.localdate()
    generate_site(tmp_path, pages=40, clean=True)
    with SiteServer(tmp_path) as server:
        site = website_at(server)
        assert not is_builtin_portal(site)
        _register(site, today - dt.timedelta(days=3))
        run = run_website_monitor(site, allow_private=True, rate_per_host=0)
        found = MonitorFinding.objects.filter(channel=site, kind="unexplained_page", resolved_at__isnull=True)
        assert run.summary["unexplained_page"] == found.count() > 0
        assert run.summary["serious_content"] == 0  # information, never serious
        for finding in found:
            published = dt.date.fromisoformat(finding.evidence["published"])
            assert published >= today - dt.timedelta(days=3) and finding.evidence["severity"] == "info"
            assert finding.message.startswith(f"来源不明：发布时间为 {published:%Y-%m-%d} 的网页")
        # GovPub records one of them (say, a manual publication): the next crawl resolves that finding only.
        explained = found.first()
        from govpub.content.models import Item

        item = Item.objects.filter(current_revision__isnull=False).first()
        Publication.objects.create(item=item, revision=item.current_revision,
                                   revision_hash=item.current_revision.content_hash, target=f"channel:{site.pk}",
                                   channel=site, url=explained.url, published_by=item.current_revision.created_by)
        again = run_website_monitor(site, allow_private=True, rate_per_host=0)
    explained.refresh_from_db()
    assert explained.resolved_at is not None and again.summary["resolved"] == 1
    assert MonitorFinding.objects.filter(channel=site, kind="unexplained_page", resolved_at__isnull=True).count() \
        == run.summary["unexplained_page"] - 1


def test_the_builtin_portal_is_not_reconciled(website, settings):
    settings.GOVPUB_PUBLIC_BASE_URL = "http://portal.example:8000"
    Channel.objects.filter(pk=website.pk).update(url="http://portal.example:8000/")
    website.refresh_from_db()
    assert is_builtin_portal(website)
