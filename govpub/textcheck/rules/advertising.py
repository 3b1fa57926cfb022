"""advertising — commercial promotion (第七条: 不得刊登、转发商业广告).

Phrase lists live in lexicons/advertising.tsv, including the Advertising-Law absolute claims
(广告法第九条, flag ``commercial``: reported only in a sentence that sells).  Here: contact-for-sale
patterns (加微信 + an account).
"""

from __future__ import annotations

import re

BASIS = "第七条"
CONTACT_RE = re.compile(
    r"(?:加|添加|联系|咨询|私信|扫码加)[ ]?(?:我|本人|客服|老师)?[ ]?(?:微信|威信|薇信|v信|vx|wx|v|qq|扣扣)"
    r"(?:号|群)?[ ]?[:：]?[ ]?[a-z0-9_\-]{5,20}"
)
TRIGGERS = ("微信", "威信", "薇信", "v信", "vx", "wx", "qq", "扣扣", "v")


def check(ctx) -> None:
    view = ctx.compact  # zero-width characters and inserted symbols already removed
    if not ctx.triggers.intersection(TRIGGERS):
        return
    for m in CONTACT_RE.finditer(view):
        ctx.add_c("advertising", "advertising.contact", "block", m.start(), m.end(),
                "含有添加微信/QQ等联系方式的推广内容，属商业广告", None, BASIS)
