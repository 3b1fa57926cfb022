from .conftest import assert_offsets


def blocks(fs, cat):
    return [f for f in fs if f.category == cat and f.severity == "block"]


def test_star_markers(checker):
    for marker in ["秘密★1年", "机密★长期", "绝密★启用前", "秘密*5年", "机密☆10年"]:
        text = f"{marker}\n关于某项工作的通知\n各单位："
        fs = checker.check_text(text)
        b = blocks(fs, "secret")
        assert b, marker
        assert b[0].start == 0 and b[0].text.startswith(marker[:2])
        assert_offsets(text, fs)


def test_line_markers(checker):
    for line in ["内部资料 注意保存", "机密", "绝密", "内部资料，请勿外传", "【内部文件】", "此件不公开"]:
        text = f"标题\n{line}\n正文内容如下。"
        b = blocks(checker.check_text(text), "secret")
        assert b, line
        assert b[0].text.strip() in line or line in b[0].text


def test_secret_label_and_annotation(checker):
    assert blocks(checker.check_text("密级：秘密\n正文"), "secret")
    assert blocks(checker.check_text("（此件不公开）"), "secret")


def test_disguised_fullwidth_star(checker):
    assert blocks(checker.check_text("秘密＊１年\n通知"), "secret")


def test_sentence_about_secrecy_is_not_blocked(checker):
    for text in [
        "是否涉及国家秘密、工作秘密、商业秘密、个人隐私；",
        "要严格落实保密审查，不得发布涉密、敏感信息。",
        "对在政府网站上发布涉密文件资料的，要及时采取补救措施。",
        "双方保持密切沟通，机密信息要妥善保管。",
        "做好内部资料的管理工作是保密工作的重要一环。",
    ]:
        fs = checker.check_text(text)
        assert not blocks(fs, "secret"), text


def test_inline_restriction_phrase_warns(checker):
    fs = checker.check_text("本材料为内部资料，请勿外传，仅供参考。")
    assert any(f.category == "secret" and f.severity == "warn" for f in fs)
