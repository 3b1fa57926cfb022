"""The staff shell on a phone (issue 17): a deputy signs in (TOTP) at 390×844 and the page starts at its
content — the navigation folds behind one 菜单 button that shows the 待办 count — and opens on a tap;
nothing is wider than the viewport; axe-core finds nothing. At 1366 px the navigation is simply there."""

import re

import pytest
from playwright.sync_api import expect

from .test_portal import axe_violations

pytestmark = pytest.mark.e2e


def test_the_navigation_folds_on_a_phone(browser, server, login):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        login(page, "demo-deputy")
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_be_visible()
        assert heading.bounding_box()["y"] < 250, heading.bounding_box()  # was ~500 px down
        nav = page.get_by_role("navigation", name="主导航")
        menu = nav.get_by_role("button", name="菜单")
        expect(menu).to_be_visible()
        expect(menu).to_have_attribute("aria-expanded", "false")
        expect(nav.get_by_role("link", name="稿件")).to_be_hidden()
        assert menu.bounding_box()["height"] >= 44
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert axe_violations(page) == []
        page.screenshot(path=str(server["home"] / "staff-phone-folded.png"), full_page=True)
        menu.click()
        expect(menu).to_have_attribute("aria-expanded", "true")
        link = nav.get_by_role("link", name="稿件")
        expect(link).to_be_visible()
        assert link.bounding_box()["height"] >= 44
        assert axe_violations(page) == []
        link.click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_the_navigation_stays_open_on_a_desktop(browser, server, login):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        login(page, "demo-deputy")
        nav = page.get_by_role("navigation", name="主导航")
        expect(nav.get_by_role("link", name="稿件")).to_be_visible()
        expect(nav.get_by_role("button", name="菜单")).to_be_hidden()
    finally:
        context.close()


def test_a_deputy_reviews_on_a_phone_and_returns_with_only_a_reason(browser, server, login):
    """The demo's item waiting for 终审: on a desktop the article and the decision side by side; on a phone the
    deputy opens it from 待办, jumps to the decision in one tap, sees the typo warning beside (四), and returns
    it with only an opinion."""
    title = "关于开展冬季安全生产大检查的通知"
    desk = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    try:
        page = desk.new_page()
        login(page, "demo-deputy")
        page.get_by_role("link", name=title, exact=True).click()  # the 待办 row
        panel = page.get_by_role("region", name="审核：终审")
        article = page.locator(".body-preview")
        expect(panel).to_be_visible()
        assert panel.bounding_box()["x"] > article.bounding_box()["x"] + article.bounding_box()["width"] - 1
        assert panel.bounding_box()["y"] < 900  # in view beside the article, not below it
        assert axe_violations(page) == []
        # 审核批注: select a passage in the article, quote it with one click, comment on it.
        panel.get_by_text("对某段文字批注").click()
        page.evaluate("""() => {
            const p = document.querySelector('.body-preview p:last-child');
            const range = document.createRange();
            range.setStart(p.firstChild, 2); range.setEnd(p.firstChild, 12);
            const selection = window.getSelection(); selection.removeAllRanges(); selection.addRange(range);
        }""")
        panel.get_by_role("button", name="引用所选文字").click()
        quote = panel.get_by_label("所批原文")
        expect(quote).not_to_have_value("")
        panel.get_by_label("批注", exact=True).fill("“贯切”应为“贯彻”")
        panel.get_by_role("button", name="添加批注").click()
        expect(page.get_by_text("已添加批注。")).to_be_visible()
        expect(page.get_by_role("heading", name="审核批注（1 条）")).to_be_visible()

        page = phone.new_page()
        page.set_default_timeout(15_000)
        login(page, "demo-deputy")
        page.get_by_role("link", name=title, exact=True).click()  # the 待办 row
        jump = page.get_by_role("link", name="去审核：终审")
        assert jump.bounding_box()["y"] < 844 and jump.bounding_box()["height"] >= 44
        jump.click()
        panel = page.get_by_role("region", name="审核：终审")
        expect(panel.get_by_role("heading", name="审核：终审")).to_be_in_viewport()
        language = panel.get_by_role("radiogroup", name="不存在错别字、表述不规范、语病等错误")
        expect(language.get_by_text("机审在此项有")).to_be_visible()
        assert language.locator("label").first.bounding_box()["height"] >= 44  # a target, not a 13 px dot
        panel.get_by_label("审核意见").fill("“贯切”应为“贯彻”，请改正后重新提交。")
        panel.get_by_role("button", name="退回修改").click()
        expect(page.get_by_text("已提交审核意见：退回修改。")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert axe_violations(page) == []
        page.screenshot(path=str(server["home"] / "review-phone.png"), full_page=True)
    finally:
        desk.close()
        phone.close()


def test_at_200_percent_zoom_and_by_keyboard(browser, server, login):
    """1366×900 at 200 % zoom is a 683×450 CSS viewport: nothing wider than it; the folded menu opens
    from the keyboard and its links are reachable with Tab."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 683, "height": 450}, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        login(page, "demo-deputy")
        for path in ("/staff/", "/staff/items/", "/staff/review/"):  # the other tests may have done the item's review
            page.goto(server["url"] + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= 683, path
        menu = page.get_by_role("button", name=re.compile("^菜单"))
        menu.focus()
        page.keyboard.press("Enter")
        expect(menu).to_have_attribute("aria-expanded", "true")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent").startswith("待办")
        assert axe_violations(page) == []
    finally:
        context.close()
