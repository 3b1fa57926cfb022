"""Rule families.  Each module exposes ``check(ctx)`` adding findings to ``ctx`` and
``TRIGGERS``: words without which the module cannot find anything.  The engine puts the
triggers into its lexicon automaton and records which ones occur (``ctx.triggers``), so a
module skips its regexes without scanning the text again.

Lexicon-driven parts of every family live in ``lexicons/*.tsv`` and are matched by the engine;
the modules here hold the structural (regex / checksum / context) rules.
"""

from . import (advertising, contact, link, norms, offers, offices, opinion, political, privacy,
               privacy_combo, prohibited, secret,
               secret_marks, sessions, typo, wording)

_MODULES = (secret, secret_marks, privacy, privacy_combo, advertising, contact, prohibited, offers, political, offices, sessions, wording, norms,
            typo, opinion, link)
DEFAULT_RULES = tuple(m.check for m in _MODULES)
TRIGGERS = frozenset(t for m in _MODULES for t in getattr(m, "TRIGGERS", ()))

__all__ = ["DEFAULT_RULES", "TRIGGERS"]
