"""Writing and verifying the audit chain."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from . import anchors as anchor_file
from . import keys
from .models import GENESIS_HASH, SCHEME_HMAC, AuditEvent

logger = logging.getLogger(__name__)

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
    last = AuditEvent.objects.order_by("-seq").only("seq", "hash", "scheme").first()
    key = keys.current_key(create=True)
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
        scheme=SCHEME_HMAC,
        key_id=keys.key_id(key),
    )
    # seq is needed inside the hash, so it is taken explicitly: the lock above makes this safe.
    event.seq = (last.seq if last else 0) + 1
    event.hash = event.compute_hash(key)
    event.save(force_insert=True)
    if last is None or not last.keyed:
        # The first keyed event is anchored at once: until an anchor says where keyed events begin, someone
        # with database access could pass the whole chain off as unkeyed and recompute it.
        transaction.on_commit(anchor_quietly)
    return event


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    bad_seq: int | None = None
    problem: str = ""
    anchor: int | None = None  # the anchor (number in the anchor file) the problem concerns
    anchors: int = 0  # anchors the chain was checked against
    newest_anchor: dict | None = None


def head() -> dict:
    """The chain's head as an anchor records it."""
    last = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
    legacy = AuditEvent.objects.filter(scheme__isnull=True).count()
    if last is None:
        return {"events": 0, "seq": 0, "head": GENESIS_HASH, "legacy": 0}
    return {"events": last.seq, "seq": last.seq, "head": last.hash, "legacy": legacy}


def _fail(checked, seq, problem, anchor=None, count=0):
    return VerifyResult(False, checked, seq, problem, anchor=anchor, anchors=count)


def verify_chain(batch_size: int = 2000, *, anchors: bool | list[dict] = True,
                 since_newest_anchor: bool = False) -> VerifyResult:
    """Recompute every hash in order and compare with the anchors; report the first event that does not fit.

    anchors: True reads the anchor file, False ignores it, a list uses those (already checked) lines.
    since_newest_anchor: start at the newest anchor's event instead of #1 (the hourly anchoring).
    """
    key = keys.current_key()
    current_id = keys.key_id(key) if key else None
    try:
        lines = anchors if isinstance(anchors, list) else anchor_file.read(key) if anchors else []
    except anchor_file.AnchorProblem as problem:
        return _fail(0, None, str(problem), problem.anchor)
    applying = anchor_file.effective(lines)
    at_seq: dict[int, list[dict]] = {}
    for entry in applying:
        at_seq.setdefault(entry["seq"], []).append(entry)
    # From the first anchor that saw keyed events on, every event must be keyed.
    keyed_from = min(((entry["legacy"] + 1, entry) for entry in applying if entry["legacy"] < entry["events"]),
                     default=(None, None), key=lambda pair: pair[0])
    newest = applying[-1] if applying else None

    prev_hash, expected_seq, checked, keyed_seen = GENESIS_HASH, 1, 0, False
    events = AuditEvent.objects.order_by("seq")
    if since_newest_anchor and newest and newest["seq"]:
        start = AuditEvent.objects.filter(seq=newest["seq"]).first()
        if start is None or start.hash != newest["head"]:
            pass  # fall through to the full walk, which names the first event that does not fit
        else:
            events = events.filter(seq__gt=start.seq)
            prev_hash, expected_seq, checked, keyed_seen = start.hash, start.seq + 1, start.seq, start.keyed
    count = len(applying)
    for event in events.iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return _fail(checked, expected_seq, f"缺少事件 #{expected_seq}（链条中断）", count=count)
        if event.prev_hash != prev_hash:
            return _fail(checked, event.seq, "前序哈希与上一条事件不符", count=count)
        if event.keyed:
            keyed_seen = True
            if key is None:
                return _fail(checked, event.seq,
                             f"该事件用审计密钥（指纹 {event.key_id}）计算，但找不到审计密钥：若刚恢复或迁移了数据目录，"
                             f"请把原来的审计密钥恢复到{keys.where()}，再运行 govpub audit verify。", count=count)
            if event.key_id != current_id:
                return _fail(checked, event.seq,
                             f"该事件的审计密钥指纹为 {event.key_id}，与当前审计密钥（指纹 {current_id}）不符：若刚恢复或"
                             f"迁移了数据目录，请恢复写入时使用的审计密钥（{keys.where()}）；否则是链条被他人用别的密钥"
                             "重新计算。", count=count)
        elif keyed_seen or (keyed_from[0] is not None and event.seq >= keyed_from[0]):
            where = f"（{anchor_file.describe(keyed_from[1])}记录自事件 #{keyed_from[0]} 起使用审计密钥）" \
                if keyed_from[1] and not keyed_seen else ""
            return _fail(checked, event.seq, f"该事件没有使用审计密钥{where}：链条被改成旧格式后重新计算。",
                         keyed_from[1]["n"] if where else None, count)
        if event.compute_hash(key) != event.hash:
            return _fail(checked, event.seq,
                         "事件内容与其哈希不符（已被篡改，或哈希链被不掌握审计密钥的人重新计算）", count=count)
        for entry in at_seq.get(event.seq, ()):
            if entry["head"] != event.hash:
                return _fail(checked, event.seq,
                             f"该事件的哈希与{anchor_file.describe(entry)}记录的不符：此事件或此前的链条被改写、"
                             "重新计算或整体替换。", entry["n"], count)
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    beyond = [entry for entry in applying if entry["events"] > checked]
    if beyond:
        entry = max(beyond, key=lambda e: e["events"])
        if checked == 0:
            problem = (f"审计日志为空，但{anchor_file.describe(entry)}记录当时已有 {entry['events']} 条事件："
                       "审计表被清空（TRUNCATE/DELETE）或数据库被替换。")
        else:
            problem = (f"审计日志只有 {checked} 条事件，但{anchor_file.describe(entry)}记录当时已有 "
                       f"{entry['events']} 条：事件 #{checked + 1} 起的尾部已丢失。")
        return _fail(checked, checked + 1, problem, entry["n"], count)
    return VerifyResult(True, checked, anchors=count, newest_anchor=newest)


def anchor_now(kind: str = "anchor", **extra) -> dict:
    """Verify the chain since the newest anchor, then anchor its head; a broken chain is never anchored."""
    result = verify_chain(since_newest_anchor=True)
    if not result.ok:
        raise ChainBroken(result)
    return anchor_file.append(kind, head(), **extra)


class ChainBroken(Exception):
    def __init__(self, result: VerifyResult):
        super().__init__(describe_failure(result))
        self.result = result


def describe_failure(result: VerifyResult) -> str:
    where = f"事件 #{result.bad_seq}：" if result.bad_seq else ""
    return f"审计链校验失败：{where}{result.problem}（此前 {result.checked} 条完好）"


def anchor_quietly() -> None:
    """For on_commit and periodic callers: a failure to anchor is logged, never raised into the caller."""
    try:
        anchor_now()
    except ChainBroken as broken:
        logger.error("audit chain not anchored: %s", broken)
    except (OSError, anchor_file.AnchorProblem) as error:
        logger.error("audit chain not anchored: %s", error)
