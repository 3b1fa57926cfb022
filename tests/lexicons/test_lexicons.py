"""Admin lexicon rows take part in every machine check, and a change re-checks the published archive."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from govpub.audit.models import AuditEvent
from govpub.lexicons import actions
from govpub.lexicons.checker import current_checker
from govpub.lexicons.models import LexiconEntry
from govpub.review import actions as review_actions

from workflow.conftest import approved_item, make_item, people, website_column  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
WORD = "某某内部代号"


def _rules(text):
    return [f.rule for f in current_checker().check_text(text)]


def test_added_term_blocks_submission_and_deactivating_lifts_it(make_item, monkeypatch):
    monkeypatch.setattr(actions, "_rescan_after_commit", lambda: None)
    admin = people("demo-admin")
    entry = actions.add_entry(acting_user=admin, term=WORD, category="secret", severity="block",
                              note="内部工程代号，不得公开")
    assert "secret.lexicon" in " ".join(_rules(f"项目{WORD}进展顺利"))
    item = make_item(body=f"<p>项目{WORD}进展顺利。</p>")
    with pytest.raises(review_actions.SubmitBlocked) as info:
        review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    assert any(f.text == WORD for f in info.value.findings)
    actions.deactivate_entry(entry, acting_user=admin)
    assert not any(r.startswith("secret") for r in _rules(f"项目{WORD}进展顺利"))
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="lexicon.")] == [
        "lexicon.add", "lexicon.deactivate"]


def test_import_tsv_and_txt_and_refuse_bad_files(monkeypatch):
    monkeypatch.setattr(actions, "_rescan_after_commit", lambda: None)
    admin = people("demo-admin")
    tsv = "# 测试词库\n甲乙丙丁\tsensitive\twarn\t\t\n戊己庚辛\tadvertising\tblock\t删除\t\n".encode()
    assert actions.import_lexicon(acting_user=admin, data=tsv, name="词库.tsv") == 2
    assert actions.import_lexicon(acting_user=admin, data=tsv, name="词库.tsv") == 0  # nothing twice
    assert actions.import_lexicon(acting_user=admin, data="壬癸子丑\n".encode(), name="一行一词.txt") == 1
    with pytest.raises(ValidationError, match="UTF-8"):
        actions.import_lexicon(acting_user=admin, data="甲乙".encode("gbk"), name="gbk.txt")
    with pytest.raises(ValidationError, match="未知的类别"):
        actions.import_lexicon(acting_user=admin, data="词\tnonsense\twarn\t\t\n".encode(), name="x.tsv")
    assert LexiconEntry.objects.filter(is_active=True).count() == 3


def test_only_admins_edit_supervisors_read(client_for):
    with pytest.raises(PermissionDenied):
        actions.add_entry(acting_user=people("demo-supervisor"), term="词", category="sensitive")
    assert client_for("demo-supervisor").get("/staff/lexicons/").status_code == 200
    assert client_for("demo-office-head").get("/staff/lexicons/").status_code == 403
    response = client_for("demo-supervisor").post("/staff/lexicons/add/", {"term": "词", "category": "sensitive",
                                                                           "severity": "warn"})
    assert response.status_code == 403 and not LexiconEntry.objects.exists()


def test_admin_pages_add_and_import(client_for, monkeypatch, django_capture_on_commit_callbacks):
    scans = []
    monkeypatch.setattr("govpub.supervision.tasks.rescan_archive", lambda *a, **k: scans.append(1))
    client = client_for("demo-admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/staff/lexicons/add/", {"term": WORD, "category": "secret", "severity": "block"})
    assert response.status_code == 302 and LexiconEntry.objects.filter(term=WORD).exists()
    assert scans == [1]  # the archive is re-checked with the new lexicon
    upload = SimpleUploadedFile("词库.tsv", "子丑寅卯\tsensitive\twarn\t\t\n".encode())
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/staff/lexicons/import/", {"file": upload})
    assert LexiconEntry.objects.filter(term="子丑寅卯").exists() and scans == [1, 1]
    page = client.get("/staff/lexicons/").content.decode()
    assert WORD in page and "子丑寅卯" in page
    bad = client.post("/staff/lexicons/import/", {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")},
                      follow=True).content.decode()
    assert "无法导入词库" in bad


def test_rescan_uses_the_admin_rows(approved_item, monkeypatch):
    """A term added after publication is found in the published archive by the rescan."""
    from govpub.publishing import actions as publishing_actions
    from govpub.supervision.rescan import scan_items

    item = approved_item(body=f"<p>项目{WORD}进展顺利。</p>")
    publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                    revision_hash=item.current_revision.content_hash)
    monkeypatch.setattr(actions, "_rescan_after_commit", lambda: None)
    before = scan_items([item.pk])
    actions.add_entry(acting_user=people("demo-admin"), term=WORD, category="secret", severity="block")
    after = scan_items([item.pk])
    assert str(after) != str(before) and WORD in str(after)
