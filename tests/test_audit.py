import io

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
    """Simulate an attacker with DDL rights: drop the guards, alter rows, put the guards back."""
    from govpub.audit.append_only import statements, truncate_statements

    def guards(install):
        return (statements(connection.vendor, "audit_auditevent", install=install)
                + truncate_statements(connection.vendor, "audit_auditevent", install=install))

    def run(sql, params=()):
        with connection.cursor() as cursor:
            for statement in guards(False):
                cursor.execute(statement)
            if callable(sql):
                sql(cursor)
            else:
                cursor.execute(sql, params)
            for statement in guards(True):
                cursor.execute(statement)

    return run


def _anchor():
    """The chain's head written outside the database, as the hourly task does."""
    from govpub.audit.tasks import anchor_audit_chain_hourly

    anchor_audit_chain_hourly.call_local()


def _verify_fails(*fragments):
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify")
    for fragment in fragments:
        assert fragment in str(failure.value)
    return str(failure.value)


def _recompute(cursor, start_seq, *, key=None, scheme="keep", key_id="keep"):
    """What a forger with database access does: rewrite every hash from start_seq on so the links fit again."""
    import hashlib
    import hmac
    import json

    previous = AuditEvent.objects.filter(seq=start_seq - 1).values_list("hash", flat=True).first() or "0" * 64
    for event in AuditEvent.objects.filter(seq__gte=start_seq).order_by("seq"):
        event.prev_hash = previous
        payload = event.payload()
        if scheme == "keep" and key is not None:
            payload.update(scheme=event.scheme, key_id=event.key_id)
            event.hash = hmac.new(key, json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                                  .encode(), hashlib.sha256).hexdigest()
        else:  # the original, unkeyed scheme
            event.hash = hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                                        .encode()).hexdigest()
        unkeyed = scheme is None
        cursor.execute(
            "UPDATE audit_auditevent SET prev_hash = %s, hash = %s" + (", scheme = NULL, key_id = NULL" if unkeyed else "")
            + " WHERE seq = %s", [event.prev_hash, "tmp-" + event.hash[:60], event.seq])
        cursor.execute("UPDATE audit_auditevent SET hash = %s WHERE seq = %s", [event.hash, event.seq])
        previous = event.hash


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


@pytest.mark.parametrize("table", ["audit_auditevent", "content_revision", "review_decision"])
def test_database_refuses_emptying_an_append_only_table(table):
    """PostgreSQL: TRUNCATE (even … CASCADE) is refused by a statement trigger; row triggers never see it.
    SQLite has no TRUNCATE: its equivalent, DELETE without WHERE, must be refused by the row trigger."""
    sql = f"TRUNCATE {table} CASCADE" if connection.vendor == "postgresql" else f"DELETE FROM {table}"
    with pytest.raises(DatabaseError) as info:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert "append-only" in str(info.value)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        assert cursor.fetchone()[0] > 0


def test_verify_checks_the_chain_against_its_anchors(caplog):
    import json

    from django.conf import settings

    with caplog.at_level("INFO", logger="govpub.audit.anchor"):
        _anchor()
    lines = open(settings.GOVPUB_AUDIT_ANCHOR_FILE, encoding="utf-8").read().splitlines()
    anchor = json.loads(lines[-1])
    assert anchor["events"] == AuditEvent.objects.count() and anchor["n"] == 1
    assert anchor["head"] == AuditEvent.objects.order_by("-seq").first().hash
    # One log line per anchor, for logs shipped off the host.
    assert [r for r in caplog.records if anchor["head"] in r.getMessage()]
    with transaction.atomic():
        log.record("test.after_anchor")
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "审计链完好" in out.getvalue() and "1 个链外锚点" in out.getvalue()


