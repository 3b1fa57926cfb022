"""HTML → visible text (with hidden spans and links) for checking.

Offsets of HTML findings index the visible text returned in ``CheckResult.text`` so that
callers can highlight.  Links (``a[href]``, ``img[src]``, ``iframe[src]`` …) are checked by
the link rules; a link finding spans the anchor's visible text (empty span for images).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .findings import CheckResult

BLOCK = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul", "title",
    "caption", "tbody", "thead", "tfoot", "center",
}
SKIP = {"script", "style", "template", "noscript", "head", "svg", "math", "object"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}
MAX_DEPTH = 500
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])|"
    r"opacity\s*:\s*0(?![.\d]*[1-9])|(?<![-\w])color\s*:\s*(?:#fff(?:fff)?|white)\b", re.I)


@dataclass
class HtmlText:
    text: str
    hidden: list[tuple[int, int]] = field(default_factory=list)
    links: list[tuple[int, int, str, str]] = field(default_factory=list)  # start, end, attr, url


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.len = 0
        self.stack: list[tuple[str, bool, bool, int, str | None]] = []  # tag, skip, hidden, start, href
        self.hidden_spans: list[tuple[int, int]] = []
        self.links: list[tuple[int, int, str, str]] = []
        self.skip_depth = 0      # open elements whose content is not visible (script, style…)
        self.head_depth = 0
        self.title_depth = 0
        self.counts: dict[str, int] = {}

    def _skipping(self) -> bool:
        return self.skip_depth > 0

    def _newline(self):
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")
            self.len += 1

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag in BLOCK:
            self._newline()
        for attr in ("href", "src", "action", "data", "poster"):
            if attr in a and a[attr].strip() and not self._skipping():
                if tag == "a" and attr == "href":
                    break  # recorded at </a> with its text span
                self.links.append((self.len, self.len, f"{tag}[{attr}]", a[attr].strip()))
        if tag == "img" and a.get("alt") and not self._skipping():
            pass  # alt text is not visible text; kept out of offsets on purpose
        if tag in VOID:
            return
        skip = tag in SKIP and not (tag == "head")
        if tag == "head":
            skip = False
        hidden = "hidden" in a or bool(_HIDDEN_STYLE.search(a.get("style", "")))
        if len(self.stack) >= MAX_DEPTH:
            return  # absurdly deep nesting: treat further tags as flat
        self.stack.append((tag, skip, hidden, self.len, a.get("href") if tag == "a" else None))
        self._count(tag, skip, 1)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            if tag in BLOCK:
                self._newline()
            return
        if not self.counts.get(tag):
            return
        idx = None
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                idx = i
                break
        if idx is None:
            return
        while len(self.stack) > idx:
            t, skip, hidden, start, href = self.stack.pop()
            self._count(t, skip, -1)
            if hidden and self.len > start:
                self.hidden_spans.append((start, self.len))
            if t == "a" and href and href.strip() and not skip:
                self.links.append((start, self.len, "a[href]", href.strip()))
        if tag in BLOCK:
            self._newline()

    def _count(self, tag: str, skip: bool, d: int) -> None:
        self.counts[tag] = self.counts.get(tag, 0) + d
        if skip:
            self.skip_depth += d
        if tag == "head":
            self.head_depth += d
        elif tag == "title":
            self.title_depth += d

    def handle_data(self, data):
        if not data or self._skipping():
            return
        # In <head>, only the title is visible.
        if self.head_depth and not self.title_depth:
            return
        data = re.sub(r"[ \t\r\n\f]+", " ", data)
        if self.parts and self.parts[-1].endswith(("\n", " ")) and data.startswith(" "):
            data = data[1:]
        elif not self.parts and data.startswith(" "):
            data = data[1:]
        if data:
            self.parts.append(data)
            self.len += len(data)


def _close(p: _Parser) -> None:
    """End the input as HTML5 (and a browser) does: a tag, comment or declaration still open at the
    end of the input runs to the end and shows nothing; a lone ``<`` or ``</`` is text.

    feed() stops at the first construct whose end is nowhere in the input and keeps the rest in
    ``rawdata``; html.parser's own close() would then re-parse that rest once per ``<`` in it, which
    is quadratic (40 k characters of ``<a <a …`` took 9 s).  CPython's own fix of that (gh-135462,
    in newer patch releases than ours) ends the input this way too."""
    if p.rawdata.startswith("<") and p.rawdata not in ("<", "</"):
        p.rawdata = ""
    p.close()


def html_to_text(html: str) -> HtmlText:
    p = _Parser()
    try:
        p.feed(html)
        _close(p)
    except Exception:  # html.parser is lenient; be safe anyway
        pass
    while p.stack:
        t, skip, hidden, start, href = p.stack.pop()
        if hidden and p.len > start:
            p.hidden_spans.append((start, p.len))
        if t == "a" and href and href.strip() and not skip:
            p.links.append((start, p.len, "a[href]", href.strip()))
    text = "".join(p.parts)
    return HtmlText(text=text, hidden=p.hidden_spans, links=p.links)


def check_html(checker, html: str, *, as_of=None) -> CheckResult:
    from .extract import Document, check_document

    ht = html_to_text(html)
    doc = Document()
    doc.parts.append(ht.text)
    doc._len = len(ht.text)
    doc.marks.extend((a, b, "HTML隐藏元素", True) for a, b in ht.hidden)
    doc.links.extend(ht.links)
    return check_document(checker, doc, as_of=as_of)
