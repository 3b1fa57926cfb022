"""Notifications become their own app; the table (content_notification) stays where it is.

State only: the model moves from content to notifications; content's 0004 drops it from its state.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = [
        ("content", "0003_revisions_no_truncate"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("verb", models.CharField(max_length=30)),
                        ("message", models.CharField(max_length=300)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        ("item", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                                   related_name="+", to="content.item")),
                        ("recipient", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                        related_name="notifications", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"db_table": "content_notification", "ordering": ["-created_at"]},
                ),
            ],
        ),
    ]
