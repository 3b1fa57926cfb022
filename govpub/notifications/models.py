"""A notification: one message to one person, with the page it is about.

It sits below the apps that send it (DESIGN §3), so it names what it is about by the page's address
(`link`), not by a key into another app's table: content, review, publishing, supervision and orgs
all notify without notifications knowing any of them.
"""

from django.conf import settings
from django.db import models


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications")
    verb = models.CharField(max_length=30)
    message = models.CharField(max_length=300)
    link = models.CharField(max_length=200, blank=True, db_index=True)  # a site path, e.g. the item's page
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "content_notification"  # the table was content's before notifications were an app
        ordering = ["-created_at"]
