"""Minting and revoking API tokens (audited; the raw token is returned once and never stored)."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govpub.audit import log as audit
from govpub.orgs.policy import require

from . import policy
from .models import ApiToken, token_digest

TOKEN_PREFIX = "gp_"


@transaction.atomic(durable=True)
def create_token(person, *, acting_user=None, name: str) -> tuple[ApiToken, str]:
    """A new token for `person`; returns (token row, raw token). acting_user=None means the server operator (CLI)."""
    require(policy.can_manage_tokens(acting_user, person), "只能为本人创建接口令牌（管理员除外）。")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写令牌名称（用途）。"})
    if len(name) > 100:
        raise ValidationError({"name": "令牌名称不能超过 100 个字。"})
    if not person.is_active:
        raise ValidationError("该人员账号已停用，不能创建接口令牌。")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(person=person, name=name, prefix=raw[:10], token_hash=token_digest(raw))
    audit.record("api.token_create", actor=acting_user, obj=token,
                 details={"person": person.username, "name": name, "prefix": token.prefix,
                          "via": "cli" if acting_user is None else "web"})
    return token, raw


@transaction.atomic(durable=True)
def revoke_token(token: ApiToken, *, acting_user=None) -> ApiToken:
    token = ApiToken.objects.select_for_update().select_related("person").get(pk=token.pk)
    require(policy.can_manage_tokens(acting_user, token.person), "只能吊销本人的接口令牌（管理员除外）。")
    if token.revoked_at is not None:
        raise ValidationError("该令牌已被吊销。")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record("api.token_revoke", actor=acting_user, obj=token,
                 details={"person": token.person.username, "name": token.name, "prefix": token.prefix,
                          "via": "cli" if acting_user is None else "web"})
    return token
