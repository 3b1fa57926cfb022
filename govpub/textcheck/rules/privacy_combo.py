"""privacy_combo — 《个人信息保护法》第二十八条 sensitive personal information, and the travel
permits of Hong Kong, Macao and Taiwan residents (第八条(一)).

A person named in full (低保户王建国, 信访人李明华, 姓名：张三, 王芳（女，45岁）) together with an
address *and* a health, financial, social-assistance, petition or criminal fact identifies the
person and discloses the fact: block.  Name and fact without an address: warn.  A masked name
(王某某, 李*) with a detailed address and such a fact: warn.
"""

from __future__ import annotations

import re

from ..lexicon import is_word2

BASIS = "第八条(一)"
# Common surnames, without those that are also everyday function words (于, 向, 方 …).
_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
             "姚卢姜崔钟谭陆汪范金石廖贾夏韦付白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱严覃武戴莫孔汤")
# Roles that name one individual (城乡居民, 残疾人 and 患者 are too often collective nouns).
ROLES = ("村民", "户主", "申请人", "被告人", "犯罪嫌疑人", "嫌疑人", "信访人", "上访人", "投诉人", "举报人", "低保户",
         "低保对象", "贫困户", "特困人员", "救助对象", "五保户", "服刑人员", "社区矫正对象", "刑满释放人员", "吸毒人员",
         "借款人", "欠款人", "被执行人", "失信被执行人", "确诊病例", "患者", "姓名")
_NAME = rf"[{_SURNAMES}][\u4e00-\u9fff]{{1,2}}"
_MASKED = rf"[{_SURNAMES}](?:某某|某|\*{{1,2}}|×{{1,2}}|xx)"
NAME_AT = re.compile(rf"[:：]?\s*({_MASKED}|{_NAME})")
SEX_MARKS = ("（男", "（女", "(男", "(女", "，男，", "，女，")
NAME_BEFORE = re.compile(rf"({_MASKED}|{_NAME})$")
_TRAIL = set("住家患因系等于在是的和及与现今曾多")
ADDR_RE = re.compile(r"(?:住址|家庭住址|家住|现住|住在|居住在|居住于|户籍地|户籍所在地)[:：]?[^，。；\n]{2,30}|"
                     r"[\u4e00-\u9fff]{2,12}(?:村\d+组|村[一二三四五六七八九十]+组|\d+组|小区\d+(?:栋|幢|号楼)|路\d+号|街\d+号|"
                     r"\d+单元\d*室?|\d+号楼\d+室)")
FACTS = (
    ("医疗健康", re.compile(r"患者|病例|患有|患病|确诊|病情|病史|艾滋病|hiv|乙肝|精神病|精神疾病|精神分裂|抑郁症|癌|白血病|尿毒症|"
                        r"残疾|重病|住院|瘫痪|传染病|阳性|性病|智力障碍")),
    ("金融账户与财产", re.compile(r"欠款|负债|债务|存款|逾期|征信|月收入|年收入|银行流水|欠债|被执行|贷款")),
    ("社会救助", re.compile(r"低保|特困|救助|五保|困难补助|贫困户|建档立卡|残疾补贴|救济|兜底")),
    ("信访", re.compile(r"信访|上访|越级访|缠访|闹访")),
    ("违法犯罪", re.compile(r"犯罪记录|前科|刑满释放|判处|判刑|服刑|吸毒|涉嫌|拘留|社区矫正|违法记录|嫖娼|赌博|取保候审")),
)
_PERMIT = (r"往来港澳通行证|港澳通行证|回乡证|港澳居民来往内地通行证|港澳居民居住证|台胞证|台湾居民来往大陆通行证|"
           r"大陆居民往来台湾通行证|往来台湾通行证|台湾通行证|通行证")
