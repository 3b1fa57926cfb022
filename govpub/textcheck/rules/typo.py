"""typo — curated typos of official writing (lexicons/typo.tsv) and same-sound misspelt idioms
(lexicons/idioms.tsv, matched as homophone variants by the engine).  Here: 截止 used before a
point in time (should be 截至)."""

from __future__ import annotations

import re

BASIS = "第八条(四)"
JIEZHI_RE = re.compile(
    r"截止(?=[ ]?(?:\d{2,4}年|\d{1,2}月|[一二三四五六七八九十〇零]{2,4}年|目前|今年|去年|上年|本年|"
    r"今日|当前|现在|今天|年底|年末|月底|本月|上月|日前|发稿|本周|上周|昨天|昨日|\d{1,2}日))"
)


TRIGGERS = ("截止",)


def check(ctx) -> None:
    view = ctx.compact  # zero-width characters and inserted symbols already removed
    if "截止" in ctx.triggers:
        for m in JIEZHI_RE.finditer(view):
            ctx.add_c("typo", "typo.jiezhi", "warn", m.start(), m.end(),
                    "“截止”后接时间点时应为“截至”", "截至", BASIS)
