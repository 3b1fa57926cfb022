"""sessions — names and numbering of Party congresses and plenums, NPC and CPPCC sessions, and
five-year plans (第八条(三)).

* 二十大三中全会 → 二十届三中全会; 全国人大十四届二次会议 → 十四届全国人大二次会议;
  十四届全国政协二次会议 → 全国政协十四届二次会议; 十四届人大 → 十四届全国人大.
* Numbering: an NPC or CPPCC holds five sessions, one a year (14th: 2023–2027); a Central
  Committee holds seven plenums.  A year written next to a session that does not match, or a
  session that had not been held yet on the text's date (``ctx.as_of``) but is quoted as held
  (…精神, …以来, …通过的), is reported.
* Five-year plans: since the 11th they are 规划, not 计划; the period of “十四五” is 2021—2025;
  the short name is quoted (“十四五”).
"""

from __future__ import annotations

import datetime as _dt
import re

BASIS = "第八条(三)"
_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_int(s: str) -> int:
    """十四 → 14, 二十一 → 21, 五 → 5 (one to ninety-nine)."""
    if "十" not in s:
        return _CN.get(s, 0)
    a, _, b = s.partition("十")
    return (_CN.get(a, 1) if a else 1) * 10 + (_CN.get(b, 0) if b else 0)


# Party congresses held, and the plenums of recent Central Committees (opening day).
CONGRESSES = {18: _dt.date(2012, 11, 8), 19: _dt.date(2017, 10, 18), 20: _dt.date(2022, 10, 16)}
NEXT_CONGRESS_EARLIEST = (21, _dt.date(2027, 1, 1))
PLENUMS = {
    (18, 1): _dt.date(2012, 11, 15), (18, 2): _dt.date(2013, 2, 26), (18, 3): _dt.date(2013, 11, 9),
    (18, 4): _dt.date(2014, 10, 20), (18, 5): _dt.date(2015, 10, 26), (18, 6): _dt.date(2016, 10, 24),
    (18, 7): _dt.date(2017, 10, 14), (19, 1): _dt.date(2017, 10, 25), (19, 2): _dt.date(2018, 1, 18),
    (19, 3): _dt.date(2018, 2, 26), (19, 4): _dt.date(2019, 10, 28), (19, 5): _dt.date(2020, 10, 26),
    (19, 6): _dt.date(2021, 11, 8), (19, 7): _dt.date(2022, 10, 9), (20, 1): _dt.date(2022, 10, 23),
    (20, 2): _dt.date(2023, 2, 26), (20, 3): _dt.date(2024, 7, 15), (20, 4): _dt.date(2025, 10, 20),
}
# First session of each NPC / CPPCC National Committee; the k-th session is k-1 years later.
NPC_FIRST = {10: 2003, 11: 2008, 12: 2013, 13: 2018, 14: 2023}
_NUM = "[一二三四五六七八九十]{1,3}"
_HELD = re.compile(r"^[^。；\n]{0,2}(?:精神|以来|提出|作出|通过|审议通过|强调|指出|确定|部署|决定|报告|公报|胜利闭幕|闭幕)")

WRONG_PLENUM_RE = re.compile(rf"({_NUM})大({_NUM})中全会")
PLENUM_RE = re.compile(rf"({_NUM})届(?:中央)?({_NUM})中全会|第?({_NUM})届中央委员会第({_NUM})次全体会议")
# Patterns start with a numeral or a rare character, so that the scan skips quickly; the
# prefix (党的, 中共, 全国, 中国人民) is checked apart where it matters.
CONGRESS_RE = re.compile(rf"({_NUM})(?:大|次全国代表大会)")
_CONGRESS_PREFIX = ("党的", "中共", "党的第", "产党第")
NPC_RE = re.compile(rf"({_NUM})届全国人大({_NUM})次会议|第({_NUM})届全国人民代表大会第({_NUM})次会议")
CPPCC_RE = re.compile(rf"政协({_NUM})届({_NUM})次会议|({_NUM})届全国委员会第({_NUM})次会议")
NPC_WRONG_RE = re.compile(rf"全国人大({_NUM})届({_NUM})次会议|({_NUM})届人大({_NUM})次会议")
CPPCC_WRONG_RE = re.compile(rf"({_NUM})届全国政协({_NUM})次会议")
_YEAR_BEFORE = re.compile(r"((?:19|20)\d{2})年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:召开的|举行的|开幕的|闭幕的|的)?(?:党的|中共)?$")

