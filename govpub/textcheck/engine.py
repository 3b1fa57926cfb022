"""The Checker: compiled once from lexicons and rules, immutable and thread-safe afterwards."""

from __future__ import annotations

import datetime as _dt
import gc
import hashlib
import os
import re
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import ahocorasick

from . import lexicon as lx
from .context import soften_in_context
from .findings import SEVERITY_RANK, CheckResult, Finding
from .layout import protect_layout_terms
from .normalize import Normalized, normalize_term
from .spans import SpanIndex

ExtraRow = Sequence[str]  # (term, category, severity, suggestion, note)

_ASCII_ALNUM = re.compile(r"[a-z0-9]")
_SENT_END = "。！？!?\n；;"
# Government text that fights something (打击赌博, 反邪教, 防范诈骗 …) must not be blocked.
FIGHT_RE = re.compile(
    "打击|严打|整治|治理|查处|取缔|防范|预防|反对|抵制|远离|拒绝|揭批|揭露|警惕|谨防|识破|"
    "严禁|禁止|不得|不准|不要|杜绝|惩治|遏制|铲除|摧毁|破获|侦破|抓获|涉嫌|犯罪|违法|非法|"
    "案件|专项|扫黄打非|举报|反邪教|禁毒|反恐|反诈|警示|打掉|清理|整顿|严厉|查获|判处|处罚|"
    "罚款|拘留|立案|公安|法院|检察|依法|监管|防止|危害|识别|提醒|防骗|受骗|被骗|陷阱|骗局|"
    "宣传教育|专项行动|斗争|反腐|严惩|追究|不良|有害|滋生|净化|清朗|谣言|辟谣|不信|"
    "打赢|应对|风险|监测|评估|本法|依照|情形|下列|恶习|人员|成瘾|治疗|税务机关|消费者|合法权益|无依据|不参|场所|行为|违法活动|犯罪活动|迷信活动|非法活动|徒刑|虚假|势力|分子|没有出路|行径|挑衅|分裂活动|罪行|防控|查禁|封堵|拦截|劝阻|戒|禁赌|禁黄|反邪|反分裂|反渗透|反颠覆|决不|绝不|不搞|照搬|抹黑|污蔑|攻击|煽动|渗透|境外势力|敌对势力|分裂势力|图谋|妄图|罪|法律|条例|规定|办法"
)
COMMERCIAL_RE = re.compile(
    "售价|特价|优惠价|折扣|促销|购买|抢购|下单|订购|选购|包邮|元/|￥|¥|旗舰店|专卖|销量|热销|"
    "代理商|加盟|招商|咨询热线|订购热线|疗效|功效|保健品|厂家直销|限时|秒杀|原价|现价|到手价"
)
REFORM_RE = re.compile("不再保留|撤销|组建|整合|划入|更名|改革前|改为|重新组建|机构改革|划归|并入|原来的|"
                       "(?:19\\d\\d|200\\d|201[0-7])年|发布的《|令第")
# Inviting or selling cues keep the severity even when a fighting word is near.
PROMO_RE = re.compile(
    "注册|充值|下注|日赚|稳赚|包赢|彩金|返水|加微|加v|加q|vx|微信号|私聊|联系我|欢迎加入|"
    "点击进入|网址|官网|扫码|开户|代理|招募|上门服务|价格|出售|出租|有偿|低价|包过"
)


def _encode(s: str) -> str:
    """Each BMP character → two latin-1 characters (its UTF-16-BE bytes).

    pyahocorasick finds a node's child by a linear scan; with tens of thousands of CJK keys
    the root has thousands of children.  Over bytes every node has at most 256, which makes
    the scan about six times faster.  Astral characters are replaced 1:1 so that offsets
    stay exactly twice the character offsets.
    """
    b = s.encode("utf-16-be", "surrogatepass")
    if len(b) != 2 * len(s):
        b = _ASTRAL_RE.sub("\ufffd", s).encode("utf-16-be", "surrogatepass")
    return b.decode("latin-1")


_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")


# Official texts name separatist slogans in quotes (“台独”“港独”) to condemn them.
_QUOTE_MENTION_RULES = frozenset({"prohibited.state_security", "prohibited.anti_constitution"})
# Exact two-character hits that are really the edges of two words (平安祥和 ⊃ 安祥,
# 收支那 ⊃ 支那, 黄色情节 ⊃ 色情) are skipped in these categories.
_EDGE_CATEGORIES = frozenset({"prohibited", "typo", "opinion", "sensitive", "advertising"})


