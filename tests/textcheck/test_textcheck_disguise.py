"""Disguised variants across families: traditional, full-width, inserted symbols, zero-width,
same-sound, pinyin and shape substitutions, numbers in Chinese numerals."""

import pytest

from govpub.textcheck.lexicon import read_lexicon_bytes

from .conftest import assert_offsets


def cats(checker, text, severities=("warn", "block")):
    fs = checker.check_text(text)
    assert_offsets(text, fs)
    return {f.category for f in fs if f.severity in severities}, fs


@pytest.mark.parametrize("text,category", [
    ("网上賭博平台，日赚千元", "prohibited"),          # traditional
    ("ＡＶ女优视频", "prohibited"),                   # full-width latin
    ("赌 博 网 站", "prohibited"),                    # spaces
    ("赌\u200c博网站注册", "prohibited"),              # zero-width non-joiner
    ("du博网站", "prohibited"),                       # pinyin
    ("色晴视频免费看", "prohibited"),                  # same sound, two characters
    ("坚持港人自港", "political"),                    # 模糊音 zh/z
    ("构建人类命运共同休", "political"),               # shape-similar
    ("习近乎同志指出", "political"),
    ("手机号一三八零零一三八零零零", "privacy"),        # Chinese numerals
    ("秘\u200b密★10年\n方案", "secret"),
    ("出售仿真枪支，价格优惠", "prohibited"),
])
def test_disguised_variants_found(checker, text, category):
    found, fs = cats(checker, text)
    assert category in found, [(f.category, f.severity, f.rule, f.text) for f in fs]


def test_disguise_raises_severity(checker):
    plain = [f for f in checker.check_text("欢迎参与赌博") if f.category == "prohibited"]
    dodged = [f for f in checker.check_text("欢迎参与赌*博") if f.category == "prohibited"]
    assert plain[0].severity == "warn" and dodged[0].severity == "block"
    assert "变形" in dodged[0].message


def test_traditional_characters_reported_as_wording(checker):
    fs = [f for f in checker.check_text("習近平總書記強調") if f.rule == "wording.traditional"]
    assert fs and fs[0].text == "習近平總書記強調" and fs[0].suggestion == "习近平总书记强调"
    assert not [f for f in checker.check_text("开展二噁英监测，顽强拚搏") if f.rule == "wording.traditional"]


@pytest.mark.parametrize("text", [
    "推动构建人类命运共同体",          # 建人 is a variant of an insult, but sits on a word edge
    "加强人员交流",
    "促进社会平安祥和",                # 安祥 sits across 平安|祥和
    "编制财政收支那一年的预算",
    "国家计委负责综合平衡" * 0 + "保险标的的受让人",
    "和平统一交换意见",
])
def test_word_edges_are_not_variants(checker, text):
    found, fs = cats(checker, text)
    assert not found & {"prohibited", "typo", "political"}, fs


def test_xlsx_lexicon_import(tmp_path):
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["词条", "类别", "严重程度", "建议", "备注"])
    ws.append(["某某词", "sensitive", "block", "换一个", "第八条(七)"])
    ws.append(["仅词条"])
    buf = io.BytesIO()
    wb.save(buf)
    rows = read_lexicon_bytes(buf.getvalue(), "lex.xlsx")
    assert [(r.term, r.category, r.severity) for r in rows] == [
        ("某某词", "sensitive", "block"), ("仅词条", "sensitive", "warn")]
