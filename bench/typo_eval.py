"""Evaluate the statistical typo detector (govpub.textcheck.lm) and pycorrector baselines.

    .venv/bin/python bench/typo_eval.py [--model FILE] [--show N]

Data (see ../shared/data/README.md; override the folder with GOVPUB_SHARED_DATA):
* ecspell/odw.train  TSV ``n_err \\t src \\t tgt``: split by line index into a dev half (even
  lines; thresholds were tuned on it) and a report half (odd lines), plus the whole file;
* clean/acc_xxqg.json  error-free sentences: share of sentences with any finding.

Metrics
* sentence level, pycorrector's definition (``compute_sentence_level_prf``): a sentence with an
  error is TP when the prediction equals the target (correction) / when exactly the erroneous
  positions are flagged (detection), else FN; an error-free sentence with any change is FP.
  ``strictP`` additionally counts wrongly corrected error sentences as false positives (SIGHAN).
* character level: precision / recall / F1 over changed positions (detection: position right;
  correction: position and character right).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def data_dir() -> Path:
    env = os.environ.get("GOVPUB_SHARED_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "data"


def load_odw(path: Path):
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        p = line.split("\t")
        if len(p) >= 3:
            rows.append((p[1], p[2]))
    return rows


def load_clean(path: Path):
    return [r["original_text"] for r in json.loads(path.read_text(encoding="utf-8"))]


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(rows, preds):
    """rows: [(src, tgt)], preds: [predicted sentence]"""
    s = dict(dtp=0, dfp=0, dfn=0, ctp=0, cfp=0, cfn=0, wrong_pos=0)
    ch = dict(dtp=0, ctp=0, pred=0, gold=0)
    for (src, tgt), pred in zip(rows, preds):
        if len(pred) != len(src):
            pred = src
        if len(tgt) != len(src):
            gold = set()
        else:
            gold = {i for i, (a, b) in enumerate(zip(src, tgt)) if a != b}
        got = {i for i, (a, b) in enumerate(zip(src, pred)) if a != b}
        ch["pred"] += len(got)
        ch["gold"] += len(gold)
        ch["dtp"] += len(got & gold)
        ch["ctp"] += sum(1 for i in got & gold if pred[i] == tgt[i])
        if src == tgt:
            if got:
                s["dfp"] += 1
                s["cfp"] += 1
        else:
            s["dtp" if got == gold else "dfn"] += 1
            s["ctp" if pred == tgt else "cfn"] += 1
            if got and pred != tgt:
                s["wrong_pos"] += 1
    d = prf(s["dtp"], s["dfp"], s["dfn"])
    c = prf(s["ctp"], s["cfp"], s["cfn"])
    strict_p = s["ctp"] / (s["ctp"] + s["cfp"] + s["wrong_pos"]) if s["ctp"] else 0.0
    cd = prf(ch["dtp"], ch["pred"] - ch["dtp"], ch["gold"] - ch["dtp"])
    cc = prf(ch["ctp"], ch["pred"] - ch["ctp"], ch["gold"] - ch["ctp"])
    return dict(det=d, cor=c, strict_p=strict_p, char_det=cd, char_cor=cc, n=len(rows),
                n_err=sum(1 for a, b in rows if a != b))


def fmt(name, m):
    d, c, cd, cc = m["det"], m["cor"], m["char_det"], m["char_cor"]
    return (f"{name:<28} n={m['n']:<5} err={m['n_err']:<4} "
            f"sent-det P/R/F1 {d[0]:.3f}/{d[1]:.3f}/{d[2]:.3f}  "
            f"sent-cor P/R/F1 {c[0]:.3f}/{c[1]:.3f}/{c[2]:.3f} (strictP {m['strict_p']:.3f})  "
            f"char-det F1 {cd[2]:.3f}  char-cor P/R/F1 {cc[0]:.3f}/{cc[1]:.3f}/{cc[2]:.3f}")


def apply_hits(src, hits):
    s = list(src)
    for h in hits:
        if h.end - h.start == len(h.suggestion):
            s[h.start:h.end] = list(h.suggestion)
    return "".join(s)


def run_set(correct, rows, clean):
    t = time.time()
    preds = [correct(s) for s, _ in rows]
    flagged = sum(1 for s in clean if correct(s) != s)
    return preds, flagged, time.time() - t


def report(name, correct, rows, clean, show=0):
    preds, flagged, dt = run_set(correct, rows, clean)
    dev = [i for i in range(len(rows)) if i % 2 == 0]
    rep = [i for i in range(len(rows)) if i % 2 == 1]
    print(f"== {name}  ({dt:.1f} s)")
    for label, ids in (("dev half (tuned on)", dev), ("report half", rep), ("whole odw.train", range(len(rows)))):
        print(fmt("  " + label, evaluate([rows[i] for i in ids], [preds[i] for i in ids])))
    print(f"  clean acc_xxqg: {flagged}/{len(clean)} sentences with a finding = {100 * flagged / max(1, len(clean)):.2f}%")
    if show:
        k = 0
        for (s, t), p in zip(rows, preds):
            if p != t and k < show:
                k += 1
                diffs = [(i, s[i], p[i], t[i]) for i in range(min(len(s), len(p), len(t))) if s[i] != p[i] or s[i] != t[i]]
                print("   ", diffs, s[:60])


# ----------------------------------------------------------------------- baselines
def dev_word_confusions():
    """Word-level variant->origin pairs from the dev half (even lines) of odw.train: the
    two-character windows around each error whose corrected form is a jieba dictionary word."""
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    vocab = jieba.dt.FREQ
    out = {}
    for i, (src, tgt) in enumerate(load_odw(data_dir() / "ecspell" / "odw.train")):
        if i % 2 or len(src) != len(tgt):
            continue
        for j, (a, b) in enumerate(zip(src, tgt)):
            if a == b:
                continue
            for s0 in (j - 1, j):
                w, v = tgt[max(0, s0): s0 + 2], src[max(0, s0): s0 + 2]
                if len(w) == 2 and vocab.get(w) and not vocab.get(v):
                    out[v] = w
    return out


def pycorrector_baselines():
    """pycorrector's offline correctors, imported module by module (its package import pulls torch)."""
    import importlib.util
    import types

    spec = importlib.util.find_spec("pycorrector")
    if spec is None:
        raise ImportError("pycorrector is not installed (pip install --no-deps 'govpub[bench]')")
    pkgdir = Path(list(spec.submodule_search_locations)[0])
    if "pycorrector" not in sys.modules:  # stub package: skip pycorrector/__init__.py (torch)
        pkg = types.ModuleType("pycorrector")
        pkg.__path__ = [str(pkgdir)]
        sys.modules["pycorrector"] = pkg
    import logging

    try:
        from loguru import logger as _lg

        _lg.remove()
    except Exception:
        pass
    logging.getLogger("jieba").setLevel(logging.WARNING)
    from pycorrector.confusion_corrector import ConfusionCorrector
    from pycorrector.proper_corrector import ProperCorrector

    out = []
    conf_path = pkgdir / "data" / "custom_confusion.txt"
    if conf_path.exists():
        cc = ConfusionCorrector(str(conf_path))
        out.append(("pycorrector ConfusionCorrector (shipped data)", lambda s: cc.correct(s)["target"]))
    else:
        from importlib.metadata import version

        print(f"baseline unavailable: ConfusionCorrector with shipped data: pycorrector "
              f"{version('pycorrector')} ships no confusion list (a dev-half word list is used instead)")
    words = dev_word_confusions()
    if words:
        cw = ConfusionCorrector(words)
        out.append((f"pycorrector ConfusionCorrector ({len(words)} dev-half word pairs)",
                    lambda s: cw.correct(s)["target"]))
    pc = ProperCorrector()
    out.append(("pycorrector ProperCorrector (shipped data)", lambda s: pc.correct(s)["target"]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--show", type=int, default=0, help="print N mistakes")
    ap.add_argument("--no-baseline", action="store_true")
    a = ap.parse_args()
    d = data_dir()
    rows = load_odw(d / "ecspell" / "odw.train")
    clean = load_clean(d / "clean" / "acc_xxqg.json")
    from govpub.textcheck.lm import TypoDetector

    t = time.time()
    det = TypoDetector(a.model) if a.model else TypoDetector.default()
    print(f"model loaded in {time.time() - t:.2f} s")
    report("govpub.textcheck.lm TypoDetector", lambda s: apply_hits(s, det.detect(s)), rows, clean, a.show)
    if a.no_baseline:
        return
    try:
        bases = pycorrector_baselines()
    except Exception as e:  # noqa: BLE001
        print(f"baseline unavailable: {type(e).__name__}: {e}")
        return
    for name, fn in bases:
        try:
            report(name, fn, rows, clean)
        except Exception as e:  # noqa: BLE001
            print(f"baseline unavailable: {name}: {type(e).__name__}: {e}")


if __name__ == "__main__":
    main()
