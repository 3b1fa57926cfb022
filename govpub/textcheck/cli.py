"""``govpub check [PATH|-]... [--format text|json] [--lexicon FILE]... [--date YYYY-MM-DD]``

Exit status: 0 no ``block`` finding, 1 at least one ``block`` finding, 2 an input could not
be read (a Chinese error is printed on stderr; the other inputs are still checked).
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys

from .findings import CATEGORY_LABELS, SEVERITY_LABELS, CheckResult


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="govpub check",
        description="机审：检查 .txt/.html/.docx/.xlsx/.pdf 文件或标准输入中的涉密、隐私、政治性表述、"
                    "禁止内容、错别字、广告、链接等问题。",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="要检查的文件；“-”或省略表示标准输入")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式")
    p.add_argument("--lexicon", action="append", default=[], metavar="FILE",
                   help="额外词库文件（TSV：词条<TAB>类别<TAB>严重程度<TAB>建议<TAB>备注），可重复")
    p.add_argument("--date", metavar="YYYY-MM-DD",
                   help="文稿日期（成文或发布日期），用于判断领导人职务、会议届次等与时间有关的表述；默认今天")
    return p


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def _print_text(res: CheckResult, out) -> None:
    if not res.findings:
        print(f"{res.source}: 未发现问题", file=out)
        return
    for f in res.findings:
        line, col = _line_col(res.text, f.start)
        loc = f" [{f.location}]" if f.location else ""
        sug = f" → 建议：{f.suggestion}" if f.suggestion else ""
        basis = f"（依据：{f.basis}）" if f.basis else ""
        print(f"{res.source}:{line}:{col}: {SEVERITY_LABELS[f.severity]}/{f.severity} "
              f"{CATEGORY_LABELS.get(f.category, f.category)} {f.rule} 「{f.text}」 "
              f"{f.message}{sug}{basis}{loc}", file=out)


def main(argv: list[str] | None = None) -> int:
    from .engine import default_checker, get_checker
    from .extract import ExtractionError, extract
    from .extract.plain import decode_text
    from .lexicon import LexiconError

    args = _parser().parse_args(argv)
    out = sys.stdout
    as_of = None
    if args.date:
        try:
            as_of = datetime.date.fromisoformat(args.date)
        except ValueError:
            print(f"错误：文稿日期“{args.date}”格式不正确，应为 YYYY-MM-DD（如 2024-05-06）", file=sys.stderr)
            return 2
    try:
        checker = get_checker(args.lexicon) if args.lexicon else default_checker()
    except LexiconError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    paths = args.paths or ["-"]
    results = []
    unreadable = False
    for path in paths:
        try:
            if path == "-":
                data = sys.stdin.buffer.read()
                text = decode_text(data, "标准输入")
                head = text[:2048].lstrip().lower()
                if head.startswith(("<!doctype html", "<html")) or "<body" in head or "<p>" in head:
                    res = checker.check_html(text, as_of=as_of)
                else:
                    res = CheckResult(text=text, findings=checker.check_text(text, as_of=as_of))
            else:
                res = checker.check_document(extract(path), as_of=as_of)
            res.source = path
            results.append(res)
        except ExtractionError as e:
            print(f"错误：无法读取“{path}”：{e}", file=sys.stderr)
            unreadable = True
    if args.format == "json":
        json.dump({"results": [r.to_dict() for r in results]}, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        for r in results:
            _print_text(r, out)
    out.flush()
    if unreadable:
        return 2
    return 1 if any(r.has_block for r in results) else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
