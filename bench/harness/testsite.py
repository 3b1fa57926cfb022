"""A generated static government website with planted problems, for crawler tests and bench/crawl.py.

The column slugs and update intervals are those of the demo website (govpub.web.demo.COLUMNS), so the
same site can stand in for the demo channel. `generate_site` returns what was planted, so a test can
check that the crawler finds all of it, and that on a clean copy it finds nothing."""

from __future__ import annotations

import datetime as dt
import functools
import html
import http.server
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path

# slug, name, parent, interval (days) — mirrors the demo content list.
COLUMNS = [
    ("gzdt", "工作动态", None, 14), ("tzgg", "通知公告", None, 180), ("zcwj", "政策文件", None, 180),
    ("zcjd", "政策解读", None, 180), ("xzdt", "乡镇动态", None, 14), ("bmdt", "部门动态", None, 14),
    ("zfxxgk", "政府信息公开", None, None), ("gkzn", "政府信息公开指南", "zfxxgk", 365),
    ("fdzdgknr", "法定主动公开内容", "zfxxgk", 90), ("gknb", "政府信息公开年报", "zfxxgk", 365),
    ("hdjl", "互动交流", None, 30),
]
PER_LIST_PAGE = 20
PLANTED_EMPTY = ("zcjd", "gknb")
PLANTED_STALE = {"xzdt": 60, "tzgg": 200}  # slug → age in days of its newest entry


@dataclass
class Planted:
    pages: int = 0
    broken: set[str] = field(default_factory=set)  # site paths that do not exist but are linked
    broken_on_home: set[str] = field(default_factory=set)
    empty: set[str] = field(default_factory=set)
    stale: set[str] = field(default_factory=set)
    robots_disallowed: set[str] = field(default_factory=set)


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'</head><body><header><a href="/">首页</a></header>{body}'
            f'<footer>鄂州市临空经济区管理委员会 主办</footer></body></html>')


