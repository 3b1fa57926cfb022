"""A fake WeChat official-account API (api.weixin.qq.com/cgi-bin/…), errcode/errmsg convention.

Implements stable_token (normal and force-refresh modes, short configurable expiry), media/uploadimg,
material/add_material, material/del_material, draft/add, draft/get, draft/delete, freepublish/submit, freepublish/get,
freepublish/delete and freepublish/batchget, with the documented limits (title ≤ 32, digest ≤ 120,
content < 20 000 characters, thumb ≤ 64 KB JPG, uploadimg ≤ 1 MB JPG/PNG). A submit consumes the draft;
the publish job finishes after `publish_delay` seconds and, when `callback_url` is set, pushes the
PUBLISHJOBFINISH event to it, signed with `callback_token`.
"""

from __future__ import annotations

import hashlib
import itertools
import secrets
import threading
import time

from .base import FakeServer, Reply, Request

ERRMSG = {
    -1: "system error", 40001: "invalid credential, access_token is invalid or not latest",
    40007: "invalid media_id", 40009: "invalid image size", 40013: "invalid appid", 40014: "invalid access_token",
    40113: "unsupported file type", 40125: "invalid appsecret", 41001: "access_token missing",
    41005: "media data missing", 42001: "access_token expired", 45002: "content size out of limit",
    45003: "title size out of limit", 45004: "description size out of limit",
    45009: "reach max api daily quota limit", 45011: "api minute-quota reach limit, must slower, retry next minute",
    48001: "api unauthorized", 53503: "该草稿未通过发布检查", 53600: "Article ID 无效",
}
IMAGE_MAGIC = {b"\xff\xd8\xff": "jpg", b"\x89PNG": "png", b"GIF8": "gif"}


def sniff(data: bytes) -> str:
    return next((kind for magic, kind in IMAGE_MAGIC.items() if data.startswith(magic)), "")


