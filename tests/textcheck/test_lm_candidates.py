"""Candidate generation of the statistical typo detector (govpub.textcheck.lm)."""
import pytest

from govpub.textcheck.lm import TypoDetector
from govpub.textcheck.lm.build_tables import one_stroke_apart, shared_component
from govpub.textcheck.lm.normalize import NSPECIAL, canon_char, split_spans
from govpub.textcheck.lm.train import T_CONF, T_SAME_PY, T_SAME_TONE, T_SHAPE, _fuzzy, build_candidates


@pytest.fixture(scope="module")
def det():
    return TypoDetector.default()


def cands(det, ch):
    tok = int(det.lm.cp2id[ord(ch)])
    dst, typ = det.lm.candidates(tok)
    return {det.id2char[int(d)]: int(t) for d, t in zip(dst, typ)}


def test_same_pronunciation_candidates(det):
    c = cands(det, "健")
    assert "建" in c and c["建"] & T_SAME_TONE
    assert "订" in cands(det, "定") or "定" in cands(det, "订")
    assert cands(det, "伟")["委"] & (T_SAME_TONE | T_SAME_PY | T_CONF)


def test_shape_candidates_include_pairs_missing_upstream(det):
    for a, b in [("白", "自"), ("目", "日"), ("亚", "业"), ("衣", "农")]:
        assert b in cands(det, a), (a, b)
        assert cands(det, a)[b] & T_SHAPE


def test_candidates_exclude_self_and_are_known_chars(det):
    c = cands(det, "建")
    assert "建" not in c
    assert all(len(x) == 1 for x in c)


def test_fuzzy_pinyin():
    assert _fuzzy("zhang") == _fuzzy("zan") == "zan"
    assert _fuzzy("ling") == _fuzzy("nin")
    assert _fuzzy("shi") == "si"


def test_build_candidates_small_vocabulary():
    chars = list("建健设见")
    cnt = {"建": 100, "健": 50, "设": 100, "见": 100}
    ptr, dst, typ = build_candidates(chars, cnt, min_target=20, log=lambda *a: None)
    idx = {c: i + NSPECIAL for i, c in enumerate(chars)}
    row = dst[ptr[idx["健"]]: ptr[idx["健"] + 1]].tolist()
    assert idx["建"] in row and idx["见"] in row  # jian4 / jian4
    assert idx["设"] not in row
    k = row.index(idx["建"])
    assert typ[ptr[idx["健"]] + k] & T_SAME_TONE


def test_shape_pair_builders():
    strokes = {"日": "szhh", "目": "szhhh", "白": "pszhh", "自": "pszhhh", "人": "pn"}
    pairs = one_stroke_apart(strokes)
    assert ("日", "目") in pairs and ("白", "自") in pairs
    comp = shared_component({"责": "hhszpn", "债": "pshhszpn", "绩": "zzhhhszpn", "口": "szh"})
    assert ("债", "责") in comp


def test_normalisation_and_sentence_split():
    assert canon_char(",") == "，" and canon_char("Ａ") == "A" and canon_char("汉") == "汉"
    text = "第一句。第二句！ 第三句"
    spans = list(split_spans(text))
    assert [text[s:e] for s, e in spans] == ["第一句。", "第二句！", "第三句"]
    assert list(split_spans("")) == []
    long = "字" * 1000
    assert max(e - s for s, e in split_spans(long)) <= 400
