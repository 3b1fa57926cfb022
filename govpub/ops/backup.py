"""`govpub backup` / `govpub restore`: the database and the uploaded files, in one archive.

SQLite is copied with the online backup API (safe while the server runs); PostgreSQL with
pg_dump/pg_restore. The manifest records the audit chain's head so a restore can prove the
log came back intact.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection

from govpub.ops.filemodes import private_dir, private_file

FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator, in Chinese."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env_and_url() -> tuple[dict, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    url = f"postgresql://{db.get('USER') or ''}@{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{db['NAME']}"
    return env, url


def _run(args: list[str], env: dict | None = None) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{args[0]} 执行失败：{result.stderr.strip()[:500]}")


def _audit_head() -> dict:
    from govpub.audit.models import AuditEvent

    last = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
    return last or {"seq": 0, "hash": None}


def create_backup(output_dir: str | os.PathLike) -> Path:
    output_dir = Path(output_dir)
    private_dir(output_dir)  # 0700: a backup holds the whole database
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    archive = output_dir / f"govpub-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if connection.vendor == "sqlite":
            database = tmp / "database.sqlite3"
            source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
            target = sqlite3.connect(database)
            with target:
                source.backup(target)
            source.close()
            target.close()
        elif connection.vendor == "postgresql":
            database = tmp / "database.pgdump"
            env, url = _pg_env_and_url()
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(database), url], env)
        else:
            raise BackupError(f"不支持的数据库类型：{connection.vendor}")
        manifest = {
            "format": FORMAT_VERSION, "created_at": dt.datetime.now(dt.timezone.utc).isoformat(),
            "vendor": connection.vendor, "database": database.name, "database_sha256": _sha256(database),
            "audit_head": _audit_head(),
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
        partial = archive.with_suffix(".partial")
        private_file(partial)  # 0600 before tarfile writes the first byte into it
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(tmp / "manifest.json", arcname="manifest.json")
            tar.add(database, arcname=database.name)
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                tar.add(media, arcname="files")
        partial.rename(archive)
    return archive


def _safe_members(tar: tarfile.TarFile):
    for member in tar.getmembers():
        if member.issym() or member.islnk() or member.name.startswith("/") or ".." in Path(member.name).parts:
            raise BackupError(f"备份文件中含有不安全的路径：{member.name}")
        yield member


def restore_backup(archive: str | os.PathLike) -> dict:
    """Restore into the configured database and file store (the server must be stopped)."""
    archive = Path(archive)
    if not archive.exists():
        raise BackupError(f"备份文件不存在：{archive}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(tmp, members=list(_safe_members(tar)), filter="data")
            manifest = json.loads((tmp / "manifest.json").read_text())
        except (tarfile.TarError, OSError, ValueError, KeyError) as error:
            raise BackupError(f"备份文件已损坏或格式不对：{error}") from None
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError("备份文件的格式版本与本程序不符。")
        database = tmp / manifest["database"]
        if _sha256(database) != manifest["database_sha256"]:
            raise BackupError("备份中的数据库文件校验失败（已损坏或被改动）。")
        if manifest["vendor"] != connection.vendor:
            raise BackupError(f"备份来自 {manifest['vendor']}，当前数据库是 {connection.vendor}，不能直接恢复。")
        connection.close()
        if connection.vendor == "sqlite":
            target_path = Path(settings.DATABASES["default"]["NAME"])
            source = sqlite3.connect(database)
            target = sqlite3.connect(target_path)
            with target:
                source.backup(target)
            source.close()
            target.close()
        else:
            env, url = _pg_env_and_url()
            _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname", url,
                  str(database)], env)
        media = Path(settings.MEDIA_ROOT)
        if (tmp / "files").exists():
            if media.exists():
                shutil.rmtree(media)
            shutil.copytree(tmp / "files", media)
    from govpub.audit.log import verify_chain

    result = verify_chain()
    head = _audit_head()
    if not result.ok:
        raise BackupError(f"恢复后审计链校验失败：事件 #{result.bad_seq}：{result.problem}")
    if head != manifest["audit_head"]:
        raise BackupError("恢复后的审计日志与备份时记录的链头不一致。")
    return {"audit_events": result.checked, "manifest": manifest}
