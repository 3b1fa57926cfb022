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
