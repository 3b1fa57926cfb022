"""The staff shell on a phone (issue 17): a deputy signs in (TOTP) at 390×844 and the page starts at its
content — the navigation folds behind one 菜单 button that shows the 待办 count — and opens on a tap;
nothing is wider than the viewport; axe-core finds nothing. At 1366 px the navigation is simply there."""

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
