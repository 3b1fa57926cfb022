"""Every new staff view refuses anonymous users and people of other units."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from govpub.content import actions
from govpub.content.models import Attachment
from govpub.notifications.models import Notification
from govpub.review import actions as review_actions

from .conftest import ID_NUMBER, people

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def item(make_item):
    item = make_item(body=f"<p>身份证号{ID_NUMBER}。</p>")
    actions.add_attachment(item, SimpleUploadedFile("通知.pdf", PDF), acting_user=people("demo-editor"))
    review_actions.check_current_revision(item, acting_user=people("demo-editor"))
    item.refresh_from_db()
    return item


def urls_for(item):
    finding = item.current_revision.findings.first()
    attachment = item.attachments.first()
    pk = item.pk
    return [
        ("get", f"/staff/items/{pk}/"), ("get", f"/staff/items/{pk}/edit/"), ("post", f"/staff/items/{pk}/edit/"),
        ("get", f"/staff/items/{pk}/diff/?a=1&b=2"), ("post", f"/staff/items/{pk}/check/"),
        ("post", f"/staff/items/{pk}/submit/"), ("post", f"/staff/findings/{finding.pk}/apply/"),
        ("post", f"/staff/findings/{finding.pk}/dismiss/"), ("get", f"/staff/attachments/{attachment.pk}/download/"),
        ("post", f"/staff/items/{pk}/decide/"), ("post", f"/staff/items/{pk}/publish/"),
        ("post", f"/staff/items/{pk}/cancel-schedule/"), ("post", f"/staff/items/{pk}/withdraw/"),
    ]


def test_anonymous_is_sent_to_login(item):
    client = Client()
    for method, url in urls_for(item) + [("get", "/staff/items/"), ("get", "/staff/items/new/"),
                                         ("get", "/staff/review/"), ("get", "/staff/publishing/"),
                                         ("post", "/staff/notifications/read-all/")]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], (method, url)


def test_other_unit_is_refused(item, client_for):
    before = (item.current_revision_id, item.revisions.count())
    for username in ("yanji-editor", "yanji-office-head", "health-editor"):
        client = client_for(username)
        for method, url in urls_for(item):
            data = {"reason": "跨单位操作理由", "revision_hash": item.current_revision.content_hash}
            response = getattr(client, method)(url, data) if method == "post" else client.get(url)
            # 404, as for an id that does not exist: a 403 would confirm that the item exists.
            assert response.status_code == 404, (username, method, url, response.status_code)
            assert "区党政办公室" not in response.content.decode() or method == "post"
        listing = client.get("/staff/items/").content.decode()
        assert item.current_revision.title not in listing
    item.refresh_from_db()
    assert (item.current_revision_id, item.revisions.count()) == before
    assert not item.current_revision.findings.filter(dismissed_at__isnull=False).exists()


def test_reviewers_of_the_unit_may_view_but_not_edit(item, client_for):
    client = client_for("demo-deputy")
    assert client.get(f"/staff/items/{item.pk}/").status_code == 200
    assert client.get(f"/staff/items/{item.pk}/edit/").status_code == 403
    finding = item.current_revision.findings.first()
    assert client.post(f"/staff/findings/{finding.pk}/apply/").status_code == 403


def test_attachment_download_headers(item, client_for):
    attachment = item.attachments.get(kind=Attachment.Kind.FILE)
    response = client_for("demo-deputy").get(f"/staff/attachments/{attachment.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_notifications_belong_to_their_recipient(item, client_for):
    note = Notification.objects.create(recipient=people("demo-editor"), link=item.get_absolute_url(), verb="x", message="测试通知")
    assert client_for("demo-editor2").post(f"/staff/notifications/{note.pk}/read/").status_code == 403
    home = client_for("demo-editor").get("/staff/").content.decode()
    assert "测试通知" in home
    assert client_for("demo-editor").post(f"/staff/notifications/{note.pk}/read/").status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None
    assert "测试通知" not in client_for("demo-editor").get("/staff/").content.decode()


def test_another_units_item_is_answered_like_a_missing_one(item, client_for):
    """Items, findings and attachments of another unit: the same 404 as for ids that do not exist."""
    import re

    finding = item.current_revision.findings.first()
    attachment = item.attachments.first()
    missing = 999999
    paths = [("get", "/staff/items/{}/"), ("get", "/staff/items/{}/diff/?a=1&b=2"), ("post", "/staff/items/{}/check/"),
             ("post", "/staff/items/{}/submit/"), ("post", "/staff/items/{}/decide/"),
             ("post", "/staff/items/{}/withdraw/")]
    pairs = [(m, p.format(item.pk), p.format(missing)) for m, p in paths] + [
        ("post", f"/staff/findings/{finding.pk}/apply/", f"/staff/findings/{missing}/apply/"),
        ("post", f"/staff/findings/{finding.pk}/dismiss/", f"/staff/findings/{missing}/dismiss/"),
        ("get", f"/staff/attachments/{attachment.pk}/download/", f"/staff/attachments/{missing}/download/")]

    def shape(response):
        return re.sub(r'(csrfmiddlewaretoken" value|nonce)="[^"]*"', r'\1=""', response.content.decode())

    for username in ("yanji-editor", "yanji-office-head"):
        client = client_for(username)
        for method, foreign_url, missing_url in pairs:
            foreign, unknown = getattr(client, method)(foreign_url), getattr(client, method)(missing_url)
            assert (foreign.status_code, unknown.status_code) == (404, 404), (username, foreign_url, foreign.status_code)
            assert shape(foreign) == shape(unknown), foreign_url
