"""The held-out planted set (bench/heldout/planted_v2.jsonl) and how the quality bench scores it.

These tests check the set's shape and the scoring rules only; they assert nothing about how well
the current rules do on it (that is what the bench reports).
"""

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bench.textcheck_quality import HELDOUT, THRESHOLD, load_heldout, planted_outcome
from govpub.textcheck.findings import CATEGORIES, Finding

ROOT = Path(__file__).resolve().parents[1]


def finding(category, severity, start=0, end=2):
    return Finding(category=category, rule="t", severity=severity, start=start, end=end,
                   text="xx", message="m")


def test_the_set_has_the_size_and_fields_the_brief_asks_for():
    planted, clean = load_heldout(HELDOUT)
    assert len(planted) >= 200 and len(clean) >= 80
    rows = planted + clean
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert 20 <= len(r["text"]) <= 300, r["id"]
        assert r["family"] and r["note"], r["id"]
    for r in planted:
        assert r["category"] in CATEGORIES, r["id"]
        assert r["expect"] in THRESHOLD, r["id"]
        assert r["source"], r["id"]
        if "span" in r:
            assert r["text"].count(r["span"]) == 1, r["id"]
    assert all(r["clean"] is True for r in clean)
    assert min(Counter(r["family"] for r in planted).values()) >= 5


def test_expected_category_at_expected_severity_counts_as_found():
    row = {"category": "privacy", "expect": "block", "text": "某某某某某某"}
    assert planted_outcome(row, [finding("privacy", "block")]) == (True, True)
    assert planted_outcome(row, [finding("privacy", "warn")]) == (False, False)
    assert planted_outcome(row, [finding("secret", "block")]) == (False, True)
    flag = {**row, "expect": "flag"}
    assert planted_outcome(flag, [finding("privacy", "warn")]) == (True, True)
    assert planted_outcome(flag, [finding("privacy", "info")]) == (False, False)


def test_a_typo_is_found_only_where_it_was_planted():
    row = {"category": "typo", "expect": "warn", "text": "大家再接再励，争取胜利。", "span": "再励"}
    assert planted_outcome(row, [finding("typo", "warn", 4, 5)]) == (True, True)
    assert planted_outcome(row, [finding("typo", "warn", 8, 9)]) == (False, False)


@pytest.fixture
def tiny_set(tmp_path):
    p = tmp_path / "tiny.jsonl"
    rows = [
        {"id": "p-1", "family": "secret", "category": "secret", "expect": "block",
         "text": "今天天气晴朗，请大家出门注意交通安全。", "source": "test", "note": "nothing to find"},
        {"id": "c-1", "family": "clean-x", "clean": True,
         "text": "今年以来，全镇新建改建农村公路12公里。", "note": "clean"},
    ]
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return p


def test_bench_reports_the_heldout_set_and_lists_misses_only_when_verbose(tiny_set):
    cmd = [sys.executable, "bench/textcheck_quality.py", "--set", "heldout", "--heldout-file", str(tiny_set)]
    quiet = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert quiet.returncode == 0, quiet.stderr
    assert "1 planted, 1 clean" in quiet.stdout
    assert "planted found (expected category at severity >= expected): 0/1" in quiet.stdout
    assert "clean texts: blocked 0/1 (target 0)" in quiet.stdout
    assert "p-1" not in quiet.stdout
    assert "clean sentences:" not in quiet.stdout  # the built-in section is not run
    loud = subprocess.run(cmd + ["--verbose"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert "p-1 [secret >= block] 今天天气晴朗" in loud.stdout
