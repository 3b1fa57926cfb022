"""The search catalogue; its full-text index is database-specific (see govpub/portal/search.py)."""

import django.db.models.deletion
from django.db import migrations, models

SQLITE = [
    # External-content FTS5: the words live once, in portal_searchdocument.segmented; triggers keep the index in step.
    "CREATE VIRTUAL TABLE portal_search_fts USING fts5(segmented, content='portal_searchdocument', "
    "content_rowid='item_id', tokenize='unicode61')",
    "CREATE TRIGGER portal_search_ai AFTER INSERT ON portal_searchdocument BEGIN "
    "INSERT INTO portal_search_fts(rowid, segmented) VALUES (new.item_id, new.segmented); END",
    "CREATE TRIGGER portal_search_ad AFTER DELETE ON portal_searchdocument BEGIN "
    "INSERT INTO portal_search_fts(portal_search_fts, rowid, segmented) VALUES ('delete', old.item_id, old.segmented); END",
    "CREATE TRIGGER portal_search_au AFTER UPDATE ON portal_searchdocument BEGIN "
    "INSERT INTO portal_search_fts(portal_search_fts, rowid, segmented) VALUES ('delete', old.item_id, old.segmented); "
    "INSERT INTO portal_search_fts(rowid, segmented) VALUES (new.item_id, new.segmented); END",
]
SQLITE_UNDO = ["DROP TRIGGER portal_search_au", "DROP TRIGGER portal_search_ad", "DROP TRIGGER portal_search_ai",
               "DROP TABLE portal_search_fts"]
POSTGRES = [
    # 'simple': no stemming or stop words; the text is already segmented into words by jieba.
    "ALTER TABLE portal_searchdocument ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', segmented)) STORED",
    "CREATE INDEX portal_searchdocument_vector ON portal_searchdocument USING gin (search_vector)",
]
POSTGRES_UNDO = ["DROP INDEX portal_searchdocument_vector", "ALTER TABLE portal_searchdocument DROP COLUMN search_vector"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('channels', '0002_initial'),
        ('content', '0002_revisions_append_only'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('item', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='content.item')),
                ('title', models.CharField(max_length=200)),
                ('text', models.TextField()),
                ('segmented', models.TextField()),
                ('published_at', models.DateTimeField()),
                ('column', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='channels.column')),
            ],
            options={
                'verbose_name': '全文检索条目',
                'verbose_name_plural': '全文检索条目',
            },
        ),
        migrations.RunPython(_run({"sqlite": SQLITE, "postgresql": POSTGRES}),
                             _run({"sqlite": SQLITE_UNDO, "postgresql": POSTGRES_UNDO})),
    ]
