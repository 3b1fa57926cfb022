"""Lexicons: the TSV format of DESIGN.md §4, import from .txt/.tsv/.xlsx, and homophone variants.

``term<TAB>category<TAB>severity<TAB>suggestion<TAB>note`` — UTF-8, ``#`` starts a comment line.
Category ``allow`` marks an allow-list term: any finding lying inside an occurrence of it is
dropped.  The note may carry the regulation article (``第十条(七)``), which then becomes the
finding's basis (and, for ``prohibited``, its sub-code), plus the flags ``fuzzy2`` (two-character terms: same-sound variants too, checked against word edges),
``canon`` (the term is
a correct canonical form: only homophone misspellings of it are reported) and ``fuzzy`` (also
match one-character same-sound substitutions) and ``commercial`` (report only when the
sentence is selling something).
"""

from __future__ import annotations

import io
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .findings import CATEGORIES, SEVERITIES

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"
ALLOW = "allow"

DEFAULT_BASIS = {
    "secret": "第八条(一)", "privacy": "第八条(一)", "political": "第八条(三)",
    "prohibited": "第十条", "sensitive": "第八条(七)", "typo": "第八条(四)",
    "wording": "第八条(四)", "advertising": "第七条", "opinion": "第十条(十)",
    "link": "第七条", "source": "第七条",
}
CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
          "十": 10, "十一": 11}
PROHIBITED_CODES = {
    1: "anti_constitution", 2: "state_security", 3: "national_honor", 4: "ethnic_hatred",
    5: "cult_superstition", 6: "rumor", 7: "obscene_gambling_violence", 8: "insult_defamation",
    9: "not_for_public", 10: "emotional_opinion", 11: "other_illegal",
}
PROHIBITED_LABELS = {
    1: "违反宪法基本原则", 2: "危害国家安全、破坏国家统一", 3: "损害国家荣誉和利益",
    4: "煽动民族仇恨、破坏民族团结", 5: "宣扬邪教和封建迷信", 6: "散布谣言",
    7: "淫秽、色情、赌博、暴力、恐怖或教唆犯罪", 8: "侮辱诽谤他人", 9: "不宜对外公开",
    10: "情绪化的个人观点", 11: "法律法规禁止的其他内容",
}
CATEGORY_MESSAGES = {
    "secret": "疑似涉密内容", "privacy": "疑似个人隐私信息", "political": "政治性表述错误",
    "prohibited": "含有第十条禁止发布的内容", "sensitive": "敏感性问题，请审慎把关",
    "typo": "疑似错别字", "wording": "表述不规范", "advertising": "疑似商业广告用语",
    "opinion": "情绪化或个人观点表述", "link": "链接问题", "source": "信息来源不规范",
}

_BASIS_RE = re.compile(r"第([一二三四五六七八九十]+)条(?:[(（]([一二三四五六七八九十]+)[)）])?")
_RULE_RE = re.compile(r"\brule[=:]([a-z_.0-9]+)")


class LexiconError(ValueError):
    """A lexicon file or row is malformed (message in Chinese)."""


class LexEntry(NamedTuple):
    """One compiled lexicon row (a NamedTuple: cheap to build by the hundred thousand)."""

    term: str
    category: str
    severity: str
    suggestion: str | None
    note: str
    rule: str
    basis: str | None
    message: str
    canon: bool = False
    fuzzy: bool = False
    commercial: bool = False
    fuzzy2: bool = False


def parse_basis(note: str) -> tuple[str | None, int | None]:
    m = _BASIS_RE.search(note or "")
    if not m:
        return None, None
    art, item = m.group(1), m.group(2)
    basis = f"第{art}条" + (f"({item})" if item else "")
    sub = CN_NUM.get(item) if art == "十" and item else None
    return basis, sub


def make_entry(term: str, category: str, severity: str = "", suggestion: str = "",
               note: str = "") -> LexEntry:
    term = (term or "").strip()
    category = (category or "").strip().lower()
    severity = (severity or "").strip().lower() or "warn"
    if not term:
        raise LexiconError("词条为空")
    if category != ALLOW and category not in CATEGORIES:
        raise LexiconError(f"未知的类别“{category}”（词条“{term}”）")
    if severity not in SEVERITIES:
        raise LexiconError(f"未知的严重程度“{severity}”（词条“{term}”）")
    note = (note or "").strip()
    rule, basis, message, canon, fuzzy, commercial, fuzzy2 = _meta(category, note)
    return LexEntry(term, category, severity, (suggestion or "").strip() or None, note, rule,
                    basis, message, canon, fuzzy, commercial, fuzzy2)


