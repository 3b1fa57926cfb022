"""Two real `govpub worker` processes on PostgreSQL + Redis share a rescan; one is SIGKILLed holding a chunk.

Runs in both suite runs (SQLite and PostgreSQL): the harness always makes its own PostgreSQL database and
Redis queue on 127.0.0.1 (bench.harness.scale), whatever DATABASE_URL the suite uses."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_killed_worker_mid_job_every_item_exactly_once():
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "GOVPUB_QUEUE_NAME", "GOVPUB_HOME", "GOVPUB_TASKS_IMMEDIATE")}
    done = subprocess.run([sys.executable, "-m", "bench.harness.scale", "kill-test", "--items", "300"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=400)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["orphans"], report  # the victim held at least one chunk when it was killed
    assert report["done_at_kill"] < report["total"] == 300
    assert report["state"] == "done" and not report["error"]
    assert report["done"] == 300 and report["chunks_done"] == report["chunks_total"] == 30
    assert report["all_chunks_done"] and report["items_in_results"] == 300  # each item counted once
    assert report["orphans_redone_elsewhere"]  # the sweeper gave the dead worker's chunks to the survivor
    assert report["planted"] == 6 and report["findings_per_planted_item"] == [1]  # one finding each, no duplicate
    assert report["findings_on_other_items"] == []
