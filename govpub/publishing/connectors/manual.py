"""Platforms without a usable API (抖音, 今日头条, 自建客户端, 其他): a person posts by hand.

publish() does not post: it turns the publication into a to-do item of the operator unit
(publishing/manual.py lists them); the operator records the post URL when done.
"""

from __future__ import annotations

from .base import Connector, PublishResult


class ManualConnector(Connector):
    kind = "manual"

    def publish(self, publication, save_state=None) -> PublishResult:
        return PublishResult("", "", manual=True)

    def withdraw(self, publication, save_state=None) -> None:
        # Handled by a person too: the to-do list shows withdrawals awaiting confirmation.
        raise ManualWithdrawal()

    def fetch_recent(self, count: int = 10):
        return []

    def read_posts(self, limit: int = 200):
        return None  # no read API: monitoring reports the account as 未监测, never as silent or clean

    def check_credentials(self) -> None:
        return None


class ManualWithdrawal(Exception):
    """The withdrawal waits for the operator to delete the post and confirm."""
