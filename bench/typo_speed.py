"""Speed of the statistical typo stage (govpub.textcheck.lm) on one core.

    .venv/bin/python bench/typo_speed.py [--chars N] [--repeat R]

Prints the model load time (in a fresh interpreter, and in-process), characters per second of
``TypoDetector.detect`` on one large text and sentence by sentence, and, measured in the same
run over the same text, plain ``jieba.lcut`` as a reference (ratio = typo stage / jieba).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def data_dir() -> Path:
    env = os.environ.get("GOVPUB_SHARED_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "data"


def sample_sentences(limit_chars: int):
    d = data_dir()
    sents = []
    try:
        sents += [r["original_text"] for r in json.loads((d / "clean" / "acc_xxqg.json").read_text(encoding="utf-8"))]
        sents += [ln.split("\t")[1] for ln in (d / "ecspell" / "odw.train").read_text(encoding="utf-8").splitlines()]
    except OSError:
        pass
    if not sents:  # no shared data: a synthetic official-style text
        sents = ["各地区各部门要认真贯彻落实党中央、国务院决策部署，加快建设现代化经济体系，推动高质量发展。"] * 3000
    out, n = [], 0
    for s in sents:
        out.append(s)
        n += len(s)
        if n >= limit_chars:
            break
    return out


def best_of(fn, repeat):
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--chars", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core

    code = ("import time; t=time.perf_counter(); from govpub.textcheck.lm import TypoDetector; "
            "TypoDetector.default(); print(time.perf_counter()-t)")
    cold = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    cold_s = cold.stdout.strip() or f"failed: {cold.stderr.strip()[-200:]}"

    from govpub.textcheck.lm import TypoDetector

    t = time.perf_counter()
    det = TypoDetector()
    load = time.perf_counter() - t
    print(f"model load: {load:.2f} s in-process (fresh interpreter incl. imports: {cold_s} s)")

    sents = sample_sentences(a.chars)
    text = "\n".join(sents)
    n = len(text)
    det.detect(text[:2000])  # warm up
    t_text = best_of(lambda: det.detect(text), a.repeat)
    t_sent = best_of(lambda: [det.detect(s) for s in sents], 1)
    t_many = best_of(lambda: det.detect_many(sents), a.repeat)
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    t_jieba = best_of(lambda: jieba.lcut(text), a.repeat)
    print(f"text: {len(sents)} sentences, {n:,} characters")
    print(f"typo stage, whole text in one call : {n / t_text:>10,.0f} chars/s")
    print(f"typo stage, one call per sentence  : {n / t_sent:>10,.0f} chars/s")
    print(f"typo stage, detect_many(sentences) : {n / t_many:>10,.0f} chars/s")
    print(f"baseline jieba.lcut (same text)    : {n / t_jieba:>10,.0f} chars/s")
    print(f"ratio typo/jieba (whole text)      : {t_jieba / t_text:>10.2f}x")


if __name__ == "__main__":
    main()
