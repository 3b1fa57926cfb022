"""apply_suggestion: the finding's span in the visible text is mapped back to the HTML and replaced exactly."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from django.core.exceptions import PermissionDenied, ValidationError

from govpub.content import actions
from govpub.content.models import MachineFinding
from govpub.content.suggestions import SuggestionMismatch, replace_in_html, replace_in_text, visible_text
from govpub.review import actions as review_actions
from govpub.textcheck.htmltext import html_to_text

from .conftest import ID_NUMBER, people

MASKED = "420704**********3X"


@pytest.mark.parametrize("html", [
    "<p>一段<strong>加粗</strong>文字</p><p>第二段 &amp; 符号  多个   空格</p>",
    "<h2>标题</h2>\n<ul><li>一</li><li>二<em>斜</em></li></ul><p>尾&lt;x&gt;</p>",
    "<p>表格</p><table><tr><td>a</td><td>b</td></tr></table><p>图<img src=\"https://x.cn/a.png\">后</p>",
    " 开头空格<br>换行 <span> 内 </span>尾 ",
])
def test_visible_text_matches_textcheck(html):
    assert visible_text(html) == html_to_text(html).text


def _span(html, needle):
    text = visible_text(html)
    start = text.index(needle)
    return start, start + len(needle)


def test_replace_span_across_inline_tags():
    html = f"<p>联系人张三，身份证号<strong>{ID_NUMBER[:6]}</strong>{ID_NUMBER[6:]}。</p>"
    start, end = _span(html, ID_NUMBER)
    out = replace_in_html(html, start, end, ID_NUMBER, MASKED)
    assert out == f"<p>联系人张三，身份证号<strong>{MASKED}</strong>。</p>"
    assert visible_text(out) == visible_text(html).replace(ID_NUMBER, MASKED)


def test_replace_with_entities_and_collapsed_whitespace():
    html = "<p>甲&amp;乙  公司   与&lt;丙&gt;</p><p>下一段</p>"
    text = visible_text(html)
    assert text.startswith("甲&乙 公司 与<丙>")
    start, end = _span(html, "&乙 公司")
    out = replace_in_html(html, start, end, "&乙 公司", "和乙公司")
    assert out == "<p>甲和乙公司   与&lt;丙&gt;</p><p>下一段</p>"
    start, end = _span(out, "<丙>")
    assert replace_in_html(out, start, end, "<丙>", "<b>丁</b>") == \
        "<p>甲和乙公司   与&lt;b&gt;丁&lt;/b&gt;</p><p>下一段</p>"  # suggestions are text, never markup


def test_replace_keeps_attributes_and_other_paragraphs():
    html = '<p align="center">第一段</p><p>见<a href="https://www.gov.cn/" rel="noopener noreferrer">中国政府网</a>公告</p>'
    start, end = _span(html, "政府网")
    out = replace_in_html(html, start, end, "政府网", "政府门户网站")
    assert out == ('<p align="center">第一段</p><p>见<a href="https://www.gov.cn/" rel="noopener noreferrer">'
                   "中国政府门户网站</a>公告</p>")


def test_stale_or_cross_paragraph_span_is_refused():
    html = "<p>第一段结尾</p><p>第二段开头</p>"
    start, end = _span(html, "结尾")
    with pytest.raises(SuggestionMismatch, match="已被修改"):
        replace_in_html(html, start, end, "别的字", "x")
    with pytest.raises(SuggestionMismatch):
        replace_in_html(html, 100, 104, "超出", "x")
    text = visible_text(html)
    start, end = text.index("结尾"), text.index("第二") + 2
    with pytest.raises(SuggestionMismatch, match="跨越多个段落"):
        replace_in_html(html, start, end, text[start:end], "x")
    assert replace_in_text("标题含错字", 3, 5, "错字", "正字") == "标题含正字"
    with pytest.raises(SuggestionMismatch):
        replace_in_text("标题含错字", 3, 5, "别字", "正字")


def _id_finding(item):
    findings = review_actions.check_current_revision(item, acting_user=people("demo-editor"))
    return next(f for f in findings if f.text == ID_NUMBER)


def test_apply_suggestion_creates_a_new_revision(make_item):
    item = make_item(body=f"<p>联系人张三，身份证号<strong>{ID_NUMBER}</strong>，电话另告。</p><p>A &amp; B</p>")
    first = item.current_revision
    finding = _id_finding(item)
    revision = actions.apply_suggestion(finding, acting_user=people("demo-editor"))
    assert revision.number == first.number + 1
    assert revision.body_html == f"<p>联系人张三，身份证号<strong>{MASKED}</strong>，电话另告。</p><p>A &amp; B</p>"
    assert revision.title == first.title and revision.targets == first.targets
    first.refresh_from_db()
    assert ID_NUMBER in first.body_html  # the old revision is untouched
    # The finding belongs to the old revision now: applying it again is refused.
    with pytest.raises(ValidationError, match="旧版本"):
        actions.apply_suggestion(finding, acting_user=people("demo-editor"))


def test_apply_suggestion_in_title_and_refusals(make_item):
    item = make_item(title=f"张三身份证号{ID_NUMBER}的说明")
    findings = review_actions.check_current_revision(item, acting_user=people("demo-editor"))
    title_finding = next(f for f in findings if f.field == "title" and f.text == ID_NUMBER)
    with pytest.raises(PermissionDenied):
        actions.apply_suggestion(title_finding, acting_user=people("yanji-editor"))
    with pytest.raises(PermissionDenied):
        actions.apply_suggestion(title_finding, acting_user=people("demo-office-head"))
    # A recorded span that no longer matches the text is refused, nothing is written.
    wrong = MachineFinding.objects.create(revision=item.current_revision, category="typo", rule="x", severity="warn",
                                          field="title", start=0, end=2, text="不对", message="m", suggestion="y")
    with pytest.raises(SuggestionMismatch):
        actions.apply_suggestion(wrong, acting_user=people("demo-editor"))
    no_suggestion = MachineFinding.objects.create(revision=item.current_revision, category="typo", rule="x",
                                                  severity="warn", field="title", start=0, end=2, text="张三",
                                                  message="m", suggestion=None)
    with pytest.raises(ValidationError, match="没有可自动应用"):
        actions.apply_suggestion(no_suggestion, acting_user=people("demo-editor"))
    item.refresh_from_db()
    assert item.current_revision.number == 1
    revision = actions.apply_suggestion(title_finding, acting_user=people("demo-editor"))
    assert revision.title == f"张三身份证号{MASKED}的说明"


SEGMENTS = ["政务", "公开", " ", "  ", "&", "<", "A", "1", "，", "\n"]


@st.composite
def html_and_span(draw):
    paragraphs = []
    for _ in range(draw(st.integers(1, 3))):
        parts = []
        for _ in range(draw(st.integers(1, 5))):
            text = "".join(draw(st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=4)))
            tag = draw(st.sampled_from([None, "strong", "em", "span"]))
            escaped = text.replace("&", "&amp;").replace("<", "&lt;")
            parts.append(f"<{tag}>{escaped}</{tag}>" if tag else escaped)
        paragraphs.append("<p>" + "".join(parts) + "</p>")
    html = "".join(paragraphs)
    text = visible_text(html)
    assume(len(text) > 1)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return html, start, end


@settings(max_examples=300, deadline=None)
@given(html_and_span(), st.sampled_from(["Ｘ", "已脱敏", "**"]))
def test_replacement_changes_exactly_the_span(case, replacement):
    html, start, end = case
    text = visible_text(html)
    try:
        out = replace_in_html(html, start, end, text[start:end], replacement)
    except SuggestionMismatch:
        assert "\n" in text[start:end]  # only spans across blocks are refused
        return
    assert visible_text(out) == text[:start] + replacement + text[end:]


def _id_number(body17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body17 + "10X98765432"[sum(int(d) * w for d, w in zip(body17, weights)) % 11]


def test_several_suggestions_are_one_save_and_one_revision(make_item, client_for):
    """Issue 16 item 4: three fixes are one new revision, not three; the UI and the API alike."""
    numbers = [_id_number(b) for b in ("42070419880315281", "42070419750620432", "42070420010909123")]
    item = make_item(title=f"关于{numbers[0]}的说明",
                     body=f"<p>甲{numbers[0]}，乙<strong>{numbers[1]}</strong>。</p><p>丙 {numbers[2]}</p>")
    review_actions.check_current_revision(item, acting_user=people("demo-editor"))
    ids = list(item.current_revision.findings.filter(suggestion__isnull=False, text__in=numbers)
               .values_list("pk", flat=True))
    assert len(ids) == 4
    page = client_for("demo-editor").get(f"/staff/items/{item.pk}/").content.decode()
    assert "应用所选修改建议（4 条，保存为一个新版本）" in page
    response = client_for("demo-editor").post(f"/staff/items/{item.pk}/findings/apply/", {"finding": ids},
                                              follow=True)
    assert "已应用 4 条修改建议，保存为第 2 版" in response.content.decode()
    item.refresh_from_db()
    revision = item.current_revision
    assert revision.number == 2 and item.revisions.count() == 2
    assert not any(n in revision.body_html or n in revision.title for n in numbers)
    assert revision.body_html.count("**********") == 3 and "<strong>" in revision.body_html


def test_overlapping_or_foreign_suggestions_are_refused_whole(make_item):
    item = make_item(body=f"<p>身份证号{ID_NUMBER}。</p>")
    other = make_item(body=f"<p>另一篇{ID_NUMBER}。</p>")
    editor = people("demo-editor")
    with pytest.raises(ValidationError, match="本稿件"):
        actions.apply_suggestions(item, [_id_finding(item).pk, _id_finding(other).pk], acting_user=editor)
    item.refresh_from_db()
    assert item.revisions.count() == 1
