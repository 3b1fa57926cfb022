import pytest

from govpub.channels.models import Channel, ChannelKind
from govpub.content import actions as content_actions
from govpub.publishing import actions as publishing_actions
from workflow.conftest import approved_item, decide, make_item, people, website_column  # noqa: F401

__all__ = ["approved_item", "make_item", "website_column"]


@pytest.fixture
def column_of(db):
    site = Channel.objects.get(kind=ChannelKind.WEBSITE)
    return lambda slug: site.columns.get(slug=slug)


@pytest.fixture
def published(approved_item, column_of, django_capture_on_commit_callbacks):
    """Create, fully review and publish an item through the real actions; the search index follows on commit."""

    def make(title="全区政务公开工作推进会召开", body="<p>区党政办公室召开全区政务公开工作推进会。</p>",
             column="gzdt", **fields):
        fields.setdefault("targets", [f"column:{column_of(column).pk}"])
        with django_capture_on_commit_callbacks(execute=True):
            item = approved_item(title=title, body=body, **fields)
            publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                            revision_hash=item.current_revision.content_hash)
        item.refresh_from_db()
        return item

    return make


@pytest.fixture
def withdraw(django_capture_on_commit_callbacks):
    def run(item, reason="信息有误，予以撤下"):
        with django_capture_on_commit_callbacks(execute=True):
            publishing_actions.withdraw_item(item, acting_user=people("demo-editor"), reason=reason)
        item.refresh_from_db()
        return item

    return run


@pytest.fixture
def correct(django_capture_on_commit_callbacks):
    """更正: a new revision with a correction note, reviewed again and published over the old one."""

    def run(item, note, **changes):
        with django_capture_on_commit_callbacks(execute=True):
            content_actions.save_revision(item, acting_user=people("demo-editor"), correction_note=note, **changes)
            from govpub.review import actions as review_actions

            review_actions.submit_for_review(item, acting_user=people("demo-editor"))
            for step in ("first_review", "second_review", "final_review"):
                decide(item, step)
            item.refresh_from_db()
            publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                            revision_hash=item.current_revision.content_hash)
        item.refresh_from_db()
        return item

    return run
