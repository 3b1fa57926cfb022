"""The database refuses TRUNCATE on the audit table too (PostgreSQL; SQLite has no TRUNCATE)."""

from django.db import migrations

from govpub.audit.append_only import NoTruncate


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_hash_scheme")]
    operations = [NoTruncate("audit_auditevent")]
