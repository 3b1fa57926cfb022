"""PDF: the text of every page and the metadata (pypdf)."""

from __future__ import annotations

import io
import logging
import time

from . import MAX_PDF_PAGES, MAX_PDF_SECONDS, Document, ExtractionError


def extract_pdf(data: bytes, name: str) -> Document:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:  # pragma: no cover
        raise ExtractionError("缺少 PDF 解析组件 pypdf") from None
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise ExtractionError(f"PDF 文件“{name}”已加密，无法读取")
        n = len(reader.pages)
    except ExtractionError:
        raise
    except (PdfReadError, Exception) as e:  # noqa: B014
        raise ExtractionError(f"PDF 文件“{name}”已损坏或格式不正确（{type(e).__name__}）") from None
    if n > MAX_PDF_PAGES:
        raise ExtractionError(f"PDF 文件“{name}”页数过多（{n} 页，上限 {MAX_PDF_PAGES} 页）")
    doc = Document()
    failed = 0
    started = time.monotonic()
    for i in range(n):
        if time.monotonic() - started > MAX_PDF_SECONDS:
            raise ExtractionError(f"PDF 文件“{name}”解析超时（超过 {MAX_PDF_SECONDS} 秒），文件可能异常")
        try:
            text = reader.pages[i].extract_text() or ""
        except Exception:
            failed += 1
            continue
        for line in text.split("\n"):
            if line.strip():
                doc.add(line, f"第{i + 1}页")
    if failed and failed == n:
        raise ExtractionError(f"PDF 文件“{name}”的文字无法提取（文件可能已损坏）")
    try:
        meta = reader.metadata or {}
        labels = {"/Title": "标题", "/Author": "作者", "/Subject": "主题", "/Keywords": "关键词",
                  "/Creator": "创建程序", "/Producer": "生成程序"}
        for k, v in meta.items():
            if isinstance(v, str) and v.strip() and k not in ("/CreationDate", "/ModDate"):
                doc.add_runs([(v.strip(), "文档属性", True)], f"文档属性：{labels.get(k, k.lstrip('/'))}")
    except Exception:
        pass
    return doc
