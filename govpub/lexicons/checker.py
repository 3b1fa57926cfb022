"""The checker every part of GovPub uses: the shipped lexicons plus the admins' active rows."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connections
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


def oversize_message(*, text: str | None = None, html: str | None = None) -> str | None:
    """Why an input is too large to check (GOVPUB_MAX_CHECK_CHARS, GOVPUB_MAX_BODY_HTML_CHARS), or None."""
    if text is not None and len(text) > settings.GOVPUB_MAX_CHECK_CHARS:
        return (f"待检查的文字过长（{len(text)} 字），一次最多检查 {settings.GOVPUB_MAX_CHECK_CHARS} 字，"
                "请分段提交。")
    if html is not None and len(html) > settings.GOVPUB_MAX_BODY_HTML_CHARS:
        return (f"待检查的 HTML 过长（{len(html)} 个字符，含标签），一次最多 {settings.GOVPUB_MAX_BODY_HTML_CHARS} "
                "个字符，请分段提交。")
    return None


def warm_up() -> None:
    """Compile the checker and map the typo model now, at server start: in gunicorn's master (preload_app)
    the forked workers share it and a recycled worker starts warm; no request pays the 1–2 s.  The
    master's database connection is closed again, so that no worker inherits it."""
    try:
        checker = current_checker()
    except DatabaseError:  # no database yet (a fresh install): the shipped lexicons at least
        checker = default_checker()
    finally:
        connections.close_all()
    checker.check_text("预热：各单位认真落实。")
