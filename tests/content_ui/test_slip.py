"""审核签发单 (issue 17 item 6): the printable page and the PDF (read back with pypdf) of an item's review —
each step's reviewer, answers, 保密审查, 校对 and opinion, the fingerprint, where it was published."""

import io
import re

import pytest
from pypdf import PdfReader

from api.conftest import api  # noqa: F401 (fixture)
from govpub.publishing import actions as publishing_actions
from govpub.review import actions as review_actions
from workflow.conftest import approved_item, make_item, people, website_column  # noqa: F401

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_slip_of_a_published_item_page_and_pdf(approved_item, client_for):
    item = approved_item()
    publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                    revision_hash=item.current_revision.content_hash)
    item.refresh_from_db()
    reviewers = {d.reviewer.display_name for d in item.review_runs.get().decisions.all()}
    page = client_for("demo-editor").get(f"/staff/items/{item.pk}/slip/").content.decode()
    assert "政务信息审核签发单" in page and item.current_revision.content_hash in page
    assert all(name in page for name in reviewers) and "信息真实准确" in page
    assert "鄂州市临空经济区管理委员会网站" in page  # where it went
    item_page = client_for("demo-editor").get(f"/staff/items/{item.pk}/").content.decode()
    assert f"/staff/items/{item.pk}/slip/" in item_page
    response = client_for("demo-editor").get(f"/staff/items/{item.pk}/slip.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    for expected in (item.current_revision.title, "政务信息审核签发单", "保密审查", "信息真实准确",
                     item.current_revision.content_hash[:32], *reviewers):
        assert expected in text.replace("\n", ""), expected


def test_a_returned_revision_shows_what_was_left_unanswered(make_item, client_for):
    item = make_item()
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    review_actions.record_decision(item, acting_user=people("demo-editor2"), decision="return",
                                   revision_hash=item.current_revision.content_hash, comment="第二段数据需核实",
                                   checklist={"truthful": False})
    page = client_for("demo-editor").get(f"/staff/items/{item.pk}/slip/?revision=1").content.decode()
    assert "退回修改" in page and "第二段数据需核实" in page and page.count("未回答") == 11  # 9 points + 保密 + 校对
    assert "尚未发布" in page
    assert client_for("demo-editor").get(f"/staff/items/{item.pk}/slip/?revision=9").status_code == 404
    assert client_for("yanji-editor").get(f"/staff/items/{item.pk}/slip/").status_code == 404  # another unit


def test_the_slip_through_the_api(approved_item, api):
    item = approved_item()
    response = api("demo-editor").get(f"/items/{item.pk}/slip.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert item.current_revision.title in _text(response.content)
    assert api("demo-editor").get(f"/items/{item.pk}/slip.pdf?revision=7").status_code == 404
    assert api("yanji-editor").get(f"/items/{item.pk}/slip.pdf").status_code == 404


def test_the_slip_keeps_the_reason_for_a_yes_over_open_findings(approved_item, client_for):
    item = approved_item(body="<p>各部门要认真贯切落实区委区政府的决策部署。</p>")  # a typo warning on (四)
    page = client_for("demo-editor").get(f"/staff/items/{item.pk}/slip/").content.decode()
    assert "说明（不存在错别字、表述不规范、语病等错误）：已核对机审提示，不影响发布" in page
    text = _text(client_for("demo-editor").get(f"/staff/items/{item.pk}/slip.pdf").content).replace("\n", "")
    assert "已核对机审提示，不影响发布" in text and re.search(r"第\s*1\s*页", text)  # page numbers
