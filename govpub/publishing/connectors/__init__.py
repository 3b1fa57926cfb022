"""Connectors: one module per platform behind one small interface.

    publish(publication) -> PublishResult      post it (idempotently: resumes from publication.remote_state)
    withdraw(publication) -> None              take it down
    fetch_recent(channel) -> list[RemotePost]  the newest posts, for finding one of ours after a lost reply
    read_posts(limit) -> list[RemotePost] | None  what the account shows the public now, with text
                                               (monitoring); None: the platform cannot be read (manual)
    check_credentials(channel) -> None         raises if the stored credentials do not work

Errors are DeliveryError subclasses carrying the platform's code and a plain-Chinese message:
TransientError is retried with backoff, PermanentError is shown to the editor and never retried.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govpub.channels.models import ChannelKind


class DeliveryError(Exception):
    def __init__(self, message: str, *, code: str | int = "", detail: str = ""):
        super().__init__(message)
        self.message = message
        self.code = str(code)
        self.detail = detail  # the platform's own wording, for operators

    def __str__(self) -> str:
        return f"{self.message}（代码 {self.code}）" if self.code else self.message


class TransientError(DeliveryError):
    """Worth trying again later: busy, rate-limited, timed out, 5xx."""


class PermanentError(DeliveryError):
    """Trying again will not help: a person must change the content, the credentials or the account."""


class StillProcessing(TransientError):
    """The platform accepted the post and is still working on it; poll again later (not a failure)."""


@dataclass
class PublishResult:
    remote_id: str
    url: str = ""
    manual: bool = False  # no API: the operator posts it by hand


@dataclass
class RemotePost:
    remote_id: str
    title: str
    url: str = ""
    published_at: str = ""
    extra: dict = field(default_factory=dict)


class Connector:
    kind = ""

    def __init__(self, channel, credentials=None):
        self.channel = channel
        self.credentials = credentials

    def publish(self, publication, *, save_state) -> PublishResult:
        raise NotImplementedError

    def withdraw(self, publication, *, save_state) -> None:
        raise NotImplementedError

    def fetch_recent(self, count: int = 10) -> list[RemotePost]:
        raise NotImplementedError

    def read_posts(self, limit: int = 200) -> list[RemotePost] | None:
        raise NotImplementedError

    def check_credentials(self) -> None:
        raise NotImplementedError


def connector_for(channel) -> Connector:
    """The connector of a channel's platform; API platforms need stored credentials."""
    from ..credentials import credentials_for
    from .manual import ManualConnector

    if channel.kind == ChannelKind.WECHAT:
        from .wechat import WeChatConnector as cls
    elif channel.kind == ChannelKind.WEIBO:
        from .weibo import WeiboConnector as cls
    else:
        return ManualConnector(channel)
    credentials = credentials_for(channel)
    if credentials is None or not credentials.app_id and not credentials.secrets:
        raise PermanentError(f"账号“{channel.name}”尚未配置接口凭据，请系统管理员在渠道的“接口凭据”页面填写后重新发送。",
                             code="no_credentials")
    return cls(channel, credentials)


def forget_tokens(channel_id: int) -> None:
    from .wechat import TOKENS

    TOKENS.forget(channel_id)