PLAN_JIHUA_RE = re.compile(r"[“\"]?(十[一二三四五六])五[”\"]?计划|第(十[一二三四五六])个五年计划")
PLAN_RANGE_RE = re.compile(r"[“\"]?十([一二三四五六])五[”\"]?(?:时期|期间|规划)?[（(]((?:19|20)\d{2})\s*[—\-–～~至到]{1,2}\s*((?:19|20)\d{2})年?[)）]")
PLAN_BARE_RE = re.compile(r"(?<![“\"‘])十[一二三四五六]五(?![”\"’])(?=规划|时期|期间|开局|末|以来|目标)")

_CN_ORD = ("十八", "十九", "二十", "二十一", "二十二", "十", "十一", "十二", "十三", "十四", "十五", "十六", "十七")
_PLENUM_GATE = ("中全会", "中央委员会第")
_CONGRESS_GATE = tuple(n + "大" for n in _CN_ORD) + ("次全国代表大会",)
_PARTY_GATE = _PLENUM_GATE + _CONGRESS_GATE
_STATE_GATE = ("届全国人大", "届全国人民代表大会", "全国政协十", "届全国委员会", "届人大", "全国人大十", "届全国政协")
_JIHUA_GATE = tuple(f"十{n}五{q}计划" for n in "一二三四五六" for q in ("", "”", "\"")) + tuple(
    f"第十{n}个五年计划" for n in "一二三四五六")
_RANGE_GATE = tuple(f"五{q}{w}（" for q in "”\"" for w in ("", "时期", "期间", "规划")) + tuple(
    f"十{n}五{w}（" for n in "一二三四五六" for w in ("", "时期", "期间", "规划"))
_BARE_GATE = tuple(f"十{n}五{w}" for n in "一二三四五六" for w in ("规划", "时期", "期间", "开局", "末", "以来", "目标"))
_PLAN_GATE = _JIHUA_GATE + _RANGE_GATE + _BARE_GATE
TRIGGERS = _PARTY_GATE + _STATE_GATE + _PLAN_GATE


_LOCAL_BEFORE = re.compile(r"[委省市区县州旗盟镇乡]$|[\u4e00-\u9fff]{2}(?:自治区|地区)$")


def _local(view: str, s: int) -> bool:
    """The numbering is preceded by a local organ or place (省委十一届, 市十七届, 县人大)."""
    return _LOCAL_BEFORE.search(view[max(0, s - 6):s]) is not None


def _add(ctx, s, e, msg, sug=None, sev="warn"):
    ctx.add_c("political", "political.session", sev, s, e, msg, sug, BASIS)


def _year_before(view: str, s: int) -> int | None:
    m = _YEAR_BEFORE.search(view[max(0, s - 16):s])
    return int(m.group(1)) if m else None


def _not_yet(ctx, view, m, day: _dt.date, name: str) -> None:
    if day > ctx.as_of and _HELD.match(view[m.end():m.end() + 8]):
        _add(ctx, m.start(), m.end(), f"{name}于{day.year}年{day.month}月召开，文稿日期（{ctx.as_of.isoformat()}）"
             "在此之前，不应引用其精神或决定")


def _anchored(rx: re.Pattern, view: str, anchors, back: int):
    """``rx.finditer`` restricted to matches that start at most ``back`` characters before an
    anchor (a literal every match contains): the patterns start on numerals, which are common,
    so scanning only around the anchors is much faster than scanning the text."""
    pos = []
    for a in anchors:
        i = view.find(a)
        while i >= 0:
            pos.append(i)
            i = view.find(a, i + 1)
    last = 0
    for i in sorted(pos):
        if i < last:
            continue
        for p in range(max(last, i - back), i + 1):
            m = rx.match(view, p)
            if m is not None and m.end() > i:
                last = m.end()
                yield m
                break


def _party(ctx, view: str, trig) -> None:
    plenum = bool(trig.intersection(_PLENUM_GATE))
    for m in (_anchored(WRONG_PLENUM_RE, view, ("中全会",), 8) if plenum else ()):
        n, k = m.group(1), m.group(2)
        _add(ctx, m.start(), m.end(), f"全会名称有误：“{m.group()}”应为“{n}届{k}中全会”", f"{n}届{k}中全会", "block")
    for m in (_anchored(PLENUM_RE, view, ("中全会", "中央委员会第"), 10) if plenum else ()):
        if m.group(1) and _local(view, m.start()):
            continue  # 省委十一届五中全会: a local Party committee numbers its own plenums
        n = cn_int(m.group(1) or m.group(3))
        k = cn_int(m.group(2) or m.group(4))
        if n >= 14 and k > 7:  # the 13th had nine plenums; every one since, seven
            _add(ctx, m.start(), m.end(), f"全会序号有误：第{n}届中央委员会通常召开七次全体会议，没有第{k}次")
            continue
        day = PLENUMS.get((n, k))
        if day is None:
            continue
        y = _year_before(view, m.start())
        if y is not None and y != day.year:
            _add(ctx, m.start(), m.end(), f"年份与会议不符：{m.group()}于{day.year}年召开，不是{y}年")
        else:
            _not_yet(ctx, view, m, day, m.group())
    for m in _anchored(CONGRESS_RE, view, trig.intersection(_CONGRESS_GATE), 4):
        head = view[max(0, m.start() - 3):m.start()]
        if not head.endswith(_CONGRESS_PREFIX[:2]) and not head.endswith(_CONGRESS_PREFIX[2:]):
            continue
        n = cn_int(m.group(1))
        day = CONGRESSES.get(n)
        if day is None and n == NEXT_CONGRESS_EARLIEST[0] and ctx.as_of < NEXT_CONGRESS_EARLIEST[1] \
                and _HELD.match(view[m.end():m.end() + 8]):
            _add(ctx, m.start(), m.end(), f"党的{m.group()}尚未召开"
                 f"（文稿日期{ctx.as_of.isoformat()}），不应引用其精神或决定")
        elif day is not None:
            _not_yet(ctx, view, m, day, m.group())


