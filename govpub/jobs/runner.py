"""Long jobs split into chunks that any number of `govpub worker` processes share.

- start_job(kind, params) plans the chunks (the kind's plan()), writes the Job and its Chunks in one
  transaction and, on commit, enqueues one Huey task per chunk. Each task claims *some* pending chunk of
  the job (not a particular one), so tasks are interchangeable and a lost task costs nothing.
- claim_next(): a lease taken in a short transaction — SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL (two
  workers never wait for, nor get, the same row); SQLite's BEGIN IMMEDIATE serializes the claimers instead.
  The conditional UPDATE (state still pending) guards both.
- run(): the kind's run(params, payload) does the work and commits its own effects, which must be
  idempotent (a chunk may run again after a crash); then the chunk is marked done with its result under
  the lease token, and the job's counters move in the same transaction. While a chunk runs, a heartbeat
  thread extends the lease, so the lease can be short and a killed worker is noticed quickly.
- sweep() (a periodic task on every worker): chunks whose lease expired go back to pending (or fail after
  GOVPUB_JOB_MAX_ATTEMPTS) and get a new task; stalled jobs get tasks again; finished jobs are closed.
- finish: when no chunk is pending or running, the job row is locked and closed exactly once: the kind's
  finish(params, results) merges the chunk results (and e.g. assembles the bulletin documents).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Chunk, ChunkState, Job, JobState

logger = logging.getLogger(__name__)

KINDS = {
    "rescan": "govpub.supervision.rescan.RescanJob",
    "crawl": "govpub.supervision.monitor.CrawlJob",
    "probe": "govpub.supervision.monitor.ProbeJob",
    "accounts": "govpub.supervision.monitor.AccountsJob",
    "scan": "govpub.supervision.sitescan.SiteScanJob",
    "bulletin": "govpub.supervision.bulletin.BulletinJob",
}
OPEN = (JobState.PENDING, JobState.RUNNING)


def register(kind: str, dotted_path: str) -> None:
    KINDS[kind] = dotted_path


def handler(kind: str):
    return import_string(KINDS[kind])


def kind_label(kind: str) -> str:
    try:
        return handler(kind).label
    except (KeyError, ImportError, AttributeError):
        return kind


def lease_seconds() -> float:
    return float(settings.GOVPUB_JOB_LEASE_SECONDS)


def max_attempts() -> int:
    return int(settings.GOVPUB_JOB_MAX_ATTEMPTS)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"[:120]


# --- starting ------------------------------------------------------------------------------------
def start_job(kind: str, params: dict | None = None, *, created_by=None, enqueue: bool = True) -> Job:
    params = dict(params or {})
    parts = [(payload, size) for payload, size in handler(kind).plan(params)]
    with transaction.atomic():
        job = Job.objects.create(kind=kind, params=params, created_by=created_by, chunks_total=len(parts),
                                 total=sum(size for _, size in parts))
        Chunk.objects.bulk_create([Chunk(job=job, number=number, payload=payload, size=size)
                                   for number, (payload, size) in enumerate(parts)], batch_size=500)
        if enqueue and parts:
            transaction.on_commit(lambda: enqueue_tasks(job.pk, len(parts)))
    if not parts:
        finish(job.pk)
        job.refresh_from_db()
    return job


def enqueue_tasks(job_id: int, count: int, delay: float | None = None) -> None:
    from .tasks import run_next_chunk

    for _ in range(count):
        try:
            if delay:
                run_next_chunk.schedule((job_id,), delay=delay)
            else:
                run_next_chunk(job_id)
        except Exception:  # the queue being down loses nothing: the sweeper finds the stalled job
            logger.exception("could not enqueue a chunk task for job %s", job_id)
            return


# --- claiming ------------------------------------------------------------------------------------
def claim_next(job_id: int | None = None, *, worker: str | None = None) -> Chunk | None:
    """Lease one pending chunk (of this job, or of any open job)."""
    worker = worker or worker_name()
    for _ in range(5):
        now = timezone.now()
        with transaction.atomic():
            rows = Chunk.objects.filter(state=ChunkState.PENDING)
            rows = rows.filter(job_id=job_id) if job_id else rows.filter(job__in=Job.objects.filter(state__in=OPEN))
            chunk = rows.select_for_update(skip_locked=True).order_by("job_id", "number").only("pk", "job_id").first()
            if chunk is None:
                return None
            token = uuid.uuid4().hex
            won = Chunk.objects.filter(pk=chunk.pk, state=ChunkState.PENDING).update(
                state=ChunkState.RUNNING, token=token, lease_until=now + timedelta(seconds=lease_seconds()),
                attempts=F("attempts") + 1, worker=worker, started_at=now, error="")
            if won:
                Job.objects.filter(pk=chunk.job_id, state=JobState.PENDING).update(state=JobState.RUNNING,
                                                                                  started_at=now)
                return Chunk.objects.select_related("job").get(pk=chunk.pk)
    return None


class Heartbeat:
    """Extends a running chunk's lease from a side thread (its own database connection)."""

    def __init__(self, chunk: Chunk):
        self.chunk_id, self.token = chunk.pk, chunk.token
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True, name=f"lease-{chunk.pk}")

    def _beat(self):
        try:
            while not self.stop.wait(lease_seconds() / 3):
                extended = Chunk.objects.filter(pk=self.chunk_id, token=self.token, state=ChunkState.RUNNING).update(
                    lease_until=timezone.now() + timedelta(seconds=lease_seconds()))
                if not extended:
                    return
        except Exception:
            logger.exception("lease heartbeat of chunk %s failed", self.chunk_id)
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


