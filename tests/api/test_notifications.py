"""Notifications through the API: one's own only, read one or all, the same actions as the home page."""

import pytest

from govpub.notifications.models import Notification
from govpub.notifications.notify import notify
from govpub.orgs.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes(db):
    editor = Person.objects.get(username="demo-editor")
    notify([editor], None, "x", "第一条")
    notify([editor], None, "x", "第二条")
    return list(Notification.objects.filter(recipient=editor, verb="x").order_by("pk"))


def test_unread_are_listed_and_marked_read_one_by_one_or_all(api, notes):
    editor = api("demo-editor")
    listed = editor.get("/notifications").json()
    assert [n["message"] for n in listed if n["verb"] == "x"] == ["第二条", "第一条"]
    marked = editor.post(f"/notifications/{notes[0].pk}/read")
    assert marked.status_code == 200 and marked.json()["read_at"] is not None
    assert [n["message"] for n in editor.get("/notifications").json() if n["verb"] == "x"] == ["第二条"]
    assert editor.post("/notifications/read-all").json()["marked"] >= 1
    assert editor.get("/notifications").json() == []


def test_another_persons_notification_is_refused_and_left_unread(api, notes):
    refused = api("demo-editor2").post(f"/notifications/{notes[0].pk}/read")
    assert refused.status_code == 403 and "不是您的通知" in refused.json()["detail"]
    assert all(n["message"] not in ("第一条", "第二条") for n in api("demo-editor2").get("/notifications").json())
    notes[0].refresh_from_db()
    assert notes[0].read_at is None
    api("demo-editor2").post("/notifications/read-all")
    assert Notification.objects.filter(pk__in=[n.pk for n in notes], read_at__isnull=True).count() == 2
