"""Channel API credentials: entered by admins, encrypted at rest, never shown back or logged.

The Fernet key comes from GOVPUB_CREDENTIALS_KEY when set (so it can be rotated apart from the
session key), otherwise it is derived from SECRET_KEY with HKDF.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ValidationError

from .models import ChannelCredential

SECRET_FIELDS = ("app_secret", "access_token", "callback_token")
SECRET_LABELS = {"app_secret": "AppSecret / App Secret", "access_token": "访问令牌（微博 access_token）",
                 "callback_token": "消息推送 Token（微信服务器配置）"}


def _fernet() -> Fernet:
    explicit = os.environ.get("GOVPUB_CREDENTIALS_KEY") or getattr(settings, "GOVPUB_CREDENTIALS_KEY", "")
    if explicit:
        return Fernet(explicit.encode() if isinstance(explicit, str) else explicit)
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"govpub-channel-credentials",
               info=b"fernet").derive(settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(raw))


def encrypt(secrets: dict) -> str:
    return _fernet().encrypt(json.dumps(secrets, ensure_ascii=False).encode()).decode()


def decrypt(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken as error:
        raise ValidationError("接口凭据无法解密（密钥已更换？），请管理员重新填写。") from error


@dataclass(frozen=True)
class Credentials:
    channel_id: int
    app_id: str
    api_base: str
    secrets: dict = field(repr=False)  # repr=False: a logged Credentials object shows no secret

    def secret(self, name: str) -> str:
        return self.secrets.get(name, "") or ""

    def __repr__(self) -> str:
        return f"Credentials(channel_id={self.channel_id}, app_id={self.app_id!r}, api_base={self.api_base!r})"


def credentials_for(channel) -> Credentials | None:
    row = ChannelCredential.objects.filter(channel=channel).first()
    if row is None:
        return None
    return Credentials(channel_id=row.channel_id, app_id=row.app_id, api_base=row.api_base,
                       secrets=decrypt(row.secrets_encrypted))


def secrets_set(channel) -> dict[str, bool]:
    """Which secrets are present — all a page may ever show about them (“已设置”)."""
    row = ChannelCredential.objects.filter(channel=channel).first()
    present = decrypt(row.secrets_encrypted) if row else {}
    return {name: bool(present.get(name)) for name in SECRET_FIELDS}
