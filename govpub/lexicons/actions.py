"""Changing the admin lexicon: audited, and every change re-checks the published archive (第十一条 监测)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govpub.audit import log as audit
from govpub.orgs.policy import require
from govpub.textcheck import LexiconError, make_entry, read_lexicon_bytes

from . import policy
from .models import LexiconEntry
from .signals import lexicon_changed


def _rescan_after_commit() -> None:
    transaction.on_commit(lambda: lexicon_changed.send(sender=LexiconEntry))


def _add(row, acting_user) -> LexiconEntry | None:
    term, category, severity, suggestion, note = row
    if LexiconEntry.objects.filter(term=term, category=category, is_active=True).exists():
        return None
    return LexiconEntry.objects.create(term=term, category=category, severity=severity, suggestion=suggestion or "",
                                       note=note or "", created_by=acting_user)


@transaction.atomic(durable=True)
def add_entry(*, acting_user, term: str, category: str, severity: str = "warn", suggestion: str = "",
              note: str = "") -> LexiconEntry:
    require(policy.can_edit_lexicons(acting_user), policy.EDIT_REFUSAL)
    try:
        entry = make_entry(term, category, severity, suggestion, note)
    except LexiconError as error:
        raise ValidationError(str(error)) from None
    created = _add((entry.term, category.strip().lower(), entry.severity, suggestion.strip(), note.strip()),
                   acting_user)
    if created is None:
        raise ValidationError(f"词库中已有词条“{entry.term}”（同一类别）。")
    audit.record("lexicon.add", actor=acting_user, obj=created, details={"row": list(created.as_row())})
    _rescan_after_commit()
    return created


@transaction.atomic(durable=True)
def import_lexicon(*, acting_user, data: bytes, name: str) -> int:
    """Import a .tsv / .txt / .xlsx lexicon; returns how many new rows were added."""
    require(policy.can_edit_lexicons(acting_user), policy.EDIT_REFUSAL)
    try:
        entries = read_lexicon_bytes(data, name)
    except LexiconError as error:
        raise ValidationError(f"无法导入词库：{error}") from None
    added = [e for e in (_add((x.term, x.category, x.severity, x.suggestion or "", x.note), acting_user)
                         for x in entries) if e is not None]
    audit.record("lexicon.import", actor=acting_user, object_type="lexicons.lexiconentry", object_repr=name[:300],
                 details={"file": name, "rows": len(entries), "added": len(added)})
    if added:
        _rescan_after_commit()
    return len(added)


@transaction.atomic(durable=True)
def deactivate_entry(entry: LexiconEntry, *, acting_user) -> LexiconEntry:
    require(policy.can_edit_lexicons(acting_user), policy.EDIT_REFUSAL)
    entry = LexiconEntry.objects.select_for_update().get(pk=entry.pk)
    if not entry.is_active:
        raise ValidationError("该词条已停用。")
    entry.is_active, entry.deactivated_at = False, timezone.now()
    entry.save(update_fields=["is_active", "deactivated_at"])
    audit.record("lexicon.deactivate", actor=acting_user, obj=entry, details={"row": list(entry.as_row())})
    _rescan_after_commit()
    return entry
