"""The task queue really stores and runs tasks: SQLite storage by default, Redis when REDIS_URL is set."""

import os

import pytest
from huey.contrib.djhuey import HUEY

from govpub.audit.models import AuditEvent
from govpub.audit.tasks import verify_audit_chain

pytestmark = pytest.mark.django_db


def test_queue_backend_follows_environment():
    expected = "RedisStorage" if os.environ.get("REDIS_URL") else "SqliteStorage"
    HUEY.immediate = False
    assert expected in type(HUEY.storage).__name__


def test_task_goes_through_the_real_queue(monkeypatch):
    # A worker closes its DB connections around each task; here the task runs inside the test's
    # transaction, which must survive, so only that step is skipped.
    monkeypatch.setattr("huey.contrib.djhuey.close_old_connections", lambda: None)
    HUEY.immediate = False
    HUEY.flush()
    result = verify_audit_chain()
    assert HUEY.pending_count() == 1
    HUEY.execute(HUEY.dequeue())
    assert result.get() == {"ok": True, "checked": AuditEvent.objects.count(), "bad_seq": None}
