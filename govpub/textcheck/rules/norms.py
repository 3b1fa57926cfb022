"""norms — 规范表述 (第八条(四)): full law names at first mention, 公文 date formats (GB/T 9704:
年份标全称、月日不编虚位, no 2024.5.6), no 顿号 between book titles or quotations
(GB/T 15834), and GB/T 15835 numbers (3千 → 3000, 约…左右)."""

from __future__ import annotations

import re

BASIS = "第八条(四)"
# Short names whose full name is “中华人民共和国” + the short name (or given explicitly).
_LAWS = (
    "宪法 民法典 刑法 刑事诉讼法 民事诉讼法 行政诉讼法 行政处罚法 行政许可法 行政复议法 行政强制法 国家赔偿法 立法法 "
    "监察法 公务员法 个人信息保护法 数据安全法 网络安全法 广告法 保守国家秘密法 国家安全法 反间谍法 反恐怖主义法 "
    "反电信网络诈骗法 治安管理处罚法 道路交通安全法 安全生产法 消防法 食品安全法 药品管理法 传染病防治法 突发事件应对法 "
    "环境保护法 大气污染防治法 水污染防治法 固体废物污染环境防治法 土地管理法 城乡规划法 森林法 野生动物保护法 劳动法 "
    "劳动合同法 社会保险法 未成年人保护法 预防未成年人犯罪法 妇女权益保障法 老年人权益保障法 残疾人保障法 义务教育法 教育法 "
    "消费者权益保护法 产品质量法 反不正当竞争法 反垄断法 税收征收管理法 个人所得税法 预算法 审计法 统计法 档案法 "
    "村民委员会组织法 城市居民委员会组织法 英雄烈士保护法 国旗法 国歌法 兵役法 国防法 乡村振兴促进法 慈善法 反家庭暴力法 "
    "禁毒法 噪声污染防治法 长江保护法 黄河保护法 家庭教育促进法 反有组织犯罪法 政府信息公开条例 电子商务法 农产品质量安全法 "
    "种子法 水法 矿产资源法 文物保护法 人民调解法 法律援助法 反食品浪费法 退役军人保障法 红十字会法 工会法"
).split()
FULL = {s: "中华人民共和国" + s for s in _LAWS}
FULL.update({"保密法": "中华人民共和国保守国家秘密法", "个保法": "中华人民共和国个人信息保护法",
             "治安处罚法": "中华人民共和国治安管理处罚法", "政府信息公开条例": "中华人民共和国政府信息公开条例"})
BOOK_RE = re.compile(r"《([^《》\n]{2,30})》")
_ABBR_DECL = re.compile(r"^\s*[（(]以下简称")

DOT_DATE_RE = re.compile(r"(?<![\d./\-:a-z])((?:19|20)\d{2})([.．/\-])(\d{1,2})\2(\d{1,2})(?![\d./\-:a-z])")
_LABEL_BEFORE = re.compile(r"(?:时间|日期|发布|更新|来源|浏览|访问|截止|有效期|生成)[^\n]{0,4}[:：]?\s*$")
PAD_RE = re.compile(r"((?:19|20)\d{2})年(0\d)月(?:(0?\d{1,2})日)?|(?<=月)(0\d)日")
# The digit class comes first so that the scan skips quickly; what precedes is checked apart.
SHORT_YEAR_RE = re.compile(r"(\d{2,})年(\d{1,2})月")
_NOT_BEFORE_YEAR = set("0123456789〇零一二三四五六七八九十百千./-")
TITLE_COMMA_RE = re.compile(r"》、《|”、“")
NUM_MIX_RE = re.compile(r"(?<![\d.])(\d+)([千百])(?![克米瓦帕卡焦伏赫兆分])")
PCT_RANGE_RE = re.compile(r"(?<![\d.%])(\d+(?:\.\d+)?)[-—～~](\d+(?:\.\d+)?)%")
ABOUT_RE = re.compile(r"(?:大约|约)[^，。；、\n]{0,8}?\d[^，。；、\n]{0,6}?左右")

