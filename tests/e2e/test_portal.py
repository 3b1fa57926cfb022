"""The public website as a visitor sees it in a real browser, plus axe-core on every page type.

The server is `govpub serve --demo`, whose demo content (govpub/web/demo_content.py) publishes items
through the real workflow, including a 政策文件 with a PDF attachment.
"""

import re
from pathlib import Path

import axe_playwright_python
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

AXE_JS = (Path(axe_playwright_python.__file__).with_name("axe.min.js")).read_text(encoding="utf-8")
POLICY = "临空经济区管委会关于印发《临空经济区招商引资优惠政策实施办法》的通知"


def axe_violations(page) -> list[dict]:
    """Serious and critical axe-core violations (WCAG 2.0/2.1 A and AA rules) on the current page."""
    page.evaluate(AXE_JS)  # through the devtools protocol: the site's CSP rightly refuses inline scripts
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_visitor_navigates_searches_downloads_and_switches_to_large_text(page, server):
    base = server["url"]
    page.goto(base + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", name="通知公告")).to_be_visible()

    # home → column → article
    page.get_by_role("navigation", name="网站栏目").get_by_role("link", name="政策文件").click()
    expect(page.get_by_role("heading", level=1, name="政策文件")).to_be_visible()
    page.get_by_role("link", name=POLICY).click()
    expect(page.get_by_role("heading", level=1, name=POLICY)).to_be_visible()
    expect(page.get_by_text(re.compile(r"发布时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}"))).to_be_visible()
    expect(page.locator('meta[name="ArticleTitle"]')).to_have_attribute("content", POLICY)
    article_url = page.url

    # the attachment downloads as the PDF it is
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(r"\.pdf$")).click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")

    # search a Chinese word from the body with the header search box
    page.get_by_role("searchbox", name="站内搜索").fill("优惠政策")
    page.get_by_role("searchbox", name="站内搜索").press("Enter")
    expect(page.get_by_role("heading", level=1, name="站内搜索")).to_be_visible()
    result = page.get_by_role("link", name=re.compile("招商引资优惠政策实施办法》的通知"))
    expect(result.first).to_be_visible()
    expect(page.locator("mark").first).to_have_text(re.compile("优惠政策|优惠|政策"))
    result.first.click()
    expect(page.get_by_role("heading", level=1, name=POLICY)).to_be_visible()
    assert page.url == article_url

    # 适老化: large text through a plain link, kept on the next page, and back
    size_before = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_role("link", name="大字版").click()
    expect(page.locator("body")).to_have_class(re.compile("large-text"))
    assert page.url == article_url
    size_after = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert size_after >= size_before * 1.2
    page.goto(base + "/zfxxgk/")
    expect(page.locator("body")).to_have_class(re.compile("large-text"))
    page.get_by_role("link", name="恢复标准字号").click()
    expect(page.locator("body")).not_to_have_class(re.compile("large-text"))


def test_keyboard_only_visitor_skips_to_content_and_reaches_a_column(page, server):
    page.goto(server["url"] + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "跳到正文"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focus is visible
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))  # waits: the fragment lands a moment after the key
    # Tab on to a column link in the main content and open it with Enter
    for _ in range(60):
        page.keyboard.press("Tab")
        href = page.evaluate("() => document.activeElement.getAttribute('href') || ''")
        if href.startswith("/articles/"):
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/articles/\d+/$"))


def test_high_contrast_mode_without_javascript(browser, server):
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(server["url"] + "/columns/gzdt/")
        expect(page.get_by_role("heading", level=1, name="工作动态")).to_be_visible()
        page.get_by_role("link", name="高对比度").click()
        expect(page.locator("body")).to_have_class(re.compile("high-contrast"))
        page.get_by_role("searchbox", name="站内搜索").fill("招商引资")
        page.get_by_role("button", name="搜索").first.click()
        expect(page.get_by_text(re.compile("找到与“招商引资”相关的信息"))).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/", "/columns/tzgg/", "/columns/zfxxgk/", "ARTICLE", "/search/?q=招商引资",
                                  "/search/?q=", "/zfxxgk/", "/zfxxgk/?topic=政务公开"])
@pytest.mark.parametrize("mode", ["standard", "large-contrast"])
def test_no_serious_or_critical_axe_violations(page, server, path, mode):
    base = server["url"]
    if mode == "large-contrast":
        page.goto(base + "/display/?large=1&contrast=1&next=/")
    if path == "ARTICLE":
        page.goto(base + "/columns/zcwj/")
        page.get_by_role("link", name=POLICY).click()
        expect(page.get_by_role("heading", level=1, name=POLICY)).to_be_visible()
    else:
        page.goto(base + path)
    violations = axe_violations(page)
    assert violations == [], violations


@pytest.mark.parametrize("width, height", [(390, 844), (360, 740), (1366, 900)])
def test_directory_and_lists_fit_the_screen_and_run_newest_first(browser, server, width, height):
    """On a phone the 信息公开目录 is cards, not a 671 px table; no page scrolls sideways; dates descend."""
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        for path in ("/", "/zfxxgk/", "/columns/gzdt/"):
            page.goto(server["url"] + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
            dates = page.locator("main time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
            if path != "/":  # the home page has several blocks, each in order; a list page is one order
                assert dates == sorted(dates, reverse=True), path
        page.goto(server["url"] + "/zfxxgk/")
        row = page.locator("table.directory tbody tr").first
        display = row.evaluate("el => getComputedStyle(el).display")
        assert display == ("flex" if width < 640 else "table-row")
        if width < 640:
            title = page.locator("table.directory td.title").first.bounding_box()
            assert title["width"] > width * 0.6  # the title gets the card's width, not three characters
        page.goto(server["url"] + "/favicon.ico")
        assert page.url.endswith(".png")
    finally:
        context.close()
