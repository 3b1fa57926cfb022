"""secret_marks — 工作秘密 and internal-circulation markings (第八条(一)), beyond the 密级 words
of secret.py: 工作秘密★, “本文件属工作秘密”, （此件发至县团级）, 仅限党内传达, 内部资料 不得上网,
明传电报.  Talking *about* secrecy (“工作秘密是指…”) is not a marking; the context model lowers
markings quoted in confidentiality education."""

from __future__ import annotations

import re

BASIS = "第八条(一)"
_STAR = r"[★☆*]"
_NET = ("上网", "在互联网上发布", "在互联网发布", "在互联网上传播", "在互联网传播", "上传互联网", "上传网络")
# (pattern, severity, message, triggers without which it cannot match)
PATTERNS = (
    (re.compile(rf"工作秘密[ \t]*{_STAR}|{_STAR}[ \t]*工作秘密"), "block", "文中含有“工作秘密”标识，工作秘密不得公开发布",
     ("工作秘密",)),
    (re.compile(r"(?:本|该|此)(?:文件|材料|通知|件|报告|方案|纪要|简报|信息)[^。\n，]{0,4}(?:属于?|系|为|涉及|列为|定为)"
                r"(?:工作秘密|内部事项|内部资料|内部文件|敏感信息|(?:绝密|机密|秘密)级)"), "block",
     "文中标明本件属工作秘密、内部事项或密级文件，不得公开发布",
     ("工作秘密", "内部事项", "内部资料", "内部文件", "敏感信息", "绝密级", "机密级", "秘密级")),
    (re.compile(r"[（(]?此件(?:只|仅)?(?:发至|传达至|印发至|阅至)[^）)\n。，]{1,12}[)）]?"), "block",
     "文件附注限定了发送范围（此件发至…），属内部文件，不得公开发布", ("此件",)),
    (re.compile(r"仅(?:限|供)(?:党内|内部|系统内|本单位|领导|各级领导)[^。\n，]{0,4}(?:传达|阅读|参阅|参考|使用|学习|掌握)"),
     "block", "文中标明仅限内部传达、参阅，不得公开发布", ("仅限", "仅供")),
    (re.compile(r"(?:内部|资料|文件|材料|此件|本件)[ \t　，,、]*(?:不得|严禁|禁止|请勿|不准)(?:上网|在互联网上?(?:发布|传播)|上传(?:互联网|网络))"),
     "block", "文中标明不得上网发布，属内部资料", _NET),
    (re.compile(r"明传电报|内部明电"), "warn", "内部电报不得公开发布", ("明传电报", "内部明电")),
)
TRIGGERS = tuple({t for *_, gate in PATTERNS for t in gate})


def check(ctx) -> None:
    trig = ctx.triggers
    if not trig.intersection(TRIGGERS):
        return
    view = ctx.view
    taken = [(f.start, f.end) for f in ctx.findings if f.category == "secret" and f.severity == "block"]
    for rx, sev, msg, gate in PATTERNS:
        if not trig.intersection(gate):
            continue
        for m in rx.finditer(view):
            s, e = m.span()
            if any(a < e and s < b for a, b in taken):
                continue
            taken.append((s, e))
            ctx.add("secret", "secret.internal_marker", sev, s, e, msg, None, BASIS)
