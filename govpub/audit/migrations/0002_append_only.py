"""The database itself refuses UPDATE and DELETE on the audit table."""

from django.db import migrations

from govpub.audit.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [AppendOnly("audit_auditevent")]
