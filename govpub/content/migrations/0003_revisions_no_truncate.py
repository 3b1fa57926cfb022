"""The database refuses TRUNCATE on revisions too (PostgreSQL; SQLite has no TRUNCATE)."""

from django.db import migrations

from govpub.audit.append_only import NoTruncate


class Migration(migrations.Migration):
    dependencies = [("content", "0002_revisions_append_only")]
    operations = [NoTruncate("content_revision")]
