from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .actions import publish_if_still_due


@db_task(retries=3, retry_delay=30)
def publish_scheduled(item_id: int, revision_hash: str, user_id: int):
    return [p.pk for p in publish_if_still_due(item_id, revision_hash, user_id)]


@db_task()
def deliver_publication(publication_id: int, kind: str = "publish"):
    """One delivery attempt; retries are scheduled by delivery.run itself (backoff), not by Huey."""
    from . import delivery

    return delivery.run(publication_id, kind)


@db_periodic_task(crontab(minute="*"))
def sweep_deliveries():
    """Re-queue deliveries whose worker died (lease expired) or whose retry task was lost."""
    from . import delivery

    return delivery.sweep()
