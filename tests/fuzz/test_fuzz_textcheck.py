"""Property tests of the machine-review engine (govpub.textcheck) on arbitrary and hostile text.

What the engine promises (textcheck/__init__.py, engine.py, DESIGN.md §4): ``check_text`` never
raises on a ``str``; every finding's ``start``/``end`` are code-point offsets into the text given,
``text[start:end] == finding.text``; category and severity are the fixed codes; results depend
only on the input; the normalisation offset map sends each compact character back to the
original character it came from, in order.
"""

from __future__ import annotations

import json
import time

from hypothesis import HealthCheck, example, given, settings, target
from hypothesis import strategies as st

from govpub.textcheck import CATEGORIES, SEVERITIES, build_checker, get_checker
from govpub.textcheck.normalize import FILLERS, ZERO_WIDTH, Normalized, fold

FAST = dict(deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow,
                                                                     HealthCheck.data_too_large])
FINDING_KEYS = {"category", "rule", "severity", "start", "end", "text", "message", "suggestion",
                "basis", "location"}


def _ranges(*pairs: tuple[int, int]) -> list[str]:
    return [chr(c) for a, b in pairs for c in range(a, b + 1)]


ZERO_WIDTH_CHARS = ["\u00ad", "\u034f", "\u061c", "\u180e", "\u200b", "\u200c", "\u200d", "\u200e",
                    "\u200f", "\u202a", "\u202e", "\u2060", "\u2066", "\u3164", "\ufe0f", "\ufeff",
                    "\uffa0"]
COMBINING = _ranges((0x0300, 0x036F), (0x20D0, 0x20F0), (0x3099, 0x309A))
FULL_WIDTH = _ranges((0xFF01, 0xFF5E)) + ["\u3000"]
DIGIT_VARIANTS = _ranges((0x2460, 0x2473), (0x2776, 0x2793), (0x1D7CE, 0x1D7FF))
PUNCT = list("，。、；：！？“”‘’《》〔〕【】（）—…·「」\n\t\r ") + list(FILLERS.replace("\\", ""))
ASTRAL = ["😀", "𠀀", "𪚥", "\U0001F1E8", "\U0001F1F3", "\U000E0041", "\U0010FFFD"]

# Material that really triggers rules: pieces of lexicon terms and the shapes the rules look for.
SEEDS = [
    "赌博", "法轮功", "习近平总书记", "身份证号42070419900101123X", "110101199003074514",
    "手机13912345678", "秘密★1年", "内部资料", "加微信abc12345", "http://192.168.1.10/oa",
    "https://www.gov.cn/", "截止2023年底", "布署", "国家级最佳", "狗官", "打击赌博", "台湾",
    "賭博網站", "ｈｔｔｐ：／／ｘ．ｃｎ", "6222021234567890123", "zhangsan@qq.com", "〔2024〕1号",
    "[2024]1号", "第①条", "中华人民共和国", "国务院办公厅", "转载自", "来源：", "侵删",
]


def _cjk() -> st.SearchStrategy[str]:
    return st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)


ANY_CHAR = st.characters(exclude_categories=("Cs",))  # every code point but surrogates
MIXED_CHAR = st.one_of(
    _cjk(), _cjk(), st.sampled_from(ZERO_WIDTH_CHARS), st.sampled_from(COMBINING),
    st.sampled_from(FULL_WIDTH), st.sampled_from(DIGIT_VARIANTS), st.sampled_from(PUNCT),
    st.sampled_from(ASTRAL), st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0x3400, max_codepoint=0x4DBF), ANY_CHAR,
)
NOISE = st.text(alphabet=st.one_of(st.sampled_from(ZERO_WIDTH_CHARS), st.sampled_from(PUNCT),
                                   st.sampled_from(COMBINING)), max_size=2)


@st.composite
def disguised_seed(draw) -> str:
    """A trigger phrase with noise (zero-width, fillers, combining marks) between its characters,
    sometimes full-width or repeated, as someone dodging the filter would write it."""
    seed = draw(st.sampled_from(SEEDS))
    if draw(st.booleans()):
        seed = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in seed)
    out = []
    for ch in seed:
        out.append(ch * draw(st.integers(1, 2)))
        out.append(draw(NOISE))
    return "".join(out)


TEXT = st.one_of(
    st.text(alphabet=ANY_CHAR, max_size=300),
    st.text(alphabet=MIXED_CHAR, max_size=300),
    st.lists(st.one_of(st.sampled_from(SEEDS), disguised_seed(), st.text(alphabet=MIXED_CHAR, max_size=8)),
             max_size=25).map("".join),
)


def assert_findings_index(text: str, findings) -> None:
    for f in findings:
        assert f.category in CATEGORIES, f
        assert f.severity in SEVERITIES, f
        assert f.rule and f.message, f
        assert 0 <= f.start <= f.end <= len(text), f
        assert text[f.start:f.end] == f.text, f
        d = f.to_dict()
        assert set(d) == FINDING_KEYS
        assert json.loads(json.dumps(d, ensure_ascii=False)) == d


@settings(max_examples=400, **FAST)
@given(TEXT)
def test_findings_index_the_original_text(checker, text):
    findings = checker.check_text(text)
    target(float(len(findings)), label="findings")  # steer towards inputs that trigger many rules
    assert_findings_index(text, findings)


