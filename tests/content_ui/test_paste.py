"""Pasting from Word, WPS and web pages (govpub/content/paste.py) on realistic clipboard HTML (fixtures/README.md),
and hostile HTML coming out harmless."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from govpub.content.paste import clean_paste, clean_pasted_html
from govpub.content.sanitize import sanitize_html
from tests.fuzz.test_fuzz_sanitize import FAST, HOSTILE_HTML, assert_safe

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def tree(html: str):
    return lxml.html.fragment_fromstring(html, create_parent="div")


def texts(root, path: str) -> list[str]:
    return [e.text_content() for e in root.xpath(path)]


# ---- Word 2016 ----

def test_word_table_keeps_its_merged_cells_and_loses_word_s_empty_row():
    root = tree(clean_pasted_html(fixture("word2016_clipboard.html")))
    rows = root.xpath("//table/tbody/tr")
    assert [[td.text_content() for td in row.xpath("td")] for row in rows] == [
        ["乡镇", "更新条数", "备注"], ["一季度", "二季度"], ["城关镇", "1,024", "986", ""]]
    first = rows[0].xpath("td")
    assert (first[0].get("rowspan"), first[1].get("colspan"), first[2].get("rowspan")) == ("2", "2", "2")
    assert not root.xpath("//td[@width or @style or @valign]") and not root.xpath("//table[@border or @class]")


def test_word_bullets_become_a_nested_list_and_numbers_an_ordered_one():
    root = tree(clean_pasted_html(fixture("word2016_clipboard.html")))
    bullets = root.xpath("/div/ul")[0]
    assert [li.text for li in bullets.xpath("li")] == ["主动公开重点领域信息", "规范依申请公开办理"]
    assert texts(bullets, "li/ul/li") == ["财政预决算"]
    assert texts(root, "/div/ol/li") == ["第一季度：3月31日前", "第二季度：6月30日前"]
    # The typed bullet (Wingdings "l") and Word's spacing never reach the text.
    assert not re.search(r"(^|>)[ln]\s", clean_pasted_html(fixture("word2016_clipboard.html")))


def test_word_headings_shift_below_the_page_title_and_keep_their_numbering():
    root = tree(clean_pasted_html(fixture("word2016_clipboard.html")))
    assert texts(root, "//h2") == ["一、总体要求"]
    assert texts(root, "//h3") == ["（一）工作目标"]
    assert not root.xpath("//h1 | //a[not(@href)]")  # the _Toc bookmark is gone, its text kept


def test_word_paragraphs_keep_bold_underline_links_alignment_and_nothing_of_word_s_own():
    result = clean_paste(fixture("word2016_clipboard.html"))
    root = tree(result.html)
    paragraphs = root.xpath("/div/p")
    assert paragraphs[0].get("align") == "center" and texts(paragraphs[0], "strong") == ["关于做好2024年度政务公开工作的通知"]
    # The empty paragraph under the title is dropped; the hard-wrapped source line leaves no space inside a word.
    assert paragraphs[1].text_content() == "各乡镇人民政府，区直各部门："
    assert "请认真抓好落实，详见中国政府网。" in paragraphs[2].text_content()
    assert texts(root, "//strong") [1:2] == ["认真"] and texts(root, "//u") == ["落实"]
    assert root.xpath("//a/@href") == ["http://www.gov.cn/zhengce/"]
    signature = paragraphs[-1]
    assert signature.get("align") == "right" and len(signature.xpath("br")) == 1  # Word's duplicate <br> is gone
    assert signature.text_content() == "区政务公开办2024年3月1日"
    for leftover in ("mso-", "Mso", "o:p", "<xml", "<style", "StartFragment", "<!--", "<span", "class=", "style=",
                     "file:///", "\u00a0", "<img", "<div"):
        assert leftover not in result.html, leftover
    assert result.notes == ["粘贴内容中的 1 张图片未能带入（图片须上传到本平台才能发布），请用上传图片的方式另行插入。"]


# ---- WPS ----

def test_wps_keeps_structure_and_bold_written_as_a_style():
    result = clean_paste(fixture("wps2019_clipboard.html"))
    root = tree(result.html)
    assert texts(root, "/div/p[1]/strong") == ["城关镇2024年第一季度政务公开工作情况"]
    assert texts(root, "/div/p[2]/strong") == ["126"]  # <span style="font-weight:bold">
    # A link's underline (WPS writes it as text-decoration on the link's span) is the link's own look.
    assert texts(root, "//a") == ["政府信息公开专栏"] and not root.xpath("//a//u")
    # The typed 　　 indent goes (the style sheet indents); the text itself is whole.
    assert root.xpath("/div/p[2]")[0].text_content() == "一季度，我镇共主动公开政府信息126条，详见政府信息公开专栏。"
    assert texts(root, "//h3") == ["主要做法"] and not root.xpath("//h3/strong")
    # Chinese counting (一、) cannot be a list without losing the 公文 numbering: it stays written out.
    assert texts(root, "/div/p")[2:4] == ["一、健全工作机制", "二、规范发布流程"]
    assert texts(root, "/div/ul/li") == ["先审后发", "三审三校"]
    cells = root.xpath("//tr/td")
    assert cells[0].get("colspan") == "2" and cells[2].get("rowspan") == "2"
    assert [c.text_content() for c in cells] == ["公开方式", "条数", "网站", "政务动态", "98", "通知公告", "28"]
    assert "font" not in result.html and "mso" not in result.html and result.notes == []


# ---- web pages ----

def test_hostile_web_page_keeps_its_content_and_nothing_that_runs():
    result = clean_paste(fixture("web_fragment_hostile.html"))
    out = result.html
    assert_safe(out)
    for bad in ("script", "alert", "onclick", "onerror", "onload", "iframe", "evil.example", "javascript:",
                "vbscript:", "data:", "<svg", "<form", "<input", "搜索", "提交", "<style", "display:none"):
        assert bad not in out, bad
    root = tree(out)
    assert texts(root, "//h2") == ["区人民政府关于公布第一批政务服务事项清单的通知"]
    assert texts(root, "//h3") == ["一、事项清单"]
    assert texts(root, "//thead//th") == ["序号", "事项名称", "办理时限", "办理地点"]
    assert root.xpath("//th[4]/@colspan") == ["2"] and root.xpath("//td[@rowspan]/text()") == ["区政务服务中心"]
    # The safe link stays (its target and handler do not); links that run script or go nowhere keep their words.
    assert root.xpath("//a/@href") == ["https://zwfw.example.gov.cn/list?id=1&t=2"]
    assert "请遵照执行" in out and "附件1：事项清单（Word版）" in out and "旧式链接数据链接" in out
    assert texts(root, "//strong") == ["现将"] and texts(root, "//em") == ["注："]
    assert result.notes and "1 张图片" in result.notes[0]


@pytest.mark.parametrize("pasted, cleaned", [
    ("<p class=MsoTitle>年度报告</p><p class=MsoSubtitle>副标题</p>", "<h2>年度报告</h2><h3>副标题</h3>"),
    ("<h4>甲</h4><h5>乙</h5><h6>丙</h6>", "<h4>甲</h4><h4>乙</h4><h4>丙</h4>"),
    ('<p><span style="font-weight:700">粗</span><span style="font-style:italic">斜</span>'
     '<span style="text-decoration:line-through">删</span><span style="vertical-align:super">上</span>'
     '<span style="mso-bidi-font-weight:normal">常</span></p>',
     "<p><strong>粗</strong><em>斜</em><s>删</s><sup>上</sup>常</p>"),
    ("<p><b style='mso-bidi-font-weight:normal'>加粗</b><i>斜体</i><strike>删除</strike></p>",
     "<p><strong>加粗</strong><em>斜体</em><s>删除</s></p>"),
    ("<div><div>第一段</div><div>第二段<br>换行</div></div>", "<p>第一段</p><p>第二段<br>换行</p>"),
    ('<p><a href="#_Toc1">目录项</a><a href="/local">站内</a><a href="mailto:gkb@example.gov.cn">信箱</a></p>',
     '<p>目录项站内<a href="mailto:gkb@example.gov.cn" rel="noopener noreferrer">信箱</a></p>'),
    ("<table><tr><td colspan=1 rowspan=abc>甲</td><td colspan=3>乙</td></tr></table>",
     '<table><tbody><tr><td>甲</td><td colspan="3">乙</td></tr></tbody></table>'),
])
def test_office_and_web_shapes(pasted, cleaned):
    assert clean_pasted_html(pasted) == cleaned


def test_google_docs_wrapper_b_is_not_bold():
    html = '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1"><p><span>正文</span></p></b>'
    assert clean_pasted_html(html) == "<p>正文</p>"


def test_numbering_a_list_cannot_show_stays_written():
    # A numbered list continued after an ordinary paragraph starts at 3: an <ol> would show 1.
    html = ("<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>3.</span>"
            "第三项</p>")
    assert clean_pasted_html(html) == "<p>3. 第三项</p>"


def test_plain_fragments_and_nothing():
    assert clean_pasted_html("") == ""
    assert clean_pasted_html("   ") == ""
    assert clean_pasted_html("只有文字") == "<p>只有文字</p>"
    assert clean_pasted_html("<p>&nbsp;&nbsp;&nbsp;</p><p>a&nbsp;&nbsp; b</p>") == "<p>a b</p>"
    assert clean_pasted_html("Version:0.9\r\nStartHTML:000000105\r\nEndHTML:000000200\r\n"
                             "<html><body><!--StartFragment--><p>正文</p><!--EndFragment--></body></html>") == "<p>正文</p>"


# ---- whatever comes in ----

OFFICE_BITS = st.sampled_from([
    "<o:p>&nbsp;</o:p>", "<![if !supportLists]>", "<![endif]>", "<!--[if gte mso 9]><xml><w:x/></xml><![endif]-->",
    "<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'>", "<span style='mso-list:Ignore'>·</span>",
    "<span style='font-weight:bold'>", "<b style='font-weight:normal'>", "<h1>", "<div class=WordSection1>",
    "<table><tr><td colspan=2 rowspan='x'>", "</td></tr></table>", "<v:shape><v:imagedata src=x></v:shape>",
    "<st1:chsdate>2024年</st1:chsdate>", "<a name=_Toc1>", "<a href='javascript:alert(1)'>", "</a>", "</p>",
    "\r\n", "中文", "&nbsp;", "<br style='page-break-before:always'>", "<!--StartFragment-->"])


@settings(max_examples=300, **FAST)
@given(st.one_of(HOSTILE_HTML, st.lists(st.one_of(OFFICE_BITS, HOSTILE_HTML), max_size=12).map("".join)))
@example('<p onclick="x()">a</p><script>alert(1)</script><img src=x onerror=alert(1)>')
@example('<a href="jav&#x09;ascript:alert(1)">x</a>')
@example("<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>"
         "<script>alert(1)</script></span></p>")
def test_pasted_html_is_harmless_and_stable_under_the_sanitiser(dirty):
    out = clean_pasted_html(dirty)
    assert_safe(out)
    assert sanitize_html(out) == out, "a save of the pasted body stores exactly what the editor showed"
    root = tree(out)
    assert not root.xpath("//script | //iframe | //object | //embed")
    for element in root.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (name, out)
            assert not re.match(r"(?i)\s*(javascript|vbscript|data):", value), (name, value, out)


def test_a_paste_of_many_word_runs_takes_linear_time():
    # Word splits text into a run (<span>) per formatting change; removing them one by one, each appending its
    # text to a neighbour, took a minute for 80 000 runs. Now well under a second; the bound leaves room.
    import time

    started = time.monotonic()
    out = clean_pasted_html("<span>政<b>务</b></span>" * 40_000 + "<p></p>\n" * 40_000 + "<!---->公" * 40_000)
    assert time.monotonic() - started < 10
    assert out.startswith("<p>政<strong>务</strong>政") and out.endswith("公</p>")
