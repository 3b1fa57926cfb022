"""Findings of the shipped checker (statistical typo rule included) on a fixed sample.

test_findings_stable compares against data/golden_findings.json.  Regenerate that file only for a
change of findings you mean to make, and say so in the commit:

    python -m tests.textcheck.golden_findings > tests/textcheck/data/golden_findings.json
"""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

HTML_SAMPLES = (
    '<p>关于加快基础设施建没的通知</p><p style="display:none">联系电话13812345678</p>'
    '<p>详见<a href="http://example.com/x">这里</a>，<img src="http://10.0.0.1/a.png"></p>',
    "<table><tr><td>“未闭合的引号</td><td>（括号</td></tr></table><div><span hidden>北京市</span>"
    "述职评谷工作</div>",
    "<p>正文</p><!-- 未闭合的注释 <p>看不见</p>",
)


def findings(checker) -> dict:
    lines = (DATA / "typo_sample.txt").read_text(encoding="utf-8").splitlines()
    text = "\n".join(lines)
    out = {
        "lines": [[_row(f) for f in checker.check_text(line)] for line in lines],
        "whole": [_row(f) for f in checker.check_text(text)],
        "html": [[_row(f) for f in checker.check_html(h).findings] for h in HTML_SAMPLES],
    }
    return out


def _row(f) -> list:
    return [f.rule, f.severity, f.start, f.end, f.suggestion, f.location]


if __name__ == "__main__":
    from govpub.textcheck import default_checker

    print(json.dumps(findings(default_checker()), ensure_ascii=False, indent=0))
