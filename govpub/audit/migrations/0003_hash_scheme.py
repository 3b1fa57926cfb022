"""Keyed hashes (HMAC with the audit key); existing events keep scheme NULL and verify as plain SHA-256."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]
    operations = [
        migrations.AddField("auditevent", "scheme",
                            models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="哈希方案")),
        migrations.AddField("auditevent", "key_id",
                            models.CharField(blank=True, max_length=16, null=True, verbose_name="审计密钥指纹")),
    ]
