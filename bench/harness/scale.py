"""Scale-out harness: real `govpub worker` processes on PostgreSQL + Redis sharing a rescan job.

Used by bench/rescan_scale.py (items/s with 1 and 2 workers) and by tests/jobs/test_multiprocess.py
(`python -m bench.harness.scale kill-test --items 300` — a worker is SIGKILLed while it holds a chunk; the
job must still finish with every item counted once and no duplicate finding). Everything runs in a fresh
PostgreSQL database (govpub.ops.scratch) and a fresh Huey queue name, dropped afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLANTED = "经核实，申请人张某某身份证号码为420106198003150018。"  # a block finding (privacy.id_card) on purpose
SENTENCES = [
    "临空经济区召开专题会议，研究部署下一阶段重点工作。",
    "会议强调，要坚持把招商引资和项目建设作为经济工作的重要抓手，持续优化营商环境。",
    "各部门要强化要素保障，推动签约项目早开工、早投产、早见效。",
    "航空物流、电子信息等产业链项目加快集聚，发展动能不断增强。",
    "区卫生健康局组织医务人员走进社区开展义诊活动，为居民提供健康咨询服务。",
    "燕矶镇组织机关干部和志愿者开展植树造林活动，助力长江大保护。",
    "杨叶镇以村庄清洁行动为抓手，持续改善农村人居环境，群众满意度明显提升。",
    "区财政局通报一季度预算执行情况，要求各单位提高财政资金使用效益。",
    "检查组深入建筑工地和物流仓储企业，重点检查消防设施、用电安全和应急预案落实情况。",
    "各单位要严格落实先审查、后公开和谁公开、谁审核的要求，确保发布信息准确权威。",
    "区政务公开办将加强日常监测和督促指导，推动各项任务落实落地。",
    "新庙镇完成农村公路提档升级工程，群众出行更加便捷。",
    "沙窝乡开展防汛应急演练，进一步提升基层应急处置能力。",
    "区市场监督管理分局开展食品安全专项检查，守护群众舌尖上的安全。",
    "区住房和城乡建设局推进老旧小区改造，惠及居民两千余户。",
    "区自然资源和规划局加强耕地保护，严格落实耕地占补平衡制度。",
]


def scratch_environment(base_url: str = "postgres://postgres@127.0.0.1:5432/postgres",
                        redis_url: str = "redis://127.0.0.1:6379/0", **extra) -> tuple[dict, callable]:
    """A fresh database, queue name and GOVPUB_HOME; returns the environment and a cleanup function."""
    from govpub.ops.scratch import fresh_postgres_database

    database_url, drop = fresh_postgres_database(base_url, "govpub_jobs")
    home = tempfile.mkdtemp(prefix="govpub-jobs-")
    env = {"DATABASE_URL": database_url, "REDIS_URL": redis_url, "GOVPUB_HOME": home,
           "GOVPUB_QUEUE_NAME": f"govpub-jobs-{uuid.uuid4().hex[:8]}", "DJANGO_SETTINGS_MODULE": "govpub.settings",
           "GOVPUB_LOG_LEVEL": "WARNING", "GOVPUB_TASKS_IMMEDIATE": "",
           "GOVPUB_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", **extra}

    def cleanup():
        import shutil

        drop()
        shutil.rmtree(home, ignore_errors=True)

    return env, cleanup


def seed(n_items: int, *, planted_every: int = 1000, paragraphs: int = 12) -> list[int]:
    """Migrate, seed the demo district and bulk-insert n published items (live on the website), bodies of
    ~1,000–1,500 characters, every `planted_every`-th with a planted serious problem. A fixture: not the
    publishing path."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from govpub.channels.models import Channel, ChannelKind
    from govpub.content.models import Item, ItemState, Revision
    from govpub.orgs.models import Person, Unit
    from govpub.publishing.models import Publication, PublicationStatus
    from govpub.web.demo import seed_demo

    call_command("migrate", verbosity=0)
    seed_demo()
    site = Channel.objects.get(kind=ChannelKind.WEBSITE)
    columns = [c for c in site.columns.all() if not c.children.exists()]
    editor = Person.objects.get(username="demo-editor")
    unit = Unit.objects.get(name="区党政办公室")
    rng = random.Random(42)
    now = timezone.now()
    ids = []
    for start in range(0, n_items, 2000):
        size = min(2000, n_items - start)
        with transaction.atomic():
            items = Item.objects.bulk_create([Item(unit=unit, author=editor, state=ItemState.PUBLISHED)
                                              for _ in range(size)])
            revisions = []
            for offset, item in enumerate(items):
                number = start + offset
                body = ["".join(rng.sample(SENTENCES, 3)) for _ in range(paragraphs)]
                if planted_every and number % planted_every == planted_every - 1:
                    body.insert(rng.randrange(len(body)), PLANTED)
                column = columns[number % len(columns)]
                revisions.append(Revision(
                    item=item, number=1, content_hash=f"{number:064x}", title=f"关于做好第{number + 1}批重点工作的通知",
                    body_html="".join(f"<p>{p}</p>" for p in body), targets=[f"column:{column.pk}"],
                    created_by=editor, index_no=f"SCALE-{number:08d}", issuing_org=unit.name))
            revisions = Revision.objects.bulk_create(revisions)
            Publication.objects.bulk_create([Publication(
                item=r.item, revision=r, revision_hash=r.content_hash, target=r.targets[0], channel=site,
                column_id=int(r.targets[0].split(":")[1]), status=PublicationStatus.LIVE,
                url=f"/articles/{r.item_id}/", published_by=editor, live_at=now - dt.timedelta(minutes=n_items - i))
                for i, r in enumerate(revisions, start=start)])
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE content_item SET current_revision_id = r.id, live_revision_id = r.id "
                    "FROM content_revision r WHERE r.item_id = content_item.id AND content_item.id BETWEEN %s AND %s",
                    [items[0].pk, items[-1].pk])
            ids += [i.pk for i in items]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return ids


