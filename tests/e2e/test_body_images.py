"""An editor on a phone (390×844) puts a photo into a new item's body (issue 16 item 1): the 图片 button first
saves the draft, then picks the file, asks for its alt text in a dialog, uploads it and inserts it; after saving,
the item page shows it within the screen. The screenshot is kept in the server's home for a person to look at."""

import io

import pytest
from playwright.sync_api import expect
from PIL import Image

from .test_portal import axe_violations

pytestmark = pytest.mark.e2e


def test_an_editor_inserts_a_photo_with_alt_text_on_a_phone(browser, server, login, tmp_path):
    photo = tmp_path / "办事大厅.jpg"
    out = io.BytesIO()
    Image.new("RGB", (2000, 1200), (40, 110, 170)).save(out, "JPEG")  # wider than any phone
    photo.write_bytes(out.getvalue())
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        login(page, "demo-editor")
        page.goto(server["url"] + "/staff/items/new/")
        page.get_by_role("textbox", name="标题").fill("区政务服务中心延长周末服务时间")
        toolbar = page.get_by_role("toolbar", name="正文格式工具")
        toolbar.get_by_role("button", name="插入图片").click()
        draft = page.get_by_role("dialog", name="先保存草稿")
        expect(draft).to_be_visible()
        draft.get_by_role("button", name="保存草稿并继续编辑").click()
        page.wait_for_url("**/edit/")
        expect(page.get_by_text("现在可以在正文中插入图片")).to_be_visible()

        area = page.get_by_role("textbox", name="正文")
        area.click()
        page.keyboard.type("周末照常办理业务。")
        with page.expect_file_chooser() as chooser:
            toolbar.get_by_role("button", name="插入图片").click()
        chooser.value.set_files(str(photo))
        dialog = page.get_by_role("dialog", name="插入图片")
        expect(dialog).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert axe_violations(page) == []
        dialog.get_by_role("button", name="上传并插入").click()
        expect(dialog.get_by_role("alert")).to_have_text("请填写替代文字：读屏软件的读者只能通过它了解图片内容。")
        dialog.get_by_label("替代文字（必填）").fill("区政务服务中心办事大厅")
        dialog.get_by_label("图片说明（可选，显示在图片下方）").fill("周末的办事大厅")
        page.screenshot(path=str(server["home"] / "body-image-dialog-phone.png"))
        dialog.get_by_role("button", name="上传并插入").click()
        expect(page.get_by_role("status", name="正文图片")).to_contain_text("已上传并插入正文")
        expect(area.locator("img[alt='区政务服务中心办事大厅']")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.get_by_role("button", name="保存", exact=True).click()
        page.wait_for_url("**/staff/items/*/")

        shown = page.locator("article.body-preview img[alt='区政务服务中心办事大厅']")
        expect(shown).to_be_visible()
        assert shown.evaluate("img => img.complete && img.naturalWidth") == 2000
        box = shown.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        expect(page.locator("article.body-preview figcaption")).to_have_text("周末的办事大厅")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert axe_violations(page) == []
        page.screenshot(path=str(server["home"] / "body-image-phone.png"), full_page=True)
        shown.scroll_into_view_if_needed()
        page.screenshot(path=str(server["home"] / "body-image-phone-at-image.png"))
    finally:
        context.close()
