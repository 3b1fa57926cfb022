"""Writing and verifying the audit chain."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from .models import GENESIS_HASH, AuditEvent

# Serialises chain appends on PostgreSQL; SQLite's IMMEDIATE transactions already do.
_PG_ADVISORY_KEY = 0x60B0A0D1


def _normalise(details: dict | None) -> dict:
    # Round-trip through JSON so the hashed form equals what the database will give back.
    return json.loads(json.dumps(details or {}, ensure_ascii=False, default=str))


def record(action: str, *, actor=None, obj=None, unit=None, details: dict | None = None,
           object_type: str = "", object_id: str = "", object_repr: str = "") -> AuditEvent:
    """Append one event to the chain. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the transaction of the change it records")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_ADVISORY_KEY])
    last = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        created_at=timezone.now(),
        actor=actor_obj,
        actor_name=getattr(actor_obj, "username", "") or "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:300],
        unit_id=getattr(unit, "pk", unit),
        details=_normalise(details),
        prev_hash=last.hash if last else GENESIS_HASH,
    )
    # seq is needed inside the hash, so it is taken explicitly: the lock above makes this safe.
    event.seq = (last.seq if last else 0) + 1
    event.hash = event.compute_hash()
    event.save(force_insert=True)
    return event


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    bad_seq: int | None = None
    problem: str = ""


def verify_chain(batch_size: int = 2000) -> VerifyResult:
    """Recompute every hash in order; report the first event that does not fit."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, f"缺少事件 #{expected_seq}（链条中断）")
        if event.prev_hash != prev_hash:
            return VerifyResult(False, checked, event.seq, "前序哈希与上一条事件不符")
        if event.compute_hash() != event.hash:
            return VerifyResult(False, checked, event.seq, "事件内容与其哈希不符（已被篡改）")
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    return VerifyResult(True, checked)
