"""Clipboard HTML from Word, WPS or a web page → body HTML, through the same sanitiser as every save.

Word and WPS write their document model into the clipboard HTML rather than HTML structure: a list
item is a paragraph with a typed-out bullet (`mso-list: l0 level1 lfo1` and a `mso-list:Ignore` span),
bold is a span's style, the head holds style sheets and XML, and conditional comments carry what only
Word reads. The sanitiser alone would keep the words and lose the structure (lists become paragraphs
with a stray "·", bold disappears with the style), so this module rebuilds the structure those
carry first, drops every class and style, and then lets sanitize_html decide what remains.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from lxml import etree

from .htmltree import (DROP, UNWRAP, WS, apply_marks, parse_document_body, remove, serialise, strip_leading,
                       strip_trailing, tag_of, unwrap)
from .sanitize import sanitize_html

# Both editor tools (paste clean-up, 一键排版) take at most this much HTML: a long Word document's clipboard
# HTML is some hundred kilobytes; more is better sent as the .docx itself.
MAX_HTML_BYTES = 2 * 1024 * 1024
HTML_TOO_LARGE = "内容过大（超过 2 MB），请分几次粘贴；长篇文稿请用“Word 导入”上传原文件。"
IMAGES_LEFT_OUT = "粘贴内容中的 {n} 张图片未能带入（图片须上传到本平台才能发布），请用上传图片的方式另行插入。"

# The CF_HTML header Windows puts before the document ("Version:0.9 StartHTML:… SourceURL:…"); browsers
# usually strip it, other clients (and a raw clipboard dump) do not.
_CF_HTML_HEADER = re.compile(r"^\s*Version:\d+\.\d+\s+(?:[A-Za-z]+:\S*\s+)*")
# Downlevel-hidden <!--[if gte mso 9]>…<![endif]--> holds what only Word reads (XML, VML): dropped whole.
_HIDDEN_CONDITIONAL = (re.compile(r"<!--\[if[^\]]*\]>", re.I), re.compile(r"<!\[endif\]-->", re.I))
# Line-break duplicates for other renderers: Word writes a second <br> after a line break that ends a paragraph.
_LINE_BREAK_DUPLICATE = (re.compile(r"<!\[if !supportLineBreakNewLine\]>", re.I), re.compile(r"<!\[endif\]>", re.I))
# Downlevel-revealed <![if !supportLists]>…<![endif]> holds what other renderers show (the typed bullet):
# only the markers go.
_REVEALED_MARKER = re.compile(r"<!\[(?:if[^\]]*|endif)\]>", re.I)

DROP_WHOLE = {"head", "style", "script", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
              "applet", "xml", "meta", "link", "title", "base", "svg", "math", "canvas", "audio", "video", "source",
              "track", "map", "input", "button", "select", "textarea", "colgroup", "col", "param"}
# Office namespaces whose elements are drawing or document data (VML shapes, Word fields' XML), not text.
DROP_PREFIXES = {"v", "w", "xml"}
DIV_LIKE = {"div", "section", "article", "header", "footer", "main", "center", "aside", "nav", "address", "form",
            "dl", "fieldset", "body", "html"}
BLOCKS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption",
          "blockquote", "hr", "figure", "figcaption"} | DIV_LIKE
HEADINGS = {"h1": "h2", "h2": "h3", "h3": "h4", "h4": "h4", "h5": "h4", "h6": "h4"}  # h1 is the page's title
STYLE_HEADINGS = {"msotitle": "h2", "msosubtitle": "h3"}
RENAME = {"b": "strong", "i": "em", "strike": "s", "del": "s", "tfoot": "tbody", "dt": "p", "dd": "p", "pre": "p",
          "legend": "p"}

_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CJK_SEGMENT_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t]*[\r\n]+[ \t]*(?=[{_CJK}])")
_NBSP_RUN = re.compile(r"[ \t\r\n\f]*\u00a0[\u00a0 \t\r\n\f]*")
_SPACE_RUN = re.compile(r"[ \t\r\n\f]+")
_LIST_LEVEL = re.compile(r"level(\d+)", re.I)
_LIST_ID = re.compile(r"\b(l\d+)\b", re.I)
_DECIMAL = re.compile(r"^(\d{1,4})[.．)）]?$")
_LETTER = re.compile(r"^([a-zA-Z])[.．)）]$")
_CJK_NUMERALS = set("一二三四五六七八九十〇零百①②③④⑤⑥⑦⑧⑨⑩")
# Word hard-wraps its HTML source at about 76 columns, also between two Chinese characters, with tags between:
# the line break would show as a space inside a word.
_SOURCE_LINE_BREAK = re.compile(rf"(?<=[{_CJK}])((?:<[^<>]*>)*)[ \t]*\r?\n[ \t]*((?:<[^<>]*>)*)(?=[{_CJK}])")


@dataclass(frozen=True)
class Pasted:
    html: str
    images_left_out: int

    @property
    def notes(self) -> list[str]:
        return [IMAGES_LEFT_OUT.format(n=self.images_left_out)] if self.images_left_out else []


def clean_pasted_html(html: str) -> str:
    return clean_paste(html).html


def clean_paste(html: str) -> Pasted:
    body = parse_document_body(_strip_office_markup(html or ""))
    images = _drop_foreign_elements(body)
    _rebuild_lists(body)
    _rename_and_format(body)
    _flatten_div_likes(body)
    _tidy_blocks(body)
    _tidy_text(body)
    _keep_only_meaningful_attributes(body)
    return Pasted(settle(serialise(body)), images)


def settle(html: str) -> str:
    """sanitize_html until it changes nothing: a save of the result then stores exactly what the editor showed."""
    cleaned = sanitize_html(html)
    for _ in range(4):
        again = sanitize_html(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


# ---- text before parsing ----

def _strip_office_markup(html: str) -> str:
    # The StartFragment/EndFragment markers are left to the comment removal, and what lies outside them is kept:
    # it is the copied selection's own ancestors (Excel's fragment starts inside <table><tr>), never other text.
    # <xml> islands, <style> and <?xml …?> are the tree's to drop (_drop_foreign_elements).
    html = _CF_HTML_HEADER.sub("", html, count=1)
    html = _cut(html, *_HIDDEN_CONDITIONAL)
    html = _cut(html, *_LINE_BREAK_DUPLICATE)
    html = _REVEALED_MARKER.sub("", html)
    return _SOURCE_LINE_BREAK.sub(r"\1\2", html)


def _cut(html: str, opening: re.Pattern, closing: re.Pattern) -> str:
    """Remove every opening…closing block, in one pass: a lazy `opening.*?closing` regex would rescan the rest of
    the text for every opening that is never closed (quadratic on hostile input)."""
    kept, position = [], 0
    while (start := opening.search(html, position)) is not None:
        end = closing.search(html, start.end())
        if end is None:
            break  # no later opening has a closing either
        kept.append(html[position:start.start()])
        position = end.end()
    kept.append(html[position:])
    return "".join(kept)


# ---- the tree ----

def _style(element) -> dict[str, str]:
    declarations = {}
    for part in (element.get("style") or "").split(";"):
        name, _, value = part.partition(":")
        if value:
            declarations[name.strip().lower()] = value.strip().lower().strip("'\"")
    return declarations


def _class(element) -> str:
    return (element.get("class") or "").lower()


def _drop_foreign_elements(body) -> int:
    """Comments, scripts, Office XML and drawings out; Office text wrappers (o:p, st1:date) unwrapped. Returns
    the number of images left out: clipboard HTML names images by a file on the copier's computer (file:///…)
    or another site, which the body may not show (the publishing gate refuses a foreign image)."""
    etree.strip_elements(body, etree.Comment, etree.ProcessingInstruction, etree.Entity, with_tail=False)
    images = sum(1 for _ in body.iter("img"))
    present = {element.tag for element in body.iter() if isinstance(element.tag, str)}
    prefixed = {tag for tag in present if ":" in tag}
    dropped = {tag for tag in prefixed if tag.partition(":")[0].lower() in DROP_PREFIXES}
    etree.strip_elements(body, *(present & (DROP_WHOLE | {"img"}) | dropped), with_tail=False)
    etree.strip_tags(body, *(prefixed - dropped))
    for br in body.iter("br"):
        if "page-break" in (br.get("style") or "").lower():
            br.tag = DROP
    apply_marks(body)
    return images


# ---- lists ----

def _list_paragraph(element) -> bool:
    if tag_of(element) != "p":
        return False
    style = _style(element)
    return _class(element).startswith("msolistparagraph") or (
        "mso-list" in style and style["mso-list"] not in ("ignore", "skip"))


def _take_marker(paragraph) -> str:
    for element in paragraph.iter():
        if element is not paragraph and _style(element).get("mso-list") == "ignore":
            marker = element.text_content()
            remove(element)
            return marker.strip(WS)
    return ""


def _marker_kind(marker: str) -> tuple[str, int]:
    """("ul", 0) for a bullet, ("ol", value) for 1. 2. or a) b), ("text", 0) for numbering a list cannot show
    (一、（一）①, roman): that stays written out in the paragraph, as 公文 numbering must."""
    # A one-character marker is a bullet: Word writes Wingdings/Symbol bullets as the letter the font draws as
    # one ("l" is ●, "n" ■, "§" ▪, "Ø" ➢, "ü" ✓, "o" ○ in Courier New); numbering always has a "." or ")".
    if not marker or (len(marker) == 1 and not marker.isdigit() and marker not in _CJK_NUMERALS):
        return "ul", 0
    match = _DECIMAL.match(marker)
    if match:
        return "ol", int(match.group(1))
    match = _LETTER.match(marker)
    if match:
        return "ol", ord(match.group(1).lower()) - ord("a") + 1
    return "text", 0


def _rebuild_lists(body) -> None:
    for parent in list(body.iter()):
        run = []
        for child in list(parent):
            if _list_paragraph(child) and run and not (run[-1].tail or "").strip(WS) \
                    and _list_id(child) == _list_id(run[-1]):
                run.append(child)
                continue
            _list_from_run(run)
            run = [child] if _list_paragraph(child) else []
        _list_from_run(run)


def _list_id(paragraph) -> str:
    """Word's list number (l0, l1 …): a paragraph of another list starts another list."""
    match = _LIST_ID.search(_style(paragraph).get("mso-list", ""))
    return match.group(1) if match else ""


