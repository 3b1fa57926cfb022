"""wording — GB/T 9704 document numbers, GB/T 15834 punctuation, GB/T 15835 numbers,
doubled words.  Outdated institution names are lexicon-driven (lexicons/wording_orgs.tsv)."""

from __future__ import annotations

import re

from ..lexicon import is_word2

BASIS = "第八条(四)"
CJK = "\u4e00-\u9fff"

# 鄂政发[2023]5号 / (2023) / 〔2023〕第5号 / 〔2023〕05号
DOCNO_RE = re.compile(
    r"([\[【(（〔［〖{<《])((?:19|20)\d{2})([\]】)）〕］〗}>》])[ ]?(第?)[ ]?(\d+)[ ]?号"
)
_GOOD_OPEN, _GOOD_CLOSE = "〔", "〕"

PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "【": "】", "〔": "〕", "(": ")", "[": "]"}
CLOSERS = {v: k for k, v in PAIRS.items()}
PAIR_RE = re.compile(r"[“”‘’《》（）【】〔〕()\[\]]")

HALF_PUNCT_RE = re.compile(r"[,;:?!]")
_HP_BEFORE = re.compile(rf"[{CJK}”’》）]")
_HP_AFTER = re.compile(rf"[{CJK}“‘《（]")
DOUBLE_PUNCT_RE = re.compile(r"[，。、；：,;][，。、；：,;]+")
_DOUBLE_OK = re.compile(r"([，。、；：,;])\1+|[，、；：][。]|[。][，、；：]|[，；：][、]|[、][，；：]")
YEAR_MIX_RE = re.compile(r"[一二三四五六七八九〇○零][0oO][一二三四五六七八九〇○零0-9]{1,2}年|"
                         r"[一二三四五六七八九〇零]{1,3}[0-9][一二三四五六七八九〇○零0-9]?年")
CIRCLE_YEAR_RE = re.compile(r"[一二三四五六七八九〇零]?[一二三四五六七八九]?○[一二三四五六七八九〇○零]{1,3}年")
_YEAR_GATE = re.compile(r"[一二三四五六七八九〇○零][0-9oO○]|[0-9][一二三四五六七八九〇○零]")
PERCENT_MIX_RE = re.compile(r"百分之[0-9]+|[0-9]+[.][0-9]*成")
DOUBLED_RE = re.compile(r"(的|了|在|和|与|及)\1")
DOUBLED_OK = ("的的确", "目的的", "了了之", "不了了", "为了了", "除了了", "和和美", "和和气", "参与与",
              "涉及及", "普及及", "温和和", "存在在", "实在在", "所在在", "现在在", "正在在")


_CN_NUM = "一二三四五六七八九〇○零"
_CLOSERS = "]】)）〕］〗}>》"
_DOCNO_TRIGGERS = tuple(c + d for c in _CLOSERS for d in "0123456789第 ")
_PUNCT_PAIRS = tuple(a + b for a in "，。、；：,;" for b in "，。、；：,;")
_DATE_TRIGGERS = tuple("月" + d for d in "0123456789")
DATE_HAO_RE = re.compile(r"(\d{1,2})月(\d{1,2})号(?![文令件])")
TRIGGERS = _DOCNO_TRIGGERS + _PUNCT_PAIRS + _DATE_TRIGGERS + ("百分之", "○", "的的", "了了", "在在", "和和", "与与", "及及") + tuple(
    a + b for a in _CN_NUM for b in "0123456789oO○") + tuple(a + b for a in "0123456789" for b in _CN_NUM)
_YEAR_TRIGGERS = frozenset(a + b for a in _CN_NUM for b in "0123456789oO○") | frozenset(
    a + b for a in "0123456789" for b in _CN_NUM)
_DOUBLE_TRIGGERS = frozenset(("的的", "了了", "在在", "和和", "与与", "及及"))


