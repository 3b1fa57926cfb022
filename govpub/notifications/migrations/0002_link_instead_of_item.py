"""A notification names the page it is about (`link`) instead of a key into content's items.

Existing rows keep their target: an item's notification links to that item's page.
"""

from django.db import migrations, models
from django.db.models.functions import Cast, Concat


def items_to_links(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    # The item page's path as urls.py has it now (a migration must not follow later URL changes); one UPDATE.
    path = Concat(models.Value("/staff/items/"), Cast("item_id", models.CharField()), models.Value("/"),
                  output_field=models.CharField())
    Notification.objects.filter(item__isnull=False).update(link=path)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]
    operations = [
        migrations.AddField("notification", "link", models.CharField(blank=True, db_index=True, max_length=200, default=""),
                            preserve_default=False),
        migrations.RunPython(items_to_links, migrations.RunPython.noop),
        migrations.RemoveField("notification", "item"),
    ]
