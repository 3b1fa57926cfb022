"""Text normalisation shared by training and detection.

Every code point of the input maps to exactly one token, so detection offsets are code-point
offsets into the caller's text.  Tokens are small integers (< 2**13, see ``BITS``):

* 0 ``UNK``   any character outside the model vocabulary
* 1 ``BOS``   sentence start padding
* 2 ``EOS``   sentence end
* 3 ``NUM``   an ASCII / full-width digit
* 4 ``LAT``   a Latin letter
* 5.. characters of the vocabulary (punctuation is canonicalised to its full-width form)
"""
from __future__ import annotations

import re
import unicodedata

BITS = 13
MAXV = 1 << BITS
UNK, BOS, EOS, NUM, LAT = 0, 1, 2, 3, 4
NSPECIAL = 5

# half-width punctuation -> the full-width form used in official documents
_PUNCT = {
    ",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）",
    "\"": "“", "'": "‘", "[": "〔", "]": "〕", "<": "《", ">": "》",
    "\u3000": " ", "\xa0": " ", "．": ".", "〈": "《", "〉": "》", "「": "“", "」": "”",
    "﹕": "：", "∶": "：",
}


def canon_char(ch: str) -> str:
    """Canonical form of one code point (always exactly one code point)."""
    o = ord(ch)
    if 0xFF01 <= o <= 0xFF5E:  # full-width ASCII -> ASCII
        ch = chr(o - 0xFEE0)
    return _PUNCT.get(ch, ch)


def is_han(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FFFF


def char_class(ch: str) -> int:
    """NUM / LAT for digits and Latin letters, else -1."""
    if "0" <= ch <= "9" or unicodedata.category(ch) == "Nd":
        return NUM
    if ("a" <= ch <= "z") or ("A" <= ch <= "Z"):
        return LAT
    return -1


# sentence ends: the terminator stays with its sentence; whitespace separates sentences
SENT_END = set("。！？!?\n\r")
_BREAK_RE = re.compile(r"[。！？!?]+|[\r\n]+|\s+")


def split_spans(text: str, maxlen: int = 400):
    """Yield (start, end) code-point spans of sentences; whitespace is dropped."""
    pos = 0
    for m in _BREAK_RE.finditer(text):
        end = m.end() if not m.group(0).isspace() else m.start()
        if end > pos:
            yield from _cap(pos, end, maxlen)
        pos = m.end()
    if pos < len(text):
        yield from _cap(pos, len(text), maxlen)


def _cap(s: int, e: int, maxlen: int):
    while e - s > maxlen:
        yield s, s + maxlen
        s += maxlen
    if e > s:
        yield s, e