_ENUM_ITEM_RE = re.compile(r"\s*(?:[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]|[一二三四五六七八九十]+、|第[一二三四五六七八九十百\d]+条)")


def sentence_bounds(text: str, start: int, end: int, limit: int = 80) -> tuple[int, int]:
    lo = max(0, start - limit)
    s = start
    while s > lo and text[s - 1] not in _SENT_END:
        s -= 1
    hi = min(len(text), end + limit)
    e = end
    while e < hi and text[e] not in _SENT_END:
        e += 1
    return s, e


class Context:
    """Per-call state handed to rules."""

    __slots__ = ("norm", "original", "view", "compact", "findings", "checker", "triggers", "as_of", "dated")

    def __init__(self, norm: Normalized, checker: "Checker", as_of: _dt.date | None = None):
        self.norm = norm
        # The date the text speaks from (its 成文日期 or the day of checking): who holds an
        # office, and which sessions have been held, depend on it.
        self.as_of = as_of or _dt.date.today()
        self.dated = as_of is not None
        self.original = norm.original
        self.view = norm.view
        self.compact = norm.compact
        self.findings: list[Finding] = []
        self.checker = checker
        self.triggers: set[str] = set()  # trigger words present (filled by the lexicon scan)

    def add(self, category: str, rule: str, severity: str, start: int, end: int,
            message: str, suggestion: str | None = None, basis: str | None = None) -> None:
        self.findings.append(Finding(
            category=category, rule=rule, severity=severity, start=start, end=end,
            text=self.original[start:end], message=message, suggestion=suggestion,
            basis=basis if basis is not None else lx.DEFAULT_BASIS.get(category),
        ))

    def add_c(self, category: str, rule: str, severity: str, cs: int, ce: int,
              message: str, suggestion: str | None = None, basis: str | None = None) -> None:
        """Like :meth:`add`, for a span of the compact view (mapped back to the original)."""
        s, e = self.norm.to_original(cs, ce)
        self.add(category, rule, severity, s, e, message, suggestion, basis)

    def csentence(self, cs: int, ce: int) -> str:
        s, e = sentence_bounds(self.compact, cs, ce)
        return self.compact[s:e]

    def sentence(self, start: int, end: int) -> str:
        s, e = sentence_bounds(self.view, start, end)
        return self.view[s:e]


