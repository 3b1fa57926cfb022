"""Browser tests: a real GovPub server process and Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from govpub.ops.scratch import free_port, fresh_postgres_database

CHROMIUM = os.environ.get("GOVPUB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]
DEMO_PASSWORD = "Govpub@2026demo"


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """`govpub serve --demo` in its own process, on its own data, as a newcomer would start it."""
    home = tmp_path_factory.mktemp("govpub-home")
    port = free_port()
    # Every browser logs in from 127.0.0.1, dozens of times a minute: a per-address login limit meant for an
    # office's shared address would refuse the suite (tests/ops/test_ratelimit.py tests the limit itself).
    env = {**os.environ, "GOVPUB_HOME": str(home), "GOVPUB_QUEUE_NAME": f"govpub-e2e-{port}",
           "GOVPUB_RATE_LOGIN": "1000/60"}
    drop = None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"], drop = fresh_postgres_database(os.environ["DATABASE_URL"], "govpub_e2e")
    log = open(home / "server.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "govpub", "serve", "--demo", "--port", str(port)],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"govpub serve exited early:\n{(home / 'server.log').read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail(f"govpub serve did not start:\n{(home / 'server.log').read_text()}")
    yield {"url": base, "home": Path(home), "env": env}
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()
    if drop:
        drop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"浏览器测试需要 {CHROMIUM}：请运行 apt-get install chromium（scripts/test.sh 会自动安装）")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


# TOTP step each demo user last sent from this test run: the server accepts every code once only.
_TOTP_STEPS: dict[str, int] = {}


def enter_totp(page, username: str, key: bytes | None = None) -> None:
    """Type the code an authenticator holding `key` (default: the published demo secret) shows now, on the
    双因素验证 page, waiting for a fresh code if this run used the current and the next one already."""
    from govpub.twofactor import codes
    from govpub.twofactor.demo import DEMO_TOTP_KEY

    step, wait = codes.next_usable_step(_TOTP_STEPS.get(username, -1))
    if wait:
        time.sleep(wait)
        step, _ = codes.next_usable_step(_TOTP_STEPS.get(username, -1))
    _TOTP_STEPS[username] = step
    page.get_by_label("验证码或恢复码").fill(codes.code_at(key or DEMO_TOTP_KEY, step))
    page.get_by_role("button", name="验证").click()
    page.wait_for_load_state()


@pytest.fixture
def login(server):
    def do(page, username: str, password: str = DEMO_PASSWORD):
        page.goto(server["url"] + "/accounts/login/")
        page.get_by_label("账号").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
        if "/accounts/2fa/verify/" in page.url:  # reviewers, supervisors and admins: the second factor
            enter_totp(page, username)

    return do
