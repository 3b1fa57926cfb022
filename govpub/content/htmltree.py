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


# Bulk removal: mark, then let lxml strip every marked element in one pass (etree.strip_elements/strip_tags
# merge the text around them in C). Removing elements one by one, each appending its text to a neighbour's,
# is quadratic on a paste of thousands of Word runs or empty paragraphs.
DROP = "govpub-drop"  # the element and what it contains go; the text after it stays
UNWRAP = "govpub-unwrap"  # the element goes; what it contains stays


def apply_marks(root) -> None:
    etree.strip_elements(root, DROP, with_tail=False)
    etree.strip_tags(root, UNWRAP)


def remove(element) -> None:
    """Remove an element and what it contains, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    _append_text(element.getprevious(), parent, element.tail)
    element.tail = None
    parent.remove(element)


def unwrap(element) -> None:
    """Replace an element by its content. Siblings are moved next to it, never found by index: a paragraph of
    thousands of Word runs would make index-based moves quadratic."""
    parent = element.getparent()
    if parent is None:
        return
    _append_text(element.getprevious(), parent, element.text)
    for child in list(element):
        element.addprevious(child)
    _append_text(element.getprevious(), parent, element.tail)
    element.tail = None
    parent.remove(element)


def _append_text(previous, parent, text) -> None:
    if not text:
        return
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


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
