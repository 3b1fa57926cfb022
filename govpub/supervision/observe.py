"""Reading what each new-media account really shows, through the platform's own read API.

Network only, no database writes and no transaction: the entry points (CLI, the daily job) read
first and hand the readings to `actions.check_accounts`, so no lock is held while a platform is slow.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from govpub.publishing.connectors import DeliveryError, RemotePost, connector_for

logger = logging.getLogger(__name__)

READ_LIMIT = 200  # posts per account per run: two weeks of any real government account, with room


@dataclass
class Reading:
    """What one account's read API answered: its posts (newest first), or why it could not be read.
    posts is None for platforms without a read API (manual posting) and when the read failed."""

    posts: list[RemotePost] | None = None
    error: str = ""
    findings: list = None  # the machine check of every post (pagescan.PageFinding), when a scanner was given

    @property
    def read(self) -> bool:
        return self.posts is not None


def running_accounts(channel_ids=None):
    """The new-media accounts the account check looks at: every running one, or only these."""
    from govpub.channels.models import Channel, ChannelKind, ChannelStatus

    accounts = Channel.objects.exclude(kind=ChannelKind.WEBSITE).filter(status=ChannelStatus.RUNNING)
    return accounts.filter(pk__in=channel_ids) if channel_ids else accounts


def read_account(channel, limit: int = READ_LIMIT) -> Reading:
    try:
        return Reading(connector_for(channel).read_posts(limit=limit))
    except DeliveryError as error:  # no credentials, a refused token, a platform that is down
        return Reading(error=str(error))
    except Exception as error:  # one broken account must not stop the others; the run says it failed
        logger.exception("reading account %s failed", channel.pk)
        return Reading(error=f"读取失败：{type(error).__name__}")


def read_accounts(accounts, scanner=None) -> dict[int, Reading]:
    """Each account's reading; with a scanner (pagescan.PageScanner) every post read is machine-checked
    here too, outside any transaction."""
    readings = {account.pk: read_account(account) for account in accounts}
    if scanner is not None:
        for reading in readings.values():
            if reading.read:
                reading.findings = [f for post in reading.posts for f in
                                    scanner.post(post.url or post.remote_id, post.title, post.extra.get("text", ""))]
    return readings
