"""What only a crawl can see in a page's markup: hidden links (暗链) and code injected from foreign hosts
(挂马 signs). Pure: HTML and the page's URL in, observations out; the page scan adds the text check.

暗链 are links a visitor never sees but search engines do, nearly always to gambling or advertising sites:
hidden by inline CSS, by a class or id that a <style> block hides, pushed off-screen, shrunk to nothing,
or written by a script. A site's own hidden menus (dropdowns) link to its own pages and are not 暗链."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from govpub.textcheck.rules.link import TRUSTED

# Hosts whose scripts government sites embed on purpose: the 党政机关网站标识 (conac), 找错 and statistics
# services the 国办 checks expect. A district adds its own through GOVPUB_MONITOR_TRUSTED_HOSTS.
SCRIPT_TRUSTED = {"conac.cn", "kaipuyun.cn", "hm.baidu.com", "zz.bdstatic.com", "ucap.com.cn"}

_HIDING = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*[01](?:\.\d+)?(?:px|pt)?\s*(?:;|$|!)"
    r"|opacity\s*:\s*0(?:\.0+)?\s*(?:;|$|!)|(?:top|left|right|bottom|text-indent|margin-left|margin-top)\s*:\s*-\d{3,}"
    r"|clip\s*:\s*rect\(\s*0|(?:height|width|max-height|max-width)\s*:\s*[01](?:px)?\s*(?:;|$|!)[^}]*overflow\s*:\s*hidden"
    r"|overflow\s*:\s*hidden[^}]*(?:height|width|max-height|max-width)\s*:\s*[01](?:px)?\s*(?:;|$|!)", re.I)
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.I | re.S)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR = re.compile(r"^\s*[a-z0-9]*([.#])([\w-]+)\s*$", re.I)
# An inline script that decodes and runs or writes code: the shape of injected 挂马 loaders.
_OBFUSCATED = re.compile(r"eval\s*\(\s*(?:unescape|atob|decodeURIComponent|String\.fromCharCode|function\s*\(p,\s*a,\s*c,\s*k)"
                         r"|document\.write\s*\(\s*unescape|\\x3c(?:script|iframe)|%3c(?:script|iframe)", re.I)
_WRITTEN = re.compile(r"document\.write(?:ln)?\s*\((.{0,2000}?)\)\s*;?", re.I | re.S)
_URL_IN_CODE = re.compile(r"https?://([a-z0-9.-]+)", re.I)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr"}


@dataclass(frozen=True)
class Observation:
    kind: str        # hidden_link | injected_code
    rule: str
    text: str        # what a person can search the page source for
    message: str


def host_in(host: str, domains) -> bool:
    parts = host.lower().rstrip(".").split(".")
    return any(".".join(parts[i:]) in domains for i in range(len(parts)))


def same_site(host: str, site_host: str) -> bool:
    """The site's own host, its subdomains and its parent (www.x.gov.cn and x.gov.cn are one site)."""
    host, site_host = host.lower(), site_host.lower()
    bare = site_host[4:] if site_host.startswith("www.") else site_host
    return host == site_host or host == bare or host.endswith("." + bare)


def _hidden_selectors(html: str) -> tuple[set[str], set[str]]:
    classes, ids = set(), set()
    for block in _STYLE_BLOCK.findall(html):
        block = re.sub(r"/\*.*?\*/", "", block, flags=re.S)
        for selectors, body in _RULE.findall(block):
            if not _HIDING.search(body):
                continue
            for selector in selectors.split(","):
                match = _SIMPLE_SELECTOR.match(selector)
                if match:
                    (classes if match.group(1) == "." else ids).add(match.group(2))
    return classes, ids


def _tiny(attrs: dict) -> bool:
    """A frame or marquee sized to nothing: width or height 0, or both at most 1 px."""
    sizes = []
    for name in ("width", "height"):
        value = (attrs.get(name) or "").strip().lower().removesuffix("px")
        sizes.append(int(value) if value.isdigit() else None)
    return 0 in sizes or all(v is not None and v <= 1 for v in sizes)


