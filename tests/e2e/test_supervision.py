"""Browser: 问题交办 from assignment to verification, and the 交办函 download (issue 7)."""

import datetime as dt
import io
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def logout(page):
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()


def test_ticket_assigned_rectified_verified_with_letter(page, server, login):
    from docx import Document

    deadline = dt.date.today() + dt.timedelta(days=12)
    login(page, "demo-supervisor")
    page.get_by_role("link", name="监管", exact=True).click()
    expect(page.get_by_role("heading", name="问题交办")).to_be_visible()
    page.get_by_role("link", name="交办问题").click()
    page.get_by_label("渠道").select_option(label="燕矶发布（微信公众号）——承办单位：燕矶镇人民政府")
    page.get_by_role("textbox", name="问题", exact=True).fill("公众号超过两周未更新")
    page.get_by_label("问题描述").fill("“燕矶发布”自上次发布后已超过两周无更新。")
    page.get_by_label("问题证据").fill("最后一次发布日期见公众号主页截图")
    page.get_by_label("交办方式").select_option(label="交办函")
    page.get_by_label("整改期限").fill(deadline.isoformat())
    page.get_by_role("button", name="交办").click()

    expect(page.get_by_text("已交办给燕矶镇人民政府")).to_be_visible()
    year = dt.date.today().year
    number = page.get_by_text(re.compile(rf"鄂州临空政务公开办函〔{year}〕\d+号")).first.inner_text()
    letter_no = re.search(rf"鄂州临空政务公开办函〔{year}〕\d+号", number).group(0)
    ticket_url = page.url
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载交办函（Word）").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    doc = Document(io.BytesIO(open(download.path(), "rb").read()))
    texts = [p.text for p in doc.paragraphs]
    assert letter_no in texts and "燕矶镇人民政府：" in texts
    assert any(f"于{deadline.year}年{deadline.month}月{deadline.day}日前" in t for t in texts)
    logout(page)

    login(page, "yanji-office-head")
    page.get_by_role("link", name="监管", exact=True).click()
    page.get_by_role("link", name="公众号超过两周未更新").click()
    page.get_by_role("button", name="签收并开始整改").click()
    expect(page.get_by_text("已签收，请按期整改")).to_be_visible()
    page.get_by_role("link", name="报送整改情况").click()
    page.get_by_label("整改情况及证明").fill("已恢复每周更新，并明确专人负责，附主页截图。")
    page.get_by_label("证明材料（可选）").set_input_files(
        {"name": "主页截图.png", "mimeType": "image/png", "buffer": PNG})
    page.get_by_role("button", name="报送").click()
    expect(page.get_by_text("整改情况已报送")).to_be_visible()
    expect(page.get_by_role("link", name="主页截图.png")).to_be_visible()
    expect(page.get_by_role("link", name="核验办结")).to_have_count(0)
    logout(page)

    login(page, "demo-supervisor")
    page.goto(ticket_url)
    page.get_by_role("link", name="核验办结").click()
    page.get_by_label("核验意见").fill("经查看公众号，已恢复更新。")
    page.get_by_role("button", name="核验通过，办结").click()
    expect(page.get_by_text("已核验办结。")).to_be_visible()
    history = page.get_by_role("table", name="办理过程")
    for step in ("交办", "签收并开始整改", "报送整改情况", "核验办结"):
        expect(history.get_by_role("cell", name=step, exact=True)).to_be_visible()
