"""Attachment text extraction: .docx, .xlsx, .pdf, .txt, .html.

Every extractor returns a :class:`Document`: the plain text (parts joined by newlines), where
each part came from (``location``) and which spans are hidden (hidden text, tracked
deletions, comments, hidden sheets/rows/columns, document properties).  Hostile input ends in
:class:`ExtractionError` with a Chinese message — never a hang or a crash: file size,
decompressed size, member count and text size are all limited.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from ..findings import SEVERITY_RANK, CheckResult, Finding
from ..spans import SpanIndex

MAX_FILE_BYTES = 50 * 1024 * 1024        # input file
MAX_UNCOMPRESSED = 256 * 1024 * 1024     # sum of all zip members read
MAX_MEMBER_BYTES = 128 * 1024 * 1024     # one zip member
MAX_MEMBERS = 10000
MAX_RATIO = 200                          # per member, when the member is large
MAX_TEXT_CHARS = 20_000_000
MAX_PDF_PAGES = 3000
MAX_PDF_SECONDS = 60                     # wall clock, checked between pages


class ExtractionError(Exception):
    """The input could not be read.  ``str(e)`` is a Chinese message for the user."""


@dataclass
class Document:
    name: str = ""
    parts: list[str] = field(default_factory=list)
    spans: list[tuple[int, int, str]] = field(default_factory=list)          # start, end, location
    marks: list[tuple[int, int, str, bool]] = field(default_factory=list)    # start, end, label, hidden
    links: list[tuple[int, int, str, str]] = field(default_factory=list)     # start, end, where, url
    _len: int = 0

    def add(self, text: str, location: str, hidden: str | None = None) -> None:
        self.add_runs([(text, hidden, False)], location)

    def add_runs(self, runs, location: str) -> None:
        """``runs``: (text, label | None, hidden: bool) pieces of one paragraph/cell."""
        start = self._len
        pos = start
        for text, label, hidden in runs:
            if not text:
                continue
            self.parts.append(text)
            if label:
                self.marks.append((pos, pos + len(text), label, hidden))
            pos += len(text)
        if pos == start:
            return
        self.spans.append((start, pos, location))
        self.parts.append("\n")
        self._len = pos + 1
        if self._len > MAX_TEXT_CHARS:
            raise ExtractionError("文件中的文字过多（超过 2000 万字），无法检查")

    @property
    def text(self) -> str:
        return "".join(self.parts)


def escalate_hidden(f: Finding, label: str) -> Finding:
    sev = f.severity
    if f.category == "privacy":
        sev = "block"
    elif SEVERITY_RANK[sev] < SEVERITY_RANK["warn"]:
        sev = "warn"
    loc = f.location
    loc = f"{loc}（{label}）" if loc else label
    return f.with_(severity=sev, message=f"【隐藏内容：{label}】{f.message}", location=loc)


def check_document(checker, doc: Document, *, as_of=None) -> CheckResult:
    from ..rules.link import BASIS, url_problems

    text = doc.text
    findings = checker.check_text(text, as_of=as_of)
    for s, e, where, url in doc.links:
        for cat, rule, sev, msg in url_problems(url):
            findings.append(Finding(cat, rule, sev, s, e, text[s:e], f"{msg}（{where}={url}）",
                                    None, BASIS, f"{where}={url}"))
    starts = [s for s, _, _ in doc.spans]
    hidden = SpanIndex((a, b, lab) for a, b, lab, hid in doc.marks if hid)
    noted = SpanIndex((a, b, lab) for a, b, lab, hid in doc.marks if not hid)
    out = []
    seen = set()
    for f in findings:
        k = (f.category, f.rule, f.start, f.end)
        if k in seen:
            continue
        seen.add(k)
        loc = f.location
        i = bisect_right(starts, f.start) - 1
        if i >= 0 and doc.spans[i][0] <= f.start <= doc.spans[i][1]:
            base = doc.spans[i][2]
            loc = f"{base}；{loc}" if loc and base else (base or loc)
        f = f.with_(location=loc or None)
        hidden_mark = hidden.first_overlapping(f.start, f.end, empty_at_start=True)
        note_mark = noted.first_overlapping(f.start, f.end) if hidden_mark is None else None
        if hidden_mark is not None:
            f = escalate_hidden(f, hidden_mark[2])
        elif note_mark is not None:
            note = note_mark[2]
            f = f.with_(location=f"{f.location}（{note}）" if f.location else note, message=f"【{note}】{f.message}")
        out.append(f)
    out.sort(key=lambda f: (f.start, f.end, f.category))
    return CheckResult(text=text, findings=out, source=doc.name or None)


def sniff_kind(data: bytes, name: str) -> str:
    ext = os.path.splitext(name)[1].lower()
    if ext in (".doc", ".xls", ".wps", ".et"):
        raise ExtractionError(f"不支持旧版 {ext} 格式，请另存为 .docx 或 .xlsx 后再上传")
    if ext in (".docx", ".docm"):
        return "docx"
    if ext in (".xlsx", ".xlsm"):
        return "xlsx"
    if ext == ".pdf":
        return "pdf"
    if ext in (".html", ".htm", ".xhtml"):
        return "html"
    if ext in (".txt", ".text", ".md", ".csv", ".tsv"):
        return "txt"
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in data[:65536]:
            return "docx"
        if b"xl/" in data[:65536]:
            return "xlsx"
        raise ExtractionError("无法识别的压缩文件格式（仅支持 .docx、.xlsx）")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExtractionError("不支持旧版 Office 格式（.doc/.xls），请另存为 .docx 或 .xlsx")
    sample = data[:2048].lstrip().lower()
    if sample.startswith((b"<!doctype html", b"<html")) or b"<body" in sample:
        return "html"
    return "txt"


def extract(path: str | os.PathLike | None = None, *, data: bytes | None = None,
            name: str | None = None) -> Document:
    """Extract a file (from ``path`` or ``data`` + ``name``) into a :class:`Document`."""
    if data is None:
        if path is None:
            raise ExtractionError("未指定文件")
        p = Path(path)
        try:
            size = p.stat().st_size
            if size > MAX_FILE_BYTES:
                raise ExtractionError(f"文件过大（{size // 1048576} MB），上限为 {MAX_FILE_BYTES // 1048576} MB")
            with open(p, "rb") as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
        except ExtractionError:
            raise
        except IsADirectoryError:
            raise ExtractionError(f"“{p}”是目录，不是文件") from None
        except FileNotFoundError:
            raise ExtractionError(f"文件不存在：{p}") from None
        except OSError as e:
            raise ExtractionError(f"无法读取文件 {p}：{e.strerror or e}") from None
        name = name or p.name
    if not name and path is not None:
        name = os.path.basename(os.fspath(path))
    name = name or "input"
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ExtractionError("文件内容必须是二进制数据")
    data = bytes(data)
    if len(data) > MAX_FILE_BYTES:
        raise ExtractionError(f"文件过大，上限为 {MAX_FILE_BYTES // 1048576} MB")
    kind = sniff_kind(data, name)
    try:
        if kind == "docx":
            from .office import extract_docx as fn
        elif kind == "xlsx":
            from .office import extract_xlsx as fn
        elif kind == "pdf":
            from .pdf import extract_pdf as fn
        elif kind == "html":
            from .plain import extract_html as fn
        else:
            from .plain import extract_txt as fn
        doc = fn(data, name)
    except ExtractionError:
        raise
    except RecursionError:
        raise ExtractionError(f"文件“{name}”结构嵌套过深，无法解析") from None
    except MemoryError:
        raise ExtractionError(f"文件“{name}”过大，无法解析") from None
    except Exception as e:
        raise ExtractionError(f"文件“{name}”已损坏或格式不正确，无法读取（{type(e).__name__}）") from None
    doc.name = name
    return doc


__all__ = ["Document", "ExtractionError", "extract", "check_document", "escalate_hidden"]
