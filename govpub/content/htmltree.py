"""Parse HTML into an lxml tree and write it back, for the transformations that need a tree (paste, typeset).

The tree is only a working copy: whatever it produces goes through sanitize_html before anyone stores it."""

from __future__ import annotations

import html as html_lib
import re

import lxml.html
from lxml import etree

# libxml2 refuses what XML cannot hold (NUL, most control characters, lone surrogates from JSON "\ud800").
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
