"""In a real browser: the login captcha image loads under the strict CSP, the header links the password
page, and a second login signs the first browser out with the Chinese notice."""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import browser, login, page, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.e2e


def test_captcha_image_loads_under_the_csp(page, server, login):  # noqa: F811
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    for _ in range(3):  # an account no other test signs in with, so the captcha bothers nobody else
        login(page, "captcha-probe", "wrong-password")
    page.goto(server["url"] + "/accounts/login/")
    image = page.get_by_role("img", name="验证码图片")
    expect(image).to_be_visible()
    page.wait_for_function("document.querySelector('img.captcha').complete")
    assert page.evaluate("document.querySelector('img.captcha').naturalWidth") > 0
    expect(page.get_by_label("验证码")).to_be_visible()
    page.get_by_role("link", name="看不清？换一张").click()
    expect(page.get_by_role("img", name="验证码图片")).to_be_visible()
    assert not [p for p in problems if "Content Security Policy" in p], problems


def test_password_page_is_linked_and_a_second_login_ends_the_first(browser, page, server, login):  # noqa: F811
    login(page, "demo-editor2")
    page.get_by_role("link", name="修改密码").click()
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
    expect(page.get_by_label("当前密码")).to_be_visible()

    other = browser.new_context(locale="zh-CN").new_page()
    try:
        login(other, "demo-editor2")
        expect(other.get_by_role("heading", name=re.compile("您好"))).to_be_visible()
    finally:
        other.context.close()
    page.goto(server["url"] + "/staff/items/")
    assert "/accounts/login/" in page.url
    expect(page.get_by_text("您的账号已在其他地方登录，本会话已退出。")).to_be_visible()
