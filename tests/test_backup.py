"""Backup and restore round trip: content, files and the audit chain come back exactly."""

import io
import json
import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govpub.audit.models import AuditEvent
from govpub.content import actions as content_actions
from govpub.content.files import stored_path
from govpub.content.models import Item, Revision
from govpub.backup import BackupError, create_backup, restore_backup
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
    assert result["undecryptable_channels"] == []


def test_manifest_lists_contents_and_the_keys_kept_apart_by_fingerprint(demo_committed, settings, tmp_path):
    from govpub.audit import keys
    from govpub.backup import read_manifest

    settings.MEDIA_ROOT = tmp_path / "files"
    archive = create_backup(tmp_path / "backups")
    manifest = read_manifest(archive)
    assert manifest["contains"][0].startswith("数据库")
    kept = {item["name"]: item for item in manifest["kept_apart"]}
    assert set(kept) == {"渠道凭据密钥", "审计密钥", "审计锚点文件"}
    assert kept["审计密钥"]["fingerprint"] == keys.current_key_id() == manifest["keys"]["audit_key_id"]
    assert manifest["audit_anchor"]["head"] == AuditEvent.objects.order_by("-seq").first().hash
    # Fingerprints only: neither key is in the archive.
    with tarfile.open(archive) as tar:
        everything = b"".join(tar.extractfile(m).read() for m in tar.getmembers() if m.isfile())
    assert keys.current_key() not in everything
    assert settings.SECRET_KEY.encode() not in everything


def test_restore_of_an_older_backup_retires_later_anchors_and_verifies(demo_committed, settings, tmp_path):
    """Events written after the backup are gone by the operator's choice: verify must not call that tail loss,
    yet anchors up to the backup's head still apply."""
    from django.core.management import call_command

    from govpub.audit.tasks import anchor_audit_chain_hourly

    settings.MEDIA_ROOT = tmp_path / "files"
    archive = create_backup(tmp_path / "backups")
    restored_count = AuditEvent.objects.count()
    _new_item("备份后的稿件")
    anchor_audit_chain_hourly.call_local()  # the hourly anchor has seen the newer events
    result = restore_backup(archive)
    assert result["audit_events"] == restored_count == AuditEvent.objects.count()
    assert result["anchor"]["kind"] == "restore" and result["anchor"]["events"] == restored_count
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "审计链完好" in out.getvalue()
    # …and losing events after the restore is still detected.
    from govpub.audit.log import verify_chain

    _new_item("恢复后的稿件")
    anchor_audit_chain_hourly.call_local()
    assert verify_chain().ok


def test_restore_of_a_format_1_backup(demo_committed, settings, tmp_path):
    """Archives written before the manifest listed keys and anchors still restore."""
    from govpub.backup import read_manifest

    settings.MEDIA_ROOT = tmp_path / "files"
    archive = create_backup(tmp_path / "backups")
    manifest = read_manifest(archive)
    old = {k: manifest[k] for k in ("created_at", "vendor", "database", "database_sha256", "audit_head")}
    old_archive = tmp_path / "old.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(old_archive, "w:gz") as dst:
        for member in src.getmembers():
            if member.name == "manifest.json":
                data = json.dumps({"format": 1, **old}).encode()
                member.size = len(data)
                dst.addfile(member, io.BytesIO(data))
            else:
                dst.addfile(member, src.extractfile(member) if member.isfile() else None)
    assert restore_backup(old_archive)["audit_events"] == AuditEvent.objects.count()


def test_restore_names_the_channels_whose_credentials_do_not_decrypt(demo_committed, settings, tmp_path):
    from govpub.channels.models import Channel
    from govpub.publishing.actions import set_credentials

    settings.MEDIA_ROOT = tmp_path / "files"
    channel = Channel.objects.filter(kind="wechat").order_by("pk").first()
    set_credentials(channel, acting_user=Person.objects.get(username="demo-admin"), app_id="wx1", app_secret="s3cret")
    archive = create_backup(tmp_path / "backups")
    settings.SECRET_KEY = "a different secret key, as in a fresh data directory"
    result = restore_backup(archive)
    assert result["undecryptable_channels"] == [str(channel)]
    assert str(channel) in result["credentials_warning"] and "secret_key" in result["credentials_warning"]


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


def _govpub(home, *args):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVPUB_", "DATABASE_URL"))}
    env["GOVPUB_HOME"] = str(home)  # a throwaway SQLite home; PostgreSQL is covered by the round trips above
    return subprocess.run([sys.executable, "-m", "govpub", *args], env=env, capture_output=True, text=True,
                          timeout=300)


SET_CREDENTIALS = ("from govpub.channels.models import Channel; from govpub.orgs.models import Person; "
                   "from govpub.publishing.actions import set_credentials; "
                   "c = Channel.objects.filter(kind='wechat').order_by('pk').first(); "
                   "set_credentials(c, acting_user=Person.objects.get(username='demo-admin'), app_id='wx1', "
                   "app_secret='s3cret'); print(c)")


@pytest.fixture(scope="module")
def backed_up_home(tmp_path_factory):
    """A demo data directory with one channel's credentials stored, and a backup made with `govpub backup`."""
    home = tmp_path_factory.mktemp("home")
    assert _govpub(home, "demo").returncode == 0
    stored = _govpub(home, "manage", "shell", "-c", SET_CREDENTIALS)
    assert stored.returncode == 0, stored.stderr
    made = _govpub(home, "backup", "--output", str(home / "backups"))
    assert made.returncode == 0, made.stderr
    archive = made.stdout.strip().split("：", 1)[1]
    return home, archive, stored.stdout.strip().splitlines()[-1], made


def test_cli_backup_and_restore(backed_up_home):
    """The commands an operator types, on a real data directory, in separate processes."""
    home, archive, _channel, made = backed_up_home
    # The operator is told what the archive does not hold, by fingerprint.
    assert "审计密钥" in made.stderr and "渠道凭据密钥" in made.stderr and "指纹" in made.stderr
    assert (home / "secret_key").read_text().strip() not in made.stderr + made.stdout
    assert _govpub(home, "restore", archive).returncode == 2  # refuses without --yes
    restored = _govpub(home, "restore", archive, "--yes")
    assert restored.returncode == 0 and "审计链完好" in restored.stdout, restored.stderr


def test_cli_restore_to_a_fresh_data_directory_says_which_keys_are_missing(backed_up_home, tmp_path):
    import shutil

    home, archive, channel, _made = backed_up_home
    fresh = tmp_path / "fresh"
    assert _govpub(fresh, "manage", "migrate", "--noinput").returncode == 0
    # Without either key: the audit log cannot be verified and the credentials cannot be decrypted.
    bare = _govpub(fresh, "restore", archive, "--yes")
    assert bare.returncode == 1, bare.stdout
    assert "审计密钥" in bare.stderr and str(fresh / "audit_key") in bare.stderr
    assert channel in bare.stderr and "secret_key" in bare.stderr
    # The audit key restored: the data is back, but the channel's credentials still do not decrypt.
    shutil.copy(home / "audit_key", fresh / "audit_key")
    partial = _govpub(fresh, "restore", archive, "--yes")
    assert partial.returncode == 3, partial.stderr
    assert "恢复完成" in partial.stdout and channel in partial.stderr and "GOVPUB_SECRET_KEY" in partial.stderr
    # Both keys back: a clean restore.
    shutil.copy(home / "secret_key", fresh / "secret_key")
    whole = _govpub(fresh, "restore", archive, "--yes")
    assert whole.returncode == 0, whole.stderr
    assert _govpub(fresh, "audit", "verify").returncode == 0
