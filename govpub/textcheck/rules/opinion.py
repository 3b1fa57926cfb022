"""opinion — emotional wording and personal opinion (第十条(十)); phrase list in
lexicons/opinion.tsv.  Here: piled-up exclamation/question marks and emoji runs."""

from __future__ import annotations

import re

BASIS = "第十条(十)"
PILE_RE = re.compile(r"[!！]{2,}|[?？!！]{3,}|[?？][!！]+[?？!！]*|[!！][?？]+[?？!！]*")
EMOJI_RE = re.compile("[\U0001F300-\U0001FAFF]{3,}")
_PILE_GATE = re.compile(r"[!！?？][!！?？]")


def check(ctx) -> None:
    view = ctx.view
    if _PILE_GATE.search(view):
        for m in PILE_RE.finditer(view):
            ctx.add("opinion", "opinion.exclamation", "warn", m.start(), m.end(),
                    "连续使用感叹号、问号，语气情绪化", m.group()[0].replace("!", "！").replace("?", "？"),
                    BASIS)
    if len(ctx.norm.encoded) == 2 * len(ctx.compact) and "\ufffd" not in ctx.compact:
        return  # no astral characters, so no emoji
    for m in EMOJI_RE.finditer(view):
        ctx.add("opinion", "opinion.emoji", "info", m.start(), m.end(),
                "连续使用表情符号，语气不够庄重", None, BASIS)
