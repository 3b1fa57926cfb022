"""A replaced session keeps the form being filled (issue 17): the editor's PC session is replaced by a
newer PC login; the old page's submit signs it out, and after signing in again the same form comes back
with what was typed in it (title and body), for the editor to check and submit."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def test_the_half_filled_form_comes_back_after_signing_in_again(browser, server, login):
    first, second = browser.new_context(locale="zh-CN"), browser.new_context(locale="zh-CN")
    try:
        page = first.new_page()
        page.set_default_timeout(15_000)
        login(page, "demo-editor")
        page.goto(server["url"] + "/staff/items/new/")
        page.get_by_role("textbox", name="标题").fill("会话被替换时写了一半的标题")
        login(second.new_page(), "demo-editor")  # a newer session on another PC
        page.get_by_role("button", name="保存", exact=True).click()
        expect(page.get_by_text(re.compile("您填写的内容已保留"))).to_be_visible()
        page.get_by_label("账号").fill("demo-editor")
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_text("已恢复您在会话结束前填写、尚未提交的内容，请检查后再提交。")).to_be_visible()
        expect(page.get_by_role("textbox", name="标题")).to_have_value("会话被替换时写了一半的标题")
    finally:
        first.close()
        second.close()
