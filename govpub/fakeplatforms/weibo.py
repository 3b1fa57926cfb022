"""A fake Weibo open API (api.weibo.com), error_code/error convention.

statuses/share (≤ 140 characters, must carry a link, identical text of a live post → 20019),
statuses/destroy, statuses/user_timeline, and the headline-article API: proxy/article/publish.json
(title ≤ 32), proxy/article/list.json (the account's live articles, newest first, paged, each with the
source_url it was posted with) and proxy/article/delete.json (unknown or already deleted → 11003).
OAuth2 access tokens expire after `token_ttl` seconds (21327); unknown ones get 21332.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from datetime import datetime, timedelta, timezone

from .base import FakeServer, Reply, Request

CHINA = timezone(timedelta(hours=8))  # Weibo stamps created_at in Beijing time

ERROR = {
    10001: "System error", 10009: "Too many pending tasks, system is busy", 10022: "IP requests out of rate limit",
    10023: "User requests out of rate limit", 10024: "User requests for (%s) out of rate limit",
    20003: "User does not exists", 20012: "Text too long, please input text less than 140 characters",
    20016: "Out of limit", 20019: "Repeat content", 20101: "Target weibo does not exist",
    21327: "expired_token", 21332: "invalid_access_token", 21301: "auth faild", 10017: "Parameter value invalid",
    11002: "title too long", 11003: "article does not exist",
}


class FakeWeibo(FakeServer):
    platform = "weibo"
    default_fail_codes = [10023, 10024, 10001]

    def __init__(self, *, tokens=("demo-weibo-token",), token_ttl: float = 157679999, uid: str = "7712345678", **kw):
        """tokens: access tokens of one account (uid), or a dict {token: uid} for several accounts."""
        super().__init__(**kw)
        now = time.monotonic()
        self.token_ttl = token_ttl
        owners = dict(tokens) if isinstance(tokens, dict) else {t: uid for t in tokens}
        self.tokens = {t: now + token_ttl for t in owners}
        self.owner = owners  # token -> uid
        self.uid = uid
        self.statuses: dict[str, dict] = {}
        self.articles: dict[str, dict] = {}
        self._ids = itertools.count(4900000000000001)
        self._lock = threading.Lock()

    def routes(self) -> dict:
        return {("POST", "/2/statuses/share.json"): self.authed(self.share),
                ("POST", "/2/statuses/destroy.json"): self.authed(self.destroy),
                ("GET", "/2/statuses/user_timeline.json"): self.authed(self.user_timeline),
                ("POST", "/proxy/article/publish.json"): self.authed(self.article_publish),
                ("GET", "/proxy/article/list.json"): self.authed(self.article_list),
                ("POST", "/proxy/article/delete.json"): self.authed(self.article_delete)}

    def error_reply(self, request: Request, code) -> Reply:
        return Reply({"request": request.path, "error_code": code, "error": ERROR.get(code, "error")}, 400)

    def not_found(self, request) -> Reply:
        return Reply({"request": request.path, "error_code": 10014, "error": "Insufficient app permissions"}, 403)

    @property
    def posts(self) -> list[dict]:
        with self.lock:
            return [dict(s) for s in self.statuses.values()]

    def live_posts(self) -> list[dict]:
        return [p for p in self.posts if not p["deleted"]]

    def live_articles(self) -> list[dict]:
        with self.lock:
            return [dict(a) for a in self.articles.values() if not a["deleted"]]

    def snapshot(self) -> dict:
        with self.lock:
            articles = [dict(a) for a in self.articles.values()]
        return {"posts": self.posts, "articles": articles, "calls": len(self.calls)}

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens = {t: 0.0 for t in self.tokens}

    def authed(self, handler):
        def wrapped(request: Request) -> Reply:
            token = request.param("access_token")
            with self.lock:
                expires = self.tokens.get(token)
            if expires is None:
                return self.error_reply(request, 21332)
            if expires <= time.monotonic():
                return self.error_reply(request, 21327)
            request.uid = self.owner.get(token, self.uid)
            return handler(request)

        return wrapped

    def _status(self, mid: str, text: str, uid: str) -> dict:
        return {"id": int(mid), "idstr": mid, "mid": mid, "text": text, "deleted": False,
                "created_at": datetime.now(CHINA).strftime("%a %b %d %H:%M:%S +0800 %Y"),
                "user": {"id": int(uid), "idstr": uid}}

    def share(self, request: Request) -> Reply:
        text = request.param("status")
        if not text:
            return self.error_reply(request, 10017)
        if len(text) > 140:
            return self.error_reply(request, 20012)
        if not re.search(r"https?://", text):  # share requires a link to the app's safe domain
            return self.error_reply(request, 10017)
        with self.lock:
            if any(s["text"] == text and not s["deleted"] for s in self.statuses.values()):
                return self.error_reply(request, 20019)
            mid = str(next(self._ids))
            self.statuses[mid] = self._status(mid, text, request.uid)
            status = dict(self.statuses[mid])
        status.pop("deleted")
        return Reply(status)

    def destroy(self, request: Request) -> Reply:
        mid = str(request.param("id"))
        with self.lock:
            status = self.statuses.get(mid)
            if status is None or status["deleted"] or status["user"]["idstr"] != request.uid:
                return self.error_reply(request, 20101)
            status["deleted"] = True
            out = dict(status)
        out.pop("deleted")
        return Reply(out)

    def user_timeline(self, request: Request) -> Reply:
        """The authorised user's own statuses, newest first: count (≤ 100), page, since_id, max_id."""
        try:
            count = min(max(int(request.param("count") or 20), 1), 100)
            page = max(int(request.param("page") or 1), 1)
            since_id, max_id = int(request.param("since_id") or 0), int(request.param("max_id") or 0)
        except ValueError:
            return self.error_reply(request, 10017)
        with self.lock:
            live = [dict(s) for s in reversed(self.statuses.values())
                    if not s["deleted"] and s["user"]["idstr"] == request.uid
                    and s["id"] > since_id and (not max_id or s["id"] <= max_id)]
        for s in live:
            s.pop("deleted")
        return Reply({"statuses": live[(page - 1) * count: page * count], "total_number": len(live)})

    def post_directly(self, account: str, *, title: str = "", content: str) -> str:
        """A status posted in the 微博 web back-end by the account's operator, not through any API client."""
        with self.lock:
            mid = str(next(self._ids))
            self.statuses[mid] = self._status(mid, content[:140], account)
        return mid

    backend_title = "微博（模拟）"

    def backend_accounts(self) -> list[str]:
        return sorted(set(self.owner.values()) | {self.uid})

    def backend_posts(self) -> list[tuple[str, str]]:
        with self.lock:
            return [(s["user"]["idstr"], s["text"]) for s in reversed(self.statuses.values()) if not s["deleted"]]

    def article_publish(self, request: Request) -> Reply:
        title, content = request.param("title"), request.param("content")
        if not title or not content:
            return self.error_reply(request, 10017)
        if len(title) > 32:
            return self.error_reply(request, 11002)
        with self.lock:
            object_id = f"1022:{next(self._ids)}"
            url = f"https://weibo.com/ttarticle/p/show?id={object_id.replace(':', '')}"
            self.articles[object_id] = {
                "object_id": object_id, "title": title, "content": content, "url": url,
                "summary": request.param("summary"), "source_url": request.param("source_url"), "deleted": False,
                "created_at": datetime.now(CHINA).strftime("%a %b %d %H:%M:%S +0800 %Y")}
        return Reply({"code": 100000, "msg": "", "data": {"object_id": object_id, "url": url}})

    def article_list(self, request: Request) -> Reply:
        try:
            page, count = max(int(request.param("page") or 1), 1), int(request.param("count") or 20)
        except ValueError:
            return self.error_reply(request, 10017)
        if not 1 <= count <= 50:
            return self.error_reply(request, 10017)
        with self.lock:
            live = [{k: v for k, v in a.items() if k not in ("content", "deleted")}
                    for a in reversed(self.articles.values()) if not a["deleted"]]
        return Reply({"code": 100000, "msg": "", "data": {
            "total": len(live), "list": live[(page - 1) * count: page * count]}})

    def article_delete(self, request: Request) -> Reply:
        object_id = str(request.param("id"))
        with self.lock:
            article = self.articles.get(object_id)
            if article is None or article["deleted"]:
                return self.error_reply(request, 11003)
            article["deleted"] = True
        return Reply({"code": 100000, "msg": "", "data": {"object_id": object_id}})
