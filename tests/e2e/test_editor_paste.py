"""Pasting from Word into the body editor (issue 16, item 3), in a real browser at 390×844: the Word 2016
clipboard fixture, dispatched as a paste event whose DataTransfer holds text/html, comes back from the server
cleaned — the table keeps its merged cells, the bullets are a list — and the saved item shows the table; a
body table never widens the page, in the staff pages nor on the portal. 一键排版 then 撤销排版 restores the body."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from govpub.content.paste import HTML_TOO_LARGE
from govpub.portal.views import scrollable_tables

from .test_portal import axe_violations

pytestmark = pytest.mark.e2e

WORD = (Path(__file__).parent.parent / "content_ui" / "fixtures" / "word2016_clipboard.html").read_text(encoding="utf-8")
PASTE = """([html, text]) => {
  const area = document.querySelector('.rich-area');
  area.focus();
  const data = new DataTransfer();
  if (html) { data.setData('text/html', html); }
  data.setData('text/plain', text);
  area.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
}"""
WIDE_TABLE = "<table><tbody><tr>" + "".join(f"<td>2024-0{n}-01T10:30:00Z</td>" for n in range(1, 10)) + "</tr></tbody></table>"


def test_word_paste_keeps_the_table_and_the_saved_item_shows_it(browser, server, login):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        login(page, "demo-editor")
        page.goto(server["url"] + "/staff/items/new/")
        page.get_by_label("标题", exact=True).fill("关于做好2024年度政务公开工作的通知")
        area = page.locator(".rich-area")
        page.evaluate(PASTE, [WORD, "乡镇\t更新条数\t备注"])
        status = page.get_by_role("status")
        expect(status).to_contain_text("已粘贴并保留格式")
        expect(status).to_contain_text("1 张图片未能带入")
        expect(area.locator("table td[rowspan='2']").first).to_have_text("乡镇")
        expect(area.locator("table td[colspan='2']")).to_have_text("更新条数")
        expect(area.locator("ul > li").first).to_contain_text("主动公开重点领域信息")
        expect(area.locator("h2")).to_have_text("一、总体要求")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert axe_violations(page) == []
        for button in page.locator(".rich-toolbar button").all():
            assert button.bounding_box()["height"] >= 44
        page.screenshot(path=str(server["home"] / "editor-paste-phone.png"), full_page=True)

        # 一键排版 on what was pasted plus a paragraph typed with half-width marks, and one click back.
        area.press("Control+End")
        area.press("Enter")
        area.press_sequentially("会议于10:30召开,请准时参加.")
        before = area.inner_html()
        page.get_by_role("button", name=re.compile("^一键排版")).click()
        expect(status).to_contain_text("已完成一键排版")
        expect(area).to_contain_text("会议于10:30召开，请准时参加。")
        expect(area.locator("table td[colspan='2']")).to_have_text("更新条数")
        page.get_by_role("button", name=re.compile("^撤销排版")).click()
        expect(status).to_contain_text("已撤销排版")
        assert area.inner_html() == before
        expect(page.get_by_role("button", name=re.compile("^撤销排版"))).to_be_disabled()

        page.get_by_role("button", name="保存").click()
        expect(page.get_by_text("稿件已保存。")).to_be_visible()
        preview = page.locator(".body-preview")
        expect(preview.locator("table td[colspan='2']")).to_have_text("更新条数")
        expect(preview.locator("table td[rowspan='2']").first).to_have_text("乡镇")
        expect(preview.locator("table tr")).to_have_count(3)
        expect(preview).not_to_contain_text("mso")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(server["home"] / "item-with-table-phone.png"), full_page=True)

        # With no HTML on the clipboard, or no answer from the server, the paste is plain text, as before.
        page.goto(page.url.rstrip("/") + "/edit/")
        page.evaluate(PASTE, [None, "纯文本粘贴"])
        expect(page.locator(".rich-area")).to_contain_text("纯文本粘贴")
        page.route("**/staff/editor/clean/", lambda route: route.fulfill(
            status=413, content_type="application/json", body=json.dumps({"detail": HTML_TOO_LARGE})))
        page.evaluate(PASTE, ["<p><b>带格式</b></p>", "服务器未整理的纯文本"])
        expect(page.locator(".rich-area")).to_contain_text("服务器未整理的纯文本")
        expect(page.get_by_role("status")).to_have_text("已按纯文本粘贴，未能保留原格式：" + HTML_TOO_LARGE)
        page.unroute("**/staff/editor/clean/")

        # The portal's body table scrolls inside its own box: a table of nine timestamps that cannot wrap, as the
        # article page writes it (portal.views.scrollable_tables), with the portal's style sheet.
        page.set_content(f'<html lang="zh-Hans"><head><title>正文表格</title>'
                         f'<link rel="stylesheet" href="{server["url"]}/static/govpub/portal.css">'
                         f'<meta name="viewport" content="width=device-width"></head><body>'
                         f'<main class="article"><div class="body"><p>正文</p>{scrollable_tables(WIDE_TABLE)}'
                         f'</div></main></body></html>')
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.querySelector('.body-table').scrollWidth") > 390  # it is wide
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the page is not
        assert page.evaluate("getComputedStyle(document.querySelector('.body p')).textIndent") != "0px"
        assert axe_violations(page) == []  # a scrolling region must be reachable by keyboard
        page.screenshot(path=str(server["home"] / "portal-wide-table-phone.png"), full_page=True)
    finally:
        context.close()
