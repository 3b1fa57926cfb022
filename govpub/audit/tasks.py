import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .log import anchor_quietly, describe_failure, verify_chain

logger = logging.getLogger(__name__)


@db_task()
def verify_audit_chain() -> dict:
    result = verify_chain()
    if not result.ok:
        logger.error("audit chain broken at event %s: %s", result.bad_seq, describe_failure(result))
    return {"ok": result.ok, "checked": result.checked, "bad_seq": result.bad_seq}


@db_periodic_task(crontab(hour="2", minute="30"))
def verify_audit_chain_nightly():
    verify_audit_chain.call_local()


@db_periodic_task(crontab(minute="17"))
def anchor_audit_chain_hourly():
    # The head outside the database (and in the log) every hour: at most an hour of events can vanish unnoticed.
    anchor_quietly()