class Checker:
    """Compiled machine-review engine.

    Build with :func:`build_checker` / :func:`default_checker` rather than directly.
    ``check_text`` returns findings whose offsets index the given text.
    """

    def __init__(self, entries: Iterable[lx.LexEntry], *, rules: Sequence | None = None,
                 statistical=None, fuzzy: bool = True):
        from .rules import DEFAULT_RULES, TRIGGERS

        self.rules = tuple(DEFAULT_RULES if rules is None else rules)
        self.statistical = statistical
        self._auto = ahocorasick.Automaton()
        table: dict[str, list] = {}
        allow: set[str] = set()
        exact_keys: set[str] = set()
        fuzzy_entries = []
        n = 0
        for e in entries:
            n += 1
            key = normalize_term(e.term)
            if not key:
                continue
            if e.category == lx.ALLOW:
                allow.add(key)
                table.setdefault(key, [])
                continue
            exact_keys.add(key)
            table.setdefault(key, []).append((e, False))
            if fuzzy and e.fuzzy and len(key) >= 2:
                fuzzy_entries.append((key, e))
        for key, e in fuzzy_entries:
            if len(key) == 2 and not e.fuzzy2:
                continue
            # kind 1: a same-sound variant; kind 2: a two-character one, which must not sit
            # on the edge of real words (构建人类 contains 建人, a variant of 贱人).
            kind = 2 if len(key) == 2 else 1
            toned = kind == 2 or e.category == "typo"
            for v in lx.variants(key, toned=toned):
                if v in exact_keys or v in allow or kind == 2 and lx.is_word2(v[0], v[1]):
                    continue
                table.setdefault(v, []).append((e, kind))
            if e.canon and e.category == "political":
                for v in lx.shape_variants(key) + (lx.fuzzy_sound_variants(key) if len(key) >= 4 else []):
                    if v not in exact_keys and v not in allow and v not in lx.variant_stopwords():
                        table.setdefault(v, []).append((e, 1))
            if e.category == "prohibited":
                for v in lx.pinyin_variants(key):
                    if v not in exact_keys:
                        table.setdefault(v, []).append((e, 1))
        # Trigger words of the structural rules ride along in the same automaton, so the
        # rules know without another scan whether they can apply at all.
        # Several triggers may normalise to one key (“》” and “》 ”): all of them are recorded.
        triggers: dict[str, tuple[str, ...]] = {}
        for t in sorted(TRIGGERS):
            k = normalize_term(t) or t
            triggers[k] = triggers.get(k, ()) + (t,)
            table.setdefault(k, [])
        for key, hits in table.items():
            hits = tuple(h for h in hits if not (h[0].canon and not h[1]))
            trig = triggers.get(key)
            if not hits and key not in allow and trig is None:
                continue  # a canonical form itself produces nothing
            self._auto.add_word(_encode(key), (2 * len(key), key in allow, hits, trig))
        self.term_count = n
        if table:
            self._auto.make_automaton()
        self._empty = not table

    def keys(self) -> list[str]:
        """Every normalised key of the compiled automaton (for benchmarks and debugging)."""
        return [k.encode("latin-1").decode("utf-16-be") for k in self._auto.keys()]

    # --- checking ------------------------------------------------------------------------

    def check_text(self, text: str, *, as_of: _dt.date | None = None) -> list[Finding]:
        """Check plain text; offsets index ``text``.  ``as_of``: the date of the text
        (default today) for the rules that depend on time (offices held, sessions held)."""
        if not isinstance(text, str):
            raise TypeError("text must be str")
        if not text:
            return []
        norm = Normalized(text)
        ctx = Context(norm, self, as_of)
        allow_spans = self._scan_lexicon(ctx)
        for rule in self.rules:
            rule(ctx)
        if self.statistical is not None:
            self._run_statistical(ctx)
        protect_layout_terms(ctx)
        soften_in_context(ctx)
        return _finalize(ctx.findings, allow_spans)

    def check_html(self, html: str, *, as_of: _dt.date | None = None) -> CheckResult:
        """Check HTML: offsets index the visible text, returned as ``result.text``."""
        from .htmltext import check_html

        return check_html(self, html, as_of=as_of)

    def check_file(self, path: str | os.PathLike, *, data: bytes | None = None,
                   name: str | None = None, as_of: _dt.date | None = None) -> CheckResult:
        """Check a .txt/.html/.docx/.xlsx/.pdf file (raises ``ExtractionError``)."""
        from .extract import extract

        doc = extract(path, data=data, name=name)
        return self.check_document(doc, as_of=as_of)

    def check_document(self, doc, *, as_of: _dt.date | None = None) -> CheckResult:
        from .extract import check_document

        return check_document(self, doc, as_of=as_of)

    # --- internals -----------------------------------------------------------------------

    def _scan_lexicon(self, ctx: Context) -> list[tuple[int, int]]:
        if self._empty:
            return []
        compact = ctx.compact
        norm = ctx.norm
        allow_spans = []
        clen = len(compact)
        triggers = ctx.triggers
        budget = MAX_FINDINGS_PER_RULE * 20
        for end, (elen, is_allow, hits, trig) in self._auto.iter(norm.encoded):
            es = end - elen + 1
            if es & 1:
                continue  # matched across a character boundary of the 2-byte encoding
            if trig is not None:
                triggers.update(trig)
                if not hits and not is_allow:
                    continue
            cs = es >> 1
            ce = (end + 1) >> 1
            if is_allow:
                allow_spans.append(norm.to_original(cs, ce))
                if not hits:
                    continue
            key = compact[cs:ce]
            if _ASCII_ALNUM.match(key[0]) and cs > 0 and _ASCII_ALNUM.match(compact[cs - 1]):
                continue
            if _ASCII_ALNUM.match(key[-1]) and ce < clen and _ASCII_ALNUM.match(compact[ce]):
                continue
            os_, oe = norm.to_original(cs, ce)
            budget -= 1
            if budget < 0:
                continue  # hostile input: enough lexicon findings already
            exact_present = any(not v for _, v in hits)
            for entry, kind in hits:
                if kind and exact_present:
                    continue
                if entry.canon and not kind:
                    continue
                if (kind == 2 or kind == 0 and ce - cs == 2 and entry.category in _EDGE_CATEGORIES) \
                        and (cs > 0 and lx.is_word2(compact[cs - 1], compact[cs])
                             or ce < clen and lx.is_word2(compact[ce - 1], compact[ce])):
                    continue
                self._lexicon_finding(ctx, entry, kind, os_, oe, key)
        return allow_spans

    def _lexicon_finding(self, ctx: Context, e: lx.LexEntry, kind: int,
                         start: int, end: int, key: str) -> None:
        is_variant = kind != 0
        severity = e.severity
        message = e.message
        suggestion = e.suggestion
        orig = ctx.original[start:end]
        disguised = len(orig) != len(key)  # characters were inserted or repeated
        if is_variant:
            if e.canon:
                message = f"{message}：疑似写错，应为“{e.term}”"
                suggestion = e.term
            else:
                message = f"{message}（疑似谐音变形写法“{e.term}”）"
                disguised = True
        elif orig != ctx.view[start:end] and not disguised:
            message = f"{message}（繁体或全角写法）"
        if disguised and not e.canon:
            if not is_variant:
                message = f"{message}（插入符号或字符的变形写法）"
            if e.category in ("prohibited", "advertising") and severity == "warn" and kind != 2:
                severity = "block"  # dodging a filter signals intent
        if kind == 2 and severity == "block":
            severity = "warn"  # a two-character homophone is a guess: reviewers decide
        if e.commercial:
            s0, t0 = sentence_bounds(ctx.view, start, end)
            around = ctx.view[s0:start] + "|" + ctx.view[end:t0]
            if not COMMERCIAL_RE.search(around) or FIGHT_RE.search(around):
                return  # 最佳/第一 … are advertising only when used to sell
        if e.category in ("prohibited", "sensitive", "advertising") and severity != "info":
            s, t = sentence_bounds(ctx.view, start, end)
            sent = ctx.view[s:t]
            before = ctx.view[max(s, start - 1):start]
            quoted = (e.rule in _QUOTE_MENTION_RULES and start > 0 and end < len(ctx.view)
                      and ctx.view[start - 1] in "“‘「\"'" and ctx.view[end] in "”’」\"'")
            # 散布淫秽、色情、赌博…的； — a clause naming a kind of act, as laws and rules do.
            legal_item = (t > end and ctx.view[t - 1:t + 1] in ("的；", "的。", "的;")
                          or sent.endswith("的") and _ENUM_ITEM_RE.match(sent) is not None)
            # 饮酒、赌博、流浪乞讨: an abstract word in an enumeration names a kind of conduct.
            listed = e.severity == "warn" and not disguised and (
                ctx.view[start - 1:start] == "、" or ctx.view[end:end + 1] == "、")
            rest = ctx.view[s:start] + "|" + ctx.view[end:t]  # the term itself is no cue (非法集资)
            if before == "反" or quoted or legal_item or listed or FIGHT_RE.search(rest):
                if not PROMO_RE.search(sent):
                    severity = "info"
                    message = f"{message}（上下文为依法治理、宣传防范，已降级为提示）"
        if e.category in ("wording", "political") and e.rule.endswith(".lexicon") and start > 0 \
                and ctx.view[start - 1] in "原前旧":
            return  # 原国土资源部: historical reference is correct
        if e.category == "wording" and e.rule == "wording.lexicon" and REFORM_RE.search(
                ctx.sentence(start, end)):
            return  # 将环境保护部职责…整合 / 不再保留国务院法制办: talks about the reform
        if e.rule in ("wording.lexicon", "political.organ_name") and end < len(ctx.view) \
                and lx.is_word2(ctx.view[end - 1], ctx.view[end]):
            return  # 文化部门 / 国家财政部门: the name's last character belongs to the next word
        ctx.findings.append(Finding(
            category=e.category, rule=e.rule, severity=severity, start=start, end=end,
            text=orig, message=message, suggestion=suggestion, basis=e.basis,
        ))

    def _run_statistical(self, ctx: Context) -> None:
        try:
            hits = self.statistical.detect(ctx.original)
        except Exception:
            return
        n = len(ctx.original)
        for h in hits or ():
            try:
                s, e = int(h.start), int(h.end)
            except Exception:
                continue
            if not (0 <= s < e <= n):
                continue
            sug = getattr(h, "suggestion", None)
            ctx.add("typo", "typo.statistical", "warn", s, e,
                    "疑似错别字（统计模型）" + (f"，建议改为“{sug}”" if sug else ""),
                    sug or None, "第八条(四)")


