"""Whole-site content scan speed: the crawl with the full machine check vs the crawl alone (and vs
LinkChecker) on the same generated site, in the same run; planted problems found, clean copy silent.

    .venv/bin/python bench/site_scan.py [--pages 2000] [--concurrency 10] [--paragraphs FILE]

Article bodies are paragraphs of FILE (one per line; .xz read as is), by default the 新闻联播 transcripts in
../shared/data/corpus/cctv_xwlb/ — news prose the typo model was not trained on (it was trained on laws and
work reports) — or, when that is absent, the harness's own six paragraphs. The clean copy's serious
findings are therefore false blocks measured on text nobody here wrote or tuned on."""

from __future__ import annotations

import argparse
import lzma
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.crawl import linkchecker  # noqa: E402
from bench.harness.contentsite import PLANTS, generate_content_site  # noqa: E402
from bench.harness.testsite import SiteServer  # noqa: E402
from govpub.supervision.crawler import CrawlConfig, crawl  # noqa: E402
from govpub.supervision.pagescan import PageScanner  # noqa: E402
from govpub.textcheck.engine import build_checker  # noqa: E402

DEFAULT_PARAGRAPHS = (Path(os.environ.get("GOVPUB_SHARED_DATA", ROOT.parent / "shared/data"))
                      / "corpus/cctv_xwlb/xwlb_2022_2026.txt.xz")


def paragraphs(path: Path | None, count: int) -> tuple[list[str] | None, str]:
    if path is None or not path.exists():
        return None, "the harness's six paragraphs"
    opener = lzma.open if path.suffix == ".xz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        lines = [line.strip() for line in f if 40 <= len(line.strip()) <= 400]
    random.Random(20261204).shuffle(lines)
    return lines[:count], f"{min(count, len(lines))} paragraphs of {path.name} (seed 20261204)"


def timed(server, concurrency: int, scanner):
    config = CrawlConfig(server.url, allow_private=True, rate_per_host=0, concurrency=concurrency,
                         check_external=False)
    began = time.perf_counter()
    result = crawl(config, scanner=scanner)
    return result, time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--paragraphs", type=Path, default=DEFAULT_PARAGRAPHS)
    args = parser.parse_args()
    bodies, source = paragraphs(args.paragraphs, args.pages * 3)
    tmp = Path(tempfile.mkdtemp(prefix="govpub-scan-bench-"))
    os.chmod(tmp, 0o755)  # linkchecker drops root privileges
    began = time.perf_counter()
    full = build_checker(statistical=True)
    full.check_text("预热。")  # loads the typo model outside the timings
    quick = build_checker(statistical=False)
    print(f"checkers compiled and model loaded in {time.perf_counter() - began:.1f} s (not in the figures below)")
    try:
        generate_content_site(tmp / "planted", pages=args.pages, paragraphs=bodies)
        generate_content_site(tmp / "clean", pages=args.pages, clean=True, paragraphs=bodies)
        print(f"site: {args.pages} pages, bodies from {source}; {len(PLANTS)} plants; concurrency {args.concurrency}")
        with SiteServer(tmp / "planted") as server:
            alone, alone_s = timed(server, args.concurrency, None)
            rows = [("crawl alone", alone, alone_s)]
            for label, checker in (("crawl + full check", full), ("crawl + check, no typo model", quick)):
                result, seconds = timed(server, args.concurrency, PageScanner(checker, trusted_hosts=()))
                rows.append((label, result, seconds))
            baseline = linkchecker(server, args.concurrency)
            found = rows[1][1].findings()
            missed = [p for p, kind, rule, _ in PLANTS
                      if not any(f.url == server.url + p.lstrip("/") and f.kind == kind and f.rule.startswith(rule)
                                 for f in found)]
        for label, result, seconds in rows:
            print(f"{label:30}: {result.page_count} pages in {seconds:6.2f} s → {result.page_count / seconds:6.0f} pages/s "
                  f"(×{seconds / alone_s:.2f} the crawl alone)")
        if isinstance(baseline, dict) and "urls" in baseline:
            print(f"{'linkchecker (links only)':30}: {baseline['urls']} URLs in {baseline['seconds']:6.2f} s → "
                  f"{baseline['urls'] / baseline['seconds']:6.0f} URLs/s; crawl + full check takes "
                  f"×{rows[1][2] / baseline['seconds']:.2f} its time")
        else:
            print("linkchecker: baseline unavailable (apt-get install -y linkchecker)")
        serious = [f for f in found if f.severity == "serious"]
        print(f"planted: {len(PLANTS) - len(missed)}/{len(PLANTS)} found" + (f"; missed {missed}" if missed else "")
              + f"; {len(serious)} serious findings on the planted copy")
        with SiteServer(tmp / "clean") as server:
            clean, _ = timed(server, args.concurrency, PageScanner(full, trusted_hosts=()))
        false = [f for f in clean.findings() if f.severity == "serious"]
        warnings = [f for f in clean.findings() if f.severity == "warning"]
        print(f"clean  : {len(false)} serious findings on {clean.page_count} pages (false blocks), "
              f"{len(warnings)} warnings")
        for f in false[:10]:
            print(f"   {f.rule} {f.url.rsplit('/', 3)[-2:]} {f.text!r} {f.message}")
        return 0 if not missed else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
