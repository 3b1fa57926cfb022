"""Browser: the supervisor's work queue, from the home page, on a phone and a desktop, and starting the
monitoring from it (issue 14)."""

import re

import pytest
from playwright.sync_api import expect

from .test_portal import axe_violations

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width, height", [(390, 844), (1366, 900)])
def test_supervisor_desk_and_starting_a_scan(browser, server, login, width, height):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        login(page, "demo-supervisor")
        expect(page.get_by_role("heading", name="监管工作台")).to_be_visible()
        page.get_by_role("link", name="待核验的整改报告").click()
        expect(page.get_by_role("heading", level=1, name="监管工作台")).to_be_visible()
        for title in ("待核验的整改报告", "逾期未整改的交办问题", "可能触发单项否决的渠道问题"):
            expect(page.get_by_role("heading", level=2, name=title)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_violations(page) == []
        button = page.get_by_role("button", name="立即启动网站和政务新媒体监测（含网页内容检查、账号核查）")
        box = button.bounding_box()
        assert box["height"] >= 44, box
        button.click()
        # The other viewport's run may have started the same job a moment ago: then the refusal says so.
        expect(page.get_by_text(re.compile("已启动网站和政务新媒体监测|网站和政务新媒体监测.*正在进行"))).to_be_visible()
        expect(page.get_by_role("heading", level=1, name="监测问题")).to_be_visible()
        expect(page.get_by_text("网站和政务新媒体监测").first).to_be_visible()
        # The week-by-week availability of the demo's website (its probes, or 无数据), readable on a phone.
        expect(page.get_by_role("table", name=re.compile("网站可用性"))).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_violations(page) == []
        page.screenshot(path=str(server["home"] / f"desk-{width}.png"), full_page=True)
        # An ad-hoc scan of any site: the form, then its report page (the job may still be queued).
        page.get_by_role("link", name="临时检查任意网站").click()
        page.get_by_label("网站地址").fill(server["url"] + "/")
        page.get_by_label("最多检查页面数").fill("5")
        page.get_by_role("button", name="开始检查").click()
        # The other viewport's scan may still be running: then the form says so and keeps the address.
        expect(page.get_by_text(re.compile("^临时检查结果$|已有一个临时检查正在进行")).first).to_be_visible()
        if page.get_by_role("heading", level=1, name="临时检查结果").count():
            expect(page.get_by_text(re.compile("排队中|进行中|已完成")).first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_violations(page) == []
        page.screenshot(path=str(server["home"] / f"scan-{width}.png"), full_page=True)
    finally:
        context.close()
