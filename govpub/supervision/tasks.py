"""Daily supervision work: deadline reminders and overdue marking."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import actions


@db_task()
def check_ticket_deadlines() -> dict:
    return {"reminded": actions.send_deadline_reminders(), "overdue": actions.mark_overdue_tickets()}


@db_periodic_task(crontab(hour="7", minute="10"))
def check_ticket_deadlines_daily():
    check_ticket_deadlines.call_local()


@db_task()
def monitor_website(channel_id: int) -> int:
    from govpub.channels.models import Channel

    from .monitor import run_website_monitor

    return run_website_monitor(Channel.objects.get(pk=channel_id)).pk


@db_periodic_task(crontab(hour="3", minute="20"))
def monitor_all_daily():
    """Every running website is one chunk of a crawl job (any worker takes any site), the accounts one more."""
    crawl_all.call_local()


@db_task()
def crawl_all(channel_ids: list | None = None) -> int:
    from govpub.jobs.runner import start_job

    return start_job("crawl", {"channel_ids": channel_ids or []}).pk


@db_periodic_task(crontab(minute="*/30"))
def probe_websites():
    """Availability (站点无法访问 is judged on a week of probes): fetch each home page within 15 s."""
    from .monitor import probe_all

    probe_all()


@db_task()
def rescan_archive(extra_rows: list | None = None) -> int:
    """After a lexicon update: the published archive as a durable job whose chunks any worker may take
    (progress survives a worker restart); returns the number of chunks."""
    from govpub.jobs.runner import start_job

    params = {"extra_rows": [list(r) for r in extra_rows]} if extra_rows else {}
    return start_job("rescan", params).chunks_total


@db_periodic_task(crontab(day_of_week="0", hour="4", minute="0"))
def rescan_archive_weekly():
    rescan_archive.call_local()


@db_task()
def generate_bulletin(year: int, quarter: int) -> int:
    from govpub.jobs.runner import start_job

    return start_job("bulletin", {"year": year, "quarter": quarter}).pk


@db_periodic_task(crontab(month="1,4,7,10", day="1", hour="5", minute="0"))
def generate_bulletin_quarterly():
    """On the first day of a quarter, the last quarter's bulletin (.docx, .xlsx) is prepared in the background."""
    from django.utils import timezone

    today = timezone.localdate()
    quarter = (today.month - 1) // 3  # the quarter that just ended (0 → last year's fourth)
    generate_bulletin.call_local(today.year - (quarter == 0), quarter or 4)
