"""offers — 第十条 content that no single word reveals: offers of forged documents, seals and
invoices, weapon and explosive recipes, superstition cures, and rumours shaped as an urgent
notice that asks readers to forward it.  Lexicon rows (lexicons/prohibited_slang.tsv) hold the
fixed phrases; these patterns combine a thing with an offer, a recipe or a cure.

Government prose fighting these (查处、打击、谨防 …) is lowered by the sentence check here and by
the context model (context.py) after all rules ran.
"""

from __future__ import annotations

import re

from ..engine import FIGHT_RE

_DOCS = (r"证件|驾驶证|驾照|毕业证|学位证|学历|文凭|房产证|不动产证|结婚证|离婚证|户口本|身份证|护照|"
         r"资格证|职称证|健康证|上岗证|特种作业证|营业执照|出生证明|病假条|诊断证明")
_OFFER = r"办理|代办|制作|出售|快速办|加急办|包办|代做|制造|仿制|办"
_ILLEGAL_CUE = re.compile(r"包过|免考|可查|真实|高仿|仿真|各类|一条龙|快速拿证|不用考试|无需考试|刻章|"
                          r"联系|电话|微信|qq|加我|私聊|价格|收费|元起|保密|隐私|当天|加急|全国")
DOCS_RE = re.compile(rf"(?:{_OFFER})[^。！？\n]{{0,8}}?(?:{_DOCS})")
INVOICE_RE = re.compile(r"代开[^。！？\n，]{0,6}发票|开票\d*(?:个)?点|(?:有|提供)[^。！？\n]{0,4}(?:真|正规)?发票出售|"
                        r"(?:承接|提供|专业)[^。！？\n]{0,4}(?:刻章|刻制公章|私刻)")
_ARMS = r"炸药|炸弹|雷管|火药|燃烧瓶|爆炸物|枪支|手枪|步枪|猎枪|气枪|子弹|毒药|冰毒|毒品|迷药|硝化甘油"
RECIPE_RE = re.compile(
    rf"(?:{_ARMS})[^。！？\n]{{0,4}}(?:配方|制作方法|制作教程|的制作|制法|图纸|教程|原料配比|怎么做|如何制作)|"
    rf"(?:如何|怎样|怎么|教你|手把手教)[^。！？\n]{{0,3}}(?:制作|自制|做|造|合成|组装)[^。！？\n]{{0,3}}(?:{_ARMS})")
_RITE = r"符水|神水|圣水|香灰|开光|做法事|驱邪|请神|大仙|仙姑|神婆|神汉|跳大神|念咒|画符|烧纸|拜神"
_CURE = r"治病|治愈|治好|百病|癌症|病好|痊愈|消灾|祛病|去病|包治|药到病除|不用吃药|不用打针|不用去医院"
CURE_RE = re.compile(rf"(?:{_RITE})[^。！？\n]{{0,12}}(?:{_CURE})|(?:{_CURE})[^。！？\n]{{0,6}}(?:{_RITE})")
# An urgent opener, then within the paragraph a request to pass it on.
_URGENT = r"紧急通知|紧急提醒|紧急扩散|重要通知|重要提醒|特大消息|突发消息|刚刚通知|最新通知|速看|注意了|大家注意"
_FORWARD = (r"看到请转发|请转发给|转发给(?:家人|亲人|朋友|身边)|转给(?:家人|亲人|朋友|身边)|转发到(?:每个|所有|各个)?群|"
            r"转到(?:每个|所有|各个)?群|请立即转发|人人转发|扩散出去|告诉(?:你的)?家人|发给(?:你的)?家人|让更多人知道|"
            r"不转不是|速转|快转|转起来")
RUMOR_RE = re.compile(rf"(?:{_URGENT})[^\n]{{0,160}}?(?:{_FORWARD})")
_OFFICIAL_NOTICE = re.compile(r"人民政府|管委会|指挥部|委员会|办公室|公安局|供水公司|自来水公司|国家电网|"
                              r"供电公司|局|中心|特此通知|互相转告|相互转告")

_ARMS_WORDS = tuple(_ARMS.split("|"))
_RECIPE_WORDS = ("配方", "教程", "图纸", "制法", "制作", "自制", "如何", "怎样", "怎么", "教你", "手把手", "合成",
                 "组装", "原料配比")
_DOC_GATE = ("包过", "免考", "可查", "高仿", "仿真", "各类证件", "一条龙", "快速拿证", "不用考试", "无需考试", "刻章",
             "办证", "代办", "快速办", "加急办", "包办", "代做", "仿制")
_INVOICE_GATE = ("代开", "开票", "刻章", "刻制", "私刻")
_CURE_GATE = tuple(_RITE.split("|"))
_RUMOR_GATE = tuple(_URGENT.split("|"))
_FORWARD_GATE = ("转发", "转给", "转到", "扩散", "告诉", "发给", "让更多人知道", "不转", "速转", "快转", "转起来")
TRIGGERS = _ARMS_WORDS + _RECIPE_WORDS + _DOC_GATE + _INVOICE_GATE + _CURE_GATE + _RUMOR_GATE + _FORWARD_GATE


def _add(ctx, m, code, item, label, msg, *, fight_ok=True):
    s, e = m.span()
    sev = "block"
    if fight_ok and FIGHT_RE.search(ctx.sentence(s, e).replace(m.group(), "")):
        sev = "info"
    ctx.add("prohibited", f"prohibited.{code}", sev, s, e, f"含有第十条禁止内容：{label}（{msg}）",
            None, f"第十条({item})")


def check(ctx) -> None:
    trig = ctx.triggers
    if not trig.intersection(TRIGGERS):
        return
    view = ctx.view
    if trig.intersection(_DOC_GATE):
        for m in DOCS_RE.finditer(view):
            sent = ctx.sentence(m.start(), m.end())
            if _ILLEGAL_CUE.search(sent) and not re.search(r"便民|政务服务|服务大厅|窗口|帮办代办|免费代办", sent):
                _add(ctx, m, "other_illegal", "十一", "法律、行政法规禁止的其他内容", "疑似提供办理假证件服务")
    if trig.intersection(_INVOICE_GATE):
        for m in INVOICE_RE.finditer(view):
            _add(ctx, m, "other_illegal", "十一", "法律、行政法规禁止的其他内容", "疑似代开发票或私刻印章")
    if trig.intersection(_ARMS_WORDS) and trig.intersection(_RECIPE_WORDS):
        for m in RECIPE_RE.finditer(view):
            _add(ctx, m, "obscene_gambling_violence", "七", "淫秽、色情、赌博、暴力、恐怖或教唆犯罪",
                 "传授武器、爆炸物或毒品制作方法")
    if trig.intersection(_CURE_GATE):
        for m in CURE_RE.finditer(view):
            _add(ctx, m, "cult_superstition", "五", "宣扬邪教和封建迷信", "宣扬以迷信方式治病消灾")
    if trig.intersection(_RUMOR_GATE) and trig.intersection(_FORWARD_GATE):
        for m in RUMOR_RE.finditer(view):
            if _OFFICIAL_NOTICE.search(view[max(0, m.start() - 40):m.end() + 40]):
                continue  # an organ's own notice asking people to pass it on is no rumour
            _add(ctx, m, "rumor", "六", "散布谣言", "以“紧急通知”形式要求转发扩散，疑似谣言")
