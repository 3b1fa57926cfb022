"""Rule families.  Each module exposes ``check(ctx)`` adding findings to ``ctx``.

Lexicon-driven parts of every family live in ``lexicons/*.tsv`` and are matched by the engine;
the modules here hold the structural (regex / checksum / context) rules.
"""

from . import advertising, link, opinion, political, privacy, prohibited, secret, typo, wording

DEFAULT_RULES = (
    secret.check, privacy.check, advertising.check, prohibited.check, political.check,
    wording.check, typo.check, opinion.check, link.check,
)

__all__ = ["DEFAULT_RULES"]
