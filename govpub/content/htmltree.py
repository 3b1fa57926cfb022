"""Parse HTML into an lxml tree and write it back, for the transformations that need a tree (paste, typeset).

The tree is only a working copy: whatever it produces goes through sanitize_html before anyone stores it."""

from __future__ import annotations

import html as html_lib
import re

import lxml.html
from lxml import etree

# libxml2 refuses what XML cannot hold (NUL, most control characters, lone surrogates from JSON "\ud800").
WS = "\u00a0\u3000 \t\r\n\f"  # what may go at a paragraph's edges: first-line indent is the style sheet's
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text or "")


def parse_document_body(html: str):
    """The <body> of a whole document or of a fragment: clipboard HTML comes both ways."""
    html = xml_safe(html)
    if not html.strip():
        return lxml.html.fragment_fromstring("", create_parent="div")
    try:
        document = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return lxml.html.fragment_fromstring("", create_parent="div")
    body = document.find("body")
    if body is None:
        body = lxml.html.fragment_fromstring("", create_parent="div")
    return body


def parse_fragment(html: str):
    """A fragment (a saved body) inside one <div> that serialise() leaves out again."""
    return lxml.html.fragment_fromstring(xml_safe(html), create_parent="div")


def serialise(container) -> str:
    """The container's content, without the container itself."""
    parts = [html_lib.escape(container.text, quote=False) if container.text else ""]
    parts.extend(lxml.html.tostring(child, encoding="unicode", with_tail=True) for child in container)
    return "".join(parts)


def remove(element) -> None:
    """Remove an element and what it contains, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def unwrap(element) -> None:
    """Replace an element by its content."""
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    children = list(element)
    text, tail = element.text or "", element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    if children:
        children[-1].tail = (children[-1].tail or "") + tail
    else:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def tag_of(element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def strip_leading(element, blocks) -> None:
    """Whitespace off the start of an element's text, looking into its first inline children."""
    node = element
    while True:
        if node.text:
            node.text = node.text.lstrip(WS) or None
            if node.text:
                return
        if not len(node) or tag_of(node[0]) in ("br", "img") or tag_of(node[0]) in blocks:
            return
        node = node[0]


def strip_trailing(element, blocks) -> None:
    """Whitespace off the end of an element's text, looking into its last inline children."""
    node = element
    while True:
        if len(node):
            last = node[-1]
            if last.tail:
                last.tail = last.tail.rstrip(WS) or None
                if last.tail:
                    return
            if tag_of(last) in ("br", "img") or tag_of(last) in blocks:
                return
            node = last
        else:
            if node.text:
                node.text = node.text.rstrip(WS) or None
            return
