from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    initial = True

    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.CreateModel(
            name="AuditEvent",
            fields=[
                ("seq", models.BigAutoField(primary_key=True, serialize=False, verbose_name="序号")),
                ("created_at", models.DateTimeField(db_index=True, verbose_name="时间")),
                ("actor_name", models.CharField(blank=True, max_length=150, verbose_name="操作人账号")),
                ("action", models.CharField(db_index=True, max_length=64, verbose_name="操作")),
                ("object_type", models.CharField(blank=True, max_length=64, verbose_name="对象类型")),
                ("object_id", models.CharField(blank=True, max_length=64, verbose_name="对象ID")),
                ("object_repr", models.CharField(blank=True, max_length=300, verbose_name="对象")),
                ("unit_id", models.BigIntegerField(blank=True, db_index=True, null=True)),
                ("details", models.JSONField(blank=True, default=dict, verbose_name="详情")),
                ("prev_hash", models.CharField(max_length=64, verbose_name="前序哈希")),
                ("hash", models.CharField(max_length=64, unique=True, verbose_name="哈希")),
                ("actor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                            related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="操作人")),
            ],
            options={"ordering": ["seq"], "verbose_name": "审计事件", "verbose_name_plural": "审计事件",
                     "indexes": [models.Index(fields=["object_type", "object_id"], name="audit_event_object_idx")]},
        ),
    ]