def _list_from_run(paragraphs) -> None:
    if not paragraphs:
        return
    items = []
    for paragraph in paragraphs:
        level = _LIST_LEVEL.search(_style(paragraph).get("mso-list", ""))
        marker = _take_marker(paragraph)
        kind, value = _marker_kind(marker)
        items.append((int(level.group(1)) if level else 1, kind, value, marker, paragraph))
    lists = _nest(items)
    if lists is None:  # numbering a list would renumber (a list continued after a paragraph): keep it written
        for _, _, _, marker, paragraph in items:
            _prefix_text(paragraph, marker)
            paragraph.attrib.pop("class", None)
        return
    first = paragraphs[0]
    for new in lists:
        first.addprevious(new)
    lists[-1].tail = paragraphs[-1].tail
    for paragraph in paragraphs:
        paragraph.tail = None
        paragraph.getparent().remove(paragraph)


def _nest(items):
    """Nested <ul>/<ol> for the run, or None when any item's numbering a list cannot show."""
    top, stack = [], []  # stack: [level, list element, kind, next number]
    for level, kind, value, _, paragraph in items:
        if kind == "text":
            return None
        while stack and (stack[-1][0] > level or (stack[-1][0] == level and stack[-1][2] != kind)):
            stack.pop()
        if not stack or stack[-1][0] < level:
            new = paragraph.makeelement(kind, {})
            if stack and len(stack[-1][1]):
                stack[-1][1][-1].append(new)
            else:
                top.append(new)
            stack.append([level, new, kind, 1])
        entry = stack[-1]
        if kind == "ol" and value != entry[3]:
            return None
        entry[3] += 1
        item = paragraph.makeelement("li", {})
        source = copy.deepcopy(paragraph)
        item.text = source.text
        for child in list(source):
            item.append(child)
        item.tail = None
        entry[1].append(item)
    return top


