"""Train the character n-gram model and build the candidate tables.

    python -m govpub.textcheck.lm.train [--data DIR] [--out FILE] [--order 4] [--cutoff 1]

Reads the plain-text corpus under ``<shared data>/corpus`` (one paragraph per line), trains an
interpolated modified Kneser-Ney character model, converts it to backoff form (ARPA-like:
log-probability of every stored n-gram, log backoff weight of every context), quantises both to
uint8, and writes one compressed ``.npz`` together with

* the character vocabulary,
* per-character candidate lists (same/similar pronunciation from pypinyin, similar shape from
  ``data/shape_pairs.tsv``, curated pairs from ``data/confusions.tsv``),
* a word lexicon (jieba's dictionary, MIT) with word frequencies and a name/place flag.

See README.md in this folder.  Pure Python + numpy; about 3-5 minutes and < 6 GB on 2 cores.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from .normalize import BITS, BOS, EOS, MAXV, NSPECIAL, UNK, canon_char, char_class, is_han, split_spans

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "data" / "model.npz"
MASK = np.uint64(MAXV - 1)
B = np.uint64(BITS)

# candidate type bits
T_CONF, T_SAME_TONE, T_SAME_PY, T_FUZZY, T_SHAPE = 1, 2, 4, 8, 16


def shared_data_dir() -> Path:
    env = os.environ.get("GOVPUB_SHARED_DATA")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[3]
    return repo.parent / "shared" / "data"


def corpus_files(data: Path):
    return sorted((data / "corpus").rglob("*.txt"))


def jieba_dict_path() -> Path:
    import jieba

    return Path(jieba.__file__).resolve().parent / "dict.txt"


def read_jieba_dict():
    words = []
    with open(jieba_dict_path(), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            w, freq = parts[0], int(parts[1])
            tag = parts[2] if len(parts) > 2 else ""
            words.append((w, freq, tag))
    return words


# --------------------------------------------------------------------------- vocabulary
def build_vocab(lines, jdict, min_jieba_char=100):
    cnt = Counter()
    for line in lines:
        cnt.update(canon_char(c) for c in line)
    jc = Counter()
    for w, f, _ in jdict:
        for ch in w:
            if is_han(ch):
                jc[ch] += f
    chars = [c for c, _ in cnt.most_common() if char_class(c) < 0 and not c.isspace()]
    have = set(chars)
    chars += [c for c, n in jc.most_common() if n >= min_jieba_char and c not in have]
    chars = chars[: MAXV - NSPECIAL]
    return chars, cnt


def encode_lines(lines, vocab_index):
    """All sentences -> one int64 token array, each sentence padded BOS.. EOS (order-1 BOS)."""
    out = []
    get = vocab_index.get
    for line in lines:
        for s, e in split_spans(line):
            seg = line[s:e]
            toks = []
            for ch in seg:
                c = canon_char(ch)
                k = char_class(c)
                toks.append(k if k >= 0 else get(c, UNK))
            out.append(toks)
    return out


# --------------------------------------------------------------------------- Kneser-Ney
def ngram_keys(arr: np.ndarray, n: int) -> np.ndarray:
    L = len(arr) - n + 1
    key = np.zeros(L, dtype=np.uint64)
    for j in range(n):
        key = (key << B) | arr[j : j + L].astype(np.uint64)
    return key


def discounts(counts: np.ndarray):
    n = [int((counts == i).sum()) for i in (1, 2, 3, 4)]
    Y = n[0] / max(n[0] + 2 * n[1], 1)
    D1 = 1 - 2 * Y * n[1] / max(n[0], 1)
    D2 = 2 - 3 * Y * n[2] / max(n[1], 1)
    D3 = 3 - 4 * Y * n[3] / max(n[2], 1)
    return max(D1, 0.05), max(D2, 0.05), max(D3, 0.05)


def context_stats(keys, counts, D):
    """Per context (key >> BITS): denominator and gamma numerator (modified KN)."""
    ctx = keys >> B
    uctx, start = np.unique(ctx, return_index=True)
    denom = np.add.reduceat(counts.astype(np.float64), start)
    c = counts
    gnum = (
        D[0] * np.add.reduceat((c == 1).astype(np.float64), start)
        + D[1] * np.add.reduceat((c == 2).astype(np.float64), start)
        + D[2] * np.add.reduceat((c >= 3).astype(np.float64), start)
    )
    return uctx, denom, gnum


def train_kn(seqs, order: int, cutoff: int, vsize: int, log=print):
    # one flat array; each sentence = BOS*(order-1) + toks + EOS
    parts = []
    pad = [BOS] * (order - 1)
    for t in seqs:
        parts.append(pad + t + [EOS])
    lens = np.fromiter((len(p) for p in parts), dtype=np.int64, count=len(parts))
    arr = np.fromiter((x for p in parts for x in p), dtype=np.int64, count=int(lens.sum()))
    del parts
    log(f"tokens (with padding): {len(arr):,}")
    # validity: an n-gram window may not cross a sentence boundary -> must not contain EOS
    # except in last position and may contain BOS only as a prefix.
    is_eos = (arr == EOS).astype(np.int8)
    is_bos = (arr == BOS).astype(np.int8)

    # raw counts of top order
    n = order
    keys = ngram_keys(arr, n)
    L = len(keys)
    bad = np.zeros(L, dtype=bool)
    for j in range(n - 1):
        bad |= is_eos[j : j + L].astype(bool)
    # BOS may appear only as a prefix: after a non-BOS, no BOS
    for j in range(1, n):
        bad |= is_bos[j : j + L].astype(bool) & ~is_bos[j - 1 : j - 1 + L].astype(bool)
    keys = keys[~bad]
    ukeys, cnts = np.unique(keys, return_counts=True)
    del keys
    log(f"order {n}: {len(ukeys):,} distinct")
    adj = {n: (ukeys, cnts)}
    # continuation counts for lower orders: number of distinct left extensions
    for k in range(n - 1, 0, -1):
        hk, hc = adj[k + 1]
        suffix = hk & np.uint64((1 << (BITS * k)) - 1)
        suffix.sort()
        uk, cc = np.unique(suffix, return_counts=True)
        # contexts of order k+1 n-grams must exist as k-grams too (for gammas)
        ctx = np.unique(hk >> B)
        allk = np.union1d(uk, ctx)
        full = np.zeros(len(allk), dtype=np.int64)
        full[np.searchsorted(allk, uk)] = cc
        adj[k] = (allk, full)
        log(f"order {k}: {len(allk):,} distinct")

    # unigram: KN continuation distribution interpolated with uniform
    k1, c1 = adj[1]
    D = discounts(c1[c1 > 0])
    tot = c1.sum()
    p1 = np.full(vsize, 0.0)
    dsub = np.where(c1 >= 3, D[2], np.where(c1 == 2, D[1], np.where(c1 == 1, D[0], 0.0)))
    gamma0 = float((dsub * (c1 > 0)).sum()) / tot
    p1[k1.astype(np.int64)] = np.maximum(c1 - dsub, 0) / tot
    p1 += gamma0 / vsize
    p1[BOS] = 0  # never predicted
    lp = {1: (np.arange(vsize, dtype=np.uint64), np.log(np.maximum(p1, 1e-12)))}
    bow = {}
    for k in range(2, n + 1):
        keys_k, c_k = adj[k]
        nz = c_k > 0
        D = discounts(c_k[nz])
        log(f"order {k} discounts {tuple(round(d, 3) for d in D)}")
        uctx, denom, gnum = context_stats(keys_k[nz], c_k[nz], D)
        gamma = gnum / denom
        # backoff weights for the contexts (stored with the order k-1 table)
        bow[k - 1] = (uctx, np.log(gamma))
        ci = np.searchsorted(uctx, keys_k >> B)
        ci = np.minimum(ci, len(uctx) - 1)
        okc = uctx[ci] == (keys_k >> B)
        lower_keys, lower_lp = lp[k - 1]
        suffix = keys_k & np.uint64((1 << (BITS * (k - 1))) - 1)
        li = np.searchsorted(lower_keys, suffix)
        li = np.minimum(li, len(lower_keys) - 1)
        assert np.all(lower_keys[li] == suffix) or k == 2
        plow = np.exp(lower_lp[li])
        dsub = np.where(c_k >= 3, D[2], np.where(c_k == 2, D[1], np.where(c_k == 1, D[0], 0.0)))
        with np.errstate(divide="ignore", invalid="ignore"):
            p = np.where(okc & nz, np.maximum(c_k - dsub, 0) / denom[ci] + gamma[ci] * plow, plow)
        lp[k] = (keys_k, np.log(np.maximum(p, 1e-12)))
        if k == n and cutoff > 1:
            keep = c_k >= cutoff
            lp[k] = (keys_k[keep], lp[k][1][keep])
            log(f"order {k}: kept {int(keep.sum()):,} with count >= {cutoff}")
    # merge bows into the tables of order k (keys may be missing from lp tables)
    out = {}
    for k in range(1, n + 1):
        keys_k, lp_k = lp[k]
        if k in bow:
            bk, bw = bow[k]
            allk = np.union1d(keys_k, bk)
            lpa = np.full(len(allk), np.nan)
            lpa[np.searchsorted(allk, keys_k)] = lp_k
            bwa = np.zeros(len(allk))
            bwa[np.searchsorted(allk, bk)] = bw
        else:
            allk, lpa, bwa = keys_k, lp_k, np.zeros(len(keys_k))
        out[k] = (allk, lpa, bwa)
    return out


# quantisation
LP_STEP = 0.08  # natural-log units; 255 -> -20.4
BW_STEP = 0.03  # 255 -> -7.65


def q_lp(x):
    q = np.where(np.isnan(x), 255, np.clip(np.round(-x / LP_STEP), 0, 254))
    return q.astype(np.uint8)


def q_bw(x):
    return np.clip(np.round(-x / BW_STEP), 0, 255).astype(np.uint8)


# --------------------------------------------------------------------------- candidates
_FUZZY_INIT = {"zh": "z", "ch": "c", "sh": "s", "n": "l", "f": "h", "r": "l"}
_FUZZY_FINAL = {"ing": "in", "eng": "en", "ang": "an", "iang": "ian", "uang": "uan"}


def _fuzzy(py: str) -> str:
    for a in ("zh", "ch", "sh", "n", "f", "r"):
        if py.startswith(a):
            py = _FUZZY_INIT[a] + py[len(a):]
            break
    for a in ("iang", "uang", "ing", "eng", "ang"):
        if py.endswith(a):
            py = py[: -len(a)] + _FUZZY_FINAL[a]
            break
    return py


def build_candidates(chars, cnt, min_target=20, log=print):
    from pypinyin import Style, pinyin

    V = NSPECIAL + len(chars)
    idx = {c: i + NSPECIAL for i, c in enumerate(chars)}
    readings = {}
    for c in chars:
        if is_han(c):
            r = pinyin(c, style=Style.TONE3, heteronym=True, neutral_tone_with_five=True)[0]
            readings[c] = [x for x in r if x and x[-1].isdigit()]
    targets = [c for c in chars if is_han(c) and cnt.get(c, 0) >= min_target]
    by_tone, by_py, by_fz = {}, {}, {}
    for c in targets:
        for r in readings.get(c, []):
            by_tone.setdefault(r, set()).add(c)
            by_py.setdefault(r[:-1], set()).add(c)
            by_fz.setdefault(_fuzzy(r[:-1]), set()).add(c)
    pairs = {}

    def add(a, b, t):
        if a == b or a not in idx or b not in idx:
            return
        pairs[(idx[a], idx[b])] = pairs.get((idx[a], idx[b]), 0) | t

    tset = set(targets)
    for c in chars:
        for r in readings.get(c, []):
            for d in by_tone.get(r, ()):
                add(c, d, T_SAME_TONE)
            for d in by_py.get(r[:-1], ()):
                add(c, d, T_SAME_PY)
            for d in by_fz.get(_fuzzy(r[:-1]), ()):
                add(c, d, T_FUZZY)
    for fn, t in (("shape_pairs.tsv", T_SHAPE), ("confusions.tsv", T_CONF)):
        p = HERE / "data" / fn
        if not p.exists():
            continue
        for line in p.read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            a, b = line.split("\t")[:2]
            if len(a) == 1 and len(b) == 1:
                if t == T_SHAPE:  # symmetric
                    if b in tset:
                        add(a, b, t)
                    if a in tset:
                        add(b, a, t)
                else:
                    add(a, b, t)
    src = np.array([k[0] for k in pairs], dtype=np.int64)
    dst = np.array([k[1] for k in pairs], dtype=np.int64)
    typ = np.array(list(pairs.values()), dtype=np.uint8)
    o = np.lexsort((dst, src))
    src, dst, typ = src[o], dst[o], typ[o]
    ptr = np.zeros(V + 1, dtype=np.int64)
    np.add.at(ptr, src + 1, 1)
    ptr = np.cumsum(ptr)
    log(f"candidate pairs: {len(src):,} (avg {len(src) / max(1, len(chars)):.1f} per char)")
    return ptr.astype(np.int32), dst.astype(np.uint16), typ


def build_homophone_words(chars, cnt, jdict, min_freq=3, min_count=5, log=print):
    """Two-character dictionary words indexed by their toneless pinyin, plus every character's
    toneless readings, for joint two-character (wrong-word) substitutions such as 摄氏->设施."""
    from pypinyin import Style, lazy_pinyin, pinyin

    idx = {c: i + NSPECIAL for i, c in enumerate(chars)}
    V = NSPECIAL + len(chars)
    syl: dict[str, int] = {}

    def sid(x):
        return syl.setdefault(x, len(syl))

    char_syl = np.full((V, 4), -1, dtype=np.int16)
    for c in chars:
        if is_han(c):
            rs = []
            for r in pinyin(c, style=Style.NORMAL, heteronym=True)[0]:
                if r.isalpha() and r not in rs:
                    rs.append(r)
            for k, r in enumerate(rs[:4]):
                char_syl[idx[c], k] = sid(r)
    keys, wa, wb, wf = [], [], [], []
    for w, f, tag in jdict:
        if len(w) != 2 or f < min_freq or tag in NAME_TAGS or not all(is_han(c) for c in w):
            continue
        if cnt.get(w[0], 0) < min_count or cnt.get(w[1], 0) < min_count:
            continue
        py = lazy_pinyin(w, style=Style.NORMAL)
        if len(py) != 2 or not all(p.isalpha() for p in py):
            continue
        keys.append(sid(py[0]) * 2048 + sid(py[1]))
        wa.append(idx[w[0]])
        wb.append(idx[w[1]])
        wf.append(f)
    o = np.argsort(np.array(keys, dtype=np.int64), kind="stable")
    log(f"homophone word index: {len(keys):,} two-character words, {len(syl)} syllables")
    return dict(
        char_syl=char_syl,
        hw_key=np.array(keys, dtype=np.int64)[o].astype(np.int32),
        hw_a=np.array(wa, dtype=np.uint16)[o],
        hw_b=np.array(wb, dtype=np.uint16)[o],
        hw_freq=np.array(wf, dtype=np.int32)[o],
    )


# --------------------------------------------------------------------------- lexicon
NAME_TAGS = {"nr", "nrt", "nrfg", "ns", "nt", "nz"}
NAME_KIND = {"nr": 1, "nrt": 1, "nrfg": 1, "ns": 2, "nt": 3, "nz": 3}  # person / place / other


def build_lexicon(jdict):
    words, freqs, flags = [], [], []
    for w, f, tag in jdict:
        if 2 <= len(w) <= 6 and all(is_han(c) for c in w):
            words.append(w)
            freqs.append(f)
            flags.append(NAME_KIND.get(tag, 0))
    blob = "\n".join(words).encode("utf-8")
    return (np.frombuffer(blob, dtype=np.uint8).copy(), np.array(freqs, dtype=np.int32),
            np.array(flags, dtype=np.uint8))


# --------------------------------------------------------------------------- main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=None, help="shared data dir (default: GOVPUB_SHARED_DATA or ../shared/data)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--order", type=int, default=4)
    ap.add_argument("--cutoff", type=int, default=1, help="drop top-order n-grams seen fewer times")
    ap.add_argument("--min-target", type=int, default=20, help="candidate characters must be seen this often")
    ap.add_argument("--lexicon-max-rep", type=int, default=4,
                    help="add each jieba dictionary word as a short sentence up to this many times "
                         "(log-scaled by frequency; 0 = off) to widen the model beyond legal prose")
    a = ap.parse_args(argv)
    t0 = time.time()
    data = a.data or shared_data_dir()
    files = corpus_files(data)
    if not files:
        sys.exit(f"no corpus under {data / 'corpus'}")

    def log(*x):
        print(f"[{time.time() - t0:6.1f}s]", *x, flush=True)

    lines = []
    for f in files:
        lines += [ln for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
    log(f"{len(lines):,} lines from {[str(f.relative_to(data)) for f in files]}")
    jdict = read_jieba_dict()
    chars, cnt = build_vocab(lines, jdict)
    vidx = {c: i + NSPECIAL for i, c in enumerate(chars)}
    V = NSPECIAL + len(chars)
    log(f"vocabulary {V}")
    seqs = encode_lines(lines, vidx)
    del lines
    if a.lexicon_max_rep > 0:
        extra = []
        for w, f, tag in jdict:
            if 2 <= len(w) <= 8 and all(is_han(c) for c in w) and f >= 3:
                rep = min(a.lexicon_max_rep, 1 + int(math.log10(f)))
                extra += [w] * rep
        seqs += encode_lines(extra, vidx)
        log(f"lexicon pseudo-sentences: {len(extra):,}")
    tabs = train_kn(seqs, a.order, a.cutoff, V, log=log)
    del seqs
    ptr, dst, typ = build_candidates(chars, cnt, a.min_target, log=log)
    lex, lexf, lexflag = build_lexicon(jdict)
    homo = build_homophone_words(chars, cnt, jdict, log=log)
    lb = set()
    for w, f, tag in jdict:
        if 2 <= len(w) <= 6 and all(is_han(c) for c in w):
            t = [vidx.get(c, UNK) for c in w]
            for x, y in zip(t, t[1:]):
                if x != UNK and y != UNK:
                    lb.add((x << BITS) | y)
    lexbig = np.array(sorted(lb), dtype=np.uint32)
    log(f"dictionary character pairs: {len(lexbig):,}")
    ccount = np.array([0] * NSPECIAL + [cnt.get(c, 0) for c in chars], dtype=np.int64)
    arrays = dict(
        meta=np.array([a.order, BITS, V], dtype=np.int64),
        qsteps=np.array([LP_STEP, BW_STEP]),
        chars=np.frombuffer("".join(chars).encode("utf-32-le"), dtype=np.uint32).copy(),
        char_count=ccount,
        cand_ptr=ptr, cand_dst=dst, cand_typ=typ,
        lex=lex, lex_freq=lexf, lex_flag=lexflag, lexbig=lexbig, **homo,
    )
    for k, (keys, lpk, bwk) in tabs.items():
        if k == 1:
            arrays["k1"] = keys.astype(np.uint16)
        else:  # delta-encoded as uint32, with the few larger gaps stored apart
            d = np.diff(keys, prepend=np.uint64(0))
            big = np.nonzero(d >> np.uint64(32))[0]
            arrays[f"kx{k}_i"] = big.astype(np.int64)
            arrays[f"kx{k}_v"] = d[big]
            d[big] = 0
            arrays[f"k{k}"] = d.astype(np.uint32)
        arrays[f"p{k}"] = q_lp(lpk)
        if k < a.order:
            arrays[f"b{k}"] = q_bw(bwk)
        log(f"order {k}: {len(keys):,} stored")
    a.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(a.out, **arrays)
    log(f"wrote {a.out} ({a.out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