MAX_FINDINGS_PER_RULE = 1000  # a hostile input must not produce millions of findings


def _finalize(findings: list[Finding], allow_spans: list[tuple[int, int]]) -> list[Finding]:
    if len(findings) > MAX_FINDINGS_PER_RULE:
        per_rule: dict[str, int] = {}
        kept = []
        for f in findings:
            n = per_rule.get(f.rule, 0)
            if n < MAX_FINDINGS_PER_RULE:
                kept.append(f)
            per_rule[f.rule] = n + 1
        findings = kept
    if allow_spans:
        allowed = SpanIndex((a, b, None) for a, b in allow_spans)
        findings = [f for f in findings if f.category == "privacy" or not allowed.contains(f.start, f.end)]
    if len(findings) < 2:
        return findings
    best: dict[tuple, Finding] = {}
    for f in findings:
        k = (f.rule, f.start, f.end)
        old = best.get(k)
        if old is None or SEVERITY_RANK[f.severity] > SEVERITY_RANK[old.severity]:
            best[k] = f
    # The statistical guess yields to any rule that already explains the spot (布署 → curated
    # typo, 港人自港 → political, 侵删 → source).
    curated = SpanIndex((f.start, f.end, None) for f in best.values()
                        if f.rule != "typo.statistical" and f.severity != "info")
    if curated:
        for k, f in list(best.items()):
            if f.rule == "typo.statistical" and curated.first_overlapping(f.start, f.end) is not None:
                del best[k]
    items = sorted(best.values(), key=lambda f: (f.start, -(f.end - f.start), f.category))
    out = []
    for f in items:
        contained = False
        for g in out[-8:]:
            if g.category == f.category and g.start <= f.start and f.end <= g.end \
                    and (g.start, g.end) != (f.start, f.end) \
                    and SEVERITY_RANK[g.severity] >= SEVERITY_RANK[f.severity]:
                contained = True
                break
        if not contained:
            out.append(f)
    return out