class FakeWeChat(FakeServer):
    platform = "wechat"
    default_fail_codes = [-1, 45009, 45011]

    def __init__(self, *, accounts: dict | None = None, token_ttl: float = 7200, publish_delay: float = 0.0,
                 publish_fail_status: int | None = None, callback_url: str = "", callback_token: str = "", **kw):
        super().__init__(**kw)
        self.accounts = dict(accounts or {"wx_demo_appid": "demo-app-secret"})
        self.token_ttl = token_ttl
        self.publish_delay = publish_delay
        self.publish_fail_status = publish_fail_status
        self.callback_url = callback_url
        self.callback_token = callback_token
        self.tokens: dict[str, tuple[str, float]] = {}  # token -> (appid, expires_at)
        self.current: dict[str, str] = {}  # appid -> current token
        self.token_calls = 0
        self.images: dict[str, bytes] = {}
        self.materials: dict[str, dict] = {}
        self.drafts: dict[str, dict] = {}
        self.jobs: dict[str, dict] = {}
        self.articles: dict[str, dict] = {}  # article_id -> {"news_item": [...], "deleted": bool, ...}
        self._ids = itertools.count(100000001)

    def next_id(self, prefix="") -> str:
        return f"{prefix}{next(self._ids)}"

    def routes(self) -> dict:
        r = {("POST", "/cgi-bin/stable_token"): self.stable_token,
             ("POST", "/cgi-bin/media/uploadimg"): self.authed(self.uploadimg),
             ("POST", "/cgi-bin/material/add_material"): self.authed(self.add_material),
             ("POST", "/cgi-bin/material/del_material"): self.authed(self.del_material)}
        for name in ("draft/add", "draft/get", "draft/delete", "freepublish/submit", "freepublish/get",
                     "freepublish/delete", "freepublish/batchget", "freepublish/getarticle"):
            r[("POST", f"/cgi-bin/{name}")] = self.authed(getattr(self, name.replace("/", "_")))
        return r

    def error_reply(self, request, code) -> Reply:
        return Reply({"errcode": code, "errmsg": ERRMSG.get(code, "error") + f" rid: {secrets.token_hex(4)}"})

    def not_found(self, request) -> Reply:
        return Reply({"errcode": 40066, "errmsg": "invalid url"})

    # --- the record tests read --------------------------------------------------------------
    @property
    def posts(self) -> list[dict]:
        """Every article ever published (deleted ones included, flagged)."""
        with self.lock:
            return [{"article_id": aid, "deleted": a["deleted"], **a["news_item"][0]} for aid, a in self.articles.items()]

    def live_posts(self) -> list[dict]:
        return [p for p in self.posts if not p["deleted"]]

    def snapshot(self) -> dict:
        return {"posts": self.posts, "calls": len(self.calls), "injected": len(self.injected),
                "token_calls": self.token_calls}

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens = {t: (a, 0.0) for t, (a, _) in self.tokens.items()}

    # --- token ------------------------------------------------------------------------------
    def stable_token(self, request: Request) -> Reply:
        body = request.json()
        appid, secret = body.get("appid", ""), body.get("secret", "")
        with self.lock:
            self.token_calls += 1
            if body.get("grant_type") != "client_credential":
                return Reply({"errcode": 40002, "errmsg": "invalid grant_type"})
            if appid not in self.accounts:
                return self.error_reply(request, 40013)
            if self.accounts[appid] != secret:
                return self.error_reply(request, 40125)
            now = time.monotonic()
            token = self.current.get(appid)
            valid = token and self.tokens.get(token, ("", 0))[1] > now
            if body.get("force_refresh") or not valid:
                if token:
                    self.tokens.pop(token, None)  # a forced refresh invalidates the previous token
                token = "TOKEN_" + secrets.token_urlsafe(24)
                self.tokens[token] = (appid, now + self.token_ttl)
                self.current[appid] = token
            remaining = max(int(self.tokens[token][1] - now), 1)
        return Reply({"access_token": token, "expires_in": remaining})

    def authed(self, handler):
        def wrapped(request: Request) -> Reply:
            token = request.query.get("access_token")
            if not token:
                return self.error_reply(request, 41001)
            with self.lock:
                entry = self.tokens.get(token)
            if entry is None:
                return self.error_reply(request, 40001)
            if entry[1] <= time.monotonic():
                return self.error_reply(request, 42001)
            return handler(request, entry[0])

        return wrapped

    # --- media ------------------------------------------------------------------------------
    def uploadimg(self, request: Request, appid: str) -> Reply:
        media = request.form.get("media")
        if not isinstance(media, tuple):
            return self.error_reply(request, 41005)
        kind = sniff(media[1])
        if kind not in ("jpg", "png"):
            return self.error_reply(request, 40113)
        if len(media[1]) > 1024 * 1024:
            return self.error_reply(request, 40009)
        name = secrets.token_hex(8)
        with self.lock:
            self.images[name] = media[1]
        return Reply({"url": f"http://mmbiz.qpic.cn/mmbiz_{kind}/{name}/0?wx_fmt={kind}"})

    def add_material(self, request: Request, appid: str) -> Reply:
        media, kind = request.form.get("media"), request.query.get("type", "")
        if not isinstance(media, tuple):
            return self.error_reply(request, 41005)
        fmt = sniff(media[1])
        if kind == "thumb" and (fmt != "jpg" or len(media[1]) > 64 * 1024):
            return self.error_reply(request, 40009 if fmt == "jpg" else 40113)
        if kind == "image" and (not fmt or len(media[1]) > 10 * 1024 * 1024):
            return self.error_reply(request, 40113 if not fmt else 40009)
        if kind not in ("image", "thumb", "voice", "video"):
            return Reply({"errcode": 40004, "errmsg": "invalid media type"})
        media_id = "MEDIA_" + secrets.token_hex(10)
        with self.lock:
            self.materials[media_id] = {"type": kind, "size": len(media[1])}
        return Reply({"media_id": media_id, "url": f"http://mmbiz.qpic.cn/mmbiz_{fmt}/{media_id}/0"})

    def del_material(self, request: Request, appid: str) -> Reply:
        with self.lock:
            if self.materials.pop(request.json().get("media_id"), None) is None:
                return self.error_reply(request, 40007)
        return Reply({"errcode": 0, "errmsg": "ok"})

    # --- drafts -----------------------------------------------------------------------------
    def draft_add(self, request: Request, appid: str) -> Reply:
        articles = request.json().get("articles") or []
        if not articles:
            return Reply({"errcode": 44003, "errmsg": "empty news data"})
        for article in articles:
            if not article.get("title") or len(article["title"]) > 32:
                return self.error_reply(request, 45003)
            if len(article.get("digest") or "") > 120:
                return self.error_reply(request, 45004)
            if len(article.get("content") or "") >= 20000 or not article.get("content"):
                return self.error_reply(request, 45002)
            with self.lock:
                if article.get("thumb_media_id") not in self.materials:
                    return self.error_reply(request, 40007)
        media_id = "DRAFT_" + secrets.token_hex(12)
        with self.lock:
            self.drafts[media_id] = {"appid": appid, "articles": articles}
        return Reply({"media_id": media_id})

    def draft_get(self, request: Request, appid: str) -> Reply:
        with self.lock:
            draft = self.drafts.get(request.json().get("media_id"))
        if draft is None:
            return self.error_reply(request, 40007)
        return Reply({"news_item": draft["articles"]})

    def draft_delete(self, request: Request, appid: str) -> Reply:
        with self.lock:
            if self.drafts.pop(request.json().get("media_id"), None) is None:
                return self.error_reply(request, 40007)
        return Reply({"errcode": 0, "errmsg": "ok"})

    # --- publishing ------------------------------------------------------------------------
    def freepublish_submit(self, request: Request, appid: str) -> Reply:
        media_id = request.json().get("media_id")
        with self.lock:
            draft = self.drafts.pop(media_id, None)  # publishing consumes the draft
            if draft is None:
                return self.error_reply(request, 40007)
            publish_id = self.next_id()
            self.jobs[publish_id] = {"draft": draft, "due": time.monotonic() + self.publish_delay, "status": 1,
                                     "article_id": "", "fail": self.publish_fail_status, "appid": appid}
        if self.publish_delay <= 0:
            self._finish(publish_id)
        else:
            threading.Timer(self.publish_delay, self._finish, args=(publish_id,)).start()
        return Reply({"errcode": 0, "errmsg": "ok", "publish_id": publish_id})

    def _finish(self, publish_id: str) -> None:
        with self.lock:
            job = self.jobs[publish_id]
            if job["status"] != 1:
                return
            if job["fail"] is not None:
                job["status"] = job["fail"]
            else:
                article_id = self._article(job["appid"], job["draft"]["articles"], publish_id=publish_id)
                job.update(status=0, article_id=article_id)
        if self.callback_url:  # pushed like the platform does: after the fact, not inside the submit call
            threading.Thread(target=self._push, args=(publish_id,), daemon=True).start()

    def _push(self, publish_id: str) -> None:
        import httpx

        job = self.jobs[publish_id]
        timestamp, nonce = str(int(time.time())), secrets.token_hex(4)
        signature = hashlib.sha1("".join(sorted([self.callback_token, timestamp, nonce])).encode()).hexdigest()
        urls = "".join(f"<item><idx>{i}</idx><article_url><![CDATA[{a['url']}]]></article_url></item>"
                       for i, a in enumerate(self.articles.get(job["article_id"], {}).get("news_item", []), 1))
        xml = (f"<xml><ToUserName><![CDATA[gh_fake]]></ToUserName><FromUserName><![CDATA[system]]></FromUserName>"
               f"<CreateTime>{timestamp}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
               f"<Event><![CDATA[PUBLISHJOBFINISH]]></Event><PublishEventInfo><publish_id>{publish_id}</publish_id>"
               f"<publish_status>{job['status']}</publish_status><article_id><![CDATA[{job['article_id']}]]>"
               f"</article_id><article_detail><count>{urls.count('<item>')}</count>{urls}</article_detail>"
               f"</PublishEventInfo></xml>")
        try:
            httpx.post(self.callback_url, params={"signature": signature, "timestamp": timestamp, "nonce": nonce},
                       content=xml.encode(), headers={"Content-Type": "text/xml"}, timeout=5, trust_env=False)
        except httpx.HTTPError:
            pass  # WeChat does not insist either: polling remains the source of truth

    def freepublish_get(self, request: Request, appid: str) -> Reply:
        with self.lock:
            job = self.jobs.get(str(request.json().get("publish_id")))
            if job is None:
                return Reply({"errcode": 40007, "errmsg": "invalid publish_id"})
            data = {"publish_id": request.json().get("publish_id"), "publish_status": job["status"]}
            if job["status"] == 0:
                article = self.articles[job["article_id"]]
                if article["deleted"]:
                    data["publish_status"] = 5
                data["article_id"] = job["article_id"]
                data["article_detail"] = {"count": len(article["news_item"]),
                                          "item": [{"idx": i, "article_url": a["url"]}
                                                   for i, a in enumerate(article["news_item"], 1)]}
            data["fail_idx"] = []
        return Reply(data)

    def freepublish_delete(self, request: Request, appid: str) -> Reply:
        body = request.json()
        with self.lock:
            article = self.articles.get(body.get("article_id"))
            if article is None or article["deleted"]:
                return self.error_reply(request, 53600)
            article["deleted"] = True
            for news in article["news_item"]:
                news["is_deleted"] = True
        return Reply({"errcode": 0, "errmsg": "ok"})

    def freepublish_batchget(self, request: Request, appid: str) -> Reply:
        body = request.json()
        try:
            offset, count = int(body.get("offset", 0)), int(body.get("count", 0))
        except (TypeError, ValueError):
            return Reply({"errcode": 40097, "errmsg": "invalid args"})
        if not 1 <= count <= 20 or offset < 0:
            return Reply({"errcode": 40097, "errmsg": "invalid args"})
        with self.lock:  # an account lists its own articles only, newest first
            items = sorted(((aid, a) for aid, a in self.articles.items() if a["appid"] == appid),
                           key=lambda kv: kv[1]["seq"], reverse=True)
            page = items[offset: offset + count]
            out = []
            for article_id, article in page:
                news = [dict(n) for n in article["news_item"]]
                if body.get("no_content"):
                    for n in news:
                        n.pop("content", None)
                out.append({"article_id": article_id, "content": {"news_item": news, "create_time": article["update_time"],
                                                                  "update_time": article["update_time"]},
                            "update_time": article["update_time"]})
        return Reply({"total_count": len(items), "item_count": len(out), "item": out})

    def freepublish_getarticle(self, request: Request, appid: str) -> Reply:
        with self.lock:
            article = self.articles.get(request.json().get("article_id"))
            if article is None or article["appid"] != appid:
                return self.error_reply(request, 53600)
            return Reply({"news_item": [dict(n) for n in article["news_item"]]})

    # --- articles, however they were made -------------------------------------------------------
    def _article(self, appid: str, articles: list[dict], *, publish_id: str = "") -> str:
        """Record a published article (called with the lock held)."""
        article_id = "ARTICLE_" + secrets.token_hex(10)
        news = [dict(a, url=f"http://mp.weixin.qq.com/s/{article_id}_{i}", is_deleted=False)
                for i, a in enumerate(articles, 1)]
        self.articles[article_id] = {"news_item": news, "deleted": False, "update_time": int(time.time()),
                                     "publish_id": publish_id, "seq": next(self._ids), "appid": appid}
        return article_id

    def post_directly(self, account: str, *, title: str, content: str, digest: str = "",
                      content_source_url: str = "", update_time: int | None = None) -> str:
        """What an operator does in the 公众平台 back-end: publish without any API call (and without GovPub)."""
        with self.lock:
            article_id = self._article(account, [{
                "title": title or content[:20], "author": "", "digest": digest or content[:54],
                "content": content if content.lstrip().startswith("<") else f"<p>{content}</p>",
                "content_source_url": content_source_url, "thumb_media_id": "", "need_open_comment": 0}])
            if update_time is not None:
                self.articles[article_id]["update_time"] = update_time
        return article_id

    backend_title = "微信公众平台（模拟）"

    def backend_accounts(self) -> list[str]:
        return sorted(self.accounts)

    def backend_posts(self) -> list[tuple[str, str]]:
        with self.lock:
            live = sorted((a for a in self.articles.values() if not a["deleted"]), key=lambda a: -a["seq"])
            return [(a["appid"], a["news_item"][0].get("title", "")) for a in live]