def _prefix_text(element, marker: str) -> None:
    if not marker:
        return
    separator = "" if re.search(rf"[{_CJK}]$", marker) else " "
    element.text = marker + separator + (element.text or "").lstrip(WS)


# ---- headings, inline formatting ----

def _rename_and_format(body) -> None:
    for element in list(body.iter()):
        if element is body or not isinstance(element.tag, str):
            continue
        tag = tag_of(element)
        style = _style(element)
        if tag in HEADINGS:
            element.tag = HEADINGS[tag]
            continue
        if tag == "p" and _class(element) in STYLE_HEADINGS:
            element.tag = STYLE_HEADINGS[_class(element)]
            continue
        if tag == "b" and style.get("font-weight") in ("normal", "400"):
            element.tag = UNWRAP  # Google Docs wraps a whole paste in <b style="font-weight:normal">
            continue
        if tag == "i" and style.get("font-style") == "normal":
            element.tag = UNWRAP
            continue
        if tag in RENAME:
            element.tag = RENAME[tag]
            tag = element.tag
        if tag in BLOCKS and (tag not in ("p", "li") or any(tag_of(c) in BLOCKS for c in element)):
            continue  # a block's own bold is a heading's look, or would wrap blocks in <strong>
        in_link = tag == "a" or any(tag_of(a) == "a" for a in element.iterancestors())
        for wrapper in _formatting(style, tag, in_link=in_link):
            _wrap_content(element, wrapper)


