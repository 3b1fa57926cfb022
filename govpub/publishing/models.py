"""Publications (发布记录): one per target per published revision — the outbox for connectors."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PublicationStatus(models.TextChoices):
    QUEUED = "queued", "待发送"
    SENDING = "sending", "发送中"
    LIVE = "live", "已上线"
    FAILED = "failed", "发送失败"
    SUPERSEDED = "superseded", "已被更正版本替代"
    WITHDRAWN = "withdrawn", "已撤下"


class WithdrawState(models.TextChoices):
    NONE = "", "无需撤下"
    PENDING = "pending", "待撤下"
    DONE = "done", "已从平台撤下"
    FAILED = "failed", "撤下失败"


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
    # --- delivery to an external platform (publishing/delivery.py) ---
    remote_id = models.CharField("平台内容ID", max_length=200, blank=True)
    # Platform state saved step by step (draft media_id, publish_id, re-hosted images…), so a retry
    # after a crash resumes where the last attempt stopped instead of posting a second time.
    remote_state = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The lease: whoever holds claim_token until claimed_until is the only sender of this row.
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    last_error_code = models.CharField(max_length=40, blank=True)
    withdraw_state = models.CharField("平台撤稿状态", max_length=12, choices=WithdrawState.choices, blank=True,
                                      default="")

    class Meta:
        ordering = ["-created_at", "id"]
        # Exactly one publication per target per revision, whatever the concurrency.
        constraints = [models.UniqueConstraint(fields=["revision", "target"], name="one_publication_per_target")]

    def __str__(self) -> str:
        return f"{self.revision} → {self.target}"


class DeliveryAttempt(models.Model):
    """One call to a platform for one publication: kept for every try, success or not."""

    class Kind(models.TextChoices):
        PUBLISH = "publish", "发布"
        WITHDRAW = "withdraw", "撤下"

    class Outcome(models.TextChoices):
        RUNNING = "running", "进行中"
        OK = "ok", "成功"
        PENDING = "pending", "平台处理中"
        TRANSIENT = "transient", "临时错误，将重试"
        PERMANENT = "permanent", "失败，不再重试"
        MANUAL = "manual", "待人工发布"

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="delivery_attempts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    number = models.PositiveIntegerField(default=1)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    code = models.CharField(max_length=40, blank=True)
    message = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    worker = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["publication", "started_at", "id"]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.kind} #{self.number}: {self.outcome}"


class ChannelCredential(models.Model):
    """API credentials of one new-media account. Secrets are Fernet-encrypted; nothing here is ever shown back."""

    channel = models.OneToOneField("channels.Channel", on_delete=models.PROTECT, related_name="credential")
    app_id = models.CharField("AppID / App Key", max_length=100, blank=True)
    # JSON {"app_secret":…, "access_token":…, "callback_token":…} encrypted as one Fernet token.
    secrets_encrypted = models.TextField(blank=True)
    # Empty means the platform's real address; tests and the demo point this at a local fake.
    api_base = models.CharField("接口地址", max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    def __str__(self) -> str:
        return f"{self.channel_id} 凭据"

    def __repr__(self) -> str:  # never the secret, whatever logs it
        return f"<ChannelCredential channel={self.channel_id}>"
