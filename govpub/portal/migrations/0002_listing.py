import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Min

from govpub.portal.listing import list_keys


def fill(apps, schema_editor):
    """Today's lists, from the live website publications (what relist writes for each item)."""
    Publication = apps.get_model("publishing", "Publication")
    Item = apps.get_model("content", "Item")
    Column = apps.get_model("channels", "Column")
    Listing = apps.get_model("portal", "Listing")
    website = Publication.objects.filter(column__isnull=False)
    first = dict(website.filter(live_at__isnull=False).values("item_id").annotate(first=Min("live_at"))
                 .values_list("item_id", "first"))
    live_revision = dict(Item.objects.exclude(state="withdrawn").exclude(live_revision=None)
                         .values_list("id", "live_revision_id"))
    parents = dict(Column.objects.values_list("id", "parent_id"))
    rows, listed = [], set()
    for pk, item_id, column_id, revision_id, live_at in website.filter(status="live").order_by(
            "column__position", "id").values_list("id", "item_id", "column_id", "revision_id", "live_at"):
        if live_revision.get(item_id) != revision_id:
            continue
        for key in list_keys([column_id], parents):
            if (key, item_id) not in listed:
                listed.add((key, item_id))
                rows.append(Listing(publication_id=pk, item_id=item_id, column_id=key,
                                    published_at=first.get(item_id) or live_at))
    Listing.objects.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ('channels', '0003_measure_origin'),
        ('content', '0003_revisions_no_truncate'),
        ('portal', '0001_initial'),
        ('publishing', '0002_delivery'),
    ]

    operations = [
        migrations.CreateModel(
            name='Listing',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('published_at', models.DateTimeField()),
                ('column', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='channels.column')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='content.item')),
                ('publication', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='publishing.publication')),
            ],
            options={
                'verbose_name': '网站列表条目',
                'verbose_name_plural': '网站列表条目',
                'indexes': [models.Index(fields=['column', '-published_at', '-publication'], name='portal_listing_idx')],
                'constraints': [models.UniqueConstraint(fields=('column', 'item'), name='portal_listing_once_per_list')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
