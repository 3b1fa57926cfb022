"""The connectors' shared interface and errors (imported by every platform module; re-exported by
the package, so callers write `from govpub.publishing.connectors import PermanentError`)."""

from __future__ import annotations

from dataclasses import dataclass, field


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
