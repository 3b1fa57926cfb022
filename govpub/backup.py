"""`govpub backup` / `govpub restore`: the database and the uploaded files, in one archive.

SQLite is copied with the online backup API (safe while the server runs); PostgreSQL with
pg_dump/pg_restore. The manifest lists what the archive holds and what it deliberately does not
(the audit key, the key that encrypts channel credentials, the anchor file: by fingerprint, never the
keys), and the audit chain's head, anchored outside the database at backup time, so a restore can prove
the log came back intact and that every channel credential still decrypts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
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

FORMAT_VERSION = 2
READABLE_FORMATS = {1, 2}  # 1: before the manifest listed keys and the anchor; still restorable


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


def _sqlite_audit_head(database: Path) -> dict:
    """The head inside the copied file itself: exactly what the archive holds, however busy the server is."""
    copy = sqlite3.connect(database)
    try:
        row = copy.execute("SELECT seq, hash FROM audit_auditevent ORDER BY seq DESC LIMIT 1").fetchone()
    finally:
        copy.close()
    return {"seq": row[0], "hash": row[1]} if row else {"seq": 0, "hash": None}


def credentials_key() -> dict:
    """Where the channel credentials' key comes from and its fingerprint (the precedence of
    publishing.credentials._fernet: GOVPUB_CREDENTIALS_KEY, else derived from SECRET_KEY)."""
    explicit = os.environ.get("GOVPUB_CREDENTIALS_KEY") or getattr(settings, "GOVPUB_CREDENTIALS_KEY", "")
    if explicit:
        source, material = "环境变量 GOVPUB_CREDENTIALS_KEY", explicit
    elif os.environ.get("GOVPUB_SECRET_KEY"):
        source, material = "由环境变量 GOVPUB_SECRET_KEY 派生", settings.SECRET_KEY
    else:
        source, material = f"由密钥文件 {Path(settings.HOME) / 'secret_key'} 派生", settings.SECRET_KEY
    fingerprint = hmac.new(material.encode(), b"govpub-credentials-key-id", hashlib.sha256).hexdigest()[:16]
    return {"source": source, "fingerprint": fingerprint}


def kept_apart() -> list[dict]:
    """What a backup does not hold and must be kept (and backed up) separately, by fingerprint."""
    from govpub.audit import anchors, keys

    return [
        {"name": "渠道凭据密钥", "where": credentials_key()["source"], "fingerprint": credentials_key()["fingerprint"],
         "why": "没有它，恢复后各新媒体渠道的接口凭据无法解密，须由管理员重新填写"},
        {"name": "审计密钥", "where": keys.where(), "fingerprint": keys.current_key_id(),
         "why": "没有它，恢复后无法校验审计链（与备份放在一起，则拿到备份的人可以改写审计日志而不被发现）"},
        {"name": "审计锚点文件", "where": str(anchors.anchor_path()), "fingerprint": None,
         "why": "记录审计链头，用于发现审计日志被清空、截尾或整体重算"},
    ]


def notice(manifest: dict) -> str:
    """The message printed at backup time: what the archive holds and what must be kept apart."""
    lines = ["本备份包含：" + "、".join(manifest["contains"]) + "。",
             "本备份不包含以下内容，须另行妥善保管和备份（不要与本备份放在一起）："]
    for item in manifest["kept_apart"]:
        fingerprint = f"，指纹 {item['fingerprint']}" if item.get("fingerprint") else ""
        lines.append(f"  - {item['name']}：{item['where']}{fingerprint}（{item['why']}）")
    head = manifest["audit_head"]
    lines.append(f"审计链头：共 {head['seq']} 条事件，已写入锚点文件和备份清单。")
    return "\n".join(lines)


def read_manifest(archive: str | os.PathLike) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            return json.load(tar.extractfile("manifest.json"))
    except (tarfile.TarError, OSError, ValueError, KeyError, AttributeError) as error:
        raise BackupError(f"备份文件已损坏或格式不对：{error}") from None


def create_backup(output_dir: str | os.PathLike) -> Path:
    output_dir = Path(output_dir)
    private_dir(output_dir)  # 0700: a backup holds the whole database
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    archive = output_dir / f"govpub-backup-{stamp}.tar.gz"
    from govpub.audit import anchors
    from govpub.audit.log import ChainBroken, anchor_now

    # Anchored before the copy, so the archive holds at least the anchored events; a broken chain stops the backup.
    try:
        anchor = anchor_now(archive=archive.name)
    except ChainBroken as broken:
        raise BackupError(f"{broken}。请先查明原因（govpub audit verify），再备份。") from None
    except (anchors.AnchorProblem, OSError) as error:
        raise BackupError(f"无法写入审计锚点：{error}") from None
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
        media = Path(settings.MEDIA_ROOT)
        from govpub.publishing.models import ChannelCredential

        manifest = {
            "format": FORMAT_VERSION, "created_at": dt.datetime.now(dt.timezone.utc).isoformat(),
            "vendor": connection.vendor, "database": database.name, "database_sha256": _sha256(database),
            "contains": [f"数据库（{database.name}）"] + (["上传文件（files/）"] if media.exists() else []),
            "kept_apart": kept_apart(),
            "keys": {"audit_key_id": anchor["key_id"], "credentials_key_fingerprint": credentials_key()["fingerprint"]},
            "channel_credentials": ChannelCredential.objects.exclude(secrets_encrypted="").count(),
            # PostgreSQL: the head just anchored (the dump holds at least that); SQLite: the copy's own head.
            "audit_head": _sqlite_audit_head(database) if connection.vendor == "sqlite"
            else {"seq": anchor["seq"], "hash": anchor["head"] if anchor["seq"] else None},
            "audit_anchor": anchor,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
        partial = archive.with_suffix(".partial")
        private_file(partial)  # 0600 before tarfile writes the first byte into it
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(tmp / "manifest.json", arcname="manifest.json")
            tar.add(database, arcname=database.name)
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
        if manifest.get("format") not in READABLE_FORMATS:
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
    undecryptable = undecryptable_credentials()
    credentials_note = credentials_warning(undecryptable, manifest) if undecryptable else ""
    try:
        result, anchor = _check_restored_audit_log(manifest, archive)
    except BackupError as error:
        raise BackupError(f"{error}\n{credentials_note}".strip()) from None
    return {"audit_events": result.checked, "manifest": manifest, "anchor": anchor,
            "undecryptable_channels": undecryptable, "credentials_warning": credentials_note}


def undecryptable_credentials() -> list[str]:
    """The channels whose stored credentials the current key cannot decrypt."""
    from django.core.exceptions import ValidationError

    from govpub.publishing import credentials
    from govpub.publishing.models import ChannelCredential

    failed = []
    for row in ChannelCredential.objects.exclude(secrets_encrypted="").select_related("channel").order_by("channel_id"):
        try:
            credentials.decrypt(row.secrets_encrypted)
        except ValidationError:
            failed.append(str(row.channel))
    return failed


def credentials_warning(channels: list[str], manifest: dict) -> str:
    current = credentials_key()
    then = (manifest.get("keys") or {}).get("credentials_key_fingerprint")
    fingerprints = (f"备份时的凭据密钥指纹为 {then}，当前为 {current['fingerprint']}（{current['source']}）。" if then
                    else f"当前凭据密钥{current['source']}，指纹 {current['fingerprint']}。")
    return (f"警告：以下 {len(channels)} 个渠道的接口凭据无法用当前密钥解密，这些渠道暂时无法自动发布："
            f"{'、'.join(channels)}。{fingerprints}"
            f"请把原数据目录中的 secret_key 文件复制到 {Path(settings.HOME) / 'secret_key'}，或设置与原来相同的环境变量 "
            "GOVPUB_SECRET_KEY / GOVPUB_CREDENTIALS_KEY，然后重新执行恢复；找不回原密钥时，由系统管理员在“渠道”页面"
            "重新填写这些渠道的接口凭据。")


def _check_restored_audit_log(manifest: dict, archive: Path):
    """The restored chain verifies, holds the head the backup recorded, and fits the anchors outside the database;
    then a restore line records that the chain was set back to this backup on purpose."""
    from govpub.audit import anchors, keys
    from govpub.audit.log import describe_failure, head, verify_chain
    from govpub.audit.models import AuditEvent

    result = verify_chain(anchors=False)
    if not result.ok:
        raise BackupError(f"恢复后{describe_failure(result)}")
    recorded = manifest["audit_head"]
    if recorded["seq"]:
        at = AuditEvent.objects.filter(seq=recorded["seq"]).values_list("hash", flat=True).first()
        if at != recorded["hash"]:
            raise BackupError("恢复后的审计日志与备份时记录的链头不一致。")
    anchor = manifest.get("audit_anchor")
    if anchor:
        key = keys.current_key()
        if key is None or keys.key_id(key) != anchor["key_id"]:
            raise BackupError(f"备份时的审计密钥指纹为 {anchor['key_id']}，当前{'没有审计密钥' if key is None else '密钥指纹为 ' + keys.key_id(key)}："
                              f"请把原来的审计密钥恢复到{keys.where()}，再重新执行恢复。")
        if not anchors.check_line(anchor, key):
            raise BackupError("备份清单中的审计锚点校验失败：备份清单被改动。")
        at = AuditEvent.objects.filter(seq=anchor["seq"]).values_list("hash", flat=True).first() if anchor["seq"] else None
        if anchor["seq"] and at != anchor["head"]:
            raise BackupError(f"恢复后的审计日志与备份时的{anchors.describe(anchor)}不符。")
    try:
        lines = anchors.read()
    except anchors.AnchorProblem as problem:
        raise BackupError(f"数据已恢复，但{problem}") from None
    now = head()
    planned = {**now, "n": (lines[-1]["n"] + 1) if lines else 1, "kind": "restore", "at": "（本次恢复）"}
    fits = verify_chain(anchors=lines + [planned])
    if not fits.ok:
        raise BackupError(f"数据已恢复，但与本数据目录的审计锚点不符：{describe_failure(fits)}。"
                          "若这是另一套系统的备份，请先把原锚点文件移走再恢复。")
    entry = anchors.append("restore", now, archive=archive.name, backup_created_at=manifest.get("created_at"))
    return result, entry
