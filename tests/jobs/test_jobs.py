"""Durable chunked jobs (govpub.jobs.runner): each chunk once, leases, the sweeper, concurrent claimers."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from govpub.jobs import runner
from govpub.jobs.models import Chunk, ChunkState, Job, JobState
from govpub.supervision.models import MonitorFinding

from .conftest import people

TERM = "甲乙丙丁戊己专项"
NEW_TERM = [[TERM, "secret", "block", "", "词库更新：新增涉密表述（测试）"]]
RUNS: list = []  # payloads CountJob has processed, in order


class CountJob:
    """A test kind: n chunks of `size` numbers; each run is recorded, the result is the chunk's sum."""

    label = "计数测试"

    @staticmethod
    def plan(params):
        return [({"numbers": list(range(i, i + params["size"]))}, params["size"])
                for i in range(0, params["n"] * params["size"], params["size"])]

    @staticmethod
    def run(params, payload):
        if params.get("fail"):
            raise RuntimeError("渠道接口暂时不可用")
        RUNS.append(payload["numbers"][0])
        return {"sum": sum(payload["numbers"])}

    @staticmethod
    def finish(params, results):
        return {"sum": sum(r["sum"] for r in results), "summary": "计数完成"}


@pytest.fixture(autouse=True)
def count_kind():
    runner.register("count", f"{__name__}.CountJob")
    RUNS.clear()
    yield
    runner.KINDS.pop("count", None)


@pytest.mark.django_db
def test_every_chunk_runs_once_and_the_job_closes_with_merged_results():
    job = runner.start_job("count", {"n": 7, "size": 3}, enqueue=False)
    assert (job.state, job.total, job.chunks_total, job.done) == (JobState.PENDING, 21, 7, 0)
    assert runner.drain(job.pk) == 7 and runner.drain(job.pk) == 0
    job.refresh_from_db()
    assert sorted(RUNS) == [0, 3, 6, 9, 12, 15, 18]  # each chunk exactly once
    assert (job.state, job.done, job.chunks_done, job.result["sum"]) == (JobState.DONE, 21, 7, sum(range(21)))
    assert job.finished_at and set(job.chunks.values_list("attempts", flat=True)) == {1}
    assert not runner.finish(job.pk)  # closed once