@lru_cache(maxsize=4096)
def _meta(category: str, note: str) -> tuple:
    """rule, basis, message and flags derived from a row's category and note (cached: admin
    lexicons repeat the same few notes over thousands of rows)."""
    flags = set(note.split())
    basis, sub = parse_basis(note)
    rule_m = _RULE_RE.search(note)
    message = CATEGORY_MESSAGES.get(category, "")
    if category == "prohibited":
        if sub:
            rule = f"prohibited.{PROHIBITED_CODES[sub]}"
            message = f"含有第十条禁止内容：{PROHIBITED_LABELS[sub]}"
        else:
            rule = "prohibited.lexicon"
    else:
        rule = f"{category}.lexicon"
    if rule_m:
        rule = rule_m.group(1)
    # Free text of the note (without flags/basis) refines the message.
    desc = _BASIS_RE.sub("", _RULE_RE.sub("", note))
    desc = " ".join(w for w in desc.split() if w not in ("canon", "fuzzy", "fuzzy2", "commercial"))
    if desc:
        message = f"{message}（{desc}）"
    return (rule, basis or DEFAULT_BASIS.get(category), message, "canon" in flags,
            "fuzzy" in flags or "fuzzy2" in flags or "canon" in flags, "commercial" in flags,
            "fuzzy2" in flags)


def parse_tsv(text: str, source: str = "<lexicon>") -> list[LexEntry]:
    out = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.rstrip("\r\n").split("\t")
        if len(cols) < 2:
            raise LexiconError(f"{source} 第{lineno}行：至少需要“词条<TAB>类别”两列")
        cols += [""] * (5 - len(cols))
        try:
            out.append(make_entry(*cols[:5]))
        except LexiconError as e:
            raise LexiconError(f"{source} 第{lineno}行：{e}") from None
    return out


def read_lexicon_bytes(data: bytes, name: str, default_category: str = "sensitive",
                       default_severity: str = "warn") -> list[LexEntry]:
    """Import a lexicon from .tsv, .txt (one term a line, or TSV lines) or .xlsx content."""
    suffix = os.path.splitext(name)[1].lower()
    if suffix == ".xlsx":
        return _read_xlsx(data, name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LexiconError(f"{name}：词库文件必须是 UTF-8 编码") from None
    if suffix == ".txt" and "\t" not in text:
        rows = [ln.strip() for ln in text.splitlines()]
        return [make_entry(t, default_category, default_severity) for t in rows
                if t and not t.startswith("#")]
    return parse_tsv(text, name)


def _read_xlsx(data: bytes, name: str) -> list[LexEntry]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:
        raise LexiconError(f"{name}：无法读取 Excel 词库（{type(e).__name__}）") from None
    out = []
    ws = wb.worksheets[0]
    for i, row in enumerate(ws.iter_rows(values_only=True), 1):
        cells = ["" if v is None else str(v).strip() for v in (row or ())][:5]
        if not cells or not cells[0] or cells[0].startswith("#"):
            continue
        if i == 1 and cells[0].lower() in ("term", "词条", "词语", "敏感词"):
            continue
        cells += [""] * (5 - len(cells))
        if not cells[1]:
            cells[1] = "sensitive"
        try:
            out.append(make_entry(*cells))
        except LexiconError as e:
            raise LexiconError(f"{name} 第{i}行：{e}") from None
    wb.close()
    return out


def load_lexicon_file(path: str | os.PathLike) -> list[LexEntry]:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise LexiconError(f"无法读取词库文件 {p}：{e.strerror or e}") from None
    return read_lexicon_bytes(data, p.name)


@lru_cache(maxsize=1)
def default_entries() -> tuple[LexEntry, ...]:
    out: list[LexEntry] = []
    for p in sorted(LEXICON_DIR.glob("*.tsv")):
        out.extend(parse_tsv(p.read_text("utf-8"), p.name))
    return tuple(out)


# --- homophones ---------------------------------------------------------------------------
# Precomputed by data/build_data.py so that no pinyin/word dictionary is held in memory.

DATA_DIR = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=1)
def _homophone_data() -> dict:
    import json

    try:
        return json.loads((DATA_DIR / "homophones.json").read_text("utf-8"))
    except (OSError, ValueError):  # pragma: no cover - shipped with the package
        return {"toned": {}, "toneless": {}}


@lru_cache(maxsize=2)
def homophone_table(toned: bool) -> dict[str, str]:
    """character -> its same-sound common characters (toned: same tone too)."""
    groups = _homophone_data()["toned" if toned else "toneless"]
    table: dict[str, str] = {}
    for chars in groups.values():
        for ch in chars:
            table[ch] = chars.replace(ch, "")
    return table


@lru_cache(maxsize=1)
def variant_stopwords() -> frozenset[str]:
    try:
        text = (DATA_DIR / "variant_stopwords.txt").read_text("utf-8")
    except OSError:  # pragma: no cover
        return frozenset()
    return frozenset(w for w in text.split() if not w.startswith("#"))


