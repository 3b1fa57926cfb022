"""The audit key: what makes the chain's hashes HMACs that someone with only database access cannot recompute.

It lives outside the database: GOVPUB_AUDIT_KEY, or a file in GOVPUB_HOME created (0600) when the first
keyed event is written. Verifying never creates it, so a restore into a data directory without the key
says so instead of silently starting a new one.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

from django.conf import settings


class MissingAuditKey(Exception):
    pass


_cache: dict[str, tuple[int, bytes | None]] = {}


def key_path() -> Path:
    return Path(settings.GOVPUB_AUDIT_KEY_FILE)


def where() -> str:
    """Where the key is expected, for messages to the operator."""
    return f"环境变量 GOVPUB_AUDIT_KEY 或文件 {key_path()}"


def current_key(*, create: bool = False) -> bytes | None:
    if settings.GOVPUB_AUDIT_KEY:
        return settings.GOVPUB_AUDIT_KEY.encode()
    path = key_path()
    if not path.exists():
        if not create:
            return None
        from secrets import token_urlsafe

        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes writing their first event at once must not end up with two keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(token_urlsafe(32))
    stat = path.stat()
    cached = _cache.get(str(path))
    if cached and cached[0] == stat.st_mtime_ns:  # a stat, not a read, for every event written
        return cached[1]
    key = path.read_text().strip().encode() or None
    _cache[str(path)] = (stat.st_mtime_ns, key)
    return key


def require_key() -> bytes:
    key = current_key()
    if key is None:
        raise MissingAuditKey(where())
    return key


def key_id(key: bytes) -> str:
    """A short fingerprint that names a key without revealing it."""
    return hmac.new(key, b"govpub-audit-key-id", hashlib.sha256).hexdigest()[:16]


def current_key_id() -> str | None:
    key = current_key()
    return key_id(key) if key else None


def mac(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()
