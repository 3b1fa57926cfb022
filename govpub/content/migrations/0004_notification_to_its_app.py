"""Notifications moved to govpub.notifications (same table): content forgets the model, state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0003_revisions_no_truncate"),
        ("notifications", "0001_initial"),
    ]
    operations = [
        migrations.SeparateDatabaseAndState(database_operations=[],
                                            state_operations=[migrations.DeleteModel(name="Notification")]),
    ]
