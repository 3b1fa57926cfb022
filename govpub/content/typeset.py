"""一键排版: tidy an official text's body as GB/T 9704 (党政机关公文格式) and GB/T 15834/15835 (标点符号用法,
出版物上数字用法) ask, without changing a word.

- empty paragraphs go;
- half-width punctuation written after Chinese becomes full-width (，。；：？！（）“”‘’), never inside a web
  address, an e-mail address, a number (3.14, 1,000), a time (10:30), an English run or a 发文字号 (〔2024〕5号);
- full-width digits become Arabic digits (GB/T 15835), 〔2024〕5号 and addresses excepted;
- a paragraph that is a structure heading becomes one: "一、" 一级 → h2, "（一）" 二级 → h3, "1." 三级 → h4, the
  numbering kept as text and written as GB/T 9704 7.3.3 does ("一." → "一、", "(一)" → "（一）", "1、" → "1.").
  "（1）" 四级 stays a paragraph: the body has three heading levels, and in practice a 四级 item leads a paragraph;
- a paragraph's typed indent (spaces, 　　) goes: 每个自然段左空二字 is the portal's style sheet
  (portal.css `.article .body > p`), so every paragraph is indented alike and typesetting twice changes nothing.

Every change replaces one character by one character, or removes whitespace, so the words are kept.
"""

from __future__ import annotations

import re

from .htmltree import DROP, UNWRAP, WS, apply_marks, parse_fragment, serialise, strip_leading, strip_trailing, tag_of
from .paste import settle

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CLOSERS = "）》」』】〕”’"
_FULL_PUNCTUATION = "，。；：？！、（）《》「」『』【】〔〕“”‘’…—"
_SIMPLE = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_FULL_DIGITS = {chr(0xFF10 + n): str(n) for n in range(10)}
_CN_NUMBER = "一二三四五六七八九十百"

# What keeps its half-width characters: web and e-mail addresses (without the sentence's own mark after
# them), numbers with separators, English runs, and 发文字号 (GB/T 9704 7.2.4: 〔2024〕5号 as written).
_ADDRESSES = re.compile("|".join([
    rf"(?:https?|ftp)://[^\s{_HAN}{_FULL_PUNCTUATION}]*[^\s{_HAN}{_FULL_PUNCTUATION}.,;:?!)'\"]",
    rf"www\.[^\s{_HAN}{_FULL_PUNCTUATION}]*[^\s{_HAN}{_FULL_PUNCTUATION}.,;:?!)'\"]",
    r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # the lookbehind: one attempt per run of name characters
]))
_DOC_NUMBER = re.compile(r"[〔\[【(（]\s*[0-9０-９]{4}\s*[〕\]】)）]\s*[0-9０-９]+\s*号")
_PROTECTED = re.compile("|".join([  # their digits may still change width, their marks may not
    r"(?<![0-9０-９])[0-9０-９]+(?:[.,:．：][0-9０-９]+)+",
    r"[A-Za-z][A-Za-z0-9'’_-]*(?:[ ,.;:!?'\"()&/-]+[A-Za-z0-9][A-Za-z0-9'’_-]*)*",
]))

_HEADINGS = [
    ("h2", re.compile(rf"^[{_CN_NUMBER}]+、")),
    ("h3", re.compile(rf"^（[{_CN_NUMBER}]+）")),
    ("h4", re.compile(r"^\d{1,2}\.(?!\d)")),
]
HEADING_MAX_CHARS = 40  # a longer "一、…" paragraph is body text that begins with its numbering
_NOT_A_HEADING_END = tuple("；;，,：:")

BLOCKS = {"p", "h2", "h3", "h4", "li", "td", "th", "caption", "figcaption", "blockquote", "ul", "ol", "table",
          "thead", "tbody", "tr", "hr", "figure"}
TEXT_BLOCKS = ("p", "h2", "h3", "h4", "li", "td", "th", "caption", "figcaption", "blockquote")


def typeset(html: str) -> str:
    current = settle(html or "")
    for _ in range(4):  # every pass is idempotent by construction; the loop only makes sure of it
        result = _once(current)
        if result == current:
            break
        current = result
    return current


def _once(html: str) -> str:
    root = parse_fragment(html)
    for paragraph in root.iter("p"):
        if not paragraph.text_content().strip(WS) and paragraph.find(".//img") is None:
            paragraph.tag = DROP
    apply_marks(root)
    for block in [root, *root.iter(*TEXT_BLOCKS)]:
        _punctuate_block(block, numbered=block is root or tag_of(block) in ("p", "h2", "h3", "h4", "li"))
    for element in root.iter("p", "h2", "h3", "h4", "li"):
        strip_leading(element, BLOCKS)
        strip_trailing(element, BLOCKS)
    for paragraph in root.iterchildren("p"):
        _heading(paragraph)
    apply_marks(root)
    return settle(serialise(root))


# ---- text slots: a block's visible text, piece by piece, so that one-for-one changes can be written back ----

def _slots(block):
    """(element, "text"|"tail", protected) for the block's own text in order; nested blocks are their own."""
    slots = [(block, "text", False)]

    def walk(element, protected):
        for child in element:
            if tag_of(child) not in BLOCKS:
                inner = protected or tag_of(child) == "a"  # a link's text may be its address
                slots.append((child, "text", inner))
                walk(child, inner)
            slots.append((child, "tail", protected))

    walk(block, False)
    return slots


