"""The checker every part of GovPub uses: the shipped lexicons plus the admins' active rows."""

from __future__ import annotations

from django.db.models import Count, Max

from govpub.textcheck import default_checker, get_checker

from .models import LexiconEntry


def active_rows() -> list[tuple]:
    return [e.as_row() for e in LexiconEntry.objects.filter(is_active=True).order_by("pk")]


_compiled: dict[tuple, object] = {}


def current_checker():
    """Compiled once per lexicon state; a change to any row (add, deactivate) gives a new state."""
    state = LexiconEntry.objects.aggregate(n=Count("pk"), last=Max("pk"), changed=Max("deactivated_at"))
    key = (state["n"], state["last"], state["changed"])
    checker = _compiled.get(key)
    if checker is None:
        rows = active_rows()
        checker = get_checker(extra_rows=rows) if rows else default_checker()
        _compiled.clear()
        _compiled[key] = checker
    return checker