PERMIT_RE = re.compile(rf"(?:{_PERMIT})(?:号码|号|编号)?[:：\s]*([chmlt][a-z]?\d{{7,10}}|\d{{8,10}})(?![0-9a-z])")
FACT_GATE = ("患有", "患病", "患者", "确诊", "病情", "病史", "艾滋", "hiv", "乙肝", "抑郁", "癌症", "尿毒症", "残疾",
             "住院", "瘫痪", "阳性", "智力障碍", "精神病", "精神疾病", "白血病", "欠款", "负债", "债务", "存款", "逾期",
             "征信", "月收入", "年收入", "银行流水", "欠债", "被执行", "贷款", "低保", "特困", "救助", "五保", "困难补助",
             "贫困户", "建档立卡", "救济", "兜底", "信访", "上访", "越级访", "缠访", "闹访", "犯罪", "前科", "刑满释放",
             "判处", "判刑", "服刑", "吸毒", "涉嫌", "拘留", "社区矫正", "违法记录", "嫖娼", "赌博", "取保候审")
_PERMIT_GATE = ("通行证", "回乡证", "台胞证")
TRIGGERS = ROLES + SEX_MARKS + FACT_GATE + _PERMIT_GATE


def _mask(s: str) -> str:
    return s[:2] + "*" * max(0, len(s) - 4) + s[-2:]


def check(ctx) -> None:
    trig = ctx.triggers
    if not trig.intersection(TRIGGERS):
        return
    view = ctx.compact
    if trig.intersection(_PERMIT_GATE):
        taken = [(f.start, f.end) for f in ctx.findings if f.category == "privacy"]
        for m in PERMIT_RE.finditer(view):
            s, e = ctx.norm.to_original(m.start(1), m.end(1))
            if any(a < e and s < b for a, b in taken):
                continue
            ctx.add("privacy", "privacy.travel_permit", "block", s, e,
                    "未脱敏的港澳台居民来往内地（大陆）通行证或往来港澳台通行证号码", _mask(m.group(1).upper()), BASIS)
    if not trig.intersection(FACT_GATE) or not (trig.intersection(ROLES) or trig.intersection(SEX_MARKS)):
        return
    done: set[int] = set()
    for pos, who in _people(view, trig):
        if len(who) == 3 and who[-1] in _TRAIL:
            who = who[:2]
        if is_word2(who[0], who[1]):
            continue  # 救助对象范围: the “name” is an ordinary word
        masked = bool(re.search(r"某|\*|×|xx", who))
        ss, se = _sentence(view, pos, pos + len(who))
        if ss in done:
            continue
        sent = view[ss:se]
        kinds = [k for k, rx in FACTS if rx.search(sent)]
        if not kinds:
            continue
        addr = ADDR_RE.search(sent)
        if masked and not (addr and re.search(r"\d", addr.group())):
            continue
        done.add(ss)
        sev = "block" if addr and not masked else "warn"
        what = "姓名、住址" if addr else "姓名"
        ctx.add_c("privacy", "privacy.sensitive_combo", sev, ss, se,
                  f"{what}与{'、'.join(kinds)}信息同时出现，属《个人信息保护法》第二十八条敏感个人信息，"
                  "公开前须去标识化（姓名以“某”代替、删除详细住址）", None, BASIS)


def _people(view: str, trig):
    """(position, name) of people named after a role word or before a sex mark."""
    for role in trig.intersection(ROLES):
        i = view.find(role)
        while i >= 0:
            m = NAME_AT.match(view, i + len(role))
            if m:
                yield m.start(1), m.group(1)
            i = view.find(role, i + 1)
    for mark in trig.intersection(SEX_MARKS):
        i = view.find(mark)
        while i >= 0:
            m = NAME_BEFORE.search(view, max(0, i - 4), i)
            if m:
                yield m.start(1), m.group(1)
            i = view.find(mark, i + 1)


_SENT_END = "。！？!?\n；;"


def _sentence(view: str, s: int, e: int) -> tuple[int, int]:
    a = s
    while a > 0 and view[a - 1] not in _SENT_END and s - a < 80:
        a -= 1
    b = e
    while b < len(view) and view[b] not in _SENT_END and b - e < 120:
        b += 1
    return a, b