@settings(max_examples=100, **FAST)
@given(TEXT)
def test_results_are_deterministic(checker, text):
    first = [f.to_dict() for f in checker.check_text(text)]
    assert [f.to_dict() for f in checker.check_text(text)] == first
    # A checker from the content-keyed cache with the same lexicons answers the same.
    assert [f.to_dict() for f in get_checker().check_text(text)] == first


@settings(max_examples=60, **FAST)
@given(st.lists(st.sampled_from(SEEDS + ["中", "。", "\u200b"]), min_size=1, max_size=30).map("".join),
       st.data())
def test_extra_lexicon_rows_keep_the_contract(text, data):
    """Admin-edited lexicon rows (any unicode term, incl. fillers and zero-width) are compiled safely."""
    rows = data.draw(st.lists(st.tuples(
        st.one_of(st.text(alphabet=MIXED_CHAR, min_size=1, max_size=6), st.sampled_from(SEEDS)),
        st.sampled_from(CATEGORIES), st.sampled_from(SEVERITIES), st.text(max_size=4), st.just("")),
        max_size=4))
    c = build_checker(extra_rows=rows, include_defaults=False)
    assert_findings_index(text, c.check_text(text))


@settings(max_examples=250, **FAST)
@given(TEXT)
@example("中\t\t文")  # a filler run of tabs between two characters is removed (CI found it)
def test_normalisation_offset_map_is_monotonic(text):
    n = Normalized(text)
    assert len(n.view) == len(text)  # the view is 1:1 per code point
    assert n.view == fold(text)
    assert len(n.compact) <= len(text)
    last = -1
    for i, ch in enumerate(n.compact):
        o = n.orig_index(i)
        assert o > last, "offset map must be strictly increasing"
        assert 0 <= o < len(text)
        assert n.view[o] == ch, "a compact character maps back to the character it came from"
        last = o
    # Spans map to non-empty, ordered spans of the original.
    for cs in range(0, len(n.compact), max(1, len(n.compact) // 7)):
        for ce in (cs + 1, min(len(n.compact), cs + 5)):
            if ce > cs:
                s, e = n.to_original(cs, ce)
                assert 0 <= s < e <= len(text)
                assert e - s >= ce - cs
    # Only zero-width characters and filler runs are removed.
    removed = set(ZERO_WIDTH_CHARS) | {chr(c) for c in range(0x180B, 0x180F)}
    kept = {n.orig_index(i) for i in range(len(n.compact))}
    for j, ch in enumerate(n.view):
        if j not in kept:
            assert ch in removed or _in_class(ZERO_WIDTH, ch) or _in_class(FILLERS, ch), (j, ch)


def _in_class(pattern: str, ch: str) -> bool:
    """FILLERS and ZERO_WIDTH are regex class bodies (r" \t…"): set() of the string would hold a
    backslash and a 't', never the tab they mean."""
    import re

    return re.fullmatch(f"[{pattern}]", ch) is not None


HTML_PIECES = ["<p>", "</p>", "<div style='display:none'>", "</div>", "<a href='javascript:x'>", "</a>",
               "<script>", "</script>", "<img src=http://10.0.0.1/a.png>", "&amp;", "&#x4e00;", "&#0;",
               "&#xd800;", "&#x110000;", "<!--", "-->", "<![CDATA[", "<br/>", "<style>", "<title>", "<head>",
               "<svg>", "<span hidden>", "</span>", "<", ">", "/", "=", "\"", "'", "&", ";", "#"]


@settings(max_examples=120, **FAST)
@given(st.one_of(
    st.lists(st.one_of(st.sampled_from(HTML_PIECES), st.sampled_from(SEEDS), disguised_seed(),
                       st.text(alphabet=MIXED_CHAR, max_size=6)), max_size=40).map("".join),
    st.text(alphabet=ANY_CHAR, max_size=200)))
def test_html_offsets_index_the_visible_text(checker, html):
    result = checker.check_html(html)
    assert isinstance(result.text, str)
    assert_findings_index(result.text, result.findings)


HUGE = st.builds(lambda piece, n: piece * n,
                 st.one_of(st.sampled_from(["赌", "赌\u200b", "“", "\u200b", "１", "a.", "秘密", "習", "e\u0301",
                                            "😀", "加微信", "〕1号", "http://", "、台湾", " ", "\n"]),
                           st.text(alphabet=MIXED_CHAR, min_size=1, max_size=3)),
                 st.integers(min_value=2_000, max_value=40_000))


@settings(max_examples=12, **FAST)
@given(HUGE)
def test_huge_repeated_text_finishes_quickly_and_bounded(checker, text):
    started = time.process_time()  # CPU time: a busy CI machine does not make it flaky
    findings = checker.check_text(text)
    elapsed = time.process_time() - started
    assert elapsed < 5, f"{elapsed:.1f} s CPU for {len(text)} characters of {text[:6]!r}…"
    assert len(findings) <= 20_000
    assert_findings_index(text, findings[:200] + findings[-200:])


def test_non_str_input_is_a_type_error_not_a_crash(checker):
    import pytest

    for bad in (None, b"bytes", 3, ["list"]):
        with pytest.raises(TypeError):
            checker.check_text(bad)
    assert checker.check_text("") == []
