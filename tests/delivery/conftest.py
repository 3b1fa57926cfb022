import pytest

from govpub.channels.models import Channel, ChannelKind
from govpub.content import actions as content_actions
from govpub.content.models import Item, ItemState
from govpub.fakeplatforms import FakeWeChat, FakeWeibo
from govpub.orgs.models import Person, Unit
from govpub.publishing.connectors.wechat import TOKENS
from govpub.publishing import delivery
from govpub.publishing.actions import set_credentials
from govpub.publishing.models import Publication, PublicationStatus
from govpub.review import actions as review_actions
from govpub.review.evidence import acknowledged
from govpub.review.models import CHECKLIST_KEYS

APPID, SECRET, WEIBO_TOKEN, CALLBACK_TOKEN = "wx_test_appid", "s3cr3t-Wx-AppSecret-9f2c", "weibo-tok-77e1", "cb-tok-12"


@pytest.fixture(autouse=True)
def _fast_delivery(settings):
    """Backoff, polling and leases in milliseconds, so retries happen within the test."""
    settings.GOVPUB_DELIVERY_BACKOFF_BASE = 0.005
    settings.GOVPUB_DELIVERY_BACKOFF_MAX = 0.02
    settings.GOVPUB_DELIVERY_POLL_SECONDS = 0
    settings.GOVPUB_DELIVERY_MAX_ATTEMPTS = 40
    settings.GOVPUB_WECHAT_POLL_INTERVAL = 0.01
    settings.GOVPUB_CONNECTOR_TIMEOUT = 2.0
    settings.GOVPUB_PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    settings.GOVPUB_ALLOW_PRIVATE_HOSTS = ["127.0.0.1"]  # the fake platforms listen on loopback (SSRF guard)
    TOKENS._tokens.clear()
    yield
    TOKENS._tokens.clear()


def people(username):
    return Person.objects.get(username=username)


@pytest.fixture
def fake_wechat():
    with FakeWeChat(accounts={APPID: SECRET}, seed=7) as fake:
        yield fake


@pytest.fixture
def fake_weibo():
    with FakeWeibo(tokens=[WEIBO_TOKEN], seed=7) as fake:
        yield fake


def wechat_account():
    return Channel.objects.get(kind=ChannelKind.WECHAT, name="临空经济区发布")


def weibo_account():
    return Channel.objects.get(kind=ChannelKind.WEIBO, name="临空经济区发布")


def connect_wechat(fake, channel=None):
    channel = channel or wechat_account()
    set_credentials(channel, acting_user=people("demo-admin"), app_id=APPID, app_secret=SECRET,
                    callback_token=CALLBACK_TOKEN, api_base=fake.url)
    return channel


def connect_weibo(fake, channel=None):
    channel = channel or weibo_account()
    set_credentials(channel, acting_user=people("demo-admin"), app_id="weibo-app", access_token=WEIBO_TOKEN,
                    api_base=fake.url)
    return channel


def new_item(title="全区政务公开工作推进会召开", body="<p>区党政办公室召开全区政务公开工作推进会，部署下一阶段重点任务。</p>",
             targets=None, **fields):
    site = Channel.objects.get(kind=ChannelKind.WEBSITE)
    targets = targets if targets is not None else [f"column:{site.columns.get(slug='gzdt').pk}"]
    return content_actions.create_item(acting_user=people("demo-editor"), unit=Unit.objects.get(name="区党政办公室"),
                                       title=title, body_html=body, targets=targets, **fields)


def approve(item):
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    for username in ("demo-editor2", "demo-office-head", "demo-deputy"):
        item.refresh_from_db()
        review_actions.record_decision(item, acting_user=people(username),
                                       revision_hash=item.current_revision.content_hash, decision="approve",
                                       checklist={k: True for k in CHECKLIST_KEYS}, confidentiality_ok=True,
                                       proofread_ok=True, comment="同意",
                                       point_notes=acknowledged(item.current_revision))
    item.refresh_from_db()
    return item


def queue_publications(channel, count, *, items=1, title="区政务公开推进会召开"):
    """Outbox rows made cheaply: a few items, many QUEUED publications each (distinct targets)."""
    rows = []
    editor = people("demo-editor")
    per_item = -(-count // items)
    for n in range(items):
        item = new_item(title=f"{title}{n}")
        revision = item.current_revision
        Item.objects.filter(pk=item.pk).update(state=ItemState.PUBLISHED, live_revision=revision)
        for i in range(min(per_item, count - len(rows))):
            rows.append(Publication(item=item, revision=revision, revision_hash=revision.content_hash,
                                    target=f"channel:{channel.pk}:{i}", channel=channel, published_by=editor,
                                    status=PublicationStatus.QUEUED))
    return Publication.objects.bulk_create(rows)


def key_of(publication):
    return f"key={publication.pk}-{publication.revision_hash[:16]}"


def deliver_now(channel, title, body):
    """A publication of a new item to `channel`, delivered through the outbox at once (refreshed)."""
    item = new_item(title=title, body=body)
    revision = item.current_revision
    publication = Publication.objects.create(item=item, revision=revision, revision_hash=revision.content_hash,
                                             target=f"channel:{channel.pk}", channel=channel,
                                             published_by=people("demo-editor"), status=PublicationStatus.QUEUED)
    assert delivery.run(publication.pk) == "ok"
    publication.refresh_from_db()
    return publication
