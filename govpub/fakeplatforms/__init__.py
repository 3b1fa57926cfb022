"""Local fake WeChat and Weibo servers for tests, benchmarks and `govpub serve --demo`.

They follow the platforms' documented contracts (endpoints, fields, limits, error conventions,
token expiry) closely enough that the real connectors run against them unchanged, keep every
post in memory so tests can count them, and take switches to inject failures, lost replies,
slowness and hangs. They listen on 127.0.0.1 only.
"""

from .wechat import FakeWeChat
from .weibo import FakeWeibo

__all__ = ["FakeWeChat", "FakeWeibo"]