def check(ctx) -> None:
    view = ctx.view
    trig = ctx.triggers
    if ctx.norm.has_cjk_fold:
        _traditional(ctx)
    if trig.intersection(_DOCNO_TRIGGERS):
        _doc_numbers(ctx, view)
    _pairs(ctx, view)
    n = len(view)
    if trig.intersection(_PUNCT_PAIRS):
        for m in DOUBLE_PUNCT_RE.finditer(view):
            if _DOUBLE_OK.fullmatch(m.group()):
                ctx.add("wording", "wording.double_punct", "warn", m.start(), m.end(),
                        f"标点符号重复或连用不当“{m.group()}”",
                        m.group()[-1] if m.group()[0] == m.group()[-1] else None, BASIS)
    # Single-character `in` is a memchr-speed scan: cheaper than starting the regex.
    half = "," in view or ";" in view or ":" in view or "?" in view or "!" in view
    for m in (HALF_PUNCT_RE.finditer(view) if half else ()):
        s = m.start()
        if not (s > 0 and s + 1 < n and _HP_BEFORE.match(view[s - 1]) and _HP_AFTER.match(view[s + 1])):
            continue
        if not (_is_cjk(view[s - 1]) or _is_cjk(view[s + 1])):
            continue
        ch = view[s]
        ctx.add("wording", "wording.halfwidth_punct", "info", s, s + 1,
                f"中文文本中使用了半角标点“{ch}”", _FULL.get(ch), BASIS)
    if "年" in view and trig.intersection(_YEAR_TRIGGERS):
        for m in YEAR_MIX_RE.finditer(view):
            ctx.add("wording", "wording.number_mixed", "warn", m.start(), m.end(),
                    "年份中汉字数字与阿拉伯数字（或字母O）混用", None, BASIS)
    if "○" in trig:
            for m in CIRCLE_YEAR_RE.finditer(view):
                ctx.add("wording", "wording.number_zero", "warn", m.start(), m.end(),
                        "汉字数字“〇”误写为符号“○”", m.group().replace("○", "〇"), BASIS)
    if trig.intersection(_DATE_TRIGGERS) and "号" in view:
        for m in DATE_HAO_RE.finditer(view):
            ctx.add("wording", "wording.date", "warn", m.start(), m.end(),
                    "日期表述不规范：公文中应写“日”而非“号”", f"{m.group(1)}月{m.group(2)}日", BASIS)
    if "百分之" in trig:
        for m in PERCENT_MIX_RE.finditer(view):
            ctx.add("wording", "wording.number_mixed", "warn", m.start(), m.end(),
                    "“百分之”与阿拉伯数字混用", None, BASIS)
    for m in (DOUBLED_RE.finditer(view) if trig.intersection(_DOUBLE_TRIGGERS) else ()):
        s = m.start()
        around = view[max(0, s - 2):s + 4]
        if any(ok in around for ok in DOUBLED_OK) or s > 0 and is_word2(view[s - 1], view[s]) \
                or s + 2 < len(view) and is_word2(view[s + 1], view[s + 2]):
            continue  # 标的的保险 / 在在线: one of the two belongs to a neighbouring word
        ctx.add("wording", "wording.doubled_word", "warn", s, m.end(),
                f"疑似多字：“{m.group()}”", m.group(1), BASIS)


_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}


_TRAD_OK = frozenset("拚噁乾瞭釐甦於夥佔託閒藉剋")


def _traditional(ctx) -> None:
    from ..normalize import TRAD_RE

    orig = ctx.original
    for m in TRAD_RE.finditer(orig):
        if all(ch in _TRAD_OK or ch == ctx.view[m.start() + i] for i, ch in enumerate(m.group())):
            continue  # 二噁英, 拚搏: variant characters still in normal simplified use
        ctx.add("wording", "wording.traditional", "warn", m.start(), m.end(),
                "使用了繁体字，政府网站应使用规范汉字", ctx.view[m.start():m.end()], BASIS)


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _doc_numbers(ctx, view: str) -> None:
    for m in DOCNO_RE.finditer(view):
        op, year, cl, di, num = m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)
        if m.start() == 0 or not _is_cjk(view[m.start() - 1]):
            continue  # a document number follows the issuing organ's code (鄂政发)
        problems = []
        if op != _GOOD_OPEN or cl != _GOOD_CLOSE:
            problems.append("年份应使用六角括号“〔〕”")
        if di:
            problems.append("序号前不加“第”")
        if num.startswith("0"):
            problems.append("序号不编虚位（不加前导0）")
        if problems:
            good = f"〔{year}〕{int(num)}号"
            ctx.add("wording", "wording.doc_number", "warn", m.start(), m.end(),
                    "发文字号不规范（GB/T 9704）：" + "；".join(problems), good, BASIS)


def _pairs(ctx, view: str) -> None:
    """Unpaired quotes/brackets, checked per paragraph."""
    if not PAIR_RE.search(view):
        return
    if all(view.count(o) == view.count(c) for o, c in PAIRS.items()):
        return  # balanced overall: the per-paragraph walk would find nothing in practice
    pos = 0
    paras = view.split("\n")
    following = _next_nonblank(paras)
    for pi, para in enumerate(paras):
        nxt = following[pi]
        stack: list[tuple[str, int]] = []
        bad: list[tuple[int, str]] = []
        for m in PAIR_RE.finditer(para):
            ch = m.group()
            if ch in PAIRS:
                stack.append((ch, m.start()))
            else:
                want = CLOSERS[ch]
                if stack and stack[-1][0] == want:
                    stack.pop()
                elif any(o == want for o, _ in stack):
                    while stack and stack[-1][0] != want:
                        bad.append((stack.pop()[1], "open"))
                    stack.pop()
                else:
                    bad.append((m.start(), "close"))
        bad.extend((i, "open") for _, i in stack)
        for i, kind in bad[:200]:
            ch = para[i]
            if ch in "()[]" :
                continue  # half-width brackets: numbering like 1) is common
            msg = f"标点“{ch}”不成对（缺少{'后' if kind == 'open' else '前'}半部分）"
            # An opening quote left open may start a quotation of several paragraphs
            # (GB/T 15834: only the last paragraph closes it).
            sev = "info" if kind == "open" and ch in "“‘" and nxt.startswith(ch) else "warn"
            ctx.add("wording", "wording.unpaired_punct", sev, pos + i, pos + i + 1, msg,
                    None, BASIS)
        pos += len(para) + 1


def _next_nonblank(paras: list[str]) -> list[str]:
    """For each paragraph, the next non-blank one (left-stripped), or "" — one pass from the end, so
    an unclosed quote before 80,000 short lines costs 80,000 steps, not 80,000² / 2."""
    out = [""] * len(paras)
    nxt = ""
    for i in range(len(paras) - 1, -1, -1):
        out[i] = nxt
        if paras[i].strip():
            nxt = paras[i].lstrip(" \t\u3000")
    return out