def _state(ctx, view: str) -> None:
    for rx, label, anchors in ((NPC_RE, "全国人大", ("届全国人大", "届全国人民代表大会")),
                               (CPPCC_RE, "全国政协", ("政协", "届全国委员会"))):
        for m in _anchored(rx, view, anchors, 4):
            if label == "全国政协" and m.group(1) and view[m.start() - 2:m.start()] != "全国":
                continue  # 省政协十二届三次会议: a local body with its own numbering
            n = cn_int(m.group(1) or m.group(3))
            k = cn_int(m.group(2) or m.group(4))
            name = m.group()
            if k > 5:
                _add(ctx, m.start(), m.end(), f"会议序号有误：每届{label}只举行五次会议（每年一次），没有第{k}次")
                continue
            first = NPC_FIRST.get(n)
            if first is None:
                continue
            year = first + k - 1
            y = _year_before(view, m.start())
            if y is not None and y != year:
                _add(ctx, m.start(), m.end(), f"年份与会议不符：{name}于{year}年召开，不是{y}年")
            else:
                _not_yet(ctx, view, m, _dt.date(year, 3, 5 if label == "全国人大" else 4), name)
    for m in _anchored(NPC_WRONG_RE, view, ("届人大", "全国人大"), 4):
        if m.group(3) and (_local(view, m.start()) or cn_int(m.group(3)) < 10):
            continue  # 省十四届人大二次会议 is right for a province, 五届人大五次会议 was in its day
        n, k = m.group(1) or m.group(3), m.group(2) or m.group(4)
        _add(ctx, m.start(), m.end(), f"会议名称不规范：应为“{n}届全国人大{k}次会议”", f"{n}届全国人大{k}次会议")
    for m in _anchored(CPPCC_WRONG_RE, view, ("届全国政协",), 4):
        if _local(view, m.start()):
            continue
        _add(ctx, m.start(), m.end(), f"会议名称不规范：应为“全国政协{m.group(1)}届{m.group(2)}次会议”",
             f"全国政协{m.group(1)}届{m.group(2)}次会议")


def _plans(ctx, view: str, trig) -> None:
    for m in (PLAN_JIHUA_RE.finditer(view) if trig.intersection(_JIHUA_GATE) else ()):
        n = m.group(1) or m.group(2)
        _add(ctx, m.start(), m.end(), f"自“十一五”起五年计划改称“规划”，应为“{n}五”规划",
             f"“{n}五”规划" if m.group(1) else f"第{n}个五年规划")
    for m in (PLAN_RANGE_RE.finditer(view) if trig.intersection(_RANGE_GATE) else ()):
        n = 10 + cn_int(m.group(1))
        start = 2006 + 5 * (n - 11)
        if (int(m.group(2)), int(m.group(3))) != (start, start + 4):
            _add(ctx, m.start(), m.end(), f"“十{m.group(1)}五”时期为{start}—{start + 4}年，年份有误")
    for m in (PLAN_BARE_RE.finditer(view) if trig.intersection(_BARE_GATE) else ()):
        ctx.add_c("political", "political.five_year_plan", "info", m.start(), m.end(),
                  f"五年规划简称应加引号：“{m.group()}”", f"“{m.group()}”", BASIS)


def check(ctx) -> None:
    trig = ctx.triggers
    if not trig.intersection(TRIGGERS):
        return
    view = ctx.compact
    if trig.intersection(_PARTY_GATE):
        _party(ctx, view, trig)
    if trig.intersection(_STATE_GATE):
        _state(ctx, view)
    if trig.intersection(_PLAN_GATE):
        _plans(ctx, view, trig)
