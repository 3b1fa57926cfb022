"""No lost work in the browser (issue 16 items 5 and 6): two editors saving the same item get a merge, not a
silent loss; leaving with unsaved text warns, and the text typed comes back from the local copy; the WeChat
preview fits a phone."""

import re

import pytest
from playwright.sync_api import expect

from .test_portal import axe_violations

pytestmark = pytest.mark.e2e
TITLE = "全区秋冬季森林防火工作部署会召开"


def open_as(browser, login, username, width=1366, height=900):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(20_000)
    login(page, username)
    return page


def type_in_body(page, text):
    area = page.locator(".rich-area")
    area.click()
    page.keyboard.press("End")
    page.keyboard.type(text)


def test_two_editors_and_the_unsaved_work(browser, server, login):
    base = server["url"]
    first = open_as(browser, login, "demo-editor")
    second = open_as(browser, login, "demo-editor2")
    try:
        first.goto(base + "/staff/items/new/")
        first.get_by_label("标题", exact=True).fill(TITLE)
        type_in_body(first, "区应急管理局通报了近期火险形势。")
        first.get_by_label("鄂州市临空经济区管理委员会网站 / 工作动态").check()
        first.get_by_role("button", name="保存").click()
        expect(first.get_by_text("稿件已保存。")).to_be_visible()
        item_url = first.url
        edit_url = item_url + "edit/"

        # Both open the editor on revision 1; the first saves a new title, the second then saves a body.
        first.goto(edit_url)
        second.goto(edit_url)
        first.get_by_label("标题", exact=True).fill(TITLE + "（修订）")
        first.get_by_role("button", name="保存").click()
        expect(first.get_by_text("已保存为第 2 版。")).to_be_visible()
        type_in_body(second, "李娜补充：各镇要落实24小时值班。")
        second.get_by_role("button", name="保存").click()
        expect(second.get_by_role("heading", name="保存冲突：您的修改尚未保存")).to_be_visible()
        expect(second.get_by_label("标题", exact=True)).to_have_value(TITLE + "（修订）")  # theirs, merged in
        expect(second.locator(".rich-area")).to_contain_text("李娜补充")  # the second editor's typing kept
        assert axe_violations(second) == []
        second.screenshot(path=str(server["home"] / "edit-conflict.png"), full_page=True)
        second.get_by_role("button", name="保存").click()
        expect(second.get_by_text("已保存为第 3 版。")).to_be_visible()
        expect(second.get_by_role("heading", name=TITLE + "（修订）")).to_be_visible()
        expect(second.locator(".body-preview")).to_contain_text("李娜补充")

        # Unsaved text: leaving asks first; the text comes back from this browser's copy.
        second.goto(edit_url)
        type_in_body(second, "尚未保存的一句话。")
        second.wait_for_timeout(300)
        dialogs = []
        second.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
        second.goto(item_url)
        assert dialogs == ["beforeunload"]
        second.goto(edit_url)
        note = second.get_by_role("status").filter(has_text="未提交的修改")
        expect(note).to_be_visible()
        note.get_by_role("button", name="恢复未保存的修改").click()
        expect(second.locator(".rich-area")).to_contain_text("尚未保存的一句话。")
        second.get_by_role("button", name="保存").click()
        expect(second.get_by_text("已保存为第 4 版。")).to_be_visible()
        second.goto(edit_url)
        expect(second.get_by_role("status").filter(has_text="未提交的修改")).to_have_count(0)  # saved: forgotten
    finally:
        first.context.close()
        second.context.close()


def test_previews_fit_a_phone(browser, server, login):
    """From the item page on a phone: the website article and the WeChat post, with WeChat's limits shown."""
    page = open_as(browser, login, "demo-editor", 390, 844)
    try:
        page.goto(server["url"] + "/staff/items/new/")
        page.get_by_label("标题", exact=True).fill("关于做好今冬明春全区森林防火和安全用电工作的补充通知（第二次修订稿）")
        type_in_body(page, "各镇、各部门：请落实防火责任，加强巡查值守。")
        page.get_by_label("临空经济区发布（微信公众号）").check()
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_text("稿件已保存。")).to_be_visible()
        for name, expected in (("预览网站页面", "尚未发布"), ("预览微信图文", "超过微信公众号的 32 字上限")):
            page.get_by_role("link", name=name).click()
            expect(page.get_by_text(expected).first).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
            assert axe_violations(page) == [], name
            page.screenshot(path=str(server["home"] / f"preview-{name}.png"), full_page=True)
            page.go_back()
    finally:
        page.context.close()
