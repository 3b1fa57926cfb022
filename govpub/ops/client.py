"""Who is asking: the client's address, for rate limits and the audit log.

REMOTE_ADDR, or — when REMOTE_ADDR is one of GOVPUB_TRUSTED_PROXIES (nginx) — the last address in
X-Forwarded-For that is not itself a trusted proxy, the one the proxy actually saw; a client cannot
forge another address by sending its own X-Forwarded-For.
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]):
    return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())


def _ip(text: str):
    try:
        return ipaddress.ip_address(text.strip().strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    trusted = _networks(tuple(getattr(settings, "GOVPUB_TRUSTED_PROXIES", ()) or ()))
    address = _ip(remote)
    if not trusted or address is None or not any(address in net for net in trusted):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):  # right to left: the nearest hop our own proxy added first
        hop_ip = _ip(hop)
        if hop_ip is None:
            return remote  # garbage where an address should be: count the proxy, not a made-up client
        if not any(hop_ip in net for net in trusted):
            return str(hop_ip)
    return str(_ip(hops[0])) if hops else remote


def client_details(request) -> dict:
    """The audit details naming where a request came from (nothing without a request)."""
    return {"ip": client_ip(request)} if request is not None else {}
