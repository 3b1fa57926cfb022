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
    """Each website is crawled in its own task (so several workers share the work); accounts are cheap."""
    from govpub.channels.models import Channel, ChannelKind, ChannelStatus

    for channel_id in (Channel.objects.filter(kind=ChannelKind.WEBSITE, status=ChannelStatus.RUNNING)
                       .exclude(url="").values_list("pk", flat=True)):
        monitor_website(channel_id)
    actions.check_accounts()


@db_periodic_task(crontab(minute="*/30"))
def probe_websites():
    """Availability (站点无法访问 is judged on a week of probes): fetch each home page within 15 s."""
    from .monitor import probe_all

    probe_all()


@db_task()
def rescan_chunk(item_ids: list, extra_rows: list | None = None) -> dict:
    from .rescan import scan_items

    return actions.record_rescan(scan_items(item_ids, extra_rows=[tuple(r) for r in extra_rows or ()]))


@db_task()
def rescan_archive(extra_rows: list | None = None) -> int:
    """After a lexicon update: the published archive, split into chunks that any worker may take."""
    from .rescan import chunks, published_item_ids

    parts = chunks(published_item_ids())
    for part in parts:
        rescan_chunk(part, extra_rows)
    return len(parts)


@db_periodic_task(crontab(day_of_week="0", hour="4", minute="0"))
def rescan_archive_weekly():
    rescan_archive.call_local()
