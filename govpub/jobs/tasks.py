"""Huey tasks of the job runner: any `govpub worker` on any machine may take any of them."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import runner


@db_task(priority=-1)
def run_next_chunk(job_id: int) -> str | None:
    """Claim one pending chunk of the job (whichever is free) and run it. Lower priority than the default,
    so a 500-chunk rescan never delays a publication's delivery task queued after it."""
    return runner.run_next(job_id)


@db_periodic_task(crontab(minute="*"))
def sweep_jobs() -> dict:
    """Chunks of killed workers back in the queue; stalled jobs woken; finished jobs closed."""
    return runner.sweep()
