"""Database triggers that refuse UPDATE, DELETE and TRUNCATE on a table (audit log, revisions, decisions)."""

from django.db import migrations


def statements(vendor: str, table: str, *, install: bool) -> list[str]:
    guard = f"{table}_append_only"
    if vendor == "postgresql":
        if not install:
            return [f"DROP TRIGGER IF EXISTS {guard} ON {table}", f"DROP FUNCTION IF EXISTS {guard}()"]
        return [
            f"""CREATE OR REPLACE FUNCTION {guard}() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION USING MESSAGE = '{table} is append-only: ' || TG_OP || ' refused'; END;
                $$ LANGUAGE plpgsql""",
            f"""CREATE TRIGGER {guard} BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {guard}()""",
        ]
    if not install:
        return [f"DROP TRIGGER IF EXISTS {guard}_update", f"DROP TRIGGER IF EXISTS {guard}_delete"]
    return [
        f"""CREATE TRIGGER {guard}_{op.lower()} BEFORE {op} ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END"""
        for op in ("UPDATE", "DELETE")
    ]


def _guard(make) -> migrations.RunPython:
    """A migration that installs (and on reverse lifts) the statements make(vendor, install=…) gives."""
    def run(install: bool):
        def apply(apps, schema_editor):
            for sql in make(schema_editor.connection.vendor, install=install):
                schema_editor.execute(sql)
        return apply

    return migrations.RunPython(run(True), run(False))


def AppendOnly(table: str) -> migrations.RunPython:
    return _guard(lambda vendor, install: statements(vendor, table, install=install))


def ReinstallAppendOnly(table: str) -> migrations.RunPython:
    """After an AlterField on a guarded table: SQLite rebuilds the table and its triggers go with the old
    one, so put them back (on PostgreSQL they survive; they are replaced by the same ones)."""
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements(vendor, table, install=False) + statements(vendor, table, install=True):
            schema_editor.execute(sql)

    return migrations.RunPython(apply, apply)


def truncate_statements(vendor: str, table: str, *, install: bool) -> list[str]:
    """PostgreSQL's row triggers do not see TRUNCATE; a statement trigger does (also for TRUNCATE … CASCADE).

    It has its own function, so lifting the row guard (statements(…, install=False)) leaves it in place.
    SQLite has no TRUNCATE: its "DELETE FROM t" is a row delete, which the row trigger already refuses.
    """
    if vendor != "postgresql":
        return []
    guard = f"{table}_no_truncate"
    if not install:
        return [f"DROP TRIGGER IF EXISTS {guard} ON {table}", f"DROP FUNCTION IF EXISTS {guard}()"]
    return [
        f"""CREATE OR REPLACE FUNCTION {guard}() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION USING MESSAGE = '{table} is append-only: TRUNCATE refused'; END;
            $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER {guard} BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {guard}()""",
    ]


def NoTruncate(table: str) -> migrations.RunPython:
    return _guard(lambda vendor, install: truncate_statements(vendor, table, install=install))
