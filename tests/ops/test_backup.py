"""Backup and restore round trip: content, files and the audit chain come back exactly."""

import io
import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govpub.audit.models import AuditEvent
from govpub.content import actions as content_actions
from govpub.content.files import stored_path
from govpub.content.models import Item, Revision
from govpub.ops.backup import BackupError, create_backup, restore_backup
from govpub.orgs.models import Person, Unit

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _new_item(title):
    editor = Person.objects.get(username="demo-editor")
    return content_actions.create_item(acting_user=editor, unit=Unit.objects.get(name="区党政办公室"), title=title,
                                       body_html="<p>正文</p>")


def _snapshot():
    return {
        "items": sorted(Item.objects.values_list("pk", flat=True)),
        "revisions": sorted(Revision.objects.values_list("content_hash", flat=True)),
        "audit": list(AuditEvent.objects.order_by("seq").values_list("seq", "hash")),
    }


def test_round_trip_restores_content_files_and_audit_chain(demo_committed, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    item = _new_item("备份前的稿件")
    attachment = content_actions.add_attachment(
        item, SimpleUploadedFile("通知.pdf", PDF), acting_user=Person.objects.get(username="demo-editor"))
    before = _snapshot()
    archive = create_backup(tmp_path / "backups")

    _new_item("备份后的稿件")  # changes after the backup are undone by the restore
    stored_path(attachment.storage_name).unlink()
    assert _snapshot() != before

    result = restore_backup(archive)
    assert _snapshot() == before
    assert result["audit_events"] == len(before["audit"])
    assert stored_path(attachment.storage_name).read_bytes() == PDF


def test_corrupt_or_hostile_archives_are_refused(demo_committed, tmp_path):
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(b"not a tar file")
    with pytest.raises(BackupError, match="损坏"):
        restore_backup(broken)
    hostile = tmp_path / "hostile.tar.gz"
    with tarfile.open(hostile, "w:gz") as tar:
        info = tarfile.TarInfo("../escape.txt")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(BackupError, match="不安全"):
        restore_backup(hostile)
    with pytest.raises(BackupError, match="不存在"):
        restore_backup(tmp_path / "missing.tar.gz")


def test_cli_backup_and_restore(tmp_path):
    """The commands an operator types, on a real data directory, in separate processes."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "GOVPUB_HOME": str(tmp_path / "home")}
    env.pop("DATABASE_URL", None)  # a throwaway SQLite home; PostgreSQL is covered by the round trip above

    def govpub(*args):
        return subprocess.run([sys.executable, "-m", "govpub", *args], env=env, capture_output=True, text=True,
                              timeout=300)

    assert govpub("demo").returncode == 0
    made = govpub("backup", "--output", str(tmp_path / "backups"))
    assert made.returncode == 0, made.stderr
    archive = made.stdout.strip().split("：", 1)[1]
    assert govpub("restore", archive).returncode == 2  # refuses without --yes
    restored = govpub("restore", archive, "--yes")
    assert restored.returncode == 0 and "审计链完好" in restored.stdout, restored.stderr
