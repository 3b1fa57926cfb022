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

from govpub.channels.models import ChannelKind


from .base import (  # noqa: F401  (the package's interface)
    Connector, DeliveryError, PermanentError, PublishResult, RemotePost, StillProcessing, TransientError)


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