def _punctuate_block(block, *, numbered: bool) -> None:
    slots = _slots(block)
    pieces = [getattr(element, name) or "" for element, name, _ in slots]
    text = "".join(pieces)
    if not text.strip():
        return
    address = [False] * len(text)
    offset = 0
    for (_, _, link), piece in zip(slots, pieces):
        if link:
            address[offset:offset + len(piece)] = [True] * len(piece)
        offset += len(piece)
    for match in _ADDRESSES.finditer(text):
        address[match.start():match.end()] = [True] * (match.end() - match.start())
    fixed = list(address)
    for match in _DOC_NUMBER.finditer(text):
        fixed[match.start():match.end()] = [True] * (match.end() - match.start())
    protected = list(fixed)
    for match in _PROTECTED.finditer(text):
        protected[match.start():match.end()] = [True] * (match.end() - match.start())
    new = _punctuate(text, protected, fixed, address, numbered=numbered)
    offset = 0
    for (element, name, _), piece in zip(slots, pieces):
        if piece:
            setattr(element, name, new[offset:offset + len(piece)])
        offset += len(piece)


_HAN_CHAR = re.compile(f"[{_HAN}]")


def _is_han(char: str) -> bool:
    return bool(_HAN_CHAR.match(char))


def _punctuate(text: str, protected: list[bool], fixed: list[bool], address: list[bool], *, numbered: bool) -> str:
    """`fixed`: addresses and 发文字号, untouched; `protected`: also numbers and English, whose marks stay."""
    chars = list(text)
    n = len(chars)

    def free(i):
        return 0 <= i < n and not protected[i]

    for i, char in enumerate(chars):
        if not fixed[i] and char in _FULL_DIGITS:
            chars[i] = _FULL_DIGITS[char]
    for i in range(1, n - 1):  # ３．１４ → 3.14
        if not fixed[i] and chars[i] == "．" and chars[i - 1].isdigit() and chars[i + 1].isdigit():
            chars[i] = "."
    if numbered:  # before the full stops: "一." is numbering
        _numbering(chars, free)
    after_chinese = [i > 0 and (_is_han(chars[i - 1]) or chars[i - 1] in _CLOSERS) for i in range(n)]
    # "10:30,会议" and "见 https://…,请": a mark between a number or an address and Chinese is Chinese too
    before_chinese = [0 < i < n - 1 and _is_han(chars[i + 1]) and (chars[i - 1].isdigit() or address[i - 1])
                      for i in range(n)]
    for i, char in enumerate(chars):
        if not free(i) or not (after_chinese[i] or before_chinese[i]):
            continue
        if char in _SIMPLE:
            chars[i] = _SIMPLE[char]
        elif char == "." and after_chinese[i] and (i + 1 == n or chars[i + 1].isspace() or _is_han(chars[i + 1])
                              or chars[i + 1] in _FULL_PUNCTUATION):
            chars[i] = "。"
    _pairs(chars, free, "(", ")", "（", "）", nested=True)
    _pairs(chars, free, '"', '"', "“", "”", nested=False)
    _pairs(chars, free, "'", "'", "‘", "’", nested=False)
    return "".join(chars)


def _pairs(chars, free, opening, closing, full_opening, full_closing, *, nested: bool) -> None:
    """Both marks of a pair become full-width when what they enclose has Chinese in it."""
    stack, pairs = [], []
    for i, char in enumerate(chars):
        if not free(i):
            continue
        if nested and char == opening:
            stack.append(i)
        elif nested and char == closing and stack:
            pairs.append((stack.pop(), i))
        elif not nested and char == opening:
            if stack:
                pairs.append((stack.pop(), i))
            else:
                stack.append(i)
    han_before = [0]  # han_before[i]: Chinese characters in chars[:i], so that nested pairs cost no rescans
    for char in chars:
        han_before.append(han_before[-1] + _is_han(char))
    for start, end in pairs:
        if han_before[end] - han_before[start + 1]:
            chars[start], chars[end] = full_opening, full_closing


def _numbering(chars, free) -> None:
    """A paragraph's structure numbering as GB/T 9704 7.3.3 writes it: 一、 （一） 1. （1）."""
    start = 0
    while start < len(chars) and chars[start] in WS:
        start += 1
    text = "".join(chars[start:start + 8])
    match = re.match(rf"[{_CN_NUMBER}]+([.．,，])", text)
    if match and free(start + match.end(1) - 1):
        chars[start + match.end(1) - 1] = "、"
        return
    match = re.match(rf"([(（])(?:[{_CN_NUMBER}]+|\d{{1,2}})([)）])", text)
    if match and free(start) and free(start + match.end(2) - 1):
        chars[start], chars[start + match.end(2) - 1] = "（", "）"
        return
    match = re.match(r"\d{1,2}(、|．(?!\d))", text)
    if match and free(start + match.end(1) - 1):
        chars[start + match.end(1) - 1] = "."


def _heading(paragraph) -> None:
    if paragraph.get("align"):
        return  # a centred or right-aligned line is a title or a 落款, not a structure heading
    text = paragraph.text_content().strip(WS)
    if len(text) > HEADING_MAX_CHARS or "。" in text or text.endswith(_NOT_A_HEADING_END):
        return
    for tag, pattern in _HEADINGS:
        if pattern.match(text):
            paragraph.tag = tag
            paragraph.attrib.clear()
            for strong in paragraph.iter("strong"):
                strong.tag = UNWRAP  # a heading is bold already
            return
