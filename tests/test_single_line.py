"""Issue 12 item 8: control characters in single-line fields are refused; e-mail subjects stay one line."""

import pytest
from django.core import mail

from govpub.content.models import Item
from govpub.notifications.notify import notify
from govpub.orgs.models import Person, Unit

pytestmark = pytest.mark.django_db


def test_unit_name_with_a_line_break_is_refused(client_for):
    before = Unit.objects.count()
    response = client_for("demo-admin").post("/staff/units/new/", {
        "name": "燕矶镇\r\nBcc: all@example.com", "short_name": "", "kind": "township", "code": ""})
    assert response.status_code == 200
    assert "控制字符" in response.content.decode()
    assert Unit.objects.count() == before


def test_notification_subject_is_one_line(django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    person = Person.objects.get(username="demo-editor")
    person.email = "editor@example.gov.cn"
    with django_capture_on_commit_callbacks(execute=True):
        notify([person], Item.objects.first(), "test", "已发布：第一行\r\n第二行")
    [message] = mail.outbox
    assert message.subject == "【政务信息审核发布】已发布：第一行 第二行"
