from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('channels', '0002_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='channel',
            name='status_origin',
            field=models.CharField(blank=True, choices=[('supervision', '区政务公开办'), ('admin', '系统管理员'), ('unit', '主办单位')], max_length=12, verbose_name='状态决定机关'),
        ),
    ]
