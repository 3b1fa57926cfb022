"""Language-model scoring of the statistical typo detector (govpub.textcheck.lm)."""
import numpy as np
import pytest

from govpub.textcheck.lm import Hit, Params, TypoDetector
from govpub.textcheck.lm.normalize import BOS, EOS
from govpub.textcheck.lm.train import train_kn


@pytest.fixture(scope="module")
def det():
    return TypoDetector.default()


def sent_logprob(det, s):
    lm = det.lm
    ids = [int(lm.cp2id[ord(c)]) for c in s]
    seq = np.array([BOS] * (lm.order - 1) + ids + [EOS], dtype=np.int64)
    W = np.lib.stride_tricks.sliding_window_view(seq, lm.order)
    return float(lm.logprob(W).sum())


def test_kneser_ney_distribution_sums_to_one():
    # toy corpus over tokens 5..9; every context's distribution must be normalised
    rng = np.random.default_rng(0)
    seqs = [list(rng.integers(5, 10, size=rng.integers(3, 9))) for _ in range(300)]
    V = 10
    tabs = train_kn(seqs, order=3, cutoff=1, vsize=V, log=lambda *a: None)

    def p(w, h):  # backoff evaluation straight from the tables
        key3 = (h[0] << 26) | (h[1] << 13) | w
        k3, l3, _ = tabs[3]
        i = np.searchsorted(k3, np.uint64(key3))
        if i < len(k3) and k3[i] == key3 and not np.isnan(l3[i]):
            return np.exp(l3[i])
        k2, l2, b2 = tabs[2]
        ctx = (h[0] << 13) | h[1]
        j = np.searchsorted(k2, np.uint64(ctx))
        b = b2[j] if j < len(k2) and k2[j] == ctx else 0.0
        key2 = (h[1] << 13) | w
        i = np.searchsorted(k2, np.uint64(key2))
        if i < len(k2) and k2[i] == key2 and not np.isnan(l2[i]):
            return np.exp(b + l2[i])
        k1, l1, b1 = tabs[1]
        return np.exp(b + b1[h[1]] + l1[w])

    for h in [(5, 6), (7, 7), (BOS, BOS), (BOS, 8)]:
        total = sum(p(w, h) for w in range(V) if w != BOS)  # BOS is never predicted
        assert total == pytest.approx(1.0, abs=0.02), h


def test_model_prefers_correct_sentences(det):
    assert sent_logprob(det, "加快建设现代化经济体系。") > sent_logprob(det, "加快健设现代化经济体系。") + 5
    assert sent_logprob(det, "国务院办公厅") > sent_logprob(det, "国务完办公厅")


def test_detects_same_sound_and_same_shape_errors(det):
    text = "要加快健设现代化经济体系。本条例白发布之日起施行。"
    hits = det.detect(text)
    got = {(h.original, h.suggestion) for h in hits}
    assert ("健", "建") in got
    assert ("白", "自") in got
    for h in hits:
        assert isinstance(h, Hit) and text[h.start:h.end] == h.original
        assert len(h.suggestion) == h.end - h.start and h.score > 0


def test_joint_two_character_substitution(det):
    text = "网络摄氏、信息系统等对于本行业、本领域关键核心业务的重要程度；"
    hits = det.detect(text)
    assert [(h.original, h.suggestion) for h in hits] == [("摄氏", "设施")]
    assert text[hits[0].start:hits[0].end] == "摄氏"


def test_clean_official_sentences_have_no_findings(det):
    for s in ["各地区各部门要认真贯彻落实党中央、国务院决策部署。",
              "本条例自发布之日起施行。",
              "国家建立健全社会保障制度，保障公民在年老、疾病或者丧失劳动能力的情况下依法从国家和社会获得物质帮助。"]:
        assert det.detect(s) == []


def test_margin_controls_findings():
    d = TypoDetector.default()
    strict = TypoDetector.__new__(TypoDetector)
    strict.__dict__.update(d.__dict__)
    strict.params = Params(margin=1000.0, pair_margin=1000.0)
    assert strict.detect("要加快健设现代化经济体系。") == []
    assert d.detect("要加快健设现代化经济体系。")


def test_default_is_cached_singleton():
    assert TypoDetector.default() is TypoDetector.default()


def test_missing_model_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        TypoDetector(tmp_path / "nope.npz")
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(RuntimeError):
        TypoDetector(bad)
    from govpub.textcheck.lm.detector import DEFAULT_MODEL

    cut = tmp_path / "cut.npz"
    cut.write_bytes(DEFAULT_MODEL.read_bytes()[:100000])
    with pytest.raises(RuntimeError):
        TypoDetector(cut)
