"""Weibo (微博) through the open API with the account's OAuth2 access token.

Long items: the headline-article API (proxy/article/publish.json) and then a short post linking to it
(statuses/share); short items: statuses/share alone. statuses/user_timeline reads back,
statuses/destroy and proxy/article/delete.json withdraw. Errors follow the error_code/error convention.

Both creates are marked in remote_state (committed) before they are sent: a retry after a lost reply
looks on the platform first — the article by its idempotency-tagged source_url (proxy/article/list.json),
the post by the link in its text — so nothing is posted twice, and withdrawal finds what it must delete.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings

from . import adapt
from .base import Connector, PermanentError, PublishResult, RemotePost, TransientError
from .http import client, json_of, request

logger = logging.getLogger(__name__)
PLATFORM = "微博"
DEFAULT_BASE = "https://api.weibo.com"
TITLE_LIMIT = 32
STATUS_LIMIT = 140
ARTICLE_PAGE = 50
ARTICLE_SCAN = 500  # an account's newest articles searched for a lost one (ours is among the latest)
ARTICLE_GONE, STATUS_GONE = "11003", "20101"
SHORT_POST_LIMIT = 100  # a body this short goes out as a plain post

TRANSIENT_CODES = {10001, 10009, 10022, 10023, 10024, 20016}
TOKEN_CODES = {21314, 21315, 21316, 21317, 21319, 21327, 21332}
MESSAGES = {
    10001: "微博平台系统错误，稍后将自动重试。",
    10009: "微博平台任务过多，稍后将自动重试。",
    10022: "微博接口按 IP 限制了调用频次，稍后将自动重试。",
    10023: "微博接口调用次数超过上限，稍后将自动重试。",
    10024: "微博接口调用次数超过上限，稍后将自动重试。",
    11003: "微博平台上找不到该头条文章（可能已被删除）。",
    10014: "该微博应用没有此接口的权限，请联系管理员申请接口权限或改为人工发布。",
    20012: "微博正文超过字数上限。",
    20016: "发微博过于频繁，稍后将自动重试。",
    20017: "微博提示内容与近期发布的内容过于相似。",
    20019: "微博提示重复发布了相同内容，平台拒绝再次发布。",
    20101: "微博平台上找不到该条微博（可能已被删除）。",
    20021: "内容含有微博平台不允许的信息，未能发布，请检查稿件内容。",
    21327: "微博授权已过期，请管理员重新授权并更新访问令牌。",
    21332: "微博访问令牌无效，请管理员重新授权并更新访问令牌。",
}


def error_for(code: int, error: str) -> Exception:
    message = MESSAGES.get(code)
    if message is None and code in TOKEN_CODES:
        message = "微博授权无效或已过期，请管理员重新授权并更新访问令牌。"
    message = message or f"微博平台拒绝了请求：{error}（错误码 {code}）"
    return (TransientError if code in TRANSIENT_CODES else PermanentError)(message, code=code, detail=error)


def status_text(title: str, summary: str, link: str) -> str:
    """“【标题】摘要 链接” within 140 characters; the summary is shortened, never the title."""
    head = f"【{title}】"
    room = STATUS_LIMIT - len(head) - len(link) - 1
    if room < 0:
        raise PermanentError(f"标题过长，微博正文（{STATUS_LIMIT} 字以内）放不下标题和原文链接，请缩短标题。",
                             code="status_too_long")
    summary = summary if len(summary) <= room else (summary[: room - 1] + "…" if room > 1 else "")
    return f"{head}{summary} {link}"


class WeiboConnector(Connector):
    kind = "weibo"

    def __init__(self, channel, credentials=None):
        super().__init__(channel, credentials)
        self.base = (credentials.api_base if credentials and credentials.api_base else
                     getattr(settings, "GOVPUB_WEIBO_API_BASE", DEFAULT_BASE)).rstrip("/")
        self.http = client()

    def call(self, method: str, path: str, **params) -> dict:
        token = self.credentials.secret("access_token")
        if not token:
            raise PermanentError("该微博账号尚未设置访问令牌，请管理员在接口凭据中填写。", code="no_token")
        kwargs = {"params": {"access_token": token, **params}} if method == "GET" else \
            {"data": {"access_token": token, **params}}
        response = request(self.http, method, f"{self.base}/{path}", platform=PLATFORM, **kwargs)
        data = json_of(response, platform=PLATFORM)
        if data.get("error_code"):
            raise error_for(int(data["error_code"]), str(data.get("error", "")))
        if "code" in data and str(data["code"]) not in ("100000", "0"):  # the article API's own envelope
            raise error_for(int(data["code"]), str(data.get("msg", "")))
        return data

    def check_credentials(self) -> None:
        self.call("GET", "2/statuses/user_timeline.json", count=1)

    def publish(self, publication, save_state=None) -> PublishResult:
        save_state = save_state or (lambda state, commit=True: None)
        state = dict(publication.remote_state or {})
        if state.get("mid"):
            return PublishResult(state["mid"], state.get("url", ""))
        revision = publication.revision
        title = adapt.check_title(revision.title, TITLE_LIMIT, PLATFORM)
        body_text = adapt.plain_text(revision.body_html)
        short = len(body_text) <= SHORT_POST_LIMIT and "<img" not in (revision.body_html or "")
        link = adapt.source_url(publication)
        summary = adapt.digest(revision.summary, revision.body_html, 120) if not short else body_text
        if not short and not state.get("article_url"):
            images = adapt.attachment_images(revision, PLATFORM)
            if images:
                raise PermanentError("正文含图片：微博头条文章接口只接受平台图床地址，本系统暂不能转存，请改为人工发布。",
                                     code="images_unsupported")
            found = self._find_articles(link) if state.get("article_posting") else []
            if found:  # the earlier attempt created it and lost the answer: use that one, never post a second
                article = found[-1]  # the list is newest first: the oldest is the one the first attempt made
            else:
                # Mark before posting: if the answer is lost, the retry (or a withdrawal) looks for the article.
                state["article_posting"] = True
                save_state(state)
                result = self.call("POST", "proxy/article/publish.json", title=title,
                                   content=adapt.wechat_html(revision.body_html, {}),
                                   summary=adapt.digest(revision.summary, revision.body_html, 44),
                                   text=title, source_url=link)
                article = result.get("data") or {}
            state.update(article_id=str(article.get("object_id", "")), article_url=article.get("url", ""))
            save_state(state)
        target = state.get("article_url") or link
        text = status_text(title, summary, target if not short else link)
        if state.get("posting"):
            found = self._find(text_marker=target if not short else link)
            if found is not None:
                state.update(mid=found.remote_id, url=found.url)
                save_state(state, commit=False)
                return PublishResult(found.remote_id, found.url)
        state["posting"] = True
        save_state(state)
        posted = self.call("POST", "2/statuses/share.json", status=text)
        mid = str(posted.get("idstr") or posted.get("id") or posted.get("mid"))
        state.update(mid=mid, url=f"https://weibo.com/{self.channel.account_id or 'u'}/{mid}")
        save_state(state, commit=False)
        return PublishResult(mid, state["url"])

    def _find(self, text_marker: str) -> RemotePost | None:
        for post in self.fetch_recent(50):
            if text_marker in post.extra.get("text", ""):
                return post
        return None

    def _find_articles(self, source_url: str) -> list[dict]:
        """The account's live headline articles posted with this (idempotency-tagged) source_url, newest first."""
        found, page = [], 1
        while (page - 1) * ARTICLE_PAGE < ARTICLE_SCAN:
            data = self.call("GET", "proxy/article/list.json", page=page, count=ARTICLE_PAGE).get("data") or {}
            articles = data.get("list") or []
            found += [a for a in articles if a.get("source_url") == source_url]
            if len(articles) < ARTICLE_PAGE:
                break
            page += 1
        return found

    def withdraw(self, publication, save_state=None) -> None:
        """Remove every object the publication made: the post and the headline article (even one whose
        id a lost reply kept from us). "Already gone" counts as done, so a retried withdrawal just resumes."""
        save_state = save_state or (lambda state, commit=True: None)
        state = dict(publication.remote_state or {})
        if state.get("deleted"):
            return
        if not state.get("mid") and state.get("posting"):
            found = self._find(state.get("article_url") or adapt.source_url(publication))
            if found is not None:
                state["mid"] = found.remote_id
        if state.get("mid") and not state.get("status_deleted"):
            self._delete("2/statuses/destroy.json", state["mid"], gone=STATUS_GONE)
            state["status_deleted"] = True
            save_state(state, commit=False)
        article_ids = [state["article_id"]] if state.get("article_id") else []
        if state.get("article_posting"):  # also any article an attempt made but never heard back about
            found = [str(a.get("object_id")) for a in self._find_articles(adapt.source_url(publication))]
            article_ids += [a for a in found if a not in article_ids]
        for article_id in article_ids:
            self._delete("proxy/article/delete.json", article_id, gone=ARTICLE_GONE)
        state["deleted"] = True
        save_state(state, commit=False)

    def _delete(self, path: str, remote_id: str, *, gone: str) -> None:
        try:
            self.call("POST", path, id=remote_id)
        except PermanentError as error:
            if error.code != gone:  # already gone is what we wanted
                raise

    def fetch_recent(self, count: int = 10) -> list[RemotePost]:
        data = self.call("GET", "2/statuses/user_timeline.json", count=min(max(count, 1), 100))
        return [self._post(s) for s in data.get("statuses") or []]

    def read_posts(self, limit: int = 200) -> list[RemotePost]:
        """The account's own statuses, newest first (statuses/user_timeline, pages of 100)."""
        posts, page = [], 1
        while len(posts) < limit:
            data = self.call("GET", "2/statuses/user_timeline.json", count=100, page=page)
            statuses = data.get("statuses") or []
            posts += [self._post(s) for s in statuses]
            if len(statuses) < 100 or len(posts) >= int(data.get("total_number") or 0):
                break
            page += 1
        return posts[:limit]

    def _post(self, status: dict) -> RemotePost:
        mid = str(status.get("idstr") or status.get("id"))
        try:
            at = dt.datetime.strptime(status.get("created_at", ""), "%a %b %d %H:%M:%S %z %Y")
        except ValueError:
            at = None
        return RemotePost(mid, status.get("text", "")[:60], f"https://weibo.com/{self.channel.account_id or 'u'}/{mid}",
                          status.get("created_at", ""), {"text": status.get("text", ""), "at": at})
