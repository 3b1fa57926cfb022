"""textcheck — the machine-review (机审) engine.  Pure Python: imports nothing from Django.

Public API::

    from govpub.textcheck import default_checker, get_checker, check_text, check_html, check_file

    findings = check_text("……")                     # list[Finding]
    findings = check_text("……", as_of=date(2021, 5, 6))  # checked as of the text's date
    result = check_html("<p>……</p>")                # CheckResult(text=visible text, findings)
    result = check_file("a.docx")                    # CheckResult; raises ExtractionError
    checker = get_checker(extra_rows=[("词", "sensitive", "warn", "", "")])  # cached by content

Findings serialise with ``Finding.to_dict()`` to the DESIGN.md §4 JSON shape.
"""

from __future__ import annotations

import datetime
import os

from .engine import Checker, build_checker, default_checker, get_checker
from .extract import Document, ExtractionError, extract
from .findings import CATEGORIES, CATEGORY_LABELS, SEVERITIES, CheckResult, Finding
from .htmltext import html_to_text
from .lexicon import LexEntry, LexiconError, load_lexicon_file, make_entry, read_lexicon_bytes


def check_text(text: str, *, as_of: datetime.date | None = None) -> list[Finding]:
    """Check plain text with the default checker (``as_of``: the text's date, default today)."""
    return default_checker().check_text(text, as_of=as_of)


def check_html(html: str, *, as_of: datetime.date | None = None) -> CheckResult:
    """Check HTML with the default checker; ``result.text`` is the visible text."""
    return default_checker().check_html(html, as_of=as_of)


def check_file(path: str | os.PathLike, *, data: bytes | None = None,
               name: str | None = None, as_of: datetime.date | None = None) -> CheckResult:
    """Check a .txt/.html/.docx/.xlsx/.pdf file with the default checker."""
    return default_checker().check_file(path, data=data, name=name, as_of=as_of)


__all__ = [
    "CATEGORIES", "CATEGORY_LABELS", "SEVERITIES", "CheckResult", "Checker", "Document",
    "ExtractionError", "Finding", "LexEntry", "LexiconError", "build_checker", "check_file",
    "check_html", "check_text", "default_checker", "extract", "get_checker", "html_to_text",
    "load_lexicon_file", "make_entry", "read_lexicon_bytes",
]
