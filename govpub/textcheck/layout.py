"""GB/T 9704 layout terms are not typos.

A text that describes the format of official documents (a 公文格式 guide, training material)
uses 版头, 版记, 眉首, 份号, 页码, 发文机关标志 … as terms of art.  Typo findings (curated or
statistical) that fall on one of them are dropped, so no suggestion contradicts the standard.
A text "describes a format" when it names at least ``MIN_TERMS`` different layout terms.
"""

from __future__ import annotations

import re

TERMS = (
    "版头", "主体", "版记", "眉首", "份号", "密级和保密期限", "保密期限", "紧急程度", "发文机关标志", "发文机关代字",
    "发文字号", "签发人", "主送机关", "附件说明", "发文机关署名", "成文日期", "印章", "附注", "抄送机关", "印发机关",
    "印发日期", "页码", "版心", "天头", "订口", "翻口", "分隔线", "红色分隔线", "信函格式", "命令格式", "纪要格式",
    "小标宋体", "仿宋体", "楷体", "黑体", "骑年盖月", "首页", "版面", "行距", "字距", "居中排布", "左空二字",
    "右空四字", "空二字", "顶格", "回行", "编排", "用印", "加盖印章", "页边", "版式", "公文用纸", "双面印刷",
)
TERMS_RE = re.compile("|".join(sorted(map(re.escape, TERMS), key=len, reverse=True)))
MIN_TERMS = 2
_GATE = re.compile("版头|版记|眉首|份号|页码|版心|发文机关标志|成文日期|印发机关|签发人|分隔线")


def protect_layout_terms(ctx) -> None:
    findings = ctx.findings
    if not any(f.category == "typo" for f in findings) or not _GATE.search(ctx.view):
        return
    spans = [m.span() for m in TERMS_RE.finditer(ctx.view)]
    if len({ctx.view[a:b] for a, b in spans}) < MIN_TERMS:
        return
    findings[:] = [f for f in findings
                   if f.category != "typo" or not any(a < f.end and f.start < b for a, b in spans)]