def generate_site(root: Path, *, pages: int = 2000, today: dt.date | None = None, clean: bool = False,
                  home_age_days: int = 0, body=None) -> Planted:
    """Write the site into root. `clean` leaves out every planted problem; `body(slug, n)` gives an
    article's body HTML (default: one short sentence)."""
    today = today or dt.date.today()
    root.mkdir(parents=True, exist_ok=True)
    planted = Planted()
    leaf_columns = [c for c in COLUMNS if c[0] != "zfxxgk"]
    filled = [c for c in leaf_columns if clean or c[0] not in PLANTED_EMPTY]
    # Pages: home + one list page per PER_LIST_PAGE articles per column + articles; solve for articles per column.
    per_column = max(1, int((pages - 1 - len(COLUMNS)) / (len(filled) * (1 + 1 / PER_LIST_PAGE))))
    counts = {slug: per_column for slug, *_ in filled}

    def total() -> int:  # home + one page per unfilled/parent column + list pages and articles
        return 1 + (len(COLUMNS) - len(filled)) + sum(n + -(-n // PER_LIST_PAGE) for n in counts.values())

    turn = 0
    while total() < pages:  # top up round-robin so the site has exactly `pages` pages (or just over)
        counts[filled[turn % len(filled)][0]] += 1
        turn += 1
    articles: dict[str, list[tuple[str, str, dt.date]]] = {}
    for slug, name, _parent, interval in filled:
        age = home_age_days + (0 if clean or slug not in PLANTED_STALE else PLANTED_STALE[slug])
        entries = []
        for n in range(counts[slug]):
            # newest first: spread older entries, but keep the newest inside the interval
            day = today - dt.timedelta(days=age + (n * 3 if n else 0))
            entries.append((f"/articles/{slug}/{n}.html", f"{name}信息第{n + 1}号", day))
        articles[slug] = entries
        if not clean and slug in PLANTED_STALE:
            planted.stale.add(slug)
    if not clean:
        planted.empty.update(PLANTED_EMPTY)

    def write(path: str, content: str):
        target = root / path.lstrip("/")
        if path.endswith("/"):
            target = target / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
        planted.pages += 1

    (root / "files").mkdir(exist_ok=True)
    (root / "files" / "guide.pdf").write_bytes(b"%PDF-1.4\n% test\n")
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", encoding="utf-8")

    nav = "".join(f'<li><a href="/columns/{slug}/">{name}</a></li>' for slug, name, parent, _ in COLUMNS if not parent)
    newest = sorted((e for entries in articles.values() for e in entries[:3]), key=lambda e: e[2], reverse=True)[:10]
    items = "".join(f'<li><a href="{url}">{html.escape(t)}</a> <span>{d:%Y-%m-%d}</span></li>' for url, t, d in newest)
    home_extra = '<p><a href="/files/guide.pdf">办事指南（PDF）</a> <a href="/private/">内部</a></p>'
    planted.robots_disallowed.add("/private/")
    if not clean:
        home_extra += '<p><a href="/missing-home.html">专题专栏</a></p>'
        planted.broken.add("/missing-home.html")
        planted.broken_on_home.add("/missing-home.html")
    write("/", _page("首页", f"<nav><ul>{nav}</ul></nav><h2>最新信息</h2><ul>{items}</ul>{home_extra}"))

    for slug, name, parent, _interval in COLUMNS:
        children = [c for c in COLUMNS if c[2] == slug]
        if children:
            links = "".join(f'<li><a href="/columns/{c[0]}/">{c[1]}</a></li>' for c in children)
            latest = sorted((e for c in children for e in articles.get(c[0], [])[:5]), key=lambda e: e[2],
                            reverse=True)
            listing = "".join(f'<li><a href="{u}">{html.escape(t)}</a> <span>{d:%Y-%m-%d}</span></li>'
                              for u, t, d in latest)
            write(f"/columns/{slug}/", _page(name, f"<h1>{name}</h1><ul>{links}</ul><ul>{listing}</ul>"))
            continue
        entries = articles.get(slug, [])
        if not entries:
            write(f"/columns/{slug}/", _page(name, f"<h1>{name}</h1><p>暂无信息。</p>"))
            continue
        chunks = [entries[i:i + PER_LIST_PAGE] for i in range(0, len(entries), PER_LIST_PAGE)]
        for index, chunk in enumerate(chunks):
            listing = "".join(f'<li><a href="{u}">{html.escape(t)}</a> <span>{d:%Y-%m-%d}</span></li>'
                              for u, t, d in chunk)
            pager = f'<a href="/columns/{slug}/list_{index + 1}.html">下一页</a>' if index + 1 < len(chunks) else ""
            path = f"/columns/{slug}/" if index == 0 else f"/columns/{slug}/list_{index}.html"
            write(path, _page(name, f"<h1>{name}</h1><ul>{listing}</ul>{pager}"))
        for n, (url, title, day) in enumerate(entries):
            links = [f'<a href="/columns/{slug}/">返回{name}</a>']
            if n + 1 < len(entries):
                links.append(f'<a href="{entries[n + 1][0]}">上一篇</a>')
            links.append('<a href="/files/guide.pdf">附件</a>')
            if not clean and n == min(7, len(entries) - 1):
                links.append(f'<a href="/articles/{slug}/gone-{n}.html">相关阅读</a>')
                planted.broken.add(f"/articles/{slug}/gone-{n}.html")
            if not clean and n == 1 and slug == "gzdt":
                links.append('<a href="/files/missing.pdf">原文附件</a>')
                planted.broken.add("/files/missing.pdf")
            write(url, _page(title, f"<h1>{html.escape(title)}</h1><p>发布日期：{day:%Y年%m月%d日}</p>"
                                    f"{body(slug, n) if body else '<p>正文内容。</p>'}<p>{' '.join(links)}</p>"))
    return planted


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real web servers do
    slow_paths: dict[str, float] = {}

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        # Headers and body leave in separate small writes; with Nagle on, every keep-alive response
        # waited ~40 ms for the client's delayed ACK, and the benchmark measured this server, not the crawler.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def end_headers(self):
        # LinkChecker only lifts its own 10 requests/s per-host cap for servers that send this header.
        self.send_header("LinkChecker", "allowed")
        super().end_headers()

    def do_GET(self):
        delay = self.slow_paths.get(self.path)
        if delay:
            import time

            time.sleep(delay)
        super().do_GET()


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up (timeout tests) is expected here


class SiteServer:
    """Serve a directory on 127.0.0.1 in a background thread (with threads per request)."""

    def __init__(self, root: Path, slow_paths: dict[str, float] | None = None):
        handler = type("Handler", (_QuietHandler,), {"slow_paths": dict(slow_paths or {})})
        self.httpd = _QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
