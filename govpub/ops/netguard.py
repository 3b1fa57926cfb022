"""Refuse server-side requests to internal addresses (SSRF): every URL the server fetches comes through here.

Staff type URLs (monitored websites, platform API addresses); without a check, the server could be made to
read the cloud metadata service (169.254.169.254), the database or admin ports on the intranet. A host is
resolved and refused when any of its addresses is loopback, private, link-local, reserved, multicast or
unspecified — unless GOVPUB_ALLOW_PRIVATE_HOSTS lists it: a comma list of host names, addresses, CIDR
networks, each optionally with `:port` (`10.2.0.0/16`, `intranet.example.gov.cn`, `127.0.0.1:8801`).

Pure Python; Django settings are read only when Django is configured (the crawler also runs without it).
Resolving first and connecting later leaves a short window for DNS rebinding; the allow-list is the control
that matters for platforms, and the crawler re-checks every redirect hop.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class BlockedAddress(ValueError):
    """The URL may not be fetched: its host resolves to an internal address not on the allow-list."""

    def __init__(self, host: str, address: str = "", message: str = ""):
        super().__init__(message or f"地址 {host}（{address}）属于本机或内网，为防止服务器端请求伪造（SSRF）已拒绝访问；"
                                    f"如确需访问，请由系统管理员将其加入 GOVPUB_ALLOW_PRIVATE_HOSTS。")
        self.host = host
        self.address = address


@dataclass(frozen=True)
class _Entry:
    host: str | None  # a host name, lower case
    network: ipaddress.IPv4Network | ipaddress.IPv6Network | None
    port: int | None

    def matches(self, host: str, address: Address, port: int | None) -> bool:
        if self.port is not None and self.port != port:
            return False
        if self.network is not None:
            return address in self.network
        return self.host == host


def parse_entry(text: str) -> _Entry:
    text = text.strip()
    port = None
    if text.startswith("["):  # [::1]:8000
        inner, _, rest = text[1:].partition("]")
        text, port = inner, int(rest[1:]) if rest.startswith(":") else None
    elif text.count(":") == 1:  # host:port or a.b.c.d:port (a bare IPv6 address has several colons)
        text, _, port_text = text.partition(":")
        port = int(port_text)
    try:
        return _Entry(None, ipaddress.ip_network(text, strict=False), port)
    except ValueError:
        return _Entry(text.lower().rstrip("."), None, port)


def parse_allow_list(value) -> tuple[_Entry, ...]:
    items = value.split(",") if isinstance(value, str) else list(value or ())
    return tuple(parse_entry(item) for item in items if str(item).strip())


# `govpub serve --demo` runs the fake WeChat and Weibo on two loopback ports and records them in this file
# of the data directory, so every process on the same data — a separate `govpub worker` too — lets the
# demo's deliveries reach them. Only single loopback addresses with a port are honoured: the file can never
# open the intranet, a network or a whole host. `govpub serve` without --demo removes it.
DEMO_FAKES_FILE = "demo-fake-platforms"


def _settings():
    try:
        from django.conf import settings
    except ImportError:  # pragma: no cover - Django is always installed with GovPub
        return None
    return settings if settings.configured else None


def _demo_fakes_path():
    settings = _settings()
    home = getattr(settings, "HOME", None) if settings is not None else None
    return Path(home) / DEMO_FAKES_FILE if home else None


def record_demo_fakes(entries) -> None:
    """Allow exactly these loopback `address:port` entries (the demo's fakes) in every process on this data."""
    path = _demo_fakes_path()
    if path is None:
        raise RuntimeError("record_demo_fakes needs Django settings (their HOME)")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{DEMO_FAKES_FILE}.")
    with os.fdopen(fd, "w") as fh:
        fh.write("".join(f"{entry}\n" for entry in entries))
    os.replace(tmp, path)


def clear_demo_fakes() -> None:
    path = _demo_fakes_path()
    if path is not None:
        path.unlink(missing_ok=True)


def demo_fakes() -> tuple[_Entry, ...]:
    path = _demo_fakes_path()
    try:
        lines = path.read_text().split() if path is not None else []
    except OSError:  # no demo running on this data (the usual case)
        return ()
    entries = []
    for line in lines:
        try:
            entry = parse_entry(line)
        except ValueError:
            continue
        if (entry.network is not None and entry.network.num_addresses == 1
                and entry.network.network_address.is_loopback and entry.port is not None):
            entries.append(entry)
    return tuple(entries)


def configured_allow_list() -> tuple[_Entry, ...]:
    """settings.GOVPUB_ALLOW_PRIVATE_HOSTS when Django is configured, else the environment; plus the demo's fakes."""
    settings = _settings()
    value = getattr(settings, "GOVPUB_ALLOW_PRIVATE_HOSTS", None) if settings is not None else None
    if value is None:
        value = os.environ.get("GOVPUB_ALLOW_PRIVATE_HOSTS", "")
    return parse_allow_list(value) + demo_fakes()


def is_internal(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
            or address.is_multicast or address.is_unspecified)


def address_of(text: str) -> Address:
    return ipaddress.ip_address(text.split("%", 1)[0])


def resolve(host: str, port: int | None = None) -> list[Address]:
    """Every address the host resolves to (an address literal resolves to itself); OSError when it does not."""
    try:
        return [address_of(host.strip("[]"))]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [address_of(info[4][0]) for info in infos]


def check_addresses(host: str, addresses: list[Address], port: int | None = None, allowed=None) -> None:
    """Raise BlockedAddress when any address is internal and not allowed."""
    entries = configured_allow_list() if allowed is None else parse_allow_list(allowed)
    name = host.lower().strip("[]").rstrip(".")
    for address in addresses:
        if is_internal(address) and not any(entry.matches(name, address, port) for entry in entries):
            raise BlockedAddress(host, str(address))


def check_host(host: str, port: int | None = None, *, allowed=None) -> None:
    """Raise BlockedAddress for an internal host. A name that does not resolve passes: the request itself
    fails then and is reported as a network error."""
    if not host:
        raise BlockedAddress("", message="地址缺少主机名，已拒绝访问。")
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError):
        return
    check_addresses(host, addresses, port, allowed)


def default_port(scheme: str) -> int | None:
    return {"http": 80, "https": 443}.get(scheme.lower())


def check_url(url: str, *, allowed=None) -> None:
    """Raise BlockedAddress when the URL's host is internal and not on the allow-list."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise BlockedAddress(parts.hostname or "", message=f"只允许访问 http 或 https 地址（收到 {parts.scheme or '无协议'}）。")
    try:
        port = parts.port or default_port(parts.scheme)
    except ValueError:
        raise BlockedAddress(parts.netloc, message=f"地址 {parts.netloc} 的端口无效。") from None
    check_host(parts.hostname or "", port, allowed=allowed)
