"""Memory of the shipped gunicorn deployment with the machine-review checker: per worker and in total,
before (every worker expands its own copy of the typo model) and after (the master preloads the checker
and the model is memory-mapped read-only from .npy files), in one run; then RSS growth over many
/check requests, which is what worker recycling (max_requests) is for.

* gunicorn runs with deploy/gunicorn.conf.py itself (the shipped worker count, or --workers), on a fresh
  SQLite GOVPUB_HOME with the demo district; the two modes differ only by GOVPUB_WEB_PRELOAD and
  GOVPUB_TEXTCHECK_MMAP (1 and 1 after, 0 and 0 before).
* Every worker serves checks before it is measured (--per-worker requests each on average, many at once).
* From /proc/PID/smaps_rollup: RSS (counts shared pages in full in every process), PSS (shared pages split
  between the processes sharing them; the sum over all processes is what the deployment really uses) and
  USS (private pages only).  The page cache is flushed first (sync), so freshly written model files do not
  count as dirty.

Run:  .venv/bin/python bench/textcheck_memory.py                 (shipped worker count, both modes, growth)
      .venv/bin/python bench/textcheck_memory.py --workers 9 --growth 4000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.request import Request, urlopen

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = (ROOT / "tests" / "textcheck" / "data" / "typo_sample.txt").read_text(encoding="utf-8")
TEXT = SAMPLE[:3000]  # a typical item: about 3,000 characters


def prepare(home: Path) -> str:
    """A migrated SQLite home with the demo district; returns an API token of the demo editor."""
    env = {**os.environ, "GOVPUB_HOME": str(home), "DJANGO_SETTINGS_MODULE": "govpub.settings"}
    env.pop("DATABASE_URL", None)
    code = ("import django; django.setup()\n"
            "from django.core.management import call_command; call_command('migrate', verbosity=0)\n"
            "from govpub.web.demo import seed_demo; seed_demo()\n"
            "from govpub.orgs.models import Person; from govpub.api.actions import create_token\n"
            "print(create_token(Person.objects.get(username='demo-editor'), name='bench')[1])\n")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def memory(pid: int) -> dict[str, float]:
    """MB from smaps_rollup: rss, pss, uss."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value) / 1024
    return {"rss": fields["Rss"], "pss": fields["Pss"], "uss": fields["Private_Clean"] + fields["Private_Dirty"]}