@lru_cache(maxsize=1)
def two_char_words() -> frozenset[int]:
    """jieba's two-character words, as ``ord(a) << 16 | ord(b)`` (compact in memory)."""
    try:
        text = (DATA_DIR / "words2.txt").read_text("utf-8")
    except OSError:  # pragma: no cover
        return frozenset()
    body = text.split("\n", 1)[1].strip() if text.startswith("#") else text.strip()
    return frozenset(ord(body[i]) << 16 | ord(body[i + 1]) for i in range(0, len(body) - 1, 2))


def is_word2(a: str, b: str) -> bool:
    return (ord(a) << 16 | ord(b)) in two_char_words()


@lru_cache(maxsize=1)
def char_pinyin() -> dict[str, str]:
    """Common character -> toneless pinyin (first reading)."""
    out: dict[str, str] = {}
    for syl, chars in _homophone_data()["toneless"].items():
        for ch in chars:
            out.setdefault(ch, syl)
    return out


def pinyin_variants(term: str) -> list[str]:
    """du博 / 赌bo / dubo: characters written as pinyin to dodge a filter."""
    py = char_pinyin()
    syl = [py.get(ch) for ch in term]
    if not all(syl) or len(term) > 4:
        return []
    out = ["".join(syl)]
    for i in range(len(term)):
        out.append(term[:i] + syl[i] + term[i + 1:])
    return out


# Characters commonly mistyped for one another by shape (形近字), used for the canonical
# political formulations and names (人类命运共同休, 习近乎).
_SHAPE_GROUPS = (
    "体休", "己已巳", "未末", "戊戌戍", "候侯", "拨拔", "治冶", "设没", "平乎", "民氏", "主王",
    "代伐", "大太犬", "人入八", "土士", "日曰", "天夭", "夫失", "千干于", "由甲申", "兵乒乓",
    "办力", "习刁", "国围", "团困", "会今", "思恩", "特持待", "党赏", "央夹", "席度", "记纪",
    "论伦沦", "义又", "列例", "东车", "华毕", "中申", "共供", "和知", "族旅", "兴光", "复夏",
    "命令", "同司", "建健", "全金", "面而", "依衣", "从丛", "严产", "近进", "泽择", "锦绵",
    "涛寿", "强弱", "宁守", "奇骑", "希布", "丁了", "薛薜", "祥样",
)
SHAPE_TABLE: dict[str, str] = {}
for _g in _SHAPE_GROUPS:
    for _c in _g:
        SHAPE_TABLE[_c] = SHAPE_TABLE.get(_c, "") + _g.replace(_c, "")


def _fuzzy_syllable(s: str) -> str:
    """模糊音: zh/z, ch/c, sh/s, -ng/-n are merged (common in southern speech and IMEs)."""
    for a, b in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if s.startswith(a):
            s = b + s[len(a):]
    if s.endswith("ng") and len(s) > 2 and s[-3] in "aei":
        s = s[:-1]
    return s


@lru_cache(maxsize=1)
def fuzzy_sound_table() -> dict[str, str]:
    groups: dict[str, str] = {}
    for syl, chars in _homophone_data()["toneless"].items():
        k = _fuzzy_syllable(syl)
        groups[k] = groups.get(k, "") + chars
    table: dict[str, str] = {}
    for chars in groups.values():
        for ch in chars:
            table[ch] = chars.replace(ch, "")
    return table


def fuzzy_sound_variants(term: str) -> list[str]:
    """Single substitutions by a 模糊音 homophone (港人自港 for 港人治港)."""
    table = fuzzy_sound_table()
    stop = variant_stopwords()
    out = []
    for i, ch in enumerate(term):
        for a in table.get(ch, ""):
            v = term[:i] + a + term[i + 1:]
            if v not in stop:
                out.append(v)
    return out


def shape_variants(term: str) -> list[str]:
    out = []
    for i, ch in enumerate(term):
        for a in SHAPE_TABLE.get(ch, ""):
            out.append(term[:i] + a + term[i + 1:])
    return out


def variants(term: str, toned: bool, stopwords: frozenset[str] | None = None) -> list[str]:
    """Single-character same-sound substitutions of ``term`` (common characters only),
    minus real words (a variant that is itself a word is not a misspelling)."""
    table = homophone_table(toned)
    stop = variant_stopwords() if stopwords is None else stopwords
    out = []
    for i, ch in enumerate(term):
        alts = table.get(ch)
        if not alts:
            continue
        head, tail = term[:i], term[i + 1:]
        for a in alts:
            v = head + a + tail
            if v not in stop:
                out.append(v)
    return out
