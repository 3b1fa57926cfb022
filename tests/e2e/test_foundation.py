import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_office_head_sees_unit_channels_and_is_refused_audit_log(page, server, login):
    login(page, "demo-office-head")
    expect(page.get_by_role("heading", name=re.compile("您好"))).to_be_visible()
    page.get_by_role("link", name="渠道", exact=True).click()
    expect(page.get_by_role("link", name="鄂州市临空经济区管理委员会网站")).to_be_visible()
    expect(page.get_by_role("link", name="临空经济区发布").first).to_be_visible()
    expect(page.get_by_text("燕矶发布")).to_have_count(0)
    page.get_by_role("link", name="鄂州市临空经济区管理委员会网站").click()
    expect(page.get_by_text("法定主动公开内容").first).to_be_visible()
    # No audit link in the navigation, and the address itself is refused.
    expect(page.get_by_role("link", name="审计日志")).to_have_count(0)
    response = page.goto(server["url"] + "/staff/audit/")
    assert response.status == 403
    expect(page.get_by_text("只有政务公开办监管人员和系统管理员可以查看审计日志")).to_be_visible()


def test_supervisor_sees_audit_log_and_verifies_chain(page, login):
    login(page, "demo-supervisor")
    page.get_by_role("link", name="审计日志").click()
    expect(page.get_by_role("heading", name="审计日志")).to_be_visible()
    page.get_by_label("操作", exact=True).fill("授予职责")  # the log speaks Chinese, not event codes
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("cell", name="授予职责").first).to_be_visible()
    expect(page.get_by_role("cell", name="登录", exact=True)).to_have_count(0)
    page.get_by_role("button", name="校验审计链").click()
    expect(page.get_by_text(re.compile("审计链完好"))).to_be_visible()


def test_wrong_password_shows_chinese_error(page, login):
    login(page, "demo-editor", "not-the-password")
    expect(page.get_by_text("账号或密码不正确")).to_be_visible()


def test_every_staff_page_requires_login(page, server):
    page.goto(server["url"] + "/staff/units/")
    assert "/accounts/login/" in page.url
