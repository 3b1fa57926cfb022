"""Publications (发布记录): one per target per published revision — the outbox for connectors."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PublicationStatus(models.TextChoices):
    QUEUED = "queued", "待发送"
    LIVE = "live", "已上线"
    FAILED = "failed", "发送失败"
    SUPERSEDED = "superseded", "已被更正版本替代"
    WITHDRAWN = "withdrawn", "已撤下"


class Publication(models.Model):
    item = models.ForeignKey("content.Item", on_delete=models.PROTECT, related_name="publications")
    revision = models.ForeignKey("content.Revision", on_delete=models.PROTECT, related_name="publications")
    revision_hash = models.CharField(max_length=64)
    # "column:<id>" for a website column, "channel:<id>" for a new-media account.
    target = models.CharField(max_length=40)
    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="publications")
    column = models.ForeignKey("channels.Column", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="publications")
    status = models.CharField(max_length=12, choices=PublicationStatus.choices, default=PublicationStatus.QUEUED)
    url = models.CharField(max_length=500, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    live_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        # Exactly one publication per target per revision, whatever the concurrency.
        constraints = [models.UniqueConstraint(fields=["revision", "target"], name="one_publication_per_target")]

    def __str__(self) -> str:
        return f"{self.revision} → {self.target}"