def test_emptied_audit_table_fails_verification_when_anchors_exist(tamper):
    """The reporter's case: TRUNCATE by someone able to lift the guard, then "共 0 条事件" and exit 0."""
    _anchor()
    count = AuditEvent.objects.count()
    tamper("TRUNCATE audit_auditevent" if connection.vendor == "postgresql" else "DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 0
    _verify_fails("审计日志为空", "锚点 #1", f"{count} 条事件")


def test_zero_events_without_anchors_is_fine(tamper):
    tamper("TRUNCATE audit_auditevent" if connection.vendor == "postgresql" else "DELETE FROM audit_auditevent")
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "共 0 条事件" in out.getvalue()


def test_lost_tail_fails_verification(tamper):
    with transaction.atomic():
        for n in range(3):
            log.record("test.tail", details={"n": n})
    _anchor()
    last = AuditEvent.objects.order_by("-seq").first().seq
    tamper("DELETE FROM audit_auditevent WHERE seq > %s", [last - 3])
    assert log.verify_chain(anchors=False).ok  # what the unanchored chain shows: nothing wrong
    _verify_fails(f"只有 {last - 3} 条事件", f"#{last - 2} 起的尾部已丢失", "锚点 #1")


def test_chain_recomputed_without_the_key_fails_verification(tamper):
    """A forger with database access but not the audit key: edit a row and recompute every later hash."""
    import secrets

    tamper(lambda cursor: (cursor.execute("UPDATE audit_auditevent SET action = 'forged' WHERE seq = 5"),
                           _recompute(cursor, 5, key=secrets.token_bytes(32))))
    result = log.verify_chain()
    assert not result.ok and result.bad_seq == 5
    _verify_fails("#5", "不掌握审计密钥")


def test_chain_recomputed_in_the_old_unkeyed_scheme_fails_verification(tamper):
    """Passing the whole chain off as written before the audit key existed is caught by the anchor,
    and a partial downgrade after keyed events even without one."""
    tamper(lambda cursor: (cursor.execute("UPDATE audit_auditevent SET action = 'forged' WHERE seq = 5"),
                           _recompute(cursor, 5, scheme=None)))
    assert log.verify_chain().bad_seq == 5
    _verify_fails("#5", "没有使用审计密钥")


def test_whole_chain_downgraded_after_an_anchor_fails_verification(tamper):
    _anchor()
    tamper(lambda cursor: _recompute(cursor, 1, scheme=None))
    result = log.verify_chain()
    assert not result.ok and result.bad_seq == 1 and result.anchor == 1
    _verify_fails("#1", "锚点 #1", "没有使用审计密钥")


def test_events_written_before_the_audit_key_still_verify(tamper, django_capture_on_commit_callbacks):
    """An upgraded installation: its old events are unkeyed SHA-256; new ones are keyed, and the first of them
    is anchored at once, recording where the keyed part begins."""
    import json

    from django.conf import settings

    tamper(lambda cursor: _recompute(cursor, 1, scheme=None))  # the chain as an older version wrote it
    legacy = AuditEvent.objects.count()
    assert log.verify_chain().ok
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = log.record("test.first_keyed")
    assert event.keyed and AuditEvent.objects.filter(scheme__isnull=True).count() == legacy
    anchor = json.loads(open(settings.GOVPUB_AUDIT_ANCHOR_FILE, encoding="utf-8").read().splitlines()[-1])
    assert anchor["legacy"] == legacy and anchor["events"] == legacy + 1
    assert log.verify_chain().ok


def test_tampered_anchor_file_fails_verification():
    from django.conf import settings

    _anchor()
    path = settings.GOVPUB_AUDIT_ANCHOR_FILE
    line = open(path, encoding="utf-8").read()
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(line.replace('"events": ', '"events": 1'))
    _verify_fails("第 1 行", "锚点 #1", "校验失败")


def test_verify_with_another_audit_key_says_which_key_is_missing(settings, tmp_path):
    settings.GOVPUB_AUDIT_KEY_FILE = str(tmp_path / "audit_key")  # a data directory without the key
    _verify_fails("#1", "找不到审计密钥", "GOVPUB_AUDIT_KEY")
    settings.GOVPUB_AUDIT_KEY = "another key"
    _verify_fails("#1", "与当前审计密钥", "不符")


def test_tail_cut_off_through_the_database_file_fails_verification(demo_committed):
    """An attacker with the database file (SQLite) or a database login (PostgreSQL), not the application:
    drops the guard, cuts off the newest events, puts the guard back."""
    from govpub.audit.append_only import statements

    _anchor()
    count = AuditEvent.objects.count()
    if connection.vendor == "sqlite":
        import sqlite3

        raw = sqlite3.connect(connection.settings_dict["NAME"])
        placeholder = "?"
    else:
        raw = connection.get_new_connection(connection.get_connection_params())
        placeholder = "%s"
    cursor = raw.cursor()
    for statement in statements(connection.vendor, "audit_auditevent", install=False):
        cursor.execute(statement)
    cursor.execute(f"DELETE FROM audit_auditevent WHERE seq > {placeholder}", [count - 5])
    for statement in statements(connection.vendor, "audit_auditevent", install=True):
        cursor.execute(statement)
    raw.commit()
    raw.close()
    assert AuditEvent.objects.count() == count - 5
    assert log.verify_chain(anchors=False).ok  # the chain alone cannot tell
    _verify_fails(f"只有 {count - 5} 条事件", f"已有 {count} 条", f"#{count - 4} 起的尾部已丢失")
