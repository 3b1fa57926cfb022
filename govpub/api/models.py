"""API tokens: only the SHA-256 of a token is stored; the token itself is shown once, when it is made."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens",
                               verbose_name="人员")
    name = models.CharField("名称", max_length=100)
    # The first characters of the token, so people can tell their tokens apart; not enough to use it.
    prefix = models.CharField("前缀", max_length=12)
    token_hash = models.CharField("令牌哈希", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
