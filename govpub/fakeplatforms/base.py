"""A small threaded HTTP server with fault injection, shared by the fake platforms."""

from __future__ import annotations

import email.parser
import email.policy
import json
import random
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class Request:
    def __init__(self, method: str, path: str, query: dict, headers, body: bytes):
        self.method, self.path, self.query, self.headers, self.body = method, path, query, headers, body
        self._form = None

    def json(self) -> dict:
        try:
            data = json.loads(self.body or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    @property
    def form(self) -> dict:
        """Fields of a urlencoded or multipart body (files as (filename, bytes, content_type))."""
        if self._form is None:
            ctype = self.headers.get("Content-Type", "")
            if ctype.startswith("multipart/form-data"):
                message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                    b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + self.body)
                self._form = {}
                for part in message.iter_parts():
                    name = part.get_param("name", header="content-disposition")
                    payload = part.get_payload(decode=True) or b""
                    filename = part.get_filename()
                    self._form[name] = (filename, payload, part.get_content_type()) if filename else \
                        payload.decode("utf-8", "replace")
            else:
                self._form = {k: v[0] for k, v in parse_qs(self.body.decode("utf-8", "replace")).items()}
        return self._form

    def param(self, name: str, default=""):
        if name in self.query:
            return self.query[name]
        return self.form.get(name, default)


class Reply:
    def __init__(self, data=None, status: int = 200, raw: bytes | None = None, content_type="application/json"):
        self.data, self.status, self.raw, self.content_type = data, status, raw, content_type


