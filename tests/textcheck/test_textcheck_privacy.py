import pytest

from govpub.textcheck.rules.privacy import id15_valid, id18_valid, luhn_ok

from .conftest import assert_offsets

VALID_ID = "110101199003074514"  # check digit computed per GB 11643


def priv(fs):
    return [f for f in fs if f.category == "privacy"]


def test_checksum_helpers():
    assert id18_valid(VALID_ID)
    assert not id18_valid("110101199003074515")
    assert not id18_valid("110101199013074514")  # month 13
    assert not id18_valid("990101199003074514")  # no province 99
    assert id15_valid("110101900307451")
    assert luhn_ok("6222021234567890128")


def test_id_card_exact_offsets_and_mask(checker):
    text = f"申请人张三，身份证号码{VALID_ID}，现住某地。"
    fs = priv(checker.check_text(text))
    assert len(fs) == 1
    f = fs[0]
    assert (f.rule, f.severity) == ("privacy.id_card", "block")
    assert f.start == text.index(VALID_ID) and f.end == f.start + 18
    assert f.suggestion == "110101**********14"
    assert f.basis == "第八条(一)"


@pytest.mark.parametrize("disguise", [
    lambda s: s[:6] + " " + s[6:14] + " " + s[14:],
    lambda s: s.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"}),
    lambda s: s[:9] + "\u200b" + s[9:],
])
def test_id_card_disguised(checker, disguise):
    shown = disguise(VALID_ID)
    text = f"身份证：{shown}。"
    fs = priv(checker.check_text(text))
    assert fs and fs[0].rule == "privacy.id_card" and fs[0].severity == "block"
    assert fs[0].text == shown
    assert_offsets(text, fs)


def test_example_id_with_bad_check_digit_still_reported(checker):
    fs = priv(checker.check_text("身份证号42070419900101123X"))
    assert fs and fs[0].suggestion == "420704**********3X"


def test_masked_forms_are_fine(checker):
    for text in ["身份证号420704**********3X", "手机138****5678", "卡号6222********0128"]:
        assert not priv(checker.check_text(text)), text


def test_old_15_digit_id(checker):
    fs = priv(checker.check_text("身份证号码：110101900307451"))
    assert fs and fs[0].rule == "privacy.id_card_15" and fs[0].severity == "block"


def test_mobile(checker):
    text = "联系人王五，手机13912345678，或 139-1234-5678。"
    fs = priv(checker.check_text(text))
    assert [f.rule for f in fs] == ["privacy.mobile", "privacy.mobile"]
    assert fs[0].suggestion == "139****5678"
    assert_offsets(text, fs)


def test_bank_card(checker):
    fs = priv(checker.check_text("请汇入 6222 0212 3456 7890 128 账户"))
    assert fs and fs[0].rule == "privacy.bank_card" and fs[0].suggestion == "6222***********0128"


def test_passport_and_email(checker):
    fs = priv(checker.check_text("护照号码E12345678，邮箱zhangsan@qq.com"))
    assert {f.rule for f in fs} == {"privacy.passport", "privacy.email"}
    assert not priv(checker.check_text("联系邮箱：bgs@ezhou.gov.cn"))


def test_near_miss_numbers_are_clean(checker):
    for text in [
        "2023年全区生产总值达到123456789012元。",
        "统一社会信用代码91420700MA4F123456",
        "项目编号20230815001，合同金额1500000元。",
        "电话0711-3456789，传真0711-3456788",
        "12345678901234567890",
    ]:
        assert not [f for f in priv(checker.check_text(text)) if f.severity == "block"], text