def _formatting(style: dict[str, str], tag: str, *, in_link: bool) -> list[str]:
    """The tags a run's style stands for; a link's underline is the link's own look (Word's MsoHyperlink)."""
    wrappers = []
    weight = style.get("font-weight", "")
    if (weight in ("bold", "bolder") or weight[:1] in "6789" and weight.endswith("00")) and tag != "strong":
        wrappers.append("strong")
    if style.get("font-style") in ("italic", "oblique") and tag != "em":
        wrappers.append("em")
    decoration = style.get("text-decoration", "") + " " + style.get("text-decoration-line", "")
    if ("underline" in decoration or style.get("text-underline", "none") not in ("none", "")) \
            and tag != "u" and not in_link:
        wrappers.append("u")
    if "line-through" in decoration and tag != "s":
        wrappers.append("s")
    vertical = style.get("vertical-align", "")
    if vertical in ("super", "sub") and tag not in ("sup", "sub"):
        wrappers.append("sup" if vertical == "super" else "sub")
    return wrappers


def _wrap_content(element, tag: str) -> None:
    wrapper = element.makeelement(tag, {})
    wrapper.text, element.text = element.text, None
    for child in list(element):
        wrapper.append(child)
    element.append(wrapper)


# ---- blocks ----

def _is_block(node) -> bool:
    return tag_of(node) in BLOCKS


def _flatten_div_likes(body) -> None:
    """<div>s (Word's WordSection1, a web page's layout) become their blocks, and inline runs become <p>s."""
    for element in reversed(list(body.iter())):
        if element is not body and tag_of(element) in DIV_LIKE:
            _paragraphs_for_inline_runs(element)
            unwrap(element)
    _paragraphs_for_inline_runs(body)


def _paragraphs_for_inline_runs(container) -> None:
    if tag_of(container) in ("td", "th", "li", "blockquote", "figcaption", "caption"):
        return
    nodes: list = []  # [text or element] in order, inline ones grouped
    pieces = [container.text or ""]
    for child in container:
        pieces.append(child)
        pieces.append(child.tail or "")
    container.text = None
    for child in list(container):
        child.tail = None
        container.remove(child)
    run: list = []
    for piece in pieces:
        if isinstance(piece, str) or not _is_block(piece):
            run.append(piece)
        else:
            nodes.append(run)
            nodes.append(piece)
            run = []
    nodes.append(run)
    for node in nodes:
        if isinstance(node, list):
            if any((p if isinstance(p, str) else p.text_content() + ("x" if tag_of(p) == "br" else "")).strip(WS)
                   for p in node):
                container.append(_paragraph_of(container, node))
        else:
            container.append(node)


