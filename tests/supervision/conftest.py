import datetime as dt

import pytest
from django.utils import timezone

from govpub.channels.models import Channel, ChannelKind
from govpub.orgs.models import Person
from govpub.supervision import actions
from govpub.supervision.models import TicketMethod

# The workflow fixtures (an item approved through all three review steps) are shared, not copied.
from workflow.conftest import approved_item, make_item, website_column  # noqa: F401


def people(username):
    return Person.objects.get(username=username)


@pytest.fixture
def yanji_wechat(db):
    return Channel.objects.get(kind=ChannelKind.WECHAT, name="燕矶发布")


@pytest.fixture
def website(db):
    return Channel.objects.get(kind=ChannelKind.WEBSITE)


@pytest.fixture
def website_at(db):
    """The demo website channel, pointed at a local test server."""
    def point(server):
        site = Channel.objects.get(kind=ChannelKind.WEBSITE)
        Channel.objects.filter(pk=site.pk).update(url=server.url)
        site.refresh_from_db()
        return site

    return point


@pytest.fixture
def assign(db):
    def make(channel, *, days=10, method=TicketMethod.LETTER, title="栏目长期未更新", by="demo-supervisor", **extra):
        return actions.assign_ticket(
            acting_user=people(by), channel=channel, title=title,
            description="“乡镇动态”栏目超过两周未更新。", evidence="https://www.example.gov.cn/xzdt/ 截图",
            method=method, deadline=timezone.localdate() + dt.timedelta(days=days), **extra)

    return make


@pytest.fixture
def website_channel(db):
    return Channel.objects.get(kind=ChannelKind.WEBSITE)
