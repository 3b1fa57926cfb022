"""secret — classification marks as *document markers*, not words in a sentence about secrecy."""

from __future__ import annotations

import re

BASIS = "第八条(一)"
_LEVEL = "(?:绝密|机密|秘密)"
# 秘密★1年 / 机密★长期 / 绝密★启用前 / 秘密*5年 — the star form is unambiguous anywhere.
STAR_RE = re.compile(
    _LEVEL + r"[ \t]*[★☆*][ \t]*(?:\d+[ \t]*(?:年|个月|月|天|日)|长期|启用前|[ \t]*)?"
    r"(?:[ \t]*(?:启用前))?"
)
# Whole-line markers: a short line made only of marker phrases.
LINE_TOKENS = (
    r"绝密|机密|秘密|内部资料|内部文件|内部材料|内部刊物|内部参考|内部使用|内部传阅|"
    r"注意保存|妥善保管|注意保密|请勿外传|严禁外传|不得外传|不得翻印|用后收回|阅后收回|"
    r"阅后销毁|不宜公开|不予公开|此件不公开|不公开|工作秘密|涉密|限国内发行|内部发行|"
    r"仅供内部参考|仅供参考|密级|保密期限|[:：]|\d+年|长期|启用前"
)
LINE_RE = re.compile(rf"^[ \t　]*[【\[（(]?(?:{LINE_TOKENS})(?:[ \t　，,、·.]*(?:{LINE_TOKENS}))*"
                     rf"[】\]）)]?[ \t　]*$", re.M)
LABEL_RE = re.compile(r"(?:密级|保密期限|知悉范围)[ \t]*[:：][ \t]*\S{1,12}")
ANNOT_RE = re.compile(r"[（(]此件不(?:公开|对外公开|宜公开)(?:发布)?[)）]|此件不(?:公开|对外公开)(?:发布)?(?=\s*$)", re.M)
PHRASE_RE = re.compile(
    r"内部资料|内部文件|内部材料|仅供内部参考|内部传阅|请勿外传|严禁外传|不得外传|阅后销毁|阅后收回|用后收回"
)
_MEANINGFUL = re.compile(r"绝密|机密|秘密|内部|保存|保管|保密|外传|公开|收回|销毁|翻印|密级|保密期限|发行|涉密")


def check(ctx) -> None:
    view = ctx.view
    if not any(k in view for k in ("密", "内部", "外传", "公开", "收回", "销毁")):
        return
    stars = "★" in view or "☆" in view or "*" in view
    seen = []
    for m in (STAR_RE.finditer(view) if stars else ()):
        s, e = m.start(), m.end()
        while e > s and view[e - 1] in " \t":
            e -= 1
        seen.append((s, e))
        ctx.add("secret", "secret.marker", "block", s, e,
                "文中含有密级标识（涉密标志），涉密信息不得公开发布", None, BASIS)
    for m in LINE_RE.finditer(view):
        s, e = m.span()
        line = view[s:e]
        core = line.strip(" \t　")
        if not core or not _MEANINGFUL.search(core) or len(core) > 30:
            continue
        s += len(line) - len(line.lstrip(" \t　"))
        e = s + len(core)
        if any(a <= s < b or a < e <= b for a, b in seen):
            continue
        seen.append((s, e))
        ctx.add("secret", "secret.marker", "block", s, e,
                f"文中含有涉密或不宜公开的文件标识“{core}”", None, BASIS)
    for rx, msg in ((LABEL_RE, "文中含有密级或保密期限标注"),
                    (ANNOT_RE, "文件附注“此件不公开”，不得公开发布")):
        if rx is ANNOT_RE and "此件" not in view or rx is LABEL_RE and not (
                "密级" in view or "保密期限" in view or "知悉范围" in view):
            continue
        for m in rx.finditer(view):
            s, e = m.span()
            if any(a <= s < b for a, b in seen):
                continue
            seen.append((s, e))
            ctx.add("secret", "secret.marker", "block", s, e, msg, None, BASIS)
    for m in PHRASE_RE.finditer(view):
        s, e = m.span()
        if any(a <= s < b for a, b in seen):
            continue
        ctx.add("secret", "secret.phrase", "warn", s, e,
                "含有“内部资料、请勿外传”等限制传播的表述，请确认是否可以公开", None, BASIS)
