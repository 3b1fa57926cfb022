"""contact — messaging-app handles offered for sale, disguised with emoji, symbols, homophones
or spaces (薇❤：abc123, ➕V：zhang888, 扣扣 1 2 3 4 5 6).  第七条: 不得刊登、转发商业广告.

The plain form (加微信abc12345) is advertising.contact; this module reads the disguised ones.
Official accounts (公众号, 视频号, 小程序, 政务…) are not offers and are left alone.
"""

from __future__ import annotations

import re

BASIS = "第七条"
_J = r"[^\w\u4e00-\u9fff]{0,3}"  # emoji, symbols or spaces inserted to dodge a filter
_APP = (rf"(?:[微威薇徽嶶围维魏卫v]{_J}[信芯星]|v{_J}[❤♥♡💗💕]|[微威薇]{_J}[❤♥♡💗💕]|绿泡泡|🌿|vx|wx|"
        rf"扣扣|抠抠|qq|企鹅|🐧|纸飞机|飞机号|tg|telegram|whatsapp)")
_ADD = r"(?:加|添加|➕|\+|联系|咨询|私聊|私信|滴滴|戳|找|扫码加|认准)"
_ID = r"(?:号|群|id|号码)?"
_HANDLE = r"((?:[a-z0-9_\-][^\w\u4e00-\u9fff]{0,2}){5,20}|[一二三四五六七八九〇零幺]{5,12})"
HANDLE_RE = re.compile(
    rf"(?:{_ADD}{_J}(?:我|本人|客服|老师)?{_J}(?:{_APP}|v|q){_J}{_ID}|{_APP}{_J}{_ID})"
    rf"{_J}[:：]?{_J}{_HANDLE}"
)
_OFFICIAL = re.compile(r"公众号|服务号|视频号|小程序|订阅号|官方|政务|融媒|热线|人民政府|委员会|局|办公室")
_ALNUM = re.compile(r"[a-z0-9一二三四五六七八九〇零幺]")
TRIGGERS = tuple(a + b for a in "微威薇徽嶶围维魏卫v" for b in "信芯") + (
    "vx", "wx", "qq", "扣扣", "抠抠", "企鹅", "🐧", "纸飞机", "飞机号", "tg", "telegram", "whatsapp", "绿泡泡", "🌿",
    "❤", "♥", "♡", "💗", "💕", "v", "q")


def check(ctx) -> None:
    trig = ctx.triggers
    if not trig.intersection(TRIGGERS):
        return
    view = ctx.view
    taken = [(f.start, f.end) for f in ctx.findings if f.rule == "advertising.contact"]
    for m in HANDLE_RE.finditer(view):
        s, e = m.span()
        handle = m.group(1)
        if len(_ALNUM.findall(handle)) < 5 or handle.isdigit() and len(handle) == 11:
            continue  # an 11-digit number is a phone number: the privacy rule reports it
        if any(a < e and s < b for a, b in taken):
            continue
        if _OFFICIAL.search(view[max(0, s - 12):m.start(1)]) or view.startswith("公众号", e):
            continue
        disguised = not re.fullmatch(r"[a-z0-9_\-]+", handle) or re.search(r"[^\w:：\s]", m.group())
        ctx.add("advertising", "advertising.contact_handle", "block", s, e,
                "含有推广联系方式（微信、QQ等账号" + ("，以符号、谐音或空格变形" if disguised else "")
                + "），属商业广告", None, BASIS)
