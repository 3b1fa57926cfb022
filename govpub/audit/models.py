"""The audit log: an append-only hash chain (DESIGN.md §2 invariant 8).

Each event's hash covers its own fields and the previous event's hash, so altering or
removing any row breaks every hash after it. The database itself refuses UPDATE, DELETE
and TRUNCATE on the table (triggers, see migrations/0002_append_only.py, 0004_no_truncate.py).

Since scheme 2 the hash is an HMAC with the audit key kept outside the database (keys.py), so
someone with only database access cannot recompute a chain that verifies. Events written
before that (scheme NULL, plain SHA-256) keep verifying as they were written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

from django.conf import settings
from django.db import models

GENESIS_HASH = "0" * 64
SCHEME_HMAC = 2  # NULL: scheme 1, unkeyed SHA-256 (events written before the audit key existed)


class AuditEvent(models.Model):
    seq = models.BigAutoField(primary_key=True, verbose_name="序号")
    created_at = models.DateTimeField(verbose_name="时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name="操作人",
    )
    actor_name = models.CharField(max_length=150, blank=True, verbose_name="操作人账号")
    action = models.CharField(max_length=64, db_index=True, verbose_name="操作")
    object_type = models.CharField(max_length=64, blank=True, verbose_name="对象类型")
    object_id = models.CharField(max_length=64, blank=True, verbose_name="对象ID")
    object_repr = models.CharField(max_length=300, blank=True, verbose_name="对象")
    # The unit the event concerns, for scoping who may read it; nullable for system events.
    unit_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    details = models.JSONField(default=dict, blank=True, verbose_name="详情")
    prev_hash = models.CharField(max_length=64, verbose_name="前序哈希")
    hash = models.CharField(max_length=64, unique=True, verbose_name="哈希")
    # Nullable, so adding them is a plain ALTER TABLE ADD COLUMN that keeps the append-only triggers.
    scheme = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name="哈希方案")
    key_id = models.CharField(max_length=16, null=True, blank=True, verbose_name="审计密钥指纹")

    class Meta:
        ordering = ["seq"]
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_event_object_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def payload(self) -> dict:
        """Everything the hash covers, in a form that survives a database round trip."""
        return {
            "seq": self.seq,
            # In UTC, as the database gives it back, whatever time zone the writer's clock used.
            "created_at": self.created_at.astimezone(dt.timezone.utc).isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "unit_id": self.unit_id,
            "details": self.details,
            "prev_hash": self.prev_hash,
        }

    @property
    def keyed(self) -> bool:
        return self.scheme is not None

    def compute_hash(self, key: bytes | None = None) -> str:
        """The event's hash; a keyed event needs the audit key (the current one when not given)."""
        payload = self.payload()
        if not self.keyed:
            return hashlib.sha256(_canonical(payload).encode("utf-8")).hexdigest()
        if key is None:
            from .keys import require_key

            key = require_key()
        # scheme and key_id are covered too, so an event cannot be passed off as an older, unkeyed one.
        payload.update(scheme=self.scheme, key_id=self.key_id)
        return hmac.new(key, _canonical(payload).encode("utf-8"), hashlib.sha256).hexdigest()


def _canonical(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
