"""secret — classification marks as *document markers*, not words in a sentence about secrecy."""

from __future__ import annotations

import re
from bisect import bisect_right

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
LINE_RE = re.compile(rf"[ \t　]*[【\[（(]?(?:{LINE_TOKENS})(?:[ \t　，,、·.]*(?:{LINE_TOKENS}))*"
                     rf"[】\]）)]?[ \t　]*")
LABEL_RE = re.compile(r"(?:密级|保密期限|知悉范围)[ \t]*[:：][ \t]*\S{1,12}")
ANNOT_RE = re.compile(r"[（(]此件不(?:公开|对外公开|宜公开)(?:发布)?[)）]|此件不(?:公开|对外公开)(?:发布)?(?=\s*$)", re.M)
_MEANINGFUL = re.compile(r"绝密|机密|秘密|内部|保存|保管|保密|外传|公开|收回|销毁|翻印|密级|保密期限|发行|涉密")


TRIGGERS = ("密", "内部", "外传", "公开", "收回", "销毁", "此件", "保存", "保管")


class _Spans:
    """Sorted, non-overlapping spans with O(log n) overlap tests."""

    def __init__(self):
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, s: int, e: int) -> bool:
        i = bisect_right(self.starts, s)
        if i and self.ends[i - 1] > s:
            return True
        return i < len(self.starts) and self.starts[i] < max(e, s + 1)

    def add(self, s: int, e: int) -> None:
        i = bisect_right(self.starts, s)
        self.starts.insert(i, s)
        self.ends.insert(i, e)


def check(ctx) -> None:
    trig = ctx.triggers
    if not trig.intersection(TRIGGERS):
        return
    view = ctx.compact  # zero-width characters and inserted symbols already removed
    seen = _Spans()
    if "密" in trig:
        for m in STAR_RE.finditer(view):
            s, e = m.start(), m.end()
            while e > s and view[e - 1] in " \t":
                e -= 1
            seen.add(s, e)
            ctx.add_c("secret", "secret.marker", "block", s, e,
                    "文中含有密级标识（涉密标志），涉密信息不得公开发布", None, BASIS)
    # Whole-line markers: only short lines can be markers.
    pos = 0
    for line in view.split("\n"):
        n = len(line)
        if n <= 40:
            core = line.strip(" \t\u3000\r")
            if core and len(core) <= 30 and _MEANINGFUL.search(core) and LINE_RE.fullmatch(line.rstrip("\r")):
                s = pos + line.index(core)
                e = s + len(core)
                if not seen.overlaps(s, e):
                    seen.add(s, e)
                    ctx.add_c("secret", "secret.marker", "block", s, e,
                            f"文中含有涉密或不宜公开的文件标识“{core}”", None, BASIS)
        pos += n + 1
    for rx, msg, gate in ((LABEL_RE, "文中含有密级或保密期限标注", "密"),
                          (ANNOT_RE, "文件附注“此件不公开”，不得公开发布", "此件")):
        if gate not in trig:
            continue
        for m in rx.finditer(view):
            s, e = m.span()
            if seen.overlaps(s, e):
                continue
            seen.add(s, e)
            ctx.add_c("secret", "secret.marker", "block", s, e, msg, None, BASIS)
