"""Website monitor crawl speed vs LinkChecker on the same generated 2,000-page site, in the same run.

    .venv/bin/python bench/crawl.py [--pages 2000] [--concurrency 10]

Serves a generated site (planted broken links, empty and stale columns) from a temporary directory on
127.0.0.1, crawls it with GovPub's monitor crawler (no rate limit, like the baseline) and then with
`linkchecker` (Debian package) using the same number of threads, and prints pages/s and URLs/s with the
ratio. Also checks that every planted problem was found and that a clean copy yields nothing."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from govpub.supervision.crawler import ColumnSpec, CrawlConfig, column_states, crawl  # noqa: E402
from bench.harness.testsite import COLUMNS, SiteServer, generate_site  # noqa: E402

SUMMARY = re.compile(r"([\d,]+) links? in ([\d,]+) URLs? checked.*?([\d,]+) errors? found", re.S)


def ours(server, concurrency: int):
    config = CrawlConfig(server.url, allow_private=True, rate_per_host=0, concurrency=concurrency,
                         extra_urls=[f"{server.url}columns/{c[0]}/" for c in COLUMNS])
    began = time.perf_counter()
    result = crawl(config)
    seconds = time.perf_counter() - began
    today = dt.date.today()
    states = column_states(result, [ColumnSpec(s, n, f"{server.url}columns/{s}/", i) for s, n, _, i in COLUMNS],
                           today)
    return result, states, seconds


def linkchecker(server, concurrency: int):
    exe = shutil.which("linkchecker")
    if exe is None:
        return None
    # Unthrottled like our crawler here: LinkChecker caps itself at 10 requests/s per host (≈3/s on average)
    # unless the server sends a `LinkChecker` header (the test site does) and the cap is raised.
    config = Path(tempfile.mkdtemp(prefix="linkcheckerrc-")) / "linkcheckerrc"
    config.write_text("[checking]\nmaxrequestspersecond=10000\n", encoding="utf-8")
    os.chmod(config.parent, 0o755)
    os.chmod(config, 0o644)
    began = time.perf_counter()
    done = subprocess.run([exe, "--no-status", f"--threads={concurrency}", "--no-warnings", "-f", str(config),
                           server.url], capture_output=True, text=True, timeout=1800)
    shutil.rmtree(config.parent, ignore_errors=True)
    seconds = time.perf_counter() - began
    match = SUMMARY.search(done.stdout + done.stderr)
    if not match:
        return {"seconds": seconds, "error": (done.stdout + done.stderr)[-500:]}
    links, urls, errors = (int(g.replace(",", "")) for g in match.groups())
    return {"seconds": seconds, "links": links, "urls": urls, "errors": errors}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=10)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="govpub-crawl-bench-"))
    os.chmod(tmp, 0o755)  # linkchecker drops root privileges; the site is served over HTTP anyway
    try:
        planted = generate_site(tmp / "planted", pages=args.pages)
        clean = generate_site(tmp / "clean", pages=args.pages, clean=True)
        print(f"site: {planted.pages} pages, planted {len(planted.broken)} broken links, "
              f"{len(planted.empty)} empty and {len(planted.stale)} stale columns; concurrency {args.concurrency}")
        today = dt.date.today()
        with SiteServer(tmp / "planted") as server:
            result, states, seconds = ours(server, args.concurrency)
            found = {b.url.replace(server.url, "/") for b in result.broken}
            empty = {s.spec.key for s in states if s.empty}
            stale = {s.spec.key for s in states if not s.empty and s.stale(today)}
            complete = found == planted.broken and empty == planted.empty and stale == planted.stale
            urls = len(result.pages) + len(result.checked)
            print(f"govpub   : {result.page_count} pages, {urls} URLs in {seconds:.2f} s → "
                  f"{result.page_count / seconds:.0f} pages/s, {urls / seconds:.0f} URLs/s; "
                  f"found {len(found)}/{len(planted.broken)} broken, {len(empty)}/{len(planted.empty)} empty, "
                  f"{len(stale)}/{len(planted.stale)} stale → {'ALL FOUND' if complete else 'MISSED SOME'}")
            baseline = linkchecker(server, args.concurrency)
        with SiteServer(tmp / "clean") as server:
            clean_result, clean_states, clean_seconds = ours(server, args.concurrency)
            noise = len(clean_result.broken) + sum(1 for s in clean_states if s.empty or s.stale(today))
            print(f"clean    : {clean_result.page_count} pages in {clean_seconds:.2f} s, {noise} problems reported "
                  f"(expected 0)")
        if baseline is None:
            print("linkchecker: baseline unavailable (install the Debian package: apt-get install -y linkchecker)")
        elif "error" in baseline:
            print(f"linkchecker: baseline unavailable (could not read its summary): {baseline['error']}")
        else:
            lc_rate = baseline["urls"] / baseline["seconds"]
            print(f"linkchecker: {baseline['urls']} URLs in {baseline['seconds']:.2f} s → {lc_rate:.0f} URLs/s, "
                  f"{baseline['errors']} errors reported")
            print(f"ratio    : govpub URLs/s ÷ linkchecker URLs/s = {urls / seconds / lc_rate:.2f}×")
        return 0 if complete and noise == 0 else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
