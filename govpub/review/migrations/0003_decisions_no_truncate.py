"""The database refuses TRUNCATE on review decisions too (PostgreSQL; SQLite has no TRUNCATE)."""

from django.db import migrations

from govpub.audit.append_only import NoTruncate


class Migration(migrations.Migration):
    dependencies = [("review", "0002_decisions_append_only")]
    operations = [NoTruncate("review_decision")]
