"""Applying a machine-check suggestion: map a finding's span in the visible text back to the HTML.

textcheck reports HTML findings as code-point offsets into ``html_to_text(html).text`` (whitespace
collapsed, a newline at block boundaries, entities decoded). To replace exactly that span we parse
the HTML with the same parser, remember for every visible character which text node (and which
characters of it) it came from, edit those text nodes and write the HTML back out. Tags are copied
verbatim, so a span across ``<strong>`` keeps the markup around what is left.
"""

from __future__ import annotations

import html as html_lib
import re

from django.core.exceptions import ValidationError

from govpub.textcheck.htmltext import _Parser

_WS = re.compile(r"[ \t\r\n\f]+")


class SuggestionMismatch(ValidationError):
    """The text at the finding's span is no longer what the machine check saw."""


class _MappingParser(_Parser):
    """textcheck's own visible-text parser, additionally recording every event and a char → source map."""

    def __init__(self):
        super().__init__()
        self.events: list[list] = []  # ["raw", text] or ["data", decoded text]
        # visible index → (event index, start, end) in that event's decoded text; None for synthetic newlines
        self.charmap: list[tuple[int, int, int] | None] = []
        # leading whitespace the parser dropped (it followed a space or newline): visible index → (event, start, end)
        self.dropped: dict[int, list[tuple[int, int, int]]] = {}
        self._in_startend = False

    def _sync_synthetic(self):
        while len(self.charmap) < self.len:
            self.charmap.append(None)

    def handle_starttag(self, tag, attrs):
        if not self._in_startend:
            self.events.append(["raw", self.get_starttag_text()])
        super().handle_starttag(tag, attrs)
        self._sync_synthetic()

    def handle_startendtag(self, tag, attrs):
        self.events.append(["raw", self.get_starttag_text()])
        self._in_startend = True
        try:
            super().handle_startendtag(tag, attrs)
        finally:
            self._in_startend = False
        self._sync_synthetic()

    def handle_endtag(self, tag):
        if not self._in_startend:
            self.events.append(["raw", f"</{tag}>"])
        super().handle_endtag(tag)
        self._sync_synthetic()

    def handle_data(self, data):
        if self._skipping():
            self.events.append(["raw", data])  # script/style bodies are not escaped text
            return
        index = len(self.events)
        self.events.append(["data", data])
        before = self.len
        super().handle_data(data)
        added = self.len - before
        # The collapsed form of `data`, each character with the source range it stands for.
        mapped = []
        pos = 0
        for match in _WS.finditer(data):
            mapped += [(i, i + 1) for i in range(pos, match.start())]
            mapped.append((match.start(), match.end()))
            pos = match.end()
        mapped += [(i, i + 1) for i in range(pos, len(data))]
        if mapped and len(mapped) > added:  # the parser dropped one leading space
            self.dropped.setdefault(before, []).append((index, *mapped[0]))
        if added:
            self.charmap += [(index, a, b) for a, b in mapped[len(mapped) - added:]]

    def handle_comment(self, data):
        self.events.append(["raw", f"<!--{data}-->"])

    def handle_decl(self, decl):
        self.events.append(["raw", f"<!{decl}>"])

    def handle_pi(self, data):
        self.events.append(["raw", f"<?{data}>"])

    def unknown_decl(self, data):
        self.events.append(["raw", f"<![{data}]>"])


def _parse(html: str) -> _MappingParser:
    parser = _MappingParser()
    parser.feed(html)
    parser.close()
    parser._sync_synthetic()
    return parser


def visible_text(html: str) -> str:
    return "".join(_parse(html).parts)


def replace_in_text(text: str, start: int, end: int, expected: str, replacement: str) -> str:
    """Plain-text fields (title, summary): offsets index the text itself."""
    if not (0 <= start <= end <= len(text)) or text[start:end] != expected:
        raise SuggestionMismatch("该处文字已被修改，与机审发现的问题不再一致：请重新机审后再处理。")
    return text[:start] + replacement + text[end:]


def replace_in_html(html: str, start: int, end: int, expected: str, replacement: str) -> str:
    """Replace visible characters [start, end) of `html` by `replacement`, keeping all markup."""
    parser = _parse(html)
    text = "".join(parser.parts)
    if not (0 <= start < end <= len(text)) or text[start:end] != expected:
        raise SuggestionMismatch("该处文字已被修改，与机审发现的问题不再一致：请重新机审后再处理。")
    spots = parser.charmap[start:end]
    if any(spot is None for spot in spots):
        raise SuggestionMismatch("该问题跨越多个段落，无法自动替换，请在编辑页手动修改。")
    ranges: dict[int, list[int]] = {}
    for event, a, b in spots:
        if event in ranges:
            ranges[event][0] = min(ranges[event][0], a)
            ranges[event][1] = max(ranges[event][1], b)
        else:
            ranges[event] = [a, b]
    # Whitespace the parser dropped inside the span, or right after it when the space that hid it goes
    # too, must go as well, or it would become visible once its neighbour is replaced.
    last = end if text[end - 1] in " \n" else end - 1
    for position in range(start + 1, last + 1):
        for event, a, b in parser.dropped.get(position, []):
            if event in ranges:
                ranges[event] = [min(ranges[event][0], a), max(ranges[event][1], b)]
            else:
                ranges[event] = [a, b]
    first = min(ranges)
    for event, (a, b) in ranges.items():
        data = parser.events[event][1]
        parser.events[event][1] = data[:a] + (replacement if event == first else "") + data[b:]
    out = "".join(html_lib.escape(value, quote=False) if kind == "data" else value for kind, value in parser.events)
    # Never write something other than what the editor was shown: check the result's visible text.
    if _WS.sub(" ", visible_text(out)) != _WS.sub(" ", text[:start] + replacement + text[end:]):
        raise SuggestionMismatch("该处文字无法自动替换，请在编辑页手动修改。")
    return out