def _paragraph_of(container, pieces):
    """A <p> of inline elements and the strings between them (each string follows the element before it)."""
    paragraph = container.makeelement("p", {})
    texts, last = [], None
    for piece in pieces:
        if isinstance(piece, str):
            texts.append(piece)
            continue
        joined = "".join(texts) or None
        if last is None:
            paragraph.text = joined
        else:
            last.tail = joined
        paragraph.append(piece)
        texts, last = [], piece
    joined = "".join(texts) or None
    if last is None:
        paragraph.text = joined
    else:
        last.tail = joined
    return paragraph


def _blank(element) -> bool:
    return not element.text_content().strip(WS) and element.find(".//img") is None


def _tidy_blocks(body) -> None:
    for element in reversed(list(body.iter())):
        if element is body:
            continue
        tag = tag_of(element)
        if tag in ("p", "h2", "h3", "h4", "li", "caption", "figcaption") and _blank(element):
            element.tag = DROP
        elif tag in ("ul", "ol") and all(child.tag == DROP for child in element):
            element.tag = DROP
        elif tag == "tr" and all(_blank(cell) for cell in element):
            element.tag = DROP  # Word's zero-height row for misaligned columns
        elif tag == "a" and not re.match(r"(?i)^(https?://|mailto:)", (element.get("href") or "").strip()):
            element.tag = UNWRAP  # bookmarks (<a name=_Toc…>), links to the copied page's own anchors or paths
        elif tag in ("span", "font", "ins", "small", "big", "label", "abbr", "cite", "q", "mark", "code", "kbd",
                     "samp", "tt", "nobr", "bdi", "bdo", "time", "data", "var", "dfn", "summary", "details"):
            element.tag = UNWRAP
        elif tag in ("strong", "em", "u", "s", "sup", "sub") and not element.text_content().strip(WS):
            element.tag = UNWRAP
        elif tag == "strong" and any(tag_of(a) in ("h2", "h3", "h4") for a in element.iterancestors()):
            element.tag = UNWRAP  # a heading is bold already; Word and WPS say so again on every run
    apply_marks(body)
    for element in body.iter("td", "th", "li"):
        blocks = [c for c in element if _is_block(c)]
        if len(blocks) == 1 and tag_of(blocks[0]) == "p" and not (element.text or "").strip(WS) \
                and not (blocks[0].tail or "").strip(WS) and len(element) == 1:
            blocks[0].tag = UNWRAP  # a cell's single Word paragraph is just the cell's text
    apply_marks(body)
    for element in body.iter():
        if tag_of(element) in BLOCKS:
            while len(element) and tag_of(element[-1]) == "br" and not (element[-1].tail or "").strip(WS):
                remove(element[-1])
            if element is not body and (element.tail or "").strip(WS) == "":
                element.tail = None
    if not (body.text or "").strip(WS):
        body.text = None


def _tidy_text(body) -> None:
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in ("text", "tail"):
            value = getattr(element, attribute)
            if value:
                value = _CJK_SEGMENT_BREAK.sub("", value)
                value = _NBSP_RUN.sub(" ", value)
                setattr(element, attribute, _SPACE_RUN.sub(" ", value))
    for element in body.iter("p", "h2", "h3", "h4", "li", "td", "th", "caption"):
        # First-line indent is the site's style sheet (GB/T 9704: 每个自然段左空二字), not typed spaces.
        strip_leading(element, BLOCKS)
        strip_trailing(element, BLOCKS)
    for element in body.iter("table", "thead", "tbody", "tr", "ul", "ol"):
        element.text = None
        for child in element:
            child.tail = None
    for element in body.iter("br"):
        if element.tail:
            element.tail = element.tail.lstrip(" ") or None


def _keep_only_meaningful_attributes(body) -> None:
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        tag = tag_of(element)
        kept = {}
        if tag == "a":
            kept["href"] = (element.get("href") or "").strip()
        elif tag in ("td", "th"):
            for name in ("colspan", "rowspan"):
                value = (element.get(name) or "").strip()
                if value.isdigit() and 1 < int(value) <= 1000:
                    kept[name] = str(int(value))
        elif tag == "p":
            align = (element.get("align") or _style(element).get("text-align", "")).lower()
            if align in ("center", "right"):
                kept["align"] = align
        element.attrib.clear()
        element.attrib.update(kept)
