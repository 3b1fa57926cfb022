from govpub.textcheck.normalize import Normalized, fold, normalize_term


def spans(text):
    n = Normalized(text)
    return n, [n.to_original(i, i + 1) for i in range(len(n.compact))]


def test_fold_is_length_preserving():
    for s in ["ＡＢＣ１２３", "賭博網站", "①②③", "ABC", "普通文本", "𝟏𝟐"]:
        assert len(fold(s)) == len(s)
    assert fold("ＡＢＣ１２３") == "abc123"
    assert fold("賭博網站") == "赌博网站"
    assert fold("①②") == "12"


def test_fillers_between_cjk_removed_and_mapped():
    n, sp = spans("赌 *博网站")
    assert n.compact == "赌博网站"
    assert n.to_original(0, 2) == (0, 4)


def test_zero_width_removed_everywhere():
    n = Normalized("x赌\u200b博y\u200d")
    assert n.compact == "x赌博y"
    assert n.to_original(1, 3) == (1, 4)


def test_fillers_between_latin_kept():
    assert Normalized("a b").compact == "a b"
    assert Normalized("3.5亿").compact == "3.5亿"


def test_chinese_punctuation_not_removed():
    assert Normalized("赌，博").compact == "赌，博"
    assert Normalized("中文,中文").compact == "中文,中文"


def test_identity_when_nothing_to_do():
    n = Normalized("正常的政务文本。")
    assert n.identity and n.compact == n.original


def test_term_normalisation_matches_text():
    assert normalize_term("賭 博") == "赌博"
    assert normalize_term("来源:网络") == "来源网络"
