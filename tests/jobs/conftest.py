import pytest

from govpub.channels.models import Channel, ChannelKind

# The workflow fixtures (an item approved through all three review steps) are shared, not copied.
from workflow.conftest import approved_item, make_item, people, website_column  # noqa: F401


@pytest.fixture
def website_channel(db):
    return Channel.objects.get(kind=ChannelKind.WEBSITE)


@pytest.fixture
def published(approved_item):
    """n items published on the website (through the real review and publishing actions)."""
    from govpub.publishing import actions as publishing_actions

    def make(n=1, **kwargs):
        items = []
        for number in range(n):
            item = approved_item(title=f"推进会召开（{number + 1}）", **kwargs)
            publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                            revision_hash=item.current_revision.content_hash)
            item.refresh_from_db()
            items.append(item)
        return items

    return make
