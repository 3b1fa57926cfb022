"""A kept-alive connection the server dropped as the request went out is tried once more (GET/HEAD are
safe to repeat); a server that keeps dropping it is a broken link, said in Chinese."""

import asyncio

import httpx

from govpub.supervision.crawler import CrawlConfig, Crawler


def _fetch(drops: int):
    calls = []

    def handler(request):
        calls.append(request.method)
        if len(calls) <= drops:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        return httpx.Response(200, html="<p>发布时间：2026-11-03</p>")

    async def go():
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            crawler = Crawler(CrawlConfig("http://site.example/", allow_private=True, rate_per_host=0), client)
            return await crawler.fetch("http://site.example/a.html", "GET")

    page, _ = asyncio.run(go())
    return page, calls


def test_one_dropped_connection_is_retried():
    page, calls = _fetch(drops=1)
    assert page.ok and page.status == 200 and calls == ["GET", "GET"]


def test_a_server_that_keeps_dropping_is_reported():
    page, calls = _fetch(drops=5)
    assert not page.ok and page.error == "连接失败：RemoteProtocolError" and calls == ["GET", "GET"]
