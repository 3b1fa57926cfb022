from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0002_listing'),
    ]

    operations = [
        migrations.CreateModel(
            name='SiteIdentity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('site_name', models.CharField(blank=True, max_length=100, verbose_name='网站名称')),
                ('icp', models.CharField(blank=True, max_length=60, verbose_name='ICP 备案号')),
                ('psb', models.CharField(blank=True, max_length=60, verbose_name='公安机关备案号')),
                ('conac_url', models.URLField(blank=True, max_length=500, verbose_name='党政机关网站标识链接')),
                ('link_registries', models.BooleanField(default=False, verbose_name='备案号链接到备案查询系统')),
                ('phone', models.CharField(blank=True, max_length=40, verbose_name='联系电话')),
                ('email', models.EmailField(blank=True, max_length=120, verbose_name='联系邮箱')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='联系地址')),
                ('logo', models.BinaryField(blank=True, null=True, verbose_name='网站标识图片（PNG）')),
                ('favicon', models.BinaryField(blank=True, null=True, verbose_name='浏览器图标（PNG）')),
                ('banner', models.BinaryField(blank=True, null=True, verbose_name='页头横幅（PNG）')),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': '网站标识',
                'verbose_name_plural': '网站标识',
            },
        ),
    ]
