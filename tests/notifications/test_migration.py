"""Notifications moved out of content: rows written under the old schema keep their target page."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from govpub.content.models import Item
from govpub.notifications.models import Notification

OLD = [("notifications", "0001_initial")]
NEW = [("notifications", "0002_link_instead_of_item")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_item_notifications_link_to_the_item_page_after_the_move(demo_committed):
    item = Item.objects.order_by("pk").first()
    assert item is not None
    old_apps = _migrate(OLD)
    try:
        OldNotification = old_apps.get_model("notifications", "Notification")
        person_id = item.author_id
        about = OldNotification.objects.create(recipient_id=person_id, item_id=item.pk, verb="submit", message="待审")
        general = OldNotification.objects.create(recipient_id=person_id, item_id=None, verb="x", message="无稿件")
    finally:
        _migrate(NEW)
    assert Notification.objects.get(pk=about.pk).link == item.get_absolute_url()
    assert Notification.objects.get(pk=general.pk).link == ""