class FakeServer:
    """Subclasses define routes {(method, path): handler(request) -> Reply}."""

    platform = "fake"

    def __init__(self, *, failure_rate: float = 0.0, fail_codes=None, delay: float = 0.0, hang: float = 0.0,
                 hang_rate: float = 0.0, lost_reply_rate: float = 0.0, seed: int | None = None,
                 port: int = 0, fail_paths=None):
        self.failure_rate = failure_rate  # share of calls answered with an injected error
        self.fail_codes = list(fail_codes or self.default_fail_codes)
        self.fail_paths = set(fail_paths or ())  # empty: every API path may fail
        self.delay = delay  # seconds added to every call
        self.hang = hang  # seconds a "hanging" call sleeps (longer than the client timeout → timeout)
        self.hang_rate = hang_rate
        self.lost_reply_rate = lost_reply_rate  # the call takes effect but the reply is a 502
        self.random = random.Random(seed)
        self.lock = threading.RLock()
        self.calls: list[tuple[str, str]] = []
        self.injected: list[tuple[str, object]] = []
        self.queued_errors: dict[str, list] = {}  # path -> codes answered by the next calls, in order
        self._port = port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    default_fail_codes: list = []

    # --- lifecycle -----------------------------------------------------------------------------
    def start(self) -> "FakeServer":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def setup(self):
                super().setup()
                # Headers and body go out in separate writes; without this Nagle adds ~40 ms per call.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def _handle(self, method):
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                reply = fake.dispatch(Request(method, parts.path, query, self.headers, body))
                raw = reply.raw if reply.raw is not None else json.dumps(reply.data, ensure_ascii=False).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type + "; charset=utf-8")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", self._port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"fake-{self.platform}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # --- fault injection -------------------------------------------------------------------------
    def configure(self, **options) -> None:
        with self.lock:
            for name, value in options.items():
                if name == "seed":
                    self.random.seed(value)
                elif hasattr(self, name) and not name.startswith("_"):
                    setattr(self, name, value)

    def fail_next(self, path: str, *codes) -> None:
        """The next len(codes) calls to path answer these error codes."""
        with self.lock:
            self.queued_errors.setdefault(path, []).extend(codes)

    def error_reply(self, request: Request, code) -> Reply:
        raise NotImplementedError

    def routes(self) -> dict:
        raise NotImplementedError

    def admin(self, request: Request) -> Reply:
        if request.path == "/__admin__/config" and request.method == "POST":
            self.configure(**request.json())
            return Reply({"ok": True})
        if request.path == "/__admin__/state":
            return Reply(self.snapshot())
        return Reply({"error": "not found"}, 404)

    def snapshot(self) -> dict:
        return {}

    def dispatch(self, request: Request) -> Reply:
        if request.path.startswith("/__admin__/"):
            return self.admin(request)
        if request.path.rstrip("/") in ("/backend", "/backend/post"):
            return self.backend(request)  # the operator's own back-end: no API, no injected faults
        handler = self.routes().get((request.method, request.path))
        if handler is None:
            return self.not_found(request)
        with self.lock:
            self.calls.append((request.method, request.path))
            queued = self.queued_errors.get(request.path)
            code = queued.pop(0) if queued else None
            eligible = not self.fail_paths or request.path in self.fail_paths
            roll = self.random.random() if eligible else 1.0
            hang = eligible and self.hang_rate and self.random.random() < self.hang_rate
            lose = eligible and self.lost_reply_rate and self.random.random() < self.lost_reply_rate
            if code is None and roll < self.failure_rate and self.fail_codes:
                code = self.random.choice(self.fail_codes)
            if code is not None:
                self.injected.append((request.path, code))
        if self.delay:
            time.sleep(self.delay)
        if hang:
            time.sleep(self.hang)
            return Reply({"error": "hung"}, 504)
        if isinstance(code, str) and code.startswith("http_"):
            return Reply({"error": "injected"}, int(code[5:]))
        if code == "hang":
            time.sleep(self.hang)
            return Reply({"error": "hung"}, 504)
        if code is not None:
            return self.error_reply(request, code)
        reply = handler(request)
        if lose and reply.status == 200:
            return Reply(raw=b"<html>502 Bad Gateway</html>", status=502, content_type="text/html")
        return reply

    def not_found(self, request: Request) -> Reply:
        return Reply({"error": "not found"}, 404)

    # --- the platform's own back-end (公众平台 / 微博 web), where an operator can post around GovPub ---------
    backend_title = "平台后台（模拟）"

    def backend(self, request: Request) -> Reply:
        """GET /backend/: a form to post directly, and the account's posts; POST /backend/post: post it.
        This is the bypass that supervision must catch: nothing posted here went through 先审后发."""
        notice = ""
        if request.method == "POST" and request.path.rstrip("/") == "/backend/post":
            account, title, text = request.form.get("account", ""), request.form.get("title", ""), \
                request.form.get("content", "")
            if account not in self.backend_accounts() or not text.strip():
                notice = "请选择账号并填写内容。"
            else:
                self.post_directly(account, title=title.strip(), content=text.strip())
                notice = "已发表（未经 GovPub 审核）。"
        return Reply(raw=self._backend_page(notice).encode(), content_type="text/html")

    def backend_accounts(self) -> list[str]:
        return []

    def backend_posts(self) -> list[tuple[str, str]]:
        """(account, title or text) of the live posts, newest first."""
        return []

    def post_directly(self, account: str, *, title: str, content: str) -> str:
        raise NotImplementedError

    def _backend_page(self, notice: str) -> str:
        from html import escape

        options = "".join(f"<option>{escape(a)}</option>" for a in self.backend_accounts())
        posts = "".join(f"<li>{escape(a)}：{escape(t)}</li>" for a, t in self.backend_posts()[:50])
        return (f"<!DOCTYPE html><html lang='zh-Hans'><head><meta charset='utf-8'>"
                f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
                f"<title>{escape(self.backend_title)}</title></head><body><h1>{escape(self.backend_title)}</h1>"
                f"<p>演示用：在这里发表的内容没有经过 GovPub 的审核，监测应把它报告为“未经审核发布”。</p>"
                f"{f'<p role=status>{escape(notice)}</p>' if notice else ''}"
                f"<form method='post' action='/backend/post'><p><label>账号 <select name='account'>{options}"
                f"</select></label></p><p><label>标题 <input name='title' maxlength='32'></label></p>"
                f"<p><label>内容<br><textarea name='content' rows='6' cols='40'></textarea></label></p>"
                f"<p><button type='submit'>直接发表</button></p></form><h2>已发表</h2><ul>{posts}</ul></body></html>")
