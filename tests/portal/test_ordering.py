"""Every list of the site follows the dates it shows, newest first (not the order rows were created in).

A scheduled publication is created when it is scheduled and goes live later; a correction goes live
long after the date the item keeps. Both used to sit in the wrong place because lists ran in id order."""

import datetime as dt
import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from govpub.portal.listing import relist
from govpub.publishing.models import Publication


def _went_live(item, when):
    """What a publication that went live at `when` looks like (the scheduled case), listed as publishing does."""
    Publication.objects.filter(item=item).update(live_at=when)
    with transaction.atomic():
        relist(item.pk)


def _order(html: str, titles) -> list[str]:
    found = sorted((html.index(t), t) for t in titles if t in html)
    return [t for _, t in found]


@pytest.mark.django_db
def test_lists_run_by_the_date_shown_newest_first(client, published, correct):
    now = timezone.now()
    early = published(title="甲：先创建、最晚上线的定时发布")
    middle = published(title="乙：中间上线")
    late = published(title="丙：最后创建、最早上线")
    _went_live(early, now + dt.timedelta(hours=2))
    _went_live(middle, now + dt.timedelta(hours=1))
    _went_live(late, now - dt.timedelta(days=30))
    titles = [early.current_revision.title, middle.current_revision.title, late.current_revision.title]
    correct(late, "更正：数字有误")  # the correction is newest by id, yet keeps its first day online
    for url in (reverse("public_home"), reverse("public_column", args=["gzdt"]),
                reverse("public_column_feed", args=["gzdt"]), reverse("public_site_feed")):
        html = client.get(url).content.decode()
        present = [t for t in titles if t in html]  # a month-old entry may be past the first page
        assert len(present) >= 2 and _order(html, titles) == present, url
    column = client.get(reverse("public_column", args=["gzdt"])).content.decode()
    shown = re.findall(r"\d{4}-\d{2}-\d{2}", column)
    assert shown == sorted(shown, reverse=True)


@pytest.mark.django_db
def test_the_home_page_advertises_the_site_feed(client, published):
    published(title="全区政务公开工作推进会召开")
    home = client.get(reverse("public_home")).content.decode()
    assert f'rel="alternate" type="application/rss+xml"' in home and reverse("public_site_feed") in home
    feed = client.get(reverse("public_site_feed"))
    assert feed.status_code == 200 and "全区政务公开工作推进会召开" in feed.content.decode()


@pytest.mark.django_db
def test_a_withdrawal_empties_every_list_in_its_own_transaction(client, approved_item, column_of):
    """No on-commit step in between: the lists change with the withdrawal, and a rolled-back publish leaves none."""
    from govpub.portal.models import Listing
    from govpub.publishing import actions as publishing_actions
    from workflow.conftest import people

    item = approved_item(title="撤稿测试条目", targets=[f"column:{column_of('gzdt').pk}"])
    publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                    revision_hash=item.current_revision.content_hash)
    parent = column_of("gzdt").parent
    assert Listing.objects.filter(item=item).count() == (3 if parent else 2)  # column, its parent, the site
    assert "撤稿测试条目" in client.get(reverse("public_column", args=["gzdt"])).content.decode()
    publishing_actions.withdraw_item(item, acting_user=people("demo-editor"), reason="信息有误")
    assert not Listing.objects.filter(item=item).exists()
    for url in (reverse("public_home"), reverse("public_column", args=["gzdt"]), reverse("public_site_feed")):
        assert "撤稿测试条目" not in client.get(url).content.decode()
