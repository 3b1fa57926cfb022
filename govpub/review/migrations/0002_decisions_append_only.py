"""Review decisions are never changed or removed once recorded."""

from django.db import migrations

from govpub.audit.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial")]
    operations = [AppendOnly("review_decision")]
