"""Revisions are immutable: the database refuses to change or remove them."""

from django.db import migrations

from govpub.audit.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]
    operations = [AppendOnly("content_revision")]
