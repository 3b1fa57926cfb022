"""Context model: a blocked phrase quoted to warn the public is lowered to a warning, never hidden.

Anti-fraud notices (“谨防‘刷单返利’诈骗”), confidentiality education (“严禁在互联网上传输标有
‘机密★10年’的文件”) and enforcement news (“依法查处‘百家乐’赌博网站”) name forbidden phrases on
purpose.  The lexicon stage already lowers a hit to 提示 when its own sentence fights it; this
stage handles the rest: the cue is in a neighbouring sentence, or the phrase comes from a
structural rule.  A ``block`` finding becomes ``warn`` when

* a cue of one kind (防诈骗, 保密教育, 执法通报, 辟谣, 警示宣传) stands in a window of
  ``WINDOW`` characters around the span, and
* the document as a whole reads that way: ``DOC_MIN`` cue words anywhere in it, or the span is
  quoted (“…”), which is how warnings cite what they warn against;

and nothing in the window (which stays inside the paragraph) does what an offer does: a real
handle, phone number or link to contact.  A secrecy marking is lowered only when it is cited
(quoted, or after 标有/标注/例如): “本通知密级：机密★5年” marks the very document.  The
reason is stated in the finding's message, so the reviewer sees why it is only a warning.
"""

from __future__ import annotations

import re

WINDOW = 40
DOC_MIN = 2
SOFTENED = frozenset({"prohibited", "advertising", "secret", "sensitive"})

# (kind, cues) — the first kind whose cue is in the window names the reason.
CUES = (
    ("防诈骗提示", "诈骗|骗局|骗子|反诈|防骗|受骗|被骗|上当|谨防|警惕|识破|提防|防范|陷阱|骗术|诱骗|"
              "切勿|千万不要|不要轻信|切莫|96110"),
    ("保密教育", "保密教育|保密法|保密意识|保密宣传|失泄密|泄密|窃密|保密工作|涉密人员|保密管理|"
             "保密规定|保密警示"),
    ("执法通报", "依法打击|依法查处|查处|打击|破获|侦破|抓获|捣毁|取缔|查获|判处|立案侦查|刑事拘留|"
             "行政拘留|犯罪嫌疑人|涉嫌|专项行动|公安机关|人民法院|人民检察院|市场监管部门|"
             "依法处理|依法惩处|罚款|责令"),
    ("辟谣", "辟谣|谣言|不实信息|不信谣|不传谣|系谣言|假消息|经核实"),
    ("警示宣传", "提醒广大|广大群众|广大市民|市民朋友|温馨提示|揭露|曝光|警示|严禁|禁止|请勿|"
             "不得|举报"),
)
_KIND_RES = tuple((kind, re.compile(rx)) for kind, rx in CUES)
_ANY_CUE = re.compile("|".join(rx for _, rx in CUES))
# What an offer carries and a warning does not: a way to get in touch.
_CONTACT = re.compile(r"1[3-9]\d{9}|(?:微信|vx|wx|qq|v)[号:：\s]*[a-z0-9_\-]{5,}|https?://|www\.|"
                      r"[a-z][a-z0-9_\-]{5,}\d")
_QUOTES = {"“": "”", "‘": "’", "「": "」", "\"": "\"", "『": "』"}


def _doc_cues(ctx) -> int:
    n = 0
    for _ in _ANY_CUE.finditer(ctx.view):
        n += 1
        if n >= DOC_MIN:
            break
    return n


def _quoted(view: str, start: int, end: int) -> bool:
    """The span lies inside a short quotation on its line (“代开发票、办理证件”)."""
    lo = max(0, start - 20)
    for i in range(start - 1, lo - 1, -1):
        ch = view[i]
        if ch == "\n":
            return False
        close = _QUOTES.get(ch)
        if close is not None:
            j = view.find(close, end, end + 20)
            return j >= 0 and "\n" not in view[end:j]
        if ch in "”’」』":
            return False
    return False


_CITING = re.compile(r"(?:标有|标注|标明|标识为|标示|印有|注明|如|例如|诸如|写有)[“‘「]?$")


def _cited(view: str, start: int, end: int) -> bool:
    """A marking is talked about, not applied: quoted, or after 标有/标注/例如 …"""
    return _quoted(view, start, end) or _CITING.search(view[max(0, start - 6):start]) is not None


def reason(ctx, start: int, end: int, doc_cues: int) -> str | None:
    """The kind of context that makes the span at [start, end) a warning, or None."""
    view = ctx.view
    lo, hi = max(0, start - WINDOW), min(len(view), end + WINDOW)
    # The window stays in the paragraph: a warning elsewhere on the page excuses nothing here.
    lo = max(lo, view.rfind("\n", lo, start) + 1)
    nl = view.find("\n", end, hi)
    hi = hi if nl < 0 else nl
    around = view[lo:start] + "|" + view[end:hi]
    if _CONTACT.search(around):
        return None
    if doc_cues < DOC_MIN and not _quoted(view, start, end):
        return None
    for kind, rx in _KIND_RES:
        if rx.search(around):
            return kind
    return None


def soften_in_context(ctx) -> None:
    """Lower ``block`` findings that sit in a warning context to ``warn``, with the reason."""
    findings = ctx.findings
    idx = [i for i, f in enumerate(findings) if f.severity == "block" and f.category in SOFTENED]
    if not idx:
        return
    doc_cues = _doc_cues(ctx)
    view = ctx.view
    for i in idx:
        f = findings[i]
        if f.category == "secret" and not _cited(view, f.start, f.end):
            continue  # 本通知密级：机密★5年 marks this very document; education cites markings
        kind = reason(ctx, f.start, f.end, doc_cues)
        if kind is not None:
            findings[i] = f.with_(severity="warn",
                                  message=f"{f.message}（出现在{kind}语境中，已降为警告）")
