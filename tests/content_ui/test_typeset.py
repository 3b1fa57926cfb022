"""一键排版 (govpub/content/typeset.py): what it changes, what it never touches, and its invariants."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from govpub.content.paste import settle
from govpub.content.typeset import typeset
from govpub.textcheck.htmltext import html_to_text
from tests.fuzz.test_fuzz_sanitize import FAST, HOSTILE_HTML


@pytest.mark.parametrize("before, after", [
    # empty paragraphs go; typed indents go (the style sheet indents every paragraph)
    ("<p>　　正文。</p><p>&nbsp;</p><p><br></p><p>　</p>", "<p>正文。</p>"),
    # half-width marks after Chinese become full-width
    ("<p>会议于5月1日召开,共100人参加.请各单位:认真落实;有问题吗?有!</p>",
     "<p>会议于5月1日召开，共100人参加。请各单位：认真落实；有问题吗？有！</p>"),
    ('<p>他说"你好",见附件(附件1)。</p>', "<p>他说“你好”，见附件（附件1）。</p>"),
    ("<p>所谓'三审'制度</p>", "<p>所谓‘三审’制度</p>"),
    # ... but never inside numbers, times, English, addresses, 发文字号 or a link's text
    ("<p>圆周率3.14,人数1,000人,时间:10:30,会议</p>", "<p>圆周率3.14，人数1,000人，时间：10:30，会议</p>"),
    ("<p>中文,English words, here. API,中文.docx</p>", "<p>中文，English words, here. API,中文.docx</p>"),
    ("<p>详见https://www.gov.cn/a,b?x=1&amp;y=2,请查阅</p>", "<p>详见https://www.gov.cn/a,b?x=1&amp;y=2，请查阅</p>"),
    ("<p>邮箱gkb@example.gov.cn,电话</p>", "<p>邮箱gkb@example.gov.cn，电话</p>"),
    ("<p>依据〔２０２４〕５号文件,电话１２３４５</p>", "<p>依据〔２０２４〕５号文件，电话12345</p>"),
    ('<p>点击<a href="https://x.cn/">https://x.cn/a,b</a>,查看</p>',
     '<p>点击<a href="https://x.cn/" rel="noopener noreferrer">https://x.cn/a,b</a>，查看</p>'),
    # full-width digits and decimal points become Arabic numerals (GB/T 15835)
    ("<p>增长３．５％</p>", "<p>增长3.5％</p>"),
    # structure headings (GB/T 9704 7.3.3), their numbering written as the standard does
    ("<p>一.总体要求</p><p>(二)工作目标</p><p>3、加强领导</p><p>（1）各单位要高度重视</p>",
     "<h2>一、总体要求</h2><h3>（二）工作目标</h3><h4>3.加强领导</h4><p>（1）各单位要高度重视</p>"),
    ("<p><strong>一、总体要求</strong></p>", "<h2>一、总体要求</h2>"),
    # a numbered paragraph that is a sentence, a centred title and a table cell stay what they are
    ("<p>一、加强组织领导。各单位要把此项工作摆上重要议程。</p>", "<p>一、加强组织领导。各单位要把此项工作摆上重要议程。</p>"),
    ("<p>1.第一季度：3月31日前；</p>", "<p>1.第一季度：3月31日前；</p>"),
    ('<p align="center">一、标题居中</p>', '<p align="center">一、标题居中</p>'),
    ("<table><tbody><tr><td>一、合计,共计</td></tr></tbody></table>",
     "<table><tbody><tr><td>一、合计，共计</td></tr></tbody></table>"),
    # marks across inline markup see the Chinese before them
    ("<p><strong>注意</strong>,本通知</p>", "<p><strong>注意</strong>，本通知</p>"),
])
def test_typeset(before, after):
    assert typeset(before) == after


def test_typeset_of_nothing():
    assert typeset("") == ""
    assert typeset("<p>　</p>") == ""


HAN = "政务公开区人民政府通知会议工作一二三十"
PIECES = st.one_of(
    st.text(alphabet=st.sampled_from(list(HAN + "abcXYZ0123４５" + ",.;:?!()\"'、，。；：？！（）“”‘’《》〔〕 　\u00a0-/&%")),
            max_size=30),
    st.sampled_from(["一、", "（一）", "(二)", "1.", "1、", "（1）", "一.", "https://www.gov.cn/a,b?c=1.", "10:30",
                     "3.14", "1,000", "〔2024〕5号", "a@b.cn", "Hello, world.", "３．１４", "..."]),
)
INLINE = st.builds(lambda tag, text: f"<{tag}>{text}</{tag}>" if tag else text,
                   st.sampled_from(["", "", "strong", "em", "u"]), st.lists(PIECES, max_size=4).map("".join))
BLOCK = st.builds(lambda tag, inner: {"p": "<p>{}</p>", "h2": "<h2>{}</h2>", "li": "<ul><li>{}</li></ul>",
                                      "td": "<table><tr><td>{}</td></tr></table>",
                                      "a": '<p><a href="https://x.cn/">{}</a>,说明</p>',
                                      "center": '<p align="center">{}</p>'}[tag].format(inner),
                  st.sampled_from(["p", "p", "p", "h2", "li", "td", "a", "center"]),
                  st.lists(INLINE, max_size=4).map("".join))
OFFICIAL_HTML = st.lists(BLOCK, max_size=8).map("".join)


def words(html: str) -> list[str]:
    """The visible text's letters, digits and Chinese characters, width-normalised: what typesetting must keep."""
    text = unicodedata.normalize("NFKC", html_to_text(html).text)
    return [c for c in text if c.isalnum()]


@settings(max_examples=300, **FAST)
@given(st.one_of(OFFICIAL_HTML, HOSTILE_HTML))
@example("<p>(a(中)b)</p>")
@example('<p>"a" 中"文"</p>')
@example('<p>say "hi" 中"文"</p>')
def test_typeset_is_idempotent_and_keeps_every_word(html):
    once = typeset(html)
    assert typeset(once) == once
    assert words(once) == words(settle(html))
    assert settle(once) == once  # what the editor shows is what a save stores


def test_long_runs_take_linear_time():
    # Patterns that rescan on failure (an e-mail name without "@", a number without separators, nested pairs)
    # once took seconds per hundred kilobytes; the bound leaves room on a busy machine.
    import time

    started = time.monotonic()
    typeset("<p>" + "a" * 300_000 + "1" * 300_000 + "(" * 50_000 + "中" + ")" * 50_000 + "</p>")
    assert time.monotonic() - started < 10