class _Markup(HTMLParser):
    def __init__(self, hidden_classes: set[str], hidden_ids: set[str]):
        super().__init__(convert_charrefs=True)
        self.hidden_classes, self.hidden_ids = hidden_classes, hidden_ids
        self.stack: list[tuple[str, bool]] = []
        self.anchors: list[list] = []  # [href, text, hidden]
        self.open_anchor: list | None = None
        self.resources: list[tuple[str, str, bool]] = []  # tag, src, hidden or zero-sized
        self.script: list[str] | None = None
        self.scripts: list[str] = []
        self.base: str | None = None

    def _hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def _hides(self, tag: str, attrs: dict) -> bool:
        if "hidden" in attrs or _HIDING.search(attrs.get("style") or ""):
            return True
        if set((attrs.get("class") or "").split()) & self.hidden_classes or (attrs.get("id") or "") in self.hidden_ids:
            return True
        return tag == "marquee" and (_tiny(attrs) or (attrs.get("scrollamount") or "0").isdigit()
                                     and int(attrs.get("scrollamount") or 0) >= 1000)

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        hidden = self._hidden() or self._hides(tag, a)
        if tag == "base" and a.get("href"):
            self.base = a["href"]
        elif tag == "a" and a.get("href"):
            self.open_anchor = [a["href"].strip(), "", hidden]
            self.anchors.append(self.open_anchor)
        elif tag in ("script", "iframe", "frame", "embed", "object") and (a.get("src") or a.get("data")):
            self.resources.append((tag, (a.get("src") or a.get("data")).strip(), hidden or _tiny(a)))
        if tag == "script" and not a.get("src"):
            self.script = []
        if tag not in VOID:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "a":
            self.open_anchor = None
        if tag == "script" and self.script is not None:
            self.scripts.append("".join(self.script))
            self.script = None
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self.script is not None:
            self.script.append(data)
        elif self.open_anchor is not None:
            self.open_anchor[1] += data


def inspect(html: str, page_url: str, *, trusted_hosts=()) -> list[Observation]:
    """Hidden links to other sites and scripts/frames from untrusted foreign hosts, one observation each."""
    classes, ids = _hidden_selectors(html)
    parser = _Markup(classes, ids)
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # malformed markup: judge what was parsed
        pass
    base = urljoin(page_url, parser.base) if parser.base else page_url
    site_host = urlsplit(page_url).hostname or ""
    trusted = set(TRUSTED) | SCRIPT_TRUSTED | set(trusted_hosts)

    def foreign(url: str) -> str:
        """The host of `url` when it is another site ('' for the site itself, relative or non-web links)."""
        parts = urlsplit(urljoin(base, url))
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or not host or same_site(host, site_host):
            return ""
        return host

    out: list[Observation] = []
    for href, text, hidden in parser.anchors:
        host = foreign(href)
        if hidden and host and not host_in(host, TRUSTED):
            label = re.sub(r"\s+", " ", text).strip()[:80]
            out.append(Observation("hidden_link", "crawl.hidden_link", label or href[:200],
                                   f"暗链：页面中隐藏的链接指向外部网站 {host}" + (f"（链接文字“{label}”）" if label else "")))
    for tag, src, concealed in parser.resources:
        host = foreign(src)
        if not host or host_in(host, trusted):
            continue
        if tag == "script":
            out.append(Observation("injected_code", "crawl.foreign_script", src[:200],
                                   f"页面加载外部网站 {host} 的脚本，可能被植入恶意代码（挂马）"))
        elif concealed:
            out.append(Observation("injected_code", "crawl.hidden_frame", src[:200],
                                   f"页面嵌入隐藏的外部网页（{host}），疑似挂马"))
    for code in parser.scripts:
        match = _OBFUSCATED.search(code)
        if match:
            out.append(Observation("injected_code", "crawl.obfuscated_script", code[max(0, match.start() - 20):match.end() + 60].strip(),
                                   "页面脚本解码后执行或写入代码，疑似挂马"))
            continue
        for written in _WRITTEN.findall(code):
            hosts = [h for h in _URL_IN_CODE.findall(written) if not same_site(h, site_host) and not host_in(h, trusted)]
            if hosts:
                out.append(Observation("hidden_link" if _HIDING.search(written) else "injected_code",
                                       "crawl.script_written_link", written.strip()[:200],
                                       f"页面脚本写入指向外部网站 {hosts[0]} 的内容" +
                                       ("（隐藏，暗链）" if _HIDING.search(written) else "，疑似被篡改")))
                break
    return out