@pytest.mark.django_db
def test_enqueued_tasks_do_the_job(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # tests run Huey tasks immediately
        job = runner.start_job("count", {"n": 4, "size": 2})
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.done == 8 and len(RUNS) == 4


@pytest.mark.django_db
def test_an_empty_job_is_done_at_once():
    job = runner.start_job("count", {"n": 0, "size": 1})
    assert job.state == JobState.DONE and job.total == 0 and job.result["sum"] == 0


@pytest.mark.django_db
def test_a_killed_workers_chunk_is_reclaimed_by_the_sweeper():
    job = runner.start_job("count", {"n": 5, "size": 10}, enqueue=False)
    killed = runner.claim_next(job.pk, worker="host:1:1")  # claimed, then the worker dies: never finished
    assert killed.state == ChunkState.RUNNING and killed.lease_until > timezone.now()
    assert runner.sweep()["requeued"] == 0  # the lease still holds: nobody takes the chunk over
    runner.drain(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.done == 40  # four chunks done, one held by the dead worker

    Chunk.objects.filter(pk=killed.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    counts = runner.sweep()  # back to pending and re-queued (tests run the queued task at once)
    assert counts["requeued"] == 1
    job.refresh_from_db()
    chunk = Chunk.objects.get(pk=killed.pk)
    assert (job.state, job.done, job.chunks_done, job.result["sum"]) == (JobState.DONE, 50, 5, sum(range(50)))
    assert chunk.state == ChunkState.DONE and chunk.attempts == 2 and chunk.worker != "host:1:1"
    assert sorted(RUNS) == [0, 10, 20, 30, 40]
    assert runner.run(killed) == "lost"  # the dead worker's late finish counts for nothing
    job.refresh_from_db()
    assert job.done == 50


@pytest.mark.django_db
def test_a_failing_chunk_is_retried_then_fails_the_job(settings):
    settings.GOVPUB_JOB_MAX_ATTEMPTS = 2
    job = runner.start_job("count", {"n": 1, "size": 1, "fail": True}, enqueue=False)
    assert runner.run_next(job.pk) == "retry"
    assert runner.run_next(job.pk) == "failed"
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "渠道接口暂时不可用" in job.error and job.finished_at


@pytest.mark.django_db
def test_a_stalled_job_is_woken_by_the_sweeper():
    job = runner.start_job("count", {"n": 3, "size": 1}, enqueue=False)  # as if every enqueue had been lost
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert runner.sweep()["stalled"] == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE and sorted(RUNS) == [0, 1, 2]


@pytest.mark.django_db
def test_a_lost_task_is_replaced_after_two_leases_not_before(settings):
    # A worker killed right after taking a task from the queue, before claiming: its chunk stays pending.
    settings.GOVPUB_JOB_LEASE_SECONDS = 60
    job = runner.start_job("count", {"n": 2, "size": 1}, enqueue=False)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(seconds=90))
    assert runner.sweep()["stalled"] == 0
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(seconds=150))
    assert runner.sweep()["stalled"] == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE


def _claim_concurrently(job_id: int, threads: int = 6) -> list[list[int]]:
    claimed, errors = [[] for _ in range(threads)], []
    start = threading.Barrier(threads)

    def claimer(number):
        try:
            start.wait()
            while (chunk := runner.claim_next(job_id, worker=f"thread-{number}")) is not None:
                claimed[number].append(chunk.pk)
                time.sleep(0.002)  # "work" between claims, so the claimers interleave
        except Exception as error:  # pragma: no cover - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    pool = [threading.Thread(target=claimer, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert not errors
    return claimed


@pytest.mark.django_db(transaction=True)
def test_concurrent_claimers_never_get_the_same_chunk(demo_committed):
    """Real commits and one connection per thread: SKIP LOCKED on PostgreSQL, IMMEDIATE on a SQLite file."""
    job = runner.start_job("count", {"n": 60, "size": 1}, enqueue=False)
    claimed = _claim_concurrently(job.pk)
    everything = [pk for part in claimed for pk in part]
    assert len(everything) == len(set(everything)) == 60  # all claimed, none twice
    assert sum(1 for part in claimed if part) >= 2  # the claimers really overlapped
    assert set(Chunk.objects.filter(job=job).values_list("attempts", flat=True)) == {1}
    workers = dict(Chunk.objects.values_list("pk", "worker"))
    assert all(workers[pk] == f"thread-{n}" for n, part in enumerate(claimed) for pk in part)


@pytest.mark.django_db
def test_rescan_job_finds_once_and_reruns_without_duplicates(published, website_channel):
    from govpub.supervision.tasks import rescan_archive

    items = published(3, body=f"<p>会议研究{TERM}推进工作。</p>")
    job = runner.start_job("rescan", {"extra_rows": NEW_TERM, "chunk_size": 2}, enqueue=False)
    assert job.chunks_total == (job.total + 1) // 2 and job.total >= 3
    runner.drain(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.done == job.total and job.result["new"] == 3
    assert "新发现严重问题 3 个" in job.result["summary"]
    open_findings = MonitorFinding.objects.filter(kind="serious_error", resolved_at__isnull=True)
    assert sorted(f.evidence["item"] for f in open_findings) == sorted(i.pk for i in items)

    again = runner.start_job("rescan", {"extra_rows": NEW_TERM, "chunk_size": 1}, enqueue=False)
    runner.drain(again.pk)
    again.refresh_from_db()
    assert (again.result["new"], again.result["again"]) == (0, 3) and open_findings.count() == 3

    chunks = rescan_archive.call_local()  # the lexicon-update task: a job of CHUNK-sized chunks
    assert chunks == Job.objects.filter(kind="rescan").latest("id").chunks_total == 1


@pytest.mark.django_db
def test_progress_is_shown_on_the_monitor_page(client_for):
    job = runner.start_job("count", {"n": 4, "size": 5}, enqueue=False)
    runner.run_next(job.pk)
    page = client_for("demo-supervisor").get("/staff/supervision/monitor/").content.decode()
    assert "后台作业进度" in page and "计数测试" in page and "进行中" in page
    assert "5/20（25%）" in page and "1/4" in page
    runner.drain(job.pk)
    page = client_for("demo-supervisor").get("/staff/supervision/monitor/").content.decode()
    assert "已完成" in page and "20/20（100%）" in page and "计数完成" in page


@pytest.mark.django_db
def test_bulletin_job_assembles_the_documents_from_unit_chunks(settings, tmp_path):
    from govpub.supervision.bulletin import compute, table_rows

    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    job = runner.start_job("bulletin", {"year": today.year, "quarter": quarter, "units_per_chunk": 3}, enqueue=False)
    assert job.chunks_total >= 2
    runner.drain(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    docx, xlsx = tmp_path / job.result["docx"], tmp_path / job.result["xlsx"]
    assert docx.read_bytes()[:2] == b"PK" and xlsx.read_bytes()[:2] == b"PK"
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3, max_col=15)]
    expected = table_rows(compute(today.year, quarter)[2])  # the same ranking as computing it in one go
    assert [r[:3] for r in rows] == [r[:3] for r in expected] and job.result["units"] == len(expected)


@pytest.mark.django_db
def test_crawl_job_one_chunk_per_website_plus_the_accounts(website_channel, tmp_path, monkeypatch):
    from govpub.supervision.models import MonitorRun
    from govpub.supervision.tasks import crawl_all
    from bench.harness.testsite import SiteServer, generate_site

    generate_site(tmp_path, pages=10, clean=True)
    monkeypatch.setenv("GOVPUB_MONITOR_RATE", "0")
    with SiteServer(tmp_path) as server:
        type(website_channel).objects.filter(pk=website_channel.pk).update(url=server.url)
        job = runner.start_job("crawl", {"allow_private": True}, enqueue=False)
        assert [c.payload for c in job.chunks.all()] == [{"channel": website_channel.pk}, {"accounts": True}]
        runner.drain(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    run = MonitorRun.objects.get(pk=job.chunks.get(number=0).result["run"])
    assert run.channel == website_channel and run.ok and job.result["sites"] == 1 and job.result["accounts"] >= 1
    assert "监测网站 1 个" in job.result["summary"]
    assert Job.objects.get(pk=crawl_all.call_local([website_channel.pk])).chunks_total == 2
