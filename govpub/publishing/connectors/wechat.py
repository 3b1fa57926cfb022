"""WeChat official account (微信公众号) through its documented server API.

stable_token → media/uploadimg (body images) → material/add_material (cover) → draft/add →
freepublish/submit → freepublish/get (or the PUBLISHJOBFINISH push); withdrawal deletes what was made
(freepublish/delete, draft/delete of a draft never published, material/del_material of the cover);
freepublish/batchget reads back. Responses follow the errcode/errmsg convention.

Every platform object is saved in publication.remote_state as soon as it exists, so a retry resumes:
a crash after submit never leads to a second submit (see _recover_submit).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

from django.conf import settings
from django.core.exceptions import ValidationError

from govpub.content.images import wechat_copy
from govpub.content.models import Rendition

from . import adapt
from .base import Connector, PermanentError, PublishResult, RemotePost, StillProcessing, TransientError
from .http import client, json_of, request

logger = logging.getLogger(__name__)
PLATFORM = "微信公众号"
DEFAULT_BASE = "https://api.weixin.qq.com"
TITLE_LIMIT = 32
DIGEST_LIMIT = 120
CONTENT_LIMIT = 20000
THUMB_LIMIT = 64 * 1024
UPLOADIMG_LIMIT = 1024 * 1024

TOKEN_CODES = {40001, 42001, 40014}
TRANSIENT_CODES = {-1, 45009, 45011, 45033}
# The platform's errmsg is English jargon; editors get these instead.
MESSAGES = {
    -1: "微信平台系统繁忙，稍后将自动重试。",
    40001: "微信接口凭证无效，请管理员检查 AppSecret 是否正确、是否已被重置。",
    40013: "AppID 无效，请管理员检查该公众号的接口凭据。",
    40125: "AppSecret 无效，请管理员检查该公众号的接口凭据。",
    40164: "服务器的 IP 地址不在公众号的接口 IP 白名单中，请管理员在公众平台添加。",
    40007: "引用的素材（草稿或图片）在微信平台上不存在。",
    40009: "图片大小超过微信的限制。",
    40113: "图片格式不受微信支持（仅支持 JPG、PNG）。",
    41005: "缺少图片文件。",
    42001: "微信接口凭证已过期。",
    45002: "正文内容超过微信的长度限制（2 万字）。",
    45003: "标题超过微信的 32 字上限。",
    45004: "摘要超过微信的 120 字上限。",
    45009: "微信接口今日调用次数已达上限，稍后将自动重试。",
    45011: "微信接口调用过于频繁，稍后将自动重试。",
    45033: "微信接口调用过于频繁，稍后将自动重试。",
    48001: "该公众号没有此接口的权限（需完成微信认证），请改为人工发布或联系管理员。",
    50005: "该公众号未完成认证或已被限制，无法通过接口发表。",
    53503: "该草稿未通过微信的发表检查，请检查内容后修改稿件。",
    53504: "该草稿需在微信公众平台网页端发表。",
    53505: "请先在公众平台手动保存草稿后再发表。",
    53600: "微信平台上找不到该文章（可能已被删除）。",
}
PUBLISH_FAILURES = {2: "原创声明未通过，文章未发表。", 3: "微信发表失败（常规失败）。", 4: "文章未通过微信平台审核，未发表。",
                    5: "文章发表后已在微信平台被删除。", 6: "文章发表后已被微信平台封禁。"}


def check(revision) -> tuple[str | None, dict, list[PermanentError]]:
    """What WeChat would refuse in a revision, all of it: publishing stops at the first problem, the preview
    lists every one so the editor can fix them before review."""
    problems = []
    title = None
    try:
        title = adapt.check_title(revision.title, TITLE_LIMIT, PLATFORM)
    except PermanentError as problem:
        problems.append(problem)
    images = {}
    try:
        # Each image as media/uploadimg takes it: the reviewed bytes, or their copy of ≤ 1 MB in JPG/PNG.
        for src, image in adapt.attachment_images(revision, PLATFORM).items():
            images[src] = _uploadable(image)
    except PermanentError as problem:
        problems.append(problem)
    content = adapt.wechat_html(revision.body_html, {src: "https://mmbiz.qpic.cn/placeholder" for src in images})
    if len(content) > CONTENT_LIMIT:
        problems.append(PermanentError(f"正文有 {len(content)} 个字符，超过微信图文 2 万字符的上限，请拆分稿件。",
                                       code="content_too_long"))
    if not adapt.plain_text(content) and not images:
        problems.append(PermanentError("正文为空，微信不接受空白图文。", code="content_empty"))
    return title, images, problems


def preview(revision) -> dict:
    """The post as a WeChat reader would get it: title, digest and the body in WeChat's subset (images at
    their staff addresses, so the signed-in viewer sees them), with every problem publishing would meet."""
    _title, images, problems = check(revision)
    summary = (revision.summary or "").strip()
    notes = []
    if not summary:
        notes.append(f"未填写摘要：微信将显示正文的前 {DIGEST_LIMIT} 字。")
    elif len(summary) > DIGEST_LIMIT:
        notes.append(f"摘要有 {len(summary)} 字，超过微信的 {DIGEST_LIMIT} 字上限，将显示为前 {DIGEST_LIMIT - 1} 字加省略号。")
    return {"title": revision.title, "title_length": len(revision.title), "title_limit": TITLE_LIMIT,
            "digest": adapt.digest(revision.summary, revision.body_html, DIGEST_LIMIT), "digest_limit": DIGEST_LIMIT,
            "content": adapt.wechat_html(revision.body_html, {src: src for src in images}),
            "problems": [problem.message for problem in problems], "notes": notes}


class _Tokens:
    """Per-process cache of stable access tokens, refreshed shortly before they expire."""

    def __init__(self):
        self._tokens: dict[int, tuple[str, float]] = {}
        self._lock = threading.Lock()
        self._channel_locks: dict[int, threading.Lock] = {}

    def lock_for(self, channel_id: int) -> threading.Lock:
        with self._lock:
            return self._channel_locks.setdefault(channel_id, threading.Lock())

    def get(self, channel_id: int) -> str | None:
        token, expires = self._tokens.get(channel_id, ("", 0.0))
        margin = float(getattr(settings, "GOVPUB_WECHAT_TOKEN_MARGIN", 300))
        return token if token and time.monotonic() < expires - margin else None

    def put(self, channel_id: int, token: str, expires_in: float) -> None:
        self._tokens[channel_id] = (token, time.monotonic() + expires_in)

    def forget(self, channel_id: int, token: str | None = None) -> None:
        with self._lock:
            if token is None or self._tokens.get(channel_id, ("",))[0] == token:
                self._tokens.pop(channel_id, None)


TOKENS = _Tokens()


def error_for(code: int, errmsg: str) -> Exception:
    message = MESSAGES.get(code) or f"微信平台拒绝了请求：{errmsg}（错误码 {code}）"
    cls = TransientError if code in TRANSIENT_CODES else PermanentError
    return cls(message, code=code, detail=errmsg)


def _uploadable(image: adapt.Image) -> adapt.Image:
    """What media/uploadimg takes (JPG/PNG up to 1 MB): the reviewed image itself, else its copy made at upload,
    else (an image stored before copies were made) one derived now from the reviewed bytes — smaller or a still
    of a GIF, never refused for its size."""
    if image.content_type in ("image/jpeg", "image/png") and len(image.data) <= UPLOADIMG_LIMIT:
        return image
    copy = image.attachment.renditions.filter(use=Rendition.Use.WECHAT).first()
    if copy is not None:
        return adapt.Image(image.attachment, adapt.read_attachment(image.attachment, PLATFORM, copy), copy.content_type)
    try:
        derived = wechat_copy(image.data, image.attachment.name)
    except ValidationError as error:
        raise PermanentError(f"正文图片无法转换为微信支持的 JPG、PNG 格式：{'；'.join(error.messages)}",
                             code="image_type") from None
    return adapt.Image(image.attachment, derived.data, derived.content_type) if derived else image


def _upload_name(image: adapt.Image) -> str:
    """An ASCII name whose extension says what the bytes are (a GIF's still copy is a PNG or JPG)."""
    return f"image-{image.attachment.pk}.{'png' if image.content_type == 'image/png' else 'jpg'}"


class WeChatConnector(Connector):
    kind = "wechat"

    def __init__(self, channel, credentials=None):
        super().__init__(channel, credentials)
        self.base = (credentials.api_base if credentials and credentials.api_base else
                     getattr(settings, "GOVPUB_WECHAT_API_BASE", DEFAULT_BASE)).rstrip("/")
        self.http = client()

    # --- token ------------------------------------------------------------------------------
    def _fetch_token(self, force: bool = False) -> str:
        body = {"grant_type": "client_credential", "appid": self.credentials.app_id,
                "secret": self.credentials.secret("app_secret"), "force_refresh": force}
        data = json_of(request(self.http, "POST", f"{self.base}/cgi-bin/stable_token", json=body, platform=PLATFORM),
                       platform=PLATFORM)
        code = int(data.get("errcode") or 0)
        if code:
            if code in (40001, 40125, 40013):  # on the token call these mean the stored AppID/AppSecret are wrong
                raise PermanentError(MESSAGES.get(code if code != 40001 else 40125), code=code,
                                     detail=data.get("errmsg", ""))
            raise error_for(code, data.get("errmsg", ""))
        token = data.get("access_token") or ""
        if not token:
            raise TransientError("微信平台未返回接口凭证，稍后将自动重试。", code="no_token")
        TOKENS.put(self.channel.pk, token, float(data.get("expires_in") or 7200))
        return token

    def token(self) -> str:
        cached = TOKENS.get(self.channel.pk)
        if cached:
            return cached
        with TOKENS.lock_for(self.channel.pk):  # one fetch per process, not one per thread
            return TOKENS.get(self.channel.pk) or self._fetch_token()

    def call(self, method: str, path: str, *, json=None, files=None, params=None) -> dict:
        """One API call with the token; a rejected token is refreshed once and the call repeated."""
        for attempt in range(2):
            token = self.token()
            query = {"access_token": token, **(params or {})}
            response = request(self.http, method, f"{self.base}/cgi-bin/{path}", params=query, json=json,
                               files=files, platform=PLATFORM)
            data = json_of(response, platform=PLATFORM)
            code = int(data.get("errcode") or 0)
            if code in TOKEN_CODES and attempt == 0:
                TOKENS.forget(self.channel.pk, token)
                with TOKENS.lock_for(self.channel.pk):
                    if TOKENS.get(self.channel.pk) in (None, token):
                        fresh = self._fetch_token()
                        if fresh == token:  # the platform still hands out the rejected token
                            self._fetch_token(force=True)
                continue
            if code:
                raise error_for(code, data.get("errmsg", ""))
            return data
        raise TransientError("微信接口凭证刷新后仍被拒绝，稍后将自动重试。", code=code)

    # --- the interface --------------------------------------------------------------------------
    def check_credentials(self) -> None:
        TOKENS.forget(self.channel.pk)
        self._fetch_token()

    def prepare(self, publication) -> dict:
        """Everything checkable before the first call: a refusal here costs no platform quota."""
        title, images, problems = check(publication.revision)
        if problems:
            raise problems[0]
        return {"title": title, "images": images}

    def _cover(self, publication, state, save_state) -> str:
        if state.get("thumb_media_id"):
            return state["thumb_media_id"]
        revision = publication.revision
        cover = revision.cover
        if cover is not None:
            data = adapt.read_attachment(cover, PLATFORM)
            small_jpeg = cover.content_type == "image/jpeg" and len(data) <= THUMB_LIMIT
            kind, name, ctype = ("thumb" if small_jpeg else "image"), cover.name, cover.content_type
        else:
            data, kind, name, ctype = adapt.default_cover_png(), "image", "cover.png", "image/png"
        result = self.call("POST", "material/add_material", params={"type": kind},
                           files={"media": (name, data, ctype)})
        state["thumb_media_id"] = result["media_id"]
        save_state(state, commit=False)
        return state["thumb_media_id"]

    def publish(self, publication, save_state=None) -> PublishResult:
        save_state = save_state or (lambda state, commit=True: None)
        state = dict(publication.remote_state or {})
        if state.get("article_id"):
            return PublishResult(state["article_id"], state.get("url", ""))
        if state.get("publish_id"):
            return self._poll(publication, state, save_state)
        if state.get("submitting"):
            found = self._recover_submit(publication, state, save_state)
            if found is not None:
                return found
        prepared = self.prepare(publication)
        urls = state.setdefault("images", {})
        for src, image in prepared["images"].items():
            key = str(image.attachment.pk)
            if key not in urls:
                result = self.call("POST", "media/uploadimg",
                                   files={"media": (_upload_name(image), image.data, image.content_type)})
                urls[key] = result["url"]
                save_state(state, commit=False)
        by_src = {src: urls[str(image.attachment.pk)] for src, image in prepared["images"].items()}
        thumb = self._cover(publication, state, save_state)
        if not state.get("media_id"):
            revision = publication.revision
            article = {
                "article_type": "news", "title": prepared["title"],
                "author": (revision.source_name or "")[:16],
                "digest": adapt.digest(revision.summary, revision.body_html, DIGEST_LIMIT),
                "content": adapt.wechat_html(revision.body_html, by_src),
                "content_source_url": adapt.source_url(publication),
                "thumb_media_id": thumb, "need_open_comment": 0, "only_fans_can_comment": 0,
            }
            state["media_id"] = self.call("POST", "draft/add", json={"articles": [article]})["media_id"]
            save_state(state, commit=False)
        # Mark before submitting: if the answer is lost, the retry looks for the post instead of re-posting.
        state["submitting"] = True
        save_state(state)
        state["publish_id"] = str(self.call("POST", "freepublish/submit", json={"media_id": state["media_id"]})
                                  ["publish_id"])
        save_state(state)
        return self._poll(publication, state, save_state)

    def _recover_submit(self, publication, state, save_state) -> PublishResult | None:
        """A previous attempt may have submitted without recording the answer. Look before re-posting:
        a draft that still exists was never submitted; a consumed one means the post exists or is coming."""
        if state.get("media_id"):
            try:
                self.call("POST", "draft/get", json={"media_id": state["media_id"]})
                state.pop("submitting", None)
                save_state(state, commit=False)
                return None  # the draft is still there: the submit never happened
            except PermanentError as error:
                if error.code != "40007":
                    raise
        wanted = adapt.source_url(publication)
        scan = int(getattr(settings, "GOVPUB_WECHAT_RECOVERY_SCAN", 2000))
        # The list is newest first, so a post already listed only moves further down: the scan resumes
        # where an interrupted attempt stopped, and starts over once it reaches the end.
        offset = int(state.get("scan_offset", 0))
        while offset < scan:
            posts = self._batchget(20, offset)
            for post in posts:
                if post.extra.get("content_source_url") == wanted:
                    state.pop("scan_offset", None)
                    state.update(article_id=post.remote_id, url=post.url)
                    save_state(state, commit=False)
                    return PublishResult(post.remote_id, post.url)
            offset += len(posts)
            state["scan_offset"] = offset
            save_state(state, commit=False)
            if len(posts) < 20:
                break
        state["scan_offset"] = 0
        save_state(state, commit=False)
        raise StillProcessing("微信平台正在处理上次提交的发表，稍后将再次查询。", code="publishing")

    def _poll(self, publication, state, save_state) -> PublishResult:
        tries = int(getattr(settings, "GOVPUB_WECHAT_POLL_TRIES", 3))
        interval = float(getattr(settings, "GOVPUB_WECHAT_POLL_INTERVAL", 1.0))
        for i in range(max(tries, 1)):
            data = self.call("POST", "freepublish/get", json={"publish_id": state["publish_id"]})
            status = int(data.get("publish_status", 1))
            if status == 0:
                items = (data.get("article_detail") or {}).get("item") or [{}]
                state.update(article_id=data.get("article_id", ""), url=items[0].get("article_url", ""))
                save_state(state, commit=False)
                return PublishResult(state["article_id"], state["url"])
            if status in PUBLISH_FAILURES:
                raise PermanentError(PUBLISH_FAILURES[status], code=f"publish_status_{status}")
            if i + 1 < tries:
                time.sleep(interval)
        raise StillProcessing("微信平台正在发表，稍后将再次查询发表结果。", code="publishing")

    def withdraw(self, publication, save_state=None) -> None:
        save_state = save_state or (lambda state, commit=True: None)
        state = dict(publication.remote_state or {})
        if state.get("deleted"):
            return
        if not state.get("article_id") and state.get("publish_id"):
            try:
                self._poll(publication, state, save_state)
            except PermanentError:
                pass  # it never went out
        if not state.get("article_id") and state.get("submitting"):
            self._recover_submit(publication, state, save_state)
        if state.get("article_id"):
            self._delete("freepublish/delete", {"article_id": state["article_id"], "index": 0}, gone="53600")
        # Neither is public, but nothing made for a withdrawn item stays on the account: a draft never
        # published (submit refused, or withdrawn before it) and the cover, a permanent material with its own URL.
        if state.get("media_id"):
            self._delete("draft/delete", {"media_id": state["media_id"]}, gone="40007")  # consumed by a submit
        if state.get("thumb_media_id"):
            self._delete("material/del_material", {"media_id": state["thumb_media_id"]}, gone="40007")
        state["deleted"] = True
        save_state(state, commit=False)

    def _delete(self, path: str, body: dict, *, gone: str) -> None:
        try:
            self.call("POST", path, json=body)
        except PermanentError as error:
            if error.code != gone:  # already gone is what we wanted
                raise

    def _batchget(self, count: int = 20, offset: int = 0) -> list[RemotePost]:
        data = self.call("POST", "freepublish/batchget", json={"offset": offset, "count": count, "no_content": 1})
        posts = []
        for entry in data.get("item") or []:
            news = ((entry.get("content") or {}).get("news_item") or [{}])[0]
            posts.append(RemotePost(entry.get("article_id", ""), news.get("title", ""), news.get("url", ""),
                                    str(entry.get("update_time", "")),
                                    {"content_source_url": news.get("content_source_url", ""),
                                     "is_deleted": news.get("is_deleted", False)}))
        return posts

    def fetch_recent(self, count: int = 10) -> list[RemotePost]:
        return [p for p in self._batchget(min(max(count, 1), 20)) if not p.extra.get("is_deleted")]

    def read_posts(self, limit: int = 200) -> list[RemotePost]:
        """What the account shows the public now, with text, newest first (freepublish/batchget pages
        of 20): monitoring reads this, not GovPub's own records."""
        posts, offset = [], 0
        while len(posts) < limit:
            data = self.call("POST", "freepublish/batchget", json={"offset": offset, "count": 20, "no_content": 0})
            entries = data.get("item") or []
            for entry in entries:
                for news in (entry.get("content") or {}).get("news_item") or []:
                    if news.get("is_deleted"):
                        continue
                    posts.append(RemotePost(entry.get("article_id", ""), news.get("title", ""), news.get("url", ""),
                                            str(entry.get("update_time", "")), {
                                                "text": adapt.plain_text(news.get("content", "")),
                                                "digest": news.get("digest", ""),
                                                "content_source_url": news.get("content_source_url", ""),
                                                "at": _epoch(entry.get("update_time"))}))
            offset += len(entries)
            if not entries or offset >= int(data.get("total_count") or 0):
                break
        return posts[:limit]


def _epoch(value):
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.timezone.utc)
    except (TypeError, ValueError, OverflowError):
        return None
