"""political — 规范表述.

Lexicon part (lexicons/political*.tsv): wrong formulations with their correct form, and
canonical names/formulations whose same-sound misspellings are reported.  Here: leaders'
titles, the order of fixed enumerations, and Taiwan/Hong Kong/Macao listed among countries.
"""

from __future__ import annotations

import re

from . import offices

BASIS = "第八条(三)"

# name -> titles that are correct for the name (current leadership, 2023–).
LEADERS = {
    "习近平": ("总书记", "主席", "国家主席", "军委主席", "中央军委主席", "同志"),
    "李强": ("总理", "国务院总理", "同志"),
    "赵乐际": ("委员长", "同志"),
    "王沪宁": ("主席", "全国政协主席", "同志"),
    "蔡奇": ("书记", "同志", "主任"),
    "丁薛祥": ("副总理", "同志"),
    "李希": ("书记", "同志"),
    "韩正": ("副主席", "国家副主席", "同志"),
}
_TITLES = ("总书记|国家副主席|国家主席|全国政协主席|中央军委主席|军委主席|副主席|主席|"
           "国务院总理|副总理|总理|委员长|书记")
TITLE_RE = re.compile("(" + "|".join(LEADERS) + ")(同志)?(" + _TITLES + ")")

ORDERED = [
    ("四个意识", ("政治意识", "大局意识", "核心意识", "看齐意识")),
    ("四个自信", ("道路自信", "理论自信", "制度自信", "文化自信")),
    ("五位一体", ("经济建设", "政治建设", "文化建设", "社会建设", "生态文明建设")),
    ("新发展理念", ("创新", "协调", "绿色", "开放", "共享")),
    ("社会主义核心价值观", ("富强", "民主", "文明", "和谐", "自由", "平等", "公正", "法治",
                   "爱国", "敬业", "诚信", "友善")),
    ("四个全面", ("全面建设社会主义现代化国家", "全面深化改革", "全面依法治国", "全面从严治党")),
    ("两个维护", ("坚决维护习近平总书记党中央的核心、全党的核心地位", "坚决维护党中央权威和集中统一领导")),
]
_SEP = "、，,和与及"
_ALL_ITEMS = sorted({it for _, items in ORDERED for it in items}, key=len, reverse=True)
_ITEM_ALT = "|".join(map(re.escape, _ALL_ITEMS))
_ORDERED_GATE = re.compile(f"(?:{_ITEM_ALT})[{_SEP}](?:{_ITEM_ALT})")
_ORDERED_RE = [(name, items, re.compile("|".join(map(re.escape, sorted(items, key=len, reverse=True)))))
               for name, items in ORDERED]

COUNTRIES = (
    "美国|日本|韩国|朝鲜|英国|法国|德国|意大利|俄罗斯|加拿大|澳大利亚|新西兰|新加坡|马来西亚|"
    "泰国|越南|印度|印度尼西亚|菲律宾|巴基斯坦|西班牙|葡萄牙|荷兰|比利时|瑞士|瑞典|挪威|丹麦|"
    "芬兰|巴西|阿根廷|墨西哥|南非|埃及|土耳其|以色列|伊朗|沙特|阿联酋|蒙古|缅甸|老挝|柬埔寨|"
    "哈萨克斯坦|乌克兰|波兰|希腊|奥地利|爱尔兰|智利|秘鲁|古巴|尼日利亚|肯尼亚|埃塞俄比亚"
)
REGIONS = "台湾|香港|澳门|中国台湾|中国香港|中国澳门"
ITEM = f"(?:{COUNTRIES}|{REGIONS}|中国)(?:地区)?"
ENUM_RE = re.compile(rf"{ITEM}(?:[、,，和及与]{ITEM}){{1,20}}[^。；;\n]{{0,6}}?等?(?:\d+|[一二三四五六七八九十几多]+)?个?(国家和地区|国家或地区|国家（地区）|国家\(地区\)|国家|等国|各国)")
CHINA_TW_RE = re.compile(r"中国(?:[、和与及]|以及)(台湾|香港|澳门)(?!地区|特别行政区|特区|同胞)")


# Two items of one fixed enumeration next to each other ("协调、绿色") trigger the order check.
_PAIR_TRIGGERS = {a + sep + b: i for i, (_, items) in enumerate(ORDERED)
                  for a in items for b in items if a != b for sep in "、，,和与及"}
_HMT_TRIGGERS = tuple(r + sep for r in ("台湾", "香港", "澳门") for sep in "、，,和及与") + tuple(
    sep + r for r in ("台湾", "香港", "澳门") for sep in "、，,和及与")
TRIGGERS = tuple(LEADERS) + tuple(_PAIR_TRIGGERS) + _HMT_TRIGGERS


def check(ctx) -> None:
    view = ctx.compact  # zero-width characters and inserted symbols already removed
    trig = ctx.triggers
    if not trig.intersection(TRIGGERS):
        return
    for m in (TITLE_RE.finditer(view) if trig.intersection(LEADERS) else ()):
        name, title = m.group(1), m.group(3)
        allowed = LEADERS[name]
        if title in allowed:
            continue
        # 习近平总书记 / 国家主席 are both fine; a title belonging to someone else is not.
        if title == "书记" and "总书记" in allowed:
            continue
        if offices.held(name, offices.TITLE_OFFICES.get(title, ()), ctx.as_of):
            continue  # the title was right on the text's date (韩正副总理 in 2020)
        ctx.add_c("political", "political.leader_title", "block", m.start(), m.end(),
                f"领导人职务表述错误：“{name}”不应称“{title}”", name + allowed[0], BASIS)
    wanted = {_PAIR_TRIGGERS[t] for t in trig if t in _PAIR_TRIGGERS}
    for name, items, rx in (_ORDERED_RE[i] for i in sorted(wanted)):
        hits = [(m.start(), m.end(), items.index(m.group())) for m in rx.finditer(view)]
        group: list = []
        for h in hits + [None]:
            if h is not None and group and 1 <= h[0] - group[-1][1] <= 3 \
                    and all(c in _SEP for c in view[group[-1][1]:h[0]]):
                group.append(h)
                continue
            if len(group) >= (4 if len(items) >= 5 and len(items[1]) <= 2 else 3):
                order = [g[2] for g in group]
                if order != sorted(order) or len(set(order)) != len(order):
                    s, e = group[0][0], group[-1][1]
                    ctx.add_c("political", "political.order", "warn", s, e,
                            f"“{name}”的表述顺序或内容有误，应为“{'、'.join(items)}”",
                            "、".join(items[i] for i in sorted(set(order))), BASIS)
            group = [h] if h is not None else []
    if trig.intersection(_HMT_TRIGGERS):
        for m in ENUM_RE.finditer(view):
            items = m.group(0)
            if not re.search(REGIONS, items) or m.group(1) in ("国家和地区", "国家或地区") \
                    or "（地区）" in m.group(1) or "(地区)" in m.group(1):
                continue
            if not re.search(COUNTRIES, items):
                continue
            ctx.add_c("political", "political.hmt_country", "block", m.start(), m.end(),
                    "将台湾、香港、澳门与国家并列时须称“国家和地区”", None, BASIS)
        for m in CHINA_TW_RE.finditer(view):
            ctx.add_c("political", "political.hmt_parallel", "block", m.start(), m.end(),
                    f"“中国”与“{m.group(1)}”不能并列，应表述为“中国内地（大陆）和{m.group(1)}”",
                    None, BASIS)
