"""Sessions kept per device kind: the one token per account becomes a token per kind. A session signed in
before the upgrade stays live under the "legacy" kind until it signs out or expires (nobody is thrown out
by the upgrade)."""

from django.db import migrations, models


def keep_live_sessions(apps, schema_editor):
    Person = apps.get_model("orgs", "Person")
    for pk, token in Person.objects.exclude(session_token="").values_list("pk", "session_token"):
        Person.objects.filter(pk=pk).update(session_tokens={"legacy": token})


def back(apps, schema_editor):
    Person = apps.get_model("orgs", "Person")
    for pk, tokens in Person.objects.values_list("pk", "session_tokens"):
        token = (tokens or {}).get("computer") or next(iter((tokens or {}).values()), "")
        Person.objects.filter(pk=pk).update(session_token=token)


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0003_measure_origin'),
    ]

    operations = [
        migrations.AddField(
            model_name='person',
            name='session_tokens',
            field=models.JSONField(blank=True, default=dict, editable=False, verbose_name='当前会话标识'),
        ),
        migrations.RunPython(keep_live_sessions, back),
        migrations.RemoveField(
            model_name='person',
            name='session_token',
        ),
    ]
