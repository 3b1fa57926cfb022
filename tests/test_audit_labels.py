"""The audit log reads in Chinese: every event code written anywhere has a label; the page filters by it."""

import pathlib
import re

import pytest
from django.urls import reverse

from govpub.audit import log as audit
from govpub.audit.labels import EVENT_LABELS, codes_for_label, detail_rows

ROOT = pathlib.Path(__file__).resolve().parent.parent / "govpub"
# audit.record("item.publish", ...) and its f-string forms; the two delivery kinds fill {kind}.
CODE = re.compile(r'''record\(\s*f?"([a-z0-9_]+\.[a-z0-9_{}]+)"''')
KINDS = ("publish", "withdraw")


def _codes_in_source() -> set[str]:
    codes = set()
    for path in ROOT.rglob("*.py"):
        for code in CODE.findall(path.read_text(encoding="utf-8")):
            codes |= {code.replace("{kind}", kind) for kind in KINDS} if "{kind}" in code else {code}
    return codes


def test_every_event_code_in_the_code_has_a_chinese_label():
    codes = _codes_in_source()
    assert len(codes) > 50  # the scan found the calls (a broken pattern must not pass as "no codes")
    assert sorted(codes - set(EVENT_LABELS)) == []


def test_details_read_as_fields_not_python_dicts():
    rows = detail_rows({"ip": "10.0.0.8", "forced": False, "checklist": {"secrets": True}},
                       {"ip": "IP 地址", "forced": "强制", "checklist": "审核要点", "secrets": "不涉密"})
    assert rows == [("IP 地址", "10.0.0.8"), ("强制", "否"), ("审核要点", "不涉密：是")]
    assert codes_for_label("撤稿") == ["item.withdraw"]


@pytest.mark.django_db
def test_the_page_shows_labels_and_filters_by_chinese_name_unit_and_date(client_for, person):
    from django.db import transaction

    from govpub.orgs.models import Unit

    admin = person("demo-admin")
    unit = Unit.objects.order_by("pk").first()
    with transaction.atomic():
        audit.record("item.withdraw", actor=admin, unit=unit.pk, details={"reason": "标题有误", "ip": "10.0.0.8"})
        audit.record("auth.session_replaced", actor=admin, details={"ip": "10.0.0.9"})
    client = client_for("demo-admin")
    page = client.get(reverse("audit_log"), {"action": "撤稿", "unit": unit.pk}).content.decode()
    assert "撤稿" in page and "标题有误" in page and "理由" in page
    assert "10.0.0.9" not in page and "{'ip'" not in page  # the other event is filtered out
    everything = client.get(reverse("audit_log"), {"since": "2000-01-01"}).content.decode()
    assert "10.0.0.9" in everything and "IP 地址" in everything
    assert "标题有误" not in client.get(reverse("audit_log"), {"until": "2000-01-01"}).content.decode()
