import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from govpub.audit import log
from govpub.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_demo_chain_verifies():
    result = log.verify_chain()
    assert result.ok and result.checked == AuditEvent.objects.count() > 50


def test_record_links_to_previous_event():
    last = AuditEvent.objects.order_by("-seq").first()
    with transaction.atomic():
        event = log.record("test.event", details={"n": 1, "名称": "测试"})
    assert event.seq == last.seq + 1
    assert event.prev_hash == last.hash
    stored = AuditEvent.objects.get(seq=event.seq)
    assert stored.compute_hash() == stored.hash == event.hash


def test_record_outside_a_transaction_is_refused():
    # Each test runs inside a transaction; simulate a bare autocommit call.
    with pytest.raises(RuntimeError):
        saved = connection.in_atomic_block
        connection.in_atomic_block = False
        try:
            log.record("test.bare")
        finally:
            connection.in_atomic_block = saved


@pytest.mark.parametrize("sql", [
    "UPDATE audit_auditevent SET action = 'forged' WHERE seq = 1",
    "DELETE FROM audit_auditevent WHERE seq = 1",
])
def test_database_refuses_update_and_delete(sql):
    with pytest.raises(DatabaseError) as info:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert "append-only" in str(info.value)
    assert AuditEvent.objects.filter(seq=1).exclude(action="forged").exists()


def test_orm_update_and_delete_are_refused_too():
    with pytest.raises(DatabaseError):
        with transaction.atomic():
            AuditEvent.objects.filter(seq=2).update(details={"forged": True})
    with pytest.raises(DatabaseError):
        with transaction.atomic():
            AuditEvent.objects.filter(seq=2).delete()


@pytest.fixture
def tamper():
    """Simulate an attacker with DDL rights: drop the guard, alter rows, put the guard back."""
    from govpub.audit.append_only import statements

    def run(sql, params=()):
        with connection.cursor() as cursor:
            for statement in statements(connection.vendor, "audit_auditevent", install=False):
                cursor.execute(statement)
            cursor.execute(sql, params)
            for statement in statements(connection.vendor, "audit_auditevent", install=True):
                cursor.execute(statement)

    return run


def test_verify_names_the_first_altered_event(tamper):
    tamper("UPDATE audit_auditevent SET details = %s WHERE seq = 5", ['{"forged": true}'])
    result = log.verify_chain()
    assert not result.ok and result.bad_seq == 5
    with pytest.raises(CommandError, match="#5"):
        call_command("audit", "verify")


def test_verify_detects_a_removed_event(tamper):
    tamper("DELETE FROM audit_auditevent WHERE seq = 7")
    result = log.verify_chain()
    assert not result.ok and result.bad_seq == 7


def test_verify_detects_a_rewritten_tail(tamper):
    # Even a forger who recomputes the altered row's own hash breaks the next link.
    event = AuditEvent.objects.get(seq=9)
    event.action = "forged"
    forged_hash = event.compute_hash()
    tamper("UPDATE audit_auditevent SET action = 'forged', hash = %s WHERE seq = 9", [forged_hash])
    result = log.verify_chain()
    assert not result.ok and result.bad_seq == 10


def test_audit_verify_command_succeeds_on_intact_chain(capsys):
    call_command("audit", "verify")
    assert "审计链完好" in capsys.readouterr().out


def test_hash_does_not_depend_on_the_writers_time_zone():
    """An event written with a local-time clock verifies after the database hands it back in UTC."""
    import datetime as dt
    from unittest import mock
    from zoneinfo import ZoneInfo

    local = dt.datetime(2026, 7, 1, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    with mock.patch("django.utils.timezone.now", return_value=local), transaction.atomic():
        event = log.record("test.local_clock")
    stored = AuditEvent.objects.get(seq=event.seq)
    assert stored.compute_hash() == stored.hash
    assert log.verify_chain().ok
