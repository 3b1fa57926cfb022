from django.db import migrations, models


def admins_suspensions(apps, schema_editor):
    """Suspensions from before the origin was recorded: those decided by someone who never held a supervisor
    role were the admins'; the rest (整改令, 责任追究, a supervisor on the unit page) stay the supervision's."""
    Suspension = apps.get_model("orgs", "Suspension")
    RoleAssignment = apps.get_model("orgs", "RoleAssignment")
    supervisors = RoleAssignment.objects.filter(role="supervisor").values("person_id")
    Suspension.objects.exclude(started_by_id__in=supervisors).update(origin="admin")


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0002_account_policies'),
    ]

    operations = [
        migrations.AddField(
            model_name='suspension',
            name='origin',
            field=models.CharField(choices=[('supervision', '区政务公开办'), ('admin', '系统管理员'), ('unit', '主办单位')], default='supervision', help_text='谁下达的暂停发布，只能由谁解除（区政务公开办的整改令、关停，或系统管理员）', max_length=12, verbose_name='决定机关'),
        ),
        migrations.RunPython(admins_suspensions, migrations.RunPython.noop),
    ]