def start(home: Path, port: int, workers: int, shared: bool) -> subprocess.Popen:
    env = {**os.environ, "GOVPUB_HOME": str(home), "GOVPUB_BIND": f"127.0.0.1:{port}",
           "GOVPUB_WEB_WORKERS": str(workers), "GOVPUB_RATE_LIMITS": "off", "GOVPUB_LOG_LEVEL": "WARNING",
           "GOVPUB_WEB_PRELOAD": "1" if shared else "0", "GOVPUB_TEXTCHECK_MMAP": "1" if shared else "0",
           "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}
    env.pop("DATABASE_URL", None)
    env.pop("RUNTIME_DIRECTORY", None)
    log = open(home / f"gunicorn-{'after' if shared else 'before'}.log", "w")
    return subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
                            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def check(base: str, token: str, text: str = TEXT) -> float:
    body = json.dumps({"text": text}, ensure_ascii=False).encode()
    request = Request(f"{base}/api/v1/check", data=body, method="POST",
                      headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    started = time.perf_counter()
    with urlopen(request, timeout=120) as response:
        response.read()
        assert response.status == 200
    return time.perf_counter() - started


def wait_ready(server: subprocess.Popen, base: str, token: str, workers: int) -> tuple[float, float]:
    """(seconds until the first check answered, that check's own seconds) once every worker is up."""
    started = time.perf_counter()
    while len(children(server.pid)) < workers:
        if server.poll() is not None or time.perf_counter() - started > 180:
            raise SystemExit("gunicorn did not start its workers")
        time.sleep(0.2)
    while True:
        try:
            took = check(base, token, "预热")
            return time.perf_counter() - started, took
        except OSError:
            if server.poll() is not None or time.perf_counter() - started > 180:
                raise SystemExit("gunicorn does not answer") from None
            time.sleep(0.2)


def load(base: str, token: str, requests: int, concurrency: int) -> list[float]:
    with ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(lambda _: check(base, token), range(requests)))


def snapshot(server: subprocess.Popen) -> dict:
    subprocess.run(["sync"], check=False)
    workers = {pid: memory(pid) for pid in children(server.pid)}
    master = memory(server.pid)
    total = {k: master[k] + sum(w[k] for w in workers.values()) for k in ("rss", "pss", "uss")}
    return {"master": master, "workers": workers, "total": total}


def show(label: str, snap: dict) -> None:
    ws = list(snap["workers"].values())
    mean = {k: sum(w[k] for w in ws) / len(ws) for k in ("rss", "pss", "uss")}
    print(f"  {label}: {len(ws)} workers; per worker RSS {mean['rss']:.0f} MB, PSS {mean['pss']:.0f} MB, "
          f"USS {mean['uss']:.0f} MB; master RSS {snap['master']['rss']:.0f} MB, PSS {snap['master']['pss']:.0f} MB; "
          f"whole deployment PSS {snap['total']['pss']:.0f} MB (RSS sum {snap['total']['rss']:.0f} MB)", flush=True)


def run_mode(home: Path, token: str, workers: int, shared: bool, per_worker: int, growth: int) -> None:
    from govpub.ops.scratch import free_port

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start(home, port, workers, shared)
    try:
        ready, first = wait_ready(server, base, token, workers)
        print(f"{'after (preload + mmap)' if shared else 'before (copy per worker)'}: workers up and first check "
              f"answered {ready:.1f} s after start; the first check itself {first * 1000:.0f} ms", flush=True)
        times = load(base, token, per_worker * workers, workers * 2)
        print(f"  {len(times)} checks of {len(TEXT)} characters: median {sorted(times)[len(times) // 2] * 1000:.0f} ms",
              flush=True)
        snap = snapshot(server)
        show("after one round of checks", snap)
        if growth:
            done = 0
            for step in (growth // 4, growth // 4, growth // 2):
                load(base, token, step, workers * 2)
                done += step
                later = snapshot(server)
                common = set(later["workers"]) & set(snap["workers"])
                drss = sum(later["workers"][p]["rss"] - snap["workers"][p]["rss"] for p in common) / max(len(common), 1)
                dpss = sum(later["workers"][p]["pss"] - snap["workers"][p]["pss"] for p in common) / max(len(common), 1)
                print(f"  after {done} more checks (~{done // workers} per worker): per worker RSS {drss:+.1f} MB, "
                      f"PSS {dpss:+.1f} MB ({len(common)} of {workers} workers not recycled yet)", flush=True)
            show("end", later)
    finally:
        server.terminate()
        server.wait(timeout=60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=None, help="default: the shipped formula min(2×CPUs+1, 9)")
    parser.add_argument("--per-worker", type=int, default=4, help="checks per worker before measuring")
    parser.add_argument("--growth", type=int, default=2000, help="checks for the RSS growth measurement (0: skip)")
    parser.add_argument("--only", choices=("before", "after"), default=None)
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    workers = options.workers or min(2 * os.cpu_count() + 1, 9)
    with tempfile.TemporaryDirectory(prefix="govpub-mem-") as tmp:
        home = Path(tmp)
        token = prepare(home)
        print(f"gunicorn -c deploy/gunicorn.conf.py with {workers} workers (gthread, 4 threads each)", flush=True)
        if options.only != "after":
            run_mode(home, token, workers, False, options.per_worker, 0)
        if options.only != "before":
            run_mode(home, token, workers, True, options.per_worker, options.growth)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
