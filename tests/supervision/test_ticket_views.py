import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govpub.supervision.models import Ticket, TicketState

pytestmark = pytest.mark.django_db

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_supervisor_assigns_from_the_form_and_unit_reports_with_a_file(client_for, yanji_wechat):
    supervisor = client_for("demo-supervisor")
    assert supervisor.get("/staff/supervision/tickets/new/").status_code == 200
    deadline = timezone.localdate() + dt.timedelta(days=7)
    response = supervisor.post("/staff/supervision/tickets/new/", {
        "channel": yanji_wechat.pk, "title": "两周未更新", "description": "燕矶发布两周未发布信息",
        "evidence": "最后一次发布：2026-11-01", "method": "letter", "deadline": deadline.isoformat()})
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/supervision/tickets/{ticket.pk}/"
    page = supervisor.get(response["Location"]).content.decode()
    assert ticket.letter_no in page and "下载交办函" in page

    unit = client_for("yanji-office-head")
    page = unit.get(f"/staff/supervision/tickets/{ticket.pk}/").content.decode()
    assert "报送整改情况" in page and "核验办结" not in page
    response = unit.post(f"/staff/supervision/tickets/{ticket.pk}/report/", {
        "text": "已恢复更新，附截图", "file": SimpleUploadedFile("截图.png", PNG, content_type="image/png")})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == TicketState.REPORTED
    event = ticket.events.get(kind="report")
    assert event.file_name == "截图.png"
    download = supervisor.get(f"/staff/supervision/events/{event.pk}/file/")
    assert b"".join(download.streaming_content) == PNG

    response = supervisor.post(f"/staff/supervision/tickets/{ticket.pk}/verify/", {"note": "已核实"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == TicketState.VERIFIED


def test_bad_input_keeps_the_form_and_explains(client_for, yanji_wechat):
    supervisor = client_for("demo-supervisor")
    response = supervisor.post("/staff/supervision/tickets/new/", {
        "channel": yanji_wechat.pk, "title": "两周未更新", "description": "说明", "method": "letter",
        "deadline": (timezone.localdate() - dt.timedelta(days=1)).isoformat()})
    assert response.status_code == 200 and "整改期限不能早于今天" in response.content.decode()
    assert not Ticket.objects.exists()


def test_report_rejects_a_fake_file(client_for, assign, yanji_wechat):
    ticket = assign(yanji_wechat)
    response = client_for("yanji-editor").post(f"/staff/supervision/tickets/{ticket.pk}/report/", {
        "text": "已整改", "file": SimpleUploadedFile("证明.pdf", b"not a pdf", content_type="application/pdf")})
    assert response.status_code == 200 and "不是允许的类型" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.state == TicketState.ASSIGNED


def test_units_see_only_their_own_tickets(client_for, assign, yanji_wechat, website):
    mine, other = assign(yanji_wechat, title="燕矶的问题"), assign(website, title="党政办的问题")
    yanji = client_for("yanji-editor")
    listing = yanji.get("/staff/supervision/").content.decode()
    assert "燕矶的问题" in listing and "党政办的问题" not in listing
    # Another unit's ticket is a 404, as if it did not exist.
    assert yanji.get(f"/staff/supervision/tickets/{other.pk}/").status_code == 404
    assert yanji.get(f"/staff/supervision/tickets/{other.pk}/letter.docx").status_code == 404
    assert yanji.get(f"/staff/supervision/tickets/{mine.pk}/letter.docx").status_code == 200
    for path in ("tickets/new/", f"tickets/{mine.pk}/order/", f"tickets/{mine.pk}/shutdown/",
                 f"tickets/{mine.pk}/verify/"):
        assert yanji.get(f"/staff/supervision/{path}").status_code == 403, path
    assert client_for("health-editor").post(f"/staff/supervision/tickets/{mine.pk}/report/",
                                            {"text": "x"}).status_code == 404
    supervisor = client_for("demo-supervisor").get("/staff/supervision/").content.decode()
    assert "燕矶的问题" in supervisor and "党政办的问题" in supervisor


def test_list_filters(client_for, assign, yanji_wechat, website):
    late = assign(yanji_wechat, title="甲问题迟交")
    Ticket.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - dt.timedelta(days=2))
    assign(website, title="按期问题")
    supervisor = client_for("demo-supervisor")
    overdue = supervisor.get("/staff/supervision/?overdue=1").content.decode()
    assert "甲问题迟交" in overdue and "按期问题" not in overdue and "逾期 2 天" in overdue
    by_unit = supervisor.get(f"/staff/supervision/?unit={website.operator_unit_id}").content.decode()
    assert "按期问题" in by_unit and "甲问题迟交" not in by_unit
    by_state = supervisor.get("/staff/supervision/?state=verified").content.decode()
    assert "没有符合条件的交办问题" in by_state


def test_escalation_buttons_and_letter_download(client_for, assign, website):
    from docx import Document

    ticket = assign(website)
    supervisor = client_for("demo-supervisor")
    response = supervisor.post(f"/staff/supervision/tickets/{ticket.pk}/order/", {"reason": "逾期未整改"})
    assert response.status_code == 302
    assert website.operator_unit.is_suspended
    page = supervisor.get(f"/staff/supervision/tickets/{ticket.pk}/").content.decode()
    assert "暂停信息发布" in page
    letter = supervisor.get(f"/staff/supervision/tickets/{ticket.pk}/letter.docx")
    assert letter["Content-Type"].endswith("wordprocessingml.document")
    texts = [p.text for p in Document(io.BytesIO(letter.content)).paragraphs]
    assert ticket.letter_no in texts


def test_ticket_from_a_machine_finding(client_for, make_item, yanji_wechat):
    from govpub.content.models import MachineFinding
    from govpub.review.machine_check import run_machine_check

    item = make_item(body="<p>联系人身份证号42070419900101123X，请核对。</p>")
    findings = run_machine_check(item.current_revision)
    finding = MachineFinding.objects.filter(revision=item.current_revision, category="privacy").first() \
        or findings[0]
    supervisor = client_for("demo-supervisor")
    form = supervisor.get(f"/staff/supervision/tickets/new/?finding={finding.pk}").content.decode()
    assert finding.text in form
    response = supervisor.post("/staff/supervision/tickets/new/", {
        "finding": finding.pk, "channel": yanji_wechat.pk, "title": "泄露个人隐私", "description": "未脱敏",
        "method": "network", "deadline": timezone.localdate().isoformat()})
    assert response.status_code == 302
    assert Ticket.objects.get().machine_finding == finding


def test_supervision_pages_keep_to_the_csp(client_for, assign, yanji_wechat):
    """No inline script, style or event handler (the site's Content-Security-Policy forbids them)."""
    import re

    ticket = assign(yanji_wechat)
    client = client_for("demo-supervisor")
    pages = ["/staff/supervision/", "/staff/supervision/tickets/new/", f"/staff/supervision/tickets/{ticket.pk}/",
             "/staff/supervision/monitor/", "/staff/supervision/indicators/", "/staff/supervision/scores/",
             "/staff/supervision/inspections/", "/staff/supervision/bulletin/", "/staff/supervision/assessment/",
             "/staff/supervision/incidents/"]
    for url in pages:
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\sstyle=\"", html), url
        assert not re.search(r"\son[a-z]+=\"", html), url
