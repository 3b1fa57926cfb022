"""Archive rescan scale-out: items/s with 1 and with 2 `govpub worker` processes on PostgreSQL + Redis.

* A fresh PostgreSQL database (govpub.ops.scratch, next to DATABASE_URL or postgres://postgres@127.0.0.1:5432/,
  dropped afterwards) and a fresh Huey queue name on REDIS_URL (default redis://127.0.0.1:6379/0).
* N published items are bulk-inserted (a fixture, not the publishing path): bodies of ~1,200 characters of
  official prose in 12 paragraphs, every 1,000th with a planted unmasked ID-card number (a serious problem).
* For 1 and then 2 worker processes (`govpub worker`, its default 2 threads each): start the processes, warm
  them up (lexicons loaded), then run one rescan job over every published item (chunks of 200 items) and
  time it from the first chunk claimed to the job closed (the job's own timestamps). Baseline: 1 process,
  same run; speed-up = items/s with 2 ÷ items/s with 1. Each run must find every planted problem once.

Run:  .venv/bin/python bench/rescan_scale.py                 (100,000 items, the issue's figure)
      .venv/bin/python bench/rescan_scale.py --items 10000   (a quick run)

The machine these figures come from has 2 cores, shared by the workers, PostgreSQL and Redis.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def one_run(workers: int, env: dict, planted: int, timeout: float) -> dict:
    from django.db import connection

    from bench.harness import scale
    from govpub.jobs.models import Job
    from govpub.supervision.models import MonitorFinding

    MonitorFinding.objects.filter(kind="serious_error").delete()  # every run starts from the same state
    connection.close()
    procs = scale.start_workers(workers, env, env["GOVPUB_HOME"])
    try:
        scale.wait_ready(env, procs)
        MonitorFinding.objects.filter(kind="serious_error").delete()
        clock = time.perf_counter()
        from govpub.jobs.runner import start_job

        job_id = start_job("rescan", {}).pk
        connection.close()
        job = scale.wait_for(job_id, timeout=timeout, procs=procs)
        wall = time.perf_counter() - clock
    finally:
        scale.stop_workers(procs)
    assert job.state == "done", job.error
    found = MonitorFinding.objects.filter(kind="serious_error", resolved_at__isnull=True).count()
    seconds = (job.finished_at - job.started_at).total_seconds()
    chunk_workers = len(set(Job.objects.get(pk=job_id).chunks.values_list("worker", flat=True)))
    connection.close()
    return {"workers": workers, "items": job.done, "seconds": seconds, "wall": wall, "rate": job.done / seconds,
            "found": found, "planted": planted, "threads_used": chunk_workers, "chunks": job.chunks_total}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000, help="published items (default 100,000)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds allowed per run")
    args = parser.parse_args()

    from bench.harness import scale

    env, drop = scale.scratch_environment(
        os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ["DATABASE_URL"]
        or "postgres://postgres@127.0.0.1:5432/postgres",
        os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    os.environ.update(env)
    try:
        print(f"GovPub archive rescan scale-out — PostgreSQL + Redis, {args.items:,} published items, "
              f"`govpub worker` processes (2 threads each), {os.cpu_count()} CPU cores", flush=True)
        started = time.perf_counter()
        scale.seed(args.items, planted_every=1000)
        planted = args.items // 1000
        print(f"  fixture: {args.items:,} items in {time.perf_counter() - started:.1f} s "
              f"({planted} with a planted serious problem)", flush=True)
        results = []
        for workers in (1, 2):
            result = one_run(workers, env, planted, args.timeout)
            results.append(result)
            print(f"  {workers} worker process(es): {result['items']:,} items in {result['seconds']:.1f} s "
                  f"→ {result['rate']:.0f} items/s (found {result['found']}/{planted} planted)", flush=True)
        base = results[0]["rate"]
        print(f"\n{'workers':<10}{'items':>9}{'seconds':>10}{'items/s':>10}{'speed-up':>10}{'found':>9}")
        for r in results:
            print(f"{r['workers']:<10}{r['items']:>9,}{r['seconds']:>10.1f}{r['rate']:>10.0f}"
                  f"{r['rate'] / base:>10.2f}{r['found']:>5}/{r['planted']:<3}")
        ok = all(r["found"] == r["planted"] and r["items"] >= args.items for r in results)
        print("\nevery item rescanned once per run, every planted problem found once: " + ("yes" if ok else "NO"))
        return 0 if ok else 1
    finally:
        from django.db import connections

        scale._flush_queue()
        connections.close_all()
        drop()


if __name__ == "__main__":
    sys.exit(main())
