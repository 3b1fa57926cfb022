"""Text normalisation with an offset map back to the original.

Two views are derived from the original text:

* ``view``    — same length as the original (1:1 per code point): full-width ASCII → ASCII,
  upper → lower case, traditional → simplified (single-character OpenCC table), circled and
  other digit variants → ASCII digits.  Regex rules run here, so offsets need no mapping.
* ``compact`` — ``view`` with zero-width/invisible characters removed everywhere, filler
  symbols or spaces between CJK characters removed (赌*博, 赌 博).  (Runs of one repeated
  character are *not* collapsed: that glued 学习大国 to 习大大 and 风风雨雨 to 风雨.)
  Lexicon matching runs here; offsets are mapped back through a sorted list of kept runs.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
ZERO_WIDTH = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0"
)
# Symbols people insert between characters to dodge filters.  Chinese sentence punctuation
# (，。、；：！？) is deliberately absent: removing it would glue clauses together.
FILLERS = r" \t\u3000\u00a0*#@_\-~.·•/\\|+^=`'\"<>\[\]{}$&:…☆★●◆◇■□△▲※→←↑↓♥♡❤✿❀丨︱｜"

_RUN_RE = re.compile(rf"[{ZERO_WIDTH}{FILLERS}]+")
_ZW_RE = re.compile(rf"[{ZERO_WIDTH}]+")


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    # Full-width ASCII except the common CJK punctuation, which is kept so the
    # fast path stays fast and punctuation rules see the real marks.
    keep = set("，：；（）！？")
    for cp in range(0xFF01, 0xFF5F):
        ch = chr(cp)
        if ch not in keep:
            table[cp] = chr(cp - 0xFEE0).lower()
    table[0x3000] = " "
    for cp in range(ord("A"), ord("Z") + 1):
        table[cp] = chr(cp + 32)
    digit_runs = [
        (0x2460, 1), (0x2474, 1), (0x2488, 1), (0x2776, 1), (0x2780, 1),
        (0x278A, 1), (0x24F5, 1),
    ]
    for base, first in digit_runs:
        for i in range(9):
            table[base + i] = str(first + i)
    table[0x24EA] = "0"
    for base in (0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6):
        for i in range(10):
            table[base + i] = str(i)
    try:
        import opencc

        conv = opencc.OpenCC("t2s")
        chars = [chr(c) for c in range(0x3400, 0xA000)] + [chr(c) for c in range(0xF900, 0xFB00)]
        out = conv.convert("\n".join(chars)).split("\n")
        if len(out) == len(chars):
            for a, b in zip(chars, out):
                if a != b and len(b) == 1:
                    table[ord(a)] = b
    except Exception:  # pragma: no cover - opencc is a declared dependency
        pass
    return table


FOLD_TABLE = _build_fold_table()
# Astral characters are kept out of the class: with any of them in it, sre cannot use its
# bitmap charset and the scan becomes ~15x slower.
_FOLD_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(FOLD_TABLE) if c < 0x10000) + "]")
_FOLD_ASTRAL_RE = re.compile("[\U0001D7CE-\U0001D7FF]")
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")


_TRAD = sorted(c for c, v in FOLD_TABLE.items() if 0x3400 <= c < 0xFB00)
# Runs of traditional characters (a single OpenCC-converted character, optionally
# separated by other CJK characters, is reported as one run per word-sized piece).
_TRAD_CLASS = "[" + "".join(chr(c) for c in _TRAD) + "]"
_TRAD_CHAR_RE = re.compile(_TRAD_CLASS)
TRAD_RE = re.compile(f"{_TRAD_CLASS}+(?:[{CJK}]{{1,3}}{_TRAD_CLASS}+)*")


def _fold_sub(m: re.Match) -> str:
    return FOLD_TABLE[ord(m.group())]


def fold(text: str) -> str:
    """Length-preserving fold (width, case, traditional→simplified, digit variants)."""
    if _FOLD_RE.search(text) is not None:
        text = _FOLD_RE.sub(_fold_sub, text)
    if not text.isascii() and _FOLD_ASTRAL_RE.search(text) is not None:
        text = _FOLD_ASTRAL_RE.sub(_fold_sub, text)
    return text


class Normalized:
    """Views of one text.  ``to_original(i, j)`` maps a compact span to the original."""

    __slots__ = ("original", "view", "compact", "_cstarts", "_ostarts", "_encoded", "has_cjk_fold")

    def __init__(self, original: str):
        self.original = original
        view = fold(original)
        self.view = view
        # Did folding change a CJK character (traditional → simplified)?  Full-width digits
        # alone do not count.  Cheap: only looked at when something was folded at all.
        self.has_cjk_fold = view is not original and _TRAD_CHAR_RE.search(original) is not None
        pieces = []
        cstarts = [0]
        ostarts = [0]
        pos = 0
        clen = 0
        n = len(view)
        for m in _RUN_RE.finditer(view):
            s, e = m.span()
            if s > 0 and e < n and _is_cjk(view[s - 1]) and _is_cjk(view[e]):
                dels = ((s, e),)
            elif _ZW_RE.search(m.group()):
                dels = tuple((s + a.start(), s + a.end()) for a in _ZW_RE.finditer(m.group()))
            else:
                continue
            for ds, de in dels:
                if ds > pos:
                    pieces.append(view[pos:ds])
                    clen += ds - pos
                pos = de
                cstarts.append(clen)
                ostarts.append(de)
        if len(cstarts) == 1:
            self.compact = view
        else:
            pieces.append(view[pos:])
            self.compact = "".join(pieces)
        self._cstarts = cstarts
        self._ostarts = ostarts
        self._encoded = None

    @property
    def encoded(self) -> str:
        """``compact`` as two latin-1 characters per character (its UTF-16-BE bytes); astral
        characters are replaced 1:1 so offsets are exactly twice the character offsets."""
        if self._encoded is None:
            b = self.compact.encode("utf-16-be", "surrogatepass")
            if len(b) != 2 * len(self.compact):
                b = _ASTRAL_RE.sub("\ufffd", self.compact).encode("utf-16-be", "surrogatepass")
            self._encoded = b.decode("latin-1")
        return self._encoded

    def orig_index(self, ci: int) -> int:
        """Original index of compact character ``ci``."""
        k = bisect_right(self._cstarts, ci) - 1
        return self._ostarts[k] + (ci - self._cstarts[k])

    def to_original(self, cs: int, ce: int) -> tuple[int, int]:
        if len(self._cstarts) == 1:
            return cs, ce
        if ce <= cs:
            o = self.orig_index(cs) if cs < len(self.compact) else len(self.original)
            return o, o
        return self.orig_index(cs), self.orig_index(ce - 1) + 1

    @property
    def identity(self) -> bool:
        return len(self._cstarts) == 1


@lru_cache(maxsize=65536)
def normalize_term(term: str) -> str:
    """Normalise a lexicon term exactly like text is normalised (compact view)."""
    term = term.strip()
    if _FOLD_RE.search(term) is None and _RUN_RE.search(term) is None:
        return term  # the common case: nothing to fold or remove
    return Normalized(term).compact
