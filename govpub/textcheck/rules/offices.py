"""offices — leaders' titles against a dated table of offices and holders (data/offices.tsv).

A former holder named in a current post (李克强总理 in a text dated 2024) or a title its holder
never had (汪洋总理) is an error of 第八条(三).  What is correct depends on the date of the text
(``ctx.as_of``, default today) and on the sentence: 时任/原/生前 …, or a year within the
holder's term (“2019年，李克强总理…”), make it a historical reference.  Also the order of
“中共中央总书记、国家主席、中央军委主席”, a full office title after the name (习近平国家主席 →
国家主席习近平), and the order of the Politburo Standing Committee members named in a list.
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache
from pathlib import Path

BASIS = "第八条(三)"
DATA = Path(__file__).resolve().parent.parent / "data" / "offices.tsv"


@lru_cache(maxsize=1)
def table() -> dict[str, list[tuple[str, _dt.date, _dt.date | None]]]:
    """holder -> [(office, start, end or None)]"""
    out: dict[str, list] = {}
    for line in DATA.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        office, holder, start, end = (line.split("\t") + ["", ""])[:4]
        out.setdefault(holder, []).append((office, _dt.date.fromisoformat(start),
                                           _dt.date.fromisoformat(end) if end.strip() else None))
    return out


def holder_of(office: str, day: _dt.date) -> str | None:
    for name, terms in table().items():
        for o, s, e in terms:
            if o == office and s <= day and (e is None or day < e):
                return name
    return None


# A title as written -> the offices it can denote.
TITLE_OFFICES: dict[str, tuple[str, ...]] = {
    "总书记": ("中共中央总书记",), "中共中央总书记": ("中共中央总书记",),
    "国家主席": ("国家主席",), "主席": ("国家主席", "中央军委主席", "全国政协主席"),
    "军委主席": ("中央军委主席",), "中央军委主席": ("中央军委主席",),
    "总理": ("国务院总理",), "国务院总理": ("国务院总理",),
    "副总理": ("国务院副总理",), "国务院副总理": ("国务院副总理",),
    "委员长": ("全国人大常委会委员长",), "全国人大常委会委员长": ("全国人大常委会委员长",),
    "全国政协主席": ("全国政协主席",), "副主席": ("国家副主席",), "国家副主席": ("国家副主席",),
    "中央纪委书记": ("中央纪委书记",), "国家监委主任": ("国家监察委员会主任",),
    "国家监察委员会主任": ("国家监察委员会主任",), "最高人民法院院长": ("最高人民法院院长",),
    "最高人民检察院检察长": ("最高人民检察院检察长",),
}
_AFTER = ("总书记|国家副主席|国家主席|全国政协主席|中央军委主席|军委主席|副主席|主席|国务院副总理|国务院总理|"
          "副总理|总理|委员长")
_BEFORE = ("中共中央总书记|国家主席|中央军委主席|国务院总理|国务院副总理|全国人大常委会委员长|全国政协主席|"
           "国家副主席|中央纪委书记|国家监委主任|国家监察委员会主任|最高人民法院院长|最高人民检察院检察长")


TITLE_AT = re.compile(rf"(同志)?({_AFTER})")
CHAIN_BEFORE = re.compile(rf"((?:(?:{_BEFORE})[、，]?)+)$")
CHAIN_SPAN = 40


def _mentions(view: str, names):
    """(start, end, name) of every occurrence of the names, found with str.find."""
    out = []
    for name in names:
        i = view.find(name)
        while i >= 0:
            out.append((i, i + len(name), name))
            i = view.find(name, i + 1)
    out.sort()
    return out


_HISTORY = re.compile(r"时任|原任|原|前任|已故|生前|曾任|曾经|当年|那时|彼时|回忆|缅怀|逝世|悼念|遗体|追思|纪念|任内|卸任|届满")
_YEAR = re.compile(r"((?:19|20)\d{2})年")
_FULL_AFTER_GATE = tuple(n + t for n in ("习近平", "李强", "赵乐际", "王沪宁", "韩正") for t in (
    "国家主席", "国务院总理", "全国人大常委会委员长", "全国政协主席", "国家副主席", "中共中央总书记"))
_FULL_AFTER = re.compile(r"(习近平|李强|赵乐际|王沪宁|韩正)(国家主席|国务院总理|全国人大常委会委员长|全国政协主席|国家副主席|中共中央总书记)")
_TITLE_ORDER = ("中共中央总书记", "国家主席", "中央军委主席")
PBSC = (
    (_dt.date(2012, 11, 15), ("习近平", "李克强", "张德江", "俞正声", "刘云山", "王岐山", "张高丽")),
    (_dt.date(2017, 10, 25), ("习近平", "李克强", "栗战书", "汪洋", "王沪宁", "赵乐际", "韩正")),
    (_dt.date(2022, 10, 23), ("习近平", "李强", "赵乐际", "王沪宁", "蔡奇", "丁薛祥", "李希")),
)
_PBSC_NAMES = sorted({n for _, ns in PBSC for n in ns}, key=len, reverse=True)
PBSC_RE = re.compile("(?:" + "|".join(_PBSC_NAMES) + ")(?:、(?:" + "|".join(_PBSC_NAMES) + ")){2,}")


def held(name: str, offices, day: _dt.date) -> bool:
    return any(o in offices and s <= day and (e is None or day < e) for o, s, e in table().get(name, ()))


def _years(text: str):
    for m in _YEAR.finditer(text):
        yield int(m.group(1))
    # 第十三届全国人民代表大会第五次会议 (2022): the session dates the passage.
    from .sessions import NPC_FIRST, NPC_RE, cn_int

    for m in NPC_RE.finditer(text):
        first = NPC_FIRST.get(cn_int(m.group(1) or m.group(3)))
        if first:
            yield first + cn_int(m.group(2) or m.group(4)) - 1


def _historical(name: str, offices, sentence: str) -> bool:
    if _HISTORY.search(sentence):
        return True
    for y in _years(sentence):
        for o, s, e in table().get(name, ()):
            if o in offices and s.year <= y <= (e.year if e else 9999):
                return True
    return False


def _fmt(d: _dt.date) -> str:
    return f"{d.year}年{d.month}月"


def _judge(ctx, name: str, offices, s: int, e: int, shown: str) -> None:
    day = ctx.as_of
    # The sentence, and the line or two before it (a report's 2022年3月5日在…上 heading).
    passage = ctx.view[max(0, s - 100):s] + ctx.sentence(s, e)
    if held(name, offices, day) or _historical(name, offices, passage):
        return
    terms = [(o, a, b) for o, a, b in table().get(name, ()) if o in offices]
    now = holder_of(offices[0], day)
    if terms:
        o, a, b = terms[-1]
        span = f"{_fmt(a)}至{_fmt(b)}" if b else f"{_fmt(a)}起"
        when = "已卸任" if b and b <= day else "尚未就任"
        msg = (f"领导人职务与时间不符：{name}{span}任{o}，按文稿日期（{day.year}年{day.month}月{day.day}日）"
               f"{when}" + (f"，现任为{now}" if now else "") + "；历史叙述请写“时任”")
        # Without the text's own date, an archived article may be meant: reviewers decide.
        ctx.add("political", "political.leader_tenure", "block" if ctx.dated else "warn", s, e, msg,
                f"时任{o}{name}" if b and b <= day else None, BASIS)
    else:
        # The table is complete only for the current posts: a title never held by someone who
        # holds another post today is wrong (汪洋 in earlier years may be missing from it).
        mine = [o for o, a, b in table().get(name, ()) if a <= day and (b is None or day < b)]
        if mine:
            ctx.add("political", "political.leader_tenure", "block", s, e,
                    f"领导人职务表述错误：{name}未担任“{shown}”（现任{'、'.join(mine)}）", None, BASIS)


TRIGGERS = tuple(sorted({n for n in (
    "胡锦涛", "习近平", "温家宝", "李克强", "李强", "吴邦国", "张德江", "栗战书", "赵乐际", "贾庆林", "俞正声",
    "汪洋", "王沪宁", "李源潮", "王岐山", "韩正", "贺国强", "李希", "张高丽", "刘延东", "马凯", "孙春兰",
    "胡春华", "刘鹤", "丁薛祥", "何立峰", "张国清", "刘国中", "杨晓渡", "刘金国", "周强", "张军", "曹建明",
    "应勇", "蔡奇", "刘云山")})) + _FULL_AFTER_GATE


def check(ctx) -> None:
    trig = ctx.triggers
    if not trig.intersection(TRIGGERS):
        return
    view = ctx.compact
    taken = [(f.start, f.end) for f in ctx.findings if f.rule == "political.leader_title"]

    def free(s, e):
        s, e = ctx.norm.to_original(s, e)
        return (s, e) if not any(a < e and s < b for a, b in taken) else None

    for ns, ne, name in _mentions(view, trig.intersection(table())):
        m = TITLE_AT.match(view, ne)
        if m is not None:
            tongzhi, title = m.group(1), m.group(2)
            if title in ("主席", "副主席") and not any(o in ("国家主席", "中央军委主席", "全国政协主席", "国家副主席")
                                                   for o, _, _ in table()[name]):
                continue  # 主席 of something else (a trade union, a federation)
            sp = free(ns, m.end())
            if sp is None:
                continue
            _judge(ctx, name, TITLE_OFFICES[title], *sp, title)
            if tongzhi:
                ctx.add("political", "political.leader_title_form", "warn", *sp,
                        f"称谓格式不规范：“{name}同志{title}”应写作“{name}{title}”或“{name}同志”", name + title, BASIS)
            continue
        c = CHAIN_BEFORE.search(view, max(0, ns - CHAIN_SPAN), ns)
        if c is None:
            continue
        chain = [t for t in re.split("[、，]", c.group(1)) if t]
        sp = free(c.start(), ne)
        if sp is None:
            continue
        _judge(ctx, name, TITLE_OFFICES.get(chain[0], ()), *sp, chain[0])  # one finding per mention
        order = [_TITLE_ORDER.index(t) for t in chain if t in _TITLE_ORDER]
        if len(order) >= 2 and order != sorted(order):
            ctx.add("political", "political.leader_title_order", "warn", *sp,
                    "职务排列顺序有误：应为“中共中央总书记、国家主席、中央军委主席”",
                    "、".join(_TITLE_ORDER[i] for i in sorted(order)) + name, BASIS)
    for m in (_FULL_AFTER.finditer(view) if trig.intersection(_FULL_AFTER_GATE) else ()):
        sp = free(m.start(), m.end())
        if sp:
            ctx.add("political", "political.leader_title_form", "warn", *sp,
                    f"称谓格式不规范：职务全称应置于姓名之前，写作“{m.group(2)}{m.group(1)}”",
                    m.group(2) + m.group(1), BASIS)
    for m in (PBSC_RE.finditer(view) if len(trig.intersection(_PBSC_NAMES)) >= 3 else ()):
        names = m.group().split("、")
        lists = [(d, ns) for d, ns in PBSC if all(n in ns for n in names)]
        if not lists:
            continue
        current = [ns for d, ns in PBSC if d <= ctx.as_of][-1:]
        d, ns = next(((d, ns) for d, ns in lists if ns in current), lists[-1])
        order = [ns.index(n) for n in names]
        if order != sorted(order):
            sp = ctx.norm.to_original(m.start(), m.end())
            ctx.add("political", "political.leader_order", "warn", *sp,
                    "中央政治局常委排名顺序有误，应为“" + "、".join(n for n in ns if n in names) + "”",
                    "、".join(n for n in ns if n in names), BASIS)
