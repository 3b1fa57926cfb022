"""Two-factor login in a real browser: an administrator resets a reviewer's authenticator, the reviewer enrols
a new one from the QR page, keeps the recovery codes, and signs in again with a code."""

import base64
import re

import pytest
from playwright.sync_api import expect

from govpub.twofactor import codes

pytestmark = pytest.mark.e2e

REVIEWER = "yanji-deputy"  # used by no other browser test: its authenticator is replaced here
PASSWORD = "Govpub@2026demo"


def password_login(page, base, username):
    page.goto(base + "/accounts/login/")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def test_reviewer_enrols_and_signs_in_with_a_code(page, server, login):
    base = server["url"]

    # The administrator resets the reviewer's authenticator (as after a lost phone).
    login(page, "demo-admin")
    expect(page.get_by_role("heading", name=re.compile("您好"))).to_be_visible()
    page.get_by_role("link", name="人员", exact=True).click()
    page.get_by_label("姓名或账号").fill(REVIEWER)
    page.get_by_role("button", name="筛选").click()
    page.get_by_role("link", name="吴刚").click()
    expect(page.get_by_role("heading", name="双因素认证")).to_be_visible()
    page.get_by_role("button", name="重置双因素认证").click()
    expect(page.get_by_text("其下次登录时须重新绑定验证器")).to_be_visible()
    expect(page.get_by_text("未启用")).to_be_visible()
    page.get_by_role("button", name="退出", exact=True).click()

    # The reviewer signs in with the password and is made to enrol before anything else.
    password_login(page, base, REVIEWER)
    assert "/accounts/2fa/setup/" in page.url
    expect(page.get_by_text("您的角色登录时必须使用双因素认证")).to_be_visible()
    qr = page.get_by_role("img", name=re.compile("验证器绑定二维码"))
    expect(qr).to_be_visible()
    assert qr.get_attribute("src").startswith("data:image/svg+xml;base64,")
    assert qr.evaluate("img => img.naturalWidth") > 100  # the SVG really renders under the site's CSP
    page.goto(base + "/staff/items/")  # nothing else opens before the code is confirmed
    assert "/accounts/2fa/setup/" in page.url

    # The authenticator app: the secret typed in by hand, as shown in groups of four.
    shown = page.locator("#totp-secret").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{1,4}", shown)
    secret = shown.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    step = codes.current_t()
    page.get_by_label("验证码").fill(codes.code_at(key, step))
    page.get_by_role("button", name="确认绑定").click()
    expect(page.get_by_role("heading", name="绑定成功：请保存恢复码")).to_be_visible()
    recovery = page.get_by_role("list", name="恢复码").get_by_role("listitem")
    expect(recovery).to_have_count(10)
    page.get_by_role("link", name="我已保存，继续").click()
    expect(page).to_have_url(base + "/staff/items/")  # where the reviewer was headed before enrolling
    page.get_by_role("button", name="退出", exact=True).click()

    # Next sign-in: the password, then a code from the new authenticator (the confirming one is spent).
    password_login(page, base, REVIEWER)
    assert "/accounts/2fa/verify/" in page.url
    expect(page.get_by_role("heading", name="双因素验证")).to_be_visible()
    step, wait = codes.next_usable_step(step)
    if wait:
        page.wait_for_timeout(wait * 1000)
    page.get_by_label("验证码或恢复码").fill(codes.code_at(key, step))
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_role("heading", name=re.compile("您好"))).to_be_visible()
    assert page.url.rstrip("/").endswith("/staff")

    # The person's own security page shows the authenticator and the ten recovery codes.
    page.get_by_role("link", name="账号安全").click()
    expect(page.get_by_text("已启用")).to_be_visible()
    expect(page.get_by_text("10 个")).to_be_visible()