_LAW_GATE = tuple(name + "》" for name in FULL)
_DOT_GATE = tuple(f"{y}{sep}" for y in range(1990, 2036) for sep in ".-/．")
_MIX_GATE = tuple(d + u for d in "0123456789" for u in "千百")
_PAD_GATE = ("年0", "月0")
_PCT_GATE = tuple(d + sep for d in "0123456789" for sep in "-—～~")
TRIGGERS = ("》、《", "”、“", "左右", "%") + _PCT_GATE + _LAW_GATE + _DOT_GATE + _MIX_GATE + _PAD_GATE


def check(ctx) -> None:
    view = ctx.view
    trig = ctx.triggers
    if trig.intersection(_LAW_GATE):
        _laws(ctx, view)
    _dates(ctx, view, trig)
    if trig.intersection(("》、《", "”、“")):
        for m in TITLE_COMMA_RE.finditer(view):
            ctx.add("wording", "wording.title_punct", "info", m.start(), m.end(),
                    "并列的书名号或引号之间通常不用顿号（GB/T 15834）", m.group().replace("、", ""), BASIS)
    if trig.intersection(_MIX_GATE):
        for m in NUM_MIX_RE.finditer(view):
            n = int(m.group(1)) * (1000 if m.group(2) == "千" else 100)
            # A hint: official reports themselves write 1万6千多户.
            ctx.add("wording", "wording.number_mixed", "info", m.start(), m.end(),
                    f"数字“{m.group()}”中阿拉伯数字与“{m.group(2)}”混用（GB/T 15835）", str(n), BASIS)
    if "%" in trig and trig.intersection(_PCT_GATE):
        for m in PCT_RANGE_RE.finditer(view):
            ctx.add("wording", "wording.number_range", "warn", m.start(), m.end(),
                    "百分数范围的前后两个数都应带“%”（GB/T 15835），范围号用“～”",
                    f"{m.group(1)}%～{m.group(2)}%", BASIS)
    if "左右" in trig:
        for m in ABOUT_RE.finditer(view):
            ctx.add("wording", "wording.redundant", "warn", m.start(), m.end(),
                    "“约”与“左右”语义重复，保留其一", m.group()[:-2], BASIS)


def _laws(ctx, view: str) -> None:
    seen_full: set[str] = set()
    reported: set[str] = set()
    for m in BOOK_RE.finditer(view):
        name = m.group(1)
        if name.startswith("中华人民共和国"):
            seen_full.add(name)
            continue
        full = FULL.get(name)
        if full is None or full in seen_full or name in reported:
            continue
        reported.add(name)
        if _ABBR_DECL.match(view[m.end():m.end() + 8]):
            continue
        ctx.add("wording", "wording.law_name", "warn", m.start(), m.end(),
                f"法律法规名称首次出现应使用全称《{full}》，后文可简称", f"《{full}》", BASIS)


def _dates(ctx, view: str, trig) -> None:
    if trig.intersection(_DOT_GATE):
        for m in DOT_DATE_RE.finditer(view):
            if _LABEL_BEFORE.search(view[max(0, m.start() - 10):m.start()]) or \
                    re.match(r"\s*\d{1,2}:\d{2}", view[m.end():m.end() + 6]):
                continue  # a page's 发布时间 line, not the text
            y, mo, d = m.group(1), int(m.group(3)), int(m.group(4))
            if not (1 <= mo <= 12 and 1 <= d <= 31):
                continue
            ctx.add("wording", "wording.date_format", "warn", m.start(), m.end(),
                    "日期格式不规范：公文中应写作“××××年×月×日”（GB/T 9704）", f"{y}年{mo}月{d}日", BASIS)
    for m in (PAD_RE.finditer(view) if trig.intersection(_PAD_GATE) else ()):
        ctx.add("wording", "wording.date_format", "warn", m.start(), m.end(),
                "日期中月、日不编虚位（GB/T 9704），不加前导“0”",
                re.sub(r"(?<![\d])0(\d)", r"\1", m.group()), BASIS)
    for m in (SHORT_YEAR_RE.finditer(view) if "年" in view else ()):
        if len(m.group(1)) != 2 or not 1 <= int(m.group(2)) <= 12 \
                or m.start() > 0 and view[m.start() - 1] in _NOT_BEFORE_YEAR:
            continue
        ctx.add("wording", "wording.date_format", "warn", m.start(), m.start() + 3,
                f"年份应标全称，不应简写为“{m.group(1)}年”（GB/T 9704）", None, BASIS)
