"""`Authorization: Bearer <token>`: the token's SHA-256 is looked up; revoked tokens are refused, and so are the
tokens of a person who is deactivated, locked out or must change the password (govpub.orgs.accounts.token_refusal)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from govpub.orgs.accounts import token_refusal

from .models import ApiToken, token_digest

# last_used_at is bookkeeping, not an audit event: write it at most once a minute per token.
_TOUCH_EVERY = dt.timedelta(minutes=1)


class AccountRefused(AuthenticationError):
    """A valid token whose person may not act now; the API answers with this status and Chinese message."""


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        token = (token or "").strip()
        if not token or len(token) > 200:
            return None
        row = (ApiToken.objects.select_related("person")
               .filter(token_hash=token_digest(token), revoked_at__isnull=True).first())
        if row is None:
            return None
        refusal = token_refusal(request, row.person)
        if refusal:
            raise AccountRefused(*refusal)
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > _TOUCH_EVERY:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.person
        request.api_token = row
        return row.person
