"""The HTTP layer shared by API connectors: timeouts and transport failures become TransientError."""

from __future__ import annotations

import logging
import threading

import httpx
from django.conf import settings

from govpub.ops import netguard
from govpub.ops.logs import MaskPersonalData

from .base import PermanentError, TransientError


# httpx logs every request URL at INFO: tokens in query strings must not reach the logs, whatever handlers
# are configured — the logger itself masks (the same mask every GovPub log handler applies).
if not any(isinstance(f, MaskPersonalData) for f in logging.getLogger("httpx").filters):
    logging.getLogger("httpx").addFilter(MaskPersonalData())


def timeout() -> float:
    return float(getattr(settings, "GOVPUB_CONNECTOR_TIMEOUT", 10.0))


_clients: dict[float, httpx.Client] = {}
_clients_lock = threading.Lock()


def client() -> httpx.Client:
    """One shared, thread-safe client per timeout: building one costs ~40 ms (TLS context), and the
    pool keeps connections to the platform open between deliveries."""
    wanted = timeout()
    with _clients_lock:
        shared = _clients.get(wanted)
        if shared is None:
            # No proxies from the environment: a government intranet proxy must be configured explicitly.
            shared = _clients[wanted] = httpx.Client(
                timeout=wanted, trust_env=False, headers={"User-Agent": "GovPub/1.0"},
                limits=httpx.Limits(max_connections=50, max_keepalive_connections=20))
        return shared


def request(http: httpx.Client, method: str, url: str, *, platform: str, **kwargs) -> httpx.Response:
    try:  # API addresses are typed by staff: never let one point the server at the intranet (SSRF)
        netguard.check_url(url)
    except netguard.BlockedAddress as error:
        where = f"（{error.address}）" if error.address else ""
        raise PermanentError(f"{platform}接口地址指向本机或内网{where}，为防止服务器端请求伪造已拒绝发送。请系统管理员"
                             f"核对渠道的接口地址；确属内网部署的接口，须列入 GOVPUB_ALLOW_PRIVATE_HOSTS。",
                             code="blocked_address", detail=str(error)) from None
    try:
        response = http.request(method, url, **kwargs)
    except httpx.TimeoutException as error:
        raise TransientError(f"{platform}接口响应超时，稍后将自动重试。", code="timeout", detail=type(error).__name__) from None
    except httpx.TransportError as error:
        raise TransientError(f"无法连接{platform}接口（网络故障），稍后将自动重试。", code="network",
                             detail=type(error).__name__) from None
    if response.status_code >= 500:
        raise TransientError(f"{platform}服务器暂时故障（HTTP {response.status_code}），稍后将自动重试。",
                             code=f"http_{response.status_code}")
    if response.status_code == 429:
        raise TransientError(f"{platform}接口调用过于频繁，稍后将自动重试。", code="http_429")
    return response


def json_of(response: httpx.Response, *, platform: str) -> dict:
    try:
        data = response.json()
    except ValueError:
        if response.status_code >= 400:
            raise PermanentError(f"{platform}接口拒绝了请求（HTTP {response.status_code}）。",
                                 code=f"http_{response.status_code}") from None
        raise TransientError(f"{platform}接口返回了无法识别的内容，稍后将自动重试。", code="bad_response") from None
    if not isinstance(data, dict):
        raise TransientError(f"{platform}接口返回了无法识别的内容，稍后将自动重试。", code="bad_response")
    return data