# --- running -------------------------------------------------------------------------------------
def run(chunk: Chunk) -> str:
    """Do one leased chunk; returns "done", "retry", "failed" or "lost" (another worker took it over)."""
    job = chunk.job
    try:
        with Heartbeat(chunk):
            result = handler(job.kind).run(job.params, chunk.payload) or {}
    except Exception as error:  # (a dying worker's BaseException passes: the lease runs out, the sweeper acts)
        logger.exception("chunk %s of job %s (%s) failed", chunk.number, job.pk, job.kind)
        return _failed(chunk, error)
    with transaction.atomic():
        won = Chunk.objects.filter(pk=chunk.pk, token=chunk.token, state=ChunkState.RUNNING).update(
            state=ChunkState.DONE, result=result, lease_until=None, finished_at=timezone.now())
        if won:
            Job.objects.filter(pk=job.pk).update(done=F("done") + chunk.size, chunks_done=F("chunks_done") + 1)
    if not won:
        return "lost"
    finish(job.pk)
    return "done"


def _failed(chunk: Chunk, error: Exception) -> str:
    message = f"{type(error).__name__}: {error}"[:2000]
    final = chunk.attempts >= max_attempts()
    with transaction.atomic():
        updates = {"state": ChunkState.FAILED if final else ChunkState.PENDING, "error": message,
                   "lease_until": None, "token": "", "finished_at": timezone.now() if final else None}
        won = Chunk.objects.filter(pk=chunk.pk, token=chunk.token, state=ChunkState.RUNNING).update(**updates)
        if won and not final:  # retry later, backing off
            transaction.on_commit(lambda: enqueue_tasks(chunk.job_id, 1, delay=min(600, 10 * 2 ** chunk.attempts)))
    if won and final:
        finish(chunk.job_id)
    return "failed" if final else "retry"


def run_next(job_id: int | None = None) -> str | None:
    chunk = claim_next(job_id)
    return run(chunk) if chunk is not None else None


def drain(job_id: int | None = None) -> int:
    """Run chunks in this process until none is left to claim (tests, the CLI)."""
    count = 0
    while run_next(job_id) is not None:
        count += 1
    return count


# --- finishing and sweeping ----------------------------------------------------------------------
def finish(job_id: int) -> bool:
    """Close the job once no chunk is pending or running; exactly once (the job row is locked)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.state not in OPEN:
            return False
        states = dict(job.chunks.values_list("state").annotate(n=Count("id")).order_by())
        if states.get(ChunkState.PENDING) or states.get(ChunkState.RUNNING):
            return False
        now = timezone.now()
        job.finished_at, job.started_at = now, job.started_at or now
        if states.get(ChunkState.FAILED):
            failed = job.chunks.filter(state=ChunkState.FAILED).order_by("number").first()
            job.state = JobState.FAILED
            job.error = f"{states[ChunkState.FAILED]} 个分片多次尝试后仍失败，首个错误：{failed.error}"[:2000]
        else:
            results = list(job.chunks.order_by("number").values_list("result", flat=True))
            try:
                job.result = handler(job.kind).finish(job.params, results) or {}
                job.state = JobState.DONE
            except Exception as error:
                logger.exception("finishing job %s (%s) failed", job.pk, job.kind)
                job.state, job.error = JobState.FAILED, f"汇总失败：{type(error).__name__}: {error}"[:2000]
        job.save(update_fields=["state", "result", "error", "started_at", "finished_at"])
    return True


def sweep() -> dict:
    """Expired leases back to pending (a killed worker), stalled jobs re-queued (a lost task), jobs closed."""
    now = timezone.now()
    counts = {"requeued": 0, "failed": 0, "stalled": 0, "finished": 0}
    wake: dict[int, int] = {}
    expired = Chunk.objects.filter(state=ChunkState.RUNNING, lease_until__lt=now)
    for pk, token, attempts, job_id, worker in expired.values_list("pk", "token", "attempts", "job_id", "worker"):
        final = attempts >= max_attempts()
        updates = ({"state": ChunkState.FAILED, "finished_at": now} if final else {"state": ChunkState.PENDING})
        won = Chunk.objects.filter(pk=pk, token=token, state=ChunkState.RUNNING, lease_until__lt=now).update(
            token="", lease_until=None, error=f"任务进程 {worker} 中断（租约到期）", **updates)
        if won:
            counts["failed" if final else "requeued"] += 1
            if not final:
                wake[job_id] = wake.get(job_id, 0) + 1
    # Pending chunks and none running for two leases: a task was lost (a worker killed after taking a task from
    # the queue, before claiming). Waking is cheap even when the workers were only busy elsewhere: a task that
    # finds nothing pending returns at once.
    stale_before = now - timedelta(seconds=2 * lease_seconds())
    for job in Job.objects.filter(state__in=OPEN).annotate(
            pending=Count("chunks", filter=Q(chunks__state=ChunkState.PENDING)),
            running=Count("chunks", filter=Q(chunks__state=ChunkState.RUNNING)),
            last_start=Max("chunks__started_at"), last_end=Max("chunks__finished_at")):
        if not job.pending and not job.running:
            counts["finished"] += finish(job.pk)
            continue
        last = max([t for t in (job.created_at, job.last_start, job.last_end) if t])
        if job.pending and not job.running and job.pk not in wake and last < stale_before:
            wake[job.pk] = min(job.pending, 8)  # a lost or failed enqueue: tasks are interchangeable
            counts["stalled"] += 1
    for job_id, count in wake.items():
        enqueue_tasks(job_id, count)
    return counts


def recent_jobs(limit: int = 10):
    return Job.objects.order_by("-created_at", "-id")[:limit]
