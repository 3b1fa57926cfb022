from huey.contrib.djhuey import db_task

from .actions import publish_if_still_due


@db_task(retries=3, retry_delay=30)
def publish_scheduled(item_id: int, revision_hash: str, user_id: int):
    return [p.pk for p in publish_if_still_due(item_id, revision_hash, user_id)]