# --- construction and caching ---------------------------------------------------------------

_cache: dict[str, Checker] = {}
_cache_order: list[str] = []
_lock = threading.Lock()
_default: Checker | None = None
_CACHE_MAX = 8


def load_statistical():
    """The optional statistical typo detector, or None when it is unavailable."""
    try:
        from .lm import TypoDetector  # type: ignore[attr-defined]

        return TypoDetector.default()
    except Exception:
        return None


def _rows_to_entries(rows: Iterable[ExtraRow]) -> list[lx.LexEntry]:
    make = lx.make_entry
    out = []
    for r in rows:
        if len(r) == 5 and all(type(v) is str for v in r):
            out.append(make(*r))
            continue
        r = list(r)[:5] + [""] * (5 - len(r))
        out.append(make(*(("" if v is None else str(v)) for v in r)))
    return out


def build_checker(lexicon_files: Iterable[str | os.PathLike] = (),
                  extra_rows: Iterable[ExtraRow] = (), *, include_defaults: bool = True,
                  statistical: bool | object = False) -> Checker:
    """Compile a new checker (uncached).

    ``extra_rows`` are ``(term, category, severity, suggestion, note)`` tuples, e.g. the
    admin-edited lexicon rows.  ``statistical``: False (off), True (load the detector if
    available), or a detector object.
    """
    # Hundreds of thousands of small objects are created below; the cyclic GC would walk
    # them again and again (none of them form cycles), so it is paused while compiling.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        entries: list[lx.LexEntry] = list(lx.default_entries()) if include_defaults else []
        for f in lexicon_files:
            entries.extend(lx.load_lexicon_file(f))
        entries.extend(_rows_to_entries(extra_rows))
        checker = Checker(entries, statistical=None)
    finally:
        if gc_was_enabled:
            gc.enable()
    det = load_statistical() if statistical is True else (statistical or None)
    if det is not None:
        checker.statistical = det
    return checker


def get_checker(lexicon_files: Iterable[str | os.PathLike] = (),
                extra_rows: Iterable[ExtraRow] = (), *, statistical: bool = True) -> Checker:
    """Cached checker keyed by lexicon *content*: rebuilt only when a lexicon changes."""
    files = [Path(f) for f in lexicon_files]
    rows = [tuple("" if v is None else str(v) for v in r) for r in extra_rows]
    h = hashlib.sha256()
    h.update(b"stat" if statistical else b"nostat")
    for f in files:
        try:
            data = f.read_bytes()
        except OSError as e:
            raise lx.LexiconError(f"无法读取词库文件 {f}：{e.strerror or e}") from None
        h.update(f.name.encode() + b"\0" + hashlib.sha256(data).digest())
    for r in sorted(rows):
        h.update("\t".join(r).encode() + b"\n")
    key = h.hexdigest()
    with _lock:
        c = _cache.get(key)
        if c is not None:
            return c
    c = build_checker(files, rows, statistical=statistical)
    with _lock:
        _cache[key] = c
        _cache_order.append(key)
        while len(_cache_order) > _CACHE_MAX:
            _cache.pop(_cache_order.pop(0), None)
    return c


def default_checker() -> Checker:
    """The shared checker with the shipped lexicons (statistical typo rule when available)."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = build_checker(statistical=True)
    return _default
