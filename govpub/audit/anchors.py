"""Anchors: the chain's head written outside the database, so truncation and a lost tail are detected.

An append-only file in GOVPUB_HOME (GOVPUB_AUDIT_ANCHOR_FILE), one JSON object a line:
    {"n": 7, "kind": "anchor", "at": "…", "events": 1234, "seq": 1234, "head": "<hash of event #1234>",
     "legacy": 0, "key_id": "…", "mac": "<HMAC of the rest with the audit key>"}
written hourly by a periodic task, at every backup (and into its manifest), and when the first keyed event
is committed. Every anchor is also logged as one line, for logs shipped off the host.

A restore sets the chain back to a backup's head on purpose: it appends a line of kind "restore", after which
earlier anchors beyond the restored head no longer apply (events written after that backup are gone by choice).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path

from django.conf import settings

from . import keys

logger = logging.getLogger("govpub.audit.anchor")

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows demo installs: no concurrent writers to guard against
    fcntl = None


class AnchorProblem(Exception):
    """The anchor file cannot be trusted; the message (Chinese) names the line and anchor."""

    def __init__(self, message: str, anchor: int | None = None):
        super().__init__(message)
        self.anchor = anchor


def anchor_path() -> Path:
    return Path(settings.GOVPUB_AUDIT_ANCHOR_FILE)


def _body(entry: dict) -> str:
    return json.dumps({k: v for k, v in entry.items() if k != "mac"}, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))


def check_line(entry: dict, key: bytes) -> bool:
    return isinstance(entry, dict) and entry.get("mac") == keys.mac(key, _body(entry))


def read(key: bytes | None = None) -> list[dict]:
    """Every anchor in the file, each one's HMAC and numbering checked; [] when there is no file."""
    path = anchor_path()
    if not path.exists():
        return []
    lines = [(number, line) for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if line.strip()]
    if not lines:
        return []
    key = key or keys.current_key()
    if key is None:
        raise AnchorProblem(f"锚点文件 {path} 须用审计密钥校验，但找不到审计密钥：请恢复原来的审计密钥（{keys.where()}）。")
    entries = []
    for number, line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            entry = None
        if not check_line(entry, key):
            n = entry.get("n") if isinstance(entry, dict) else None
            raise AnchorProblem(
                f"锚点文件 {path} 第 {number} 行（锚点 #{n}）校验失败：该行被改动，或不是用当前审计密钥"
                f"（指纹 {keys.key_id(key)}）写入。", n)
        expected = entries[-1]["n"] + 1 if entries else 1
        if entry["n"] != expected:
            raise AnchorProblem(f"锚点文件 {path} 第 {number} 行是锚点 #{entry['n']}，应为 #{expected}："
                                f"锚点 #{expected} 起有记录被删除或文件被替换。", entry["n"])
        entries.append(entry)
    return entries


def effective(entries: list[dict]) -> list[dict]:
    """The anchors that still apply: a restore line retires the anchors beyond the head it restored."""
    kept: list[dict] = []
    for entry in entries:
        if entry.get("kind") == "restore":
            kept = [earlier for earlier in kept if earlier["seq"] <= entry["seq"]]
        kept.append(entry)
    return kept


def _next_entry(existing: list[dict], key: bytes, kind: str, head: dict, extra: dict) -> dict:
    entry = {
        "n": existing[-1]["n"] + 1 if existing else 1,
        "kind": kind,
        "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "events": head["events"], "seq": head["seq"], "head": head["head"], "legacy": head["legacy"],
        "key_id": keys.key_id(key),
        **extra,
    }
    entry["mac"] = keys.mac(key, _body(entry))
    return entry


def append(kind: str, head: dict, **extra) -> dict:
    """Append one anchor line (numbered under a file lock, so concurrent writers never share a number)."""
    key = keys.current_key(create=True)
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        entry = _next_entry(read(key), key, kind, head, extra)
        os.write(fd, (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)  # closing releases the lock
    # The same line in the log, so a copy exists off this host once logs are shipped.
    logger.info("audit anchor %s", json.dumps(entry, ensure_ascii=False, sort_keys=True))
    return entry


def describe(entry: dict) -> str:
    label = "恢复记录" if entry.get("kind") == "restore" else "锚点"
    return f"{label} #{entry['n']}（{entry['at']}）"