def start_workers(count: int, env: dict, log_dir: str, threads: int = 2) -> list[subprocess.Popen]:
    procs = []
    for n in range(count):
        log = open(Path(log_dir) / f"worker-{n}.log", "w")
        procs.append(subprocess.Popen([sys.executable, "-m", "govpub", "worker", "--workers", str(threads)],
                                      env={**os.environ, **env}, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))
    return procs


def stop_workers(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # Huey's graceful shutdown
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_for(job_id: int, *, timeout: float, sweep_every: float | None = None, procs=()) -> "Job":  # noqa: F821
    """Poll until the job is closed; optionally run the sweeper here too (the workers' own runs once a minute)."""
    from django.db import connection

    from govpub.jobs.models import Job, JobState
    from govpub.jobs.runner import sweep

    deadline, last_sweep = time.monotonic() + timeout, time.monotonic()
    while True:
        job = Job.objects.get(pk=job_id)
        if job.state in (JobState.DONE, JobState.FAILED):
            return job
        if time.monotonic() > deadline:
            raise TimeoutError(f"job {job_id} not finished: {job.done}/{job.total} {job.state}")
        if any(p.poll() is not None for p in procs):
            raise RuntimeError("a worker exited")
        if sweep_every and time.monotonic() - last_sweep >= sweep_every:
            sweep()
            last_sweep = time.monotonic()
        connection.close()
        time.sleep(0.2)


def rescan(ids: list[int], *, chunk_size: int | None = None) -> int:
    from django.db import connection

    from govpub.jobs.runner import start_job

    job = start_job("rescan", {"item_ids": ids, **({"chunk_size": chunk_size} if chunk_size else {})})
    connection.close()
    return job.pk


def wait_ready(env: dict, procs, timeout: float = 90) -> None:
    """A tiny job per worker thread, so the workers have loaded the lexicons before anything is timed."""
    from django.db import connection

    from govpub.content.models import Item

    sample = list(Item.objects.order_by("pk").values_list("pk", flat=True)[:8 * len(procs)])
    connection.close()
    job = wait_for(rescan(sample, chunk_size=2), timeout=timeout, procs=procs)
    assert job.state == "done", job.error


def kill_test(n_items: int, *, chunk_size: int = 10, lease: float = 3.0) -> dict:
    """Two workers share a rescan; one is SIGKILLed while it holds a chunk; the rest must be exact."""
    env, drop = scratch_environment(GOVPUB_JOB_LEASE_SECONDS=str(lease))
    os.environ.update(env)
    procs = []
    try:
        ids = seed(n_items, planted_every=50)
        from django.db import connection

        from govpub.supervision.models import MonitorFinding

        from govpub.jobs.models import Chunk, ChunkState, Job

        procs = start_workers(2, env, env["GOVPUB_HOME"])
        wait_ready(env, procs)
        MonitorFinding.objects.all().delete()  # the warm-up's findings: count this job's only
        job_id = rescan(ids, chunk_size=chunk_size)
        victim, orphans = None, []
        deadline = time.monotonic() + 60
        while victim is None and time.monotonic() < deadline:
            for proc in procs:
                if Chunk.objects.filter(job_id=job_id, state=ChunkState.RUNNING, worker__contains=f":{proc.pid}:").exists():
                    proc.send_signal(signal.SIGSTOP)  # frozen: what it holds now is what it holds when killed
                    time.sleep(0.3)
                    orphans = list(Chunk.objects.filter(job_id=job_id, state=ChunkState.RUNNING,
                                                        worker__contains=f":{proc.pid}:").values_list("pk", flat=True))
                    if orphans:
                        proc.kill()
                        proc.wait()
                        victim = proc
                        break
                    proc.send_signal(signal.SIGCONT)
            connection.close()
            time.sleep(0.005)
        if victim is None:
            raise RuntimeError("could not catch a worker holding a chunk")
        done_at_kill = Job.objects.get(pk=job_id).done
        survivors = [p for p in procs if p is not victim]
        job = wait_for(job_id, timeout=180, sweep_every=1.0, procs=survivors)
        chunks = list(Chunk.objects.filter(job_id=job_id).values("pk", "state", "attempts", "size", "result", "worker"))
        per_item: dict[int, int] = {}
        for evidence in MonitorFinding.objects.filter(kind="serious_error", resolved_at__isnull=True).values_list(
                "evidence", flat=True):
            per_item[evidence["item"]] = per_item.get(evidence["item"], 0) + 1
        planted = [i for n, i in enumerate(ids) if n % 50 == 49]
        report = {
            "victim_pid": victim.pid, "orphans": orphans, "done_at_kill": done_at_kill,
            "state": job.state, "error": job.error, "total": job.total, "done": job.done,
            "chunks_total": job.chunks_total, "chunks_done": job.chunks_done,
            "items_in_results": sum(c["result"].get("items", 0) for c in chunks),
            "all_chunks_done": all(c["state"] == ChunkState.DONE for c in chunks),
            "orphans_redone_elsewhere": all(c["attempts"] >= 2 and f":{victim.pid}:" not in c["worker"]
                                            for c in chunks if c["pk"] in orphans),
            "planted": len(planted), "findings_per_planted_item": sorted({per_item.get(i, 0) for i in planted}),
            "findings_on_other_items": sorted(set(per_item) - set(planted)),
        }
        connection.close()
        return report
    finally:
        stop_workers(procs)
        _flush_queue()
        from django.db import connections

        connections.close_all()
        drop()


def _flush_queue() -> None:
    try:
        from huey.contrib.djhuey import HUEY

        HUEY.flush()
    except Exception:
        pass


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["kill-test"])
    parser.add_argument("--items", type=int, default=300)
    args = parser.parse_args(argv)
    print(json.dumps(kill_test(args.items)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
