"""临时检查网站 from the staff pages and the API (issue 14: "scan … can be started from the UI"): the same
check as `govpub monitor scan`, as a durable job whose report is shown; bad input refused in Chinese."""

import pytest

from api.conftest import api  # noqa: F401 (fixture)
from bench.harness.contentsite import PLANTS, generate_content_site
from bench.harness.testsite import SiteServer
from govpub.jobs.models import Job, JobState
from govpub.supervision.models import MonitorFinding

from .conftest import people

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def local_only(monkeypatch):
    monkeypatch.setenv("GOVPUB_MONITOR_CHECK_EXTERNAL", "0")
    monkeypatch.setenv("GOVPUB_MONITOR_RATE", "0")
    monkeypatch.setenv("GOVPUB_MONITOR_ALLOW_PRIVATE", "1")  # the server's setting, never the request's


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    root = tmp_path_factory.mktemp("scan-ui")
    generate_content_site(root, pages=40)
    with SiteServer(root) as server:
        yield server


def test_a_supervisor_scans_a_site_from_the_staff_pages(planted, client_for, django_capture_on_commit_callbacks):
    supervisor = client_for("demo-supervisor")
    assert "临时检查任意网站" in supervisor.get("/staff/supervision/monitor/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = supervisor.post("/staff/supervision/monitor/scan/", {"url": planted.url, "max_pages": "60"})
    job = Job.objects.get(kind="scan")
    assert response.status_code == 302 and response.url == f"/staff/supervision/monitor/scans/{job.pk}/"
    assert job.state == JobState.DONE and job.created_by.username == "demo-supervisor"
    page = supervisor.get(response.url).content.decode()
    assert f"检查 {planted.url}：" in page and "严重</span>" in page
    path, kind, rule, _ = PLANTS[2]  # 密级：机密★5年 on a notice
    assert any(f["url"] == planted.url + path.lstrip("/") and f["rule"].startswith(rule)
               for f in job.result["findings"])
    assert (planted.url + path.lstrip("/")) in page
    assert not MonitorFinding.objects.exists()  # an ad-hoc scan records no findings
    listing = supervisor.get("/staff/supervision/monitor/scan/").content.decode()
    assert "最近的临时检查" in listing and f"/staff/supervision/monitor/scans/{job.pk}/" in listing


def test_bad_input_and_other_people_are_refused(client_for):
    supervisor = client_for("demo-supervisor")
    for url, pages, error in (("ftp://x.example/", "", "请填写网站地址，以 http:// 或 https:// 开头。"),
                              ("https://www.example.gov.cn/", "99999", "最多检查页面数应在 1 到 2000 之间。")):
        response = supervisor.post("/staff/supervision/monitor/scan/", {"url": url, "max_pages": pages})
        body = response.content.decode()
        assert response.status_code == 200 and error in body and url in body  # what was typed is kept
    assert not Job.objects.filter(kind="scan").exists()
    assert client_for("yanji-editor").post("/staff/supervision/monitor/scan/", {"url": "https://a.example/"}).status_code == 403
    assert client_for("yanji-editor").get("/staff/supervision/monitor/scan/").status_code == 403


def test_an_unreadable_site_is_a_clear_result_not_a_crash(client_for, django_capture_on_commit_callbacks):
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("demo-supervisor").post("/staff/supervision/monitor/scan/",
                                                      {"url": f"http://127.0.0.1:{port}/"})
    job = Job.objects.get(kind="scan")
    assert job.state == JobState.DONE and job.result["error"].startswith("无法读取网站首页")
    assert "无法读取网站首页" in client_for("demo-supervisor").get(response.url).content.decode()


def test_the_scan_through_the_api(planted, api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        started = api("demo-supervisor").post("/supervision/scans", {"url": planted.url, "max_pages": 60})
    assert started.status_code == 201
    report = api("demo-supervisor").get(f"/supervision/scans/{started.json()['id']}").json()
    assert report["state"] == "done" and report["pages"] >= 20 and report["serious"] >= 1
    assert {"url", "kind", "category", "rule", "severity", "text", "message", "suggestion"} <= set(report["findings"][0])
    Job.objects.filter(pk=started.json()["id"]).update(state=JobState.RUNNING)
    busy = api("demo-supervisor").post("/supervision/scans", {"url": planted.url})
    assert busy.status_code == 400 and "已有一个临时检查正在进行" in busy.content.decode()
    assert api("demo-supervisor").post("/supervision/scans", {"url": "javascript:alert(1)"}).status_code == 400
    assert api("yanji-editor").post("/supervision/scans", {"url": planted.url}).status_code == 403
    assert api("yanji-editor").get(f"/supervision/scans/{started.json()['id']}").status_code == 403
    assert api("demo-supervisor").get("/supervision/scans/999999").status_code == 404
    assert people("demo-supervisor").pk == Job.objects.get(pk=started.json()["id"]).created_by_id
