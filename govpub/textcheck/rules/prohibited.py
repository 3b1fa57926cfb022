"""prohibited — the eleven kinds of 第十条.  Mostly lexicon-driven (lexicons/prohibited_*.tsv,
each row's note carries its sub-item, e.g. 第十条(七)); here the structural patterns:
gambling/porn solicitation and rumour-spreading calls that no single word reveals."""

from __future__ import annotations

import re

from ..engine import FIGHT_RE, PROMO_RE

GATES = (("注册", "充值", "首充", "开户"), ("日赚", "月入", "稳赚", "包赢", "必赢"),
         ("出售", "售卖", "代购", "批发", "求购", "收购", "出租", "高价收", "回收"),
         ("转发", "扩散"), ("速转", "快转", "扩散"))
TRIGGERS = tuple({t for g in GATES for t in g})
PATTERNS = [
    (re.compile(r"(?:注册|充值|首充|开户)[^。！？\n]{0,8}(?:送|返)[^。！？\n]{0,6}(?:彩金|元|%)"),
     "obscene_gambling_violence", 7, "疑似赌博推广（充值返利、送彩金）"),
    (re.compile(r"(?:日赚|月入|稳赚|包赢|必赢)[^。！？\n]{0,6}(?:\d+|[千万百]+)"),
     "obscene_gambling_violence", 7, "疑似赌博或诈骗推广（稳赚、日赚）"),
    (re.compile(r"(?:出售|售卖|代购|批发|求购|收购|高价收|回收)[^。，、；！？的给\n]{0,6}?"
                r"(?:枪支|手枪|仿真枪|气枪|猎枪|弓弩|管制刀具|子弹|炸药|雷管|冰毒|海洛因|大麻|k粉|摇头丸|"
                r"迷药|迷幻药|听话水|春药|假发票|发票|身份证|银行卡|手机卡|个人信息|公民信息|考试答案|答案)"
                r"|出租(?:银行卡|手机卡|电话卡|账户|对公账户)"),
     "other_illegal", 11, "疑似买卖违禁物品或证件、信息"),
    (re.compile(r"(?:转发|扩散)[^。！？\n]{0,6}(?:\d+个群|所有群|朋友圈)?[^。！？\n]{0,4}(?:不转不是|必有好运|否则|就会倒霉)"),
     "rumor", 6, "疑似谣言或传销式转发要求"),
    (re.compile(r"(?:紧急|重要)(?:通知|提醒)?[!！]*[^。\n]{0,10}(?:速转|快转|转发扩散|扩散周知)"),
     "rumor", 6, "疑似谣言式“紧急扩散”内容"),
]
LABELS = {6: "散布谣言", 7: "淫秽、色情、赌博、暴力、恐怖或教唆犯罪", 11: "法律、行政法规禁止的其他内容"}


def check(ctx) -> None:
    view = ctx.compact  # zero-width characters and inserted symbols already removed
    for gate, (rx, code, item, msg) in zip(GATES, PATTERNS):
        if not ctx.triggers.intersection(gate):
            continue
        for m in rx.finditer(view):
            sent = ctx.csentence(m.start(), m.end())
            sev = "block"
            listed = view[m.start() - 1:m.start()] == "、" or view[m.end():m.end() + 1] == "、"
            if (listed or FIGHT_RE.search(sent)) and not PROMO_RE.search(sent.replace(m.group(), "")):
                sev = "info"
            ctx.add_c("prohibited", f"prohibited.{code}", sev, m.start(), m.end(),
                    f"含有第十条禁止内容：{LABELS[item]}（{msg}）", None, f"第十条({_CN[item]})")


_CN = {6: "六", 7: "七", 11: "十一"}
