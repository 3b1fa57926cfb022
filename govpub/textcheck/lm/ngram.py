"""Compact backoff character n-gram model: load and vectorised scoring.

The model file (built by ``train.py``) stores, per order k, the sorted 13-bit-packed n-gram keys
(delta-encoded for compression), a uint8-quantised natural-log probability and, for k < order,
a uint8-quantised log backoff weight.  Queries are ``np.searchsorted`` over the sorted keys.
:func:`derive` expands the file into the arrays the scorer reads (about 110 MB).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .normalize import BITS, LAT, MAXV, NUM, UNK, canon_char

B = np.uint64(BITS)
BLOCK = 32


def derive(path: str | Path) -> dict[str, np.ndarray]:
    """Every array the scorer uses, computed from the compressed model file (about 1 s)."""
    z = np.load(path, allow_pickle=False)
    order, bits, V = (int(x) for x in z["meta"])
    if bits != BITS:
        raise RuntimeError(f"model uses {bits}-bit ids, code expects {BITS}")
    out = {"order": np.array([order]), "V": np.array([V])}  # 1-element: .npy maps have no 0-d form
    lp_step, bw_step = (float(x) for x in z["qsteps"])
    for k in range(1, order + 1):
        q = z[f"p{k}"]
        lp = (-lp_step * q.astype(np.float32)).astype(np.float32)
        if k == 1:
            keys = z["k1"].astype(np.int64)
            dense = np.full(V, -20.0, dtype=np.float32)
            dense[keys] = np.where(q == 255, -20.0, lp)
            out["lp1"] = dense
        else:
            lp[q == 255] = np.nan
            d = z[f"k{k}"].astype(np.uint64)
            if f"kx{k}_i" in z:  # gaps that do not fit the uint32 deltas
                d[z[f"kx{k}_i"]] = z[f"kx{k}_v"]
            K = np.cumsum(d, dtype=np.uint64)
            # two-level index for small query batches: keys in rows of BLOCK, and each row's last key
            pad = (-len(K)) % BLOCK
            rows = np.concatenate([K, np.full(pad, np.iinfo(np.uint64).max, dtype=np.uint64)]).reshape(-1, BLOCK)
            out[f"rows{k}"], out[f"last{k}"], out[f"nkeys{k}"] = rows, rows[:, -1].copy(), np.array([len(K)])
            out[f"lp{k}"] = lp
        if k < order:
            bw = -bw_step * z[f"b{k}"].astype(np.float32)
            if k == 1:
                d = np.zeros(V, dtype=np.float32)
                d[z["k1"].astype(np.int64)] = bw
                out["bw1"] = d
            else:
                out[f"bw{k}"] = bw
    out["chars"] = z["chars"]
    out["char_count"] = z["char_count"]
    out["cand_ptr"] = z["cand_ptr"].astype(np.int64)
    out["cand_dst"] = z["cand_dst"].astype(np.int64)
    out["cand_typ"] = z["cand_typ"]
    for name in ("lex", "lex_freq", "lex_flag"):
        out[name] = z[name]
    if "hw_key" in z:
        out["char_syl"] = z["char_syl"]
        out["hw_key"] = z["hw_key"].astype(np.int64)
        out["hw_a"], out["hw_b"], out["hw_freq"] = z["hw_a"], z["hw_b"], z["hw_freq"]
    # adjacent character pairs inside dictionary words, as a bitset over (a * V + b)
    lb = z["lexbig"].astype(np.int64)
    a, b = lb >> BITS, lb & (MAXV - 1)
    flat = a * V + b
    bitset = np.zeros((V * V + 7) // 8, dtype=np.uint8)
    np.bitwise_or.at(bitset, flat >> 3, (1 << (flat & 7)).astype(np.uint8))
    out["lexbig_bits"] = bitset
    out["cp2id"] = _cp2id(z["chars"].tobytes().decode("utf-32-le"))
    return out


def _cp2id(chars: str) -> np.ndarray:
    """Code point -> token id lookup table (BMP; anything above is UNK)."""
    from .normalize import _PUNCT, NSPECIAL

    tab = np.full(0x10000, UNK, dtype=np.int64)
    for i, c in enumerate(chars):
        tab[ord(c)] = i + NSPECIAL
    # only full-width ASCII and the punctuation map change under canon_char
    for cp in list(range(0xFF01, 0xFF5F)) + [ord(c) for c in _PUNCT]:
        ch = chr(cp)
        c2 = canon_char(ch)
        if c2 != ch and ord(c2) < 0x10000 and tab[ord(c2)] != UNK and tab[cp] == UNK:
            tab[cp] = tab[ord(c2)]
    for ch in "0123456789":
        tab[ord(ch)] = NUM
        tab[ord(ch) + 0xFEE0] = NUM
    for o in list(range(ord("a"), ord("z") + 1)) + list(range(ord("A"), ord("Z") + 1)):
        tab[o] = LAT
        tab[o + 0xFEE0] = LAT
    return tab


class NgramLM:
    """The scorer over arrays from :func:`derive`, or from :func:`govpub.textcheck.lm.shared.load`, which
    memory-maps them read-only so that every process on the machine shares one copy."""

    def __init__(self, path: str | Path | None = None, *, arrays: dict[str, np.ndarray] | None = None):
        a = derive(path) if arrays is None else arrays
        self.order, self.V = int(a["order"][0]), int(a["V"][0])
        self.lp1, self.bw1 = a["lp1"], a["bw1"]
        self.keys, self.lp, self.bw, self._blocks = {}, {}, {}, {}
        for k in range(2, self.order + 1):
            rows = a[f"rows{k}"]
            self._blocks[k] = (rows, a[f"last{k}"])
            self.keys[k] = rows.reshape(-1)[: int(a[f"nkeys{k}"][0])]  # share memory with the block rows
            self.lp[k] = a[f"lp{k}"]
            if k < self.order:
                self.bw[k] = a[f"bw{k}"]
        self.chars = a["chars"].tobytes().decode("utf-32-le")
        self.char_count = a["char_count"]
        self.cand_ptr, self.cand_dst, self.cand_typ = a["cand_ptr"], a["cand_dst"], a["cand_typ"]
        self.lex_blob, self.lex_freq, self.lex_flag = a["lex"], a["lex_freq"], a["lex_flag"]
        if "hw_key" in a:
            self.char_syl = a["char_syl"]
            self.hw_key, self.hw_a, self.hw_b, self.hw_freq = a["hw_key"], a["hw_a"], a["hw_b"], a["hw_freq"]
        else:
            self.hw_key = None
        self.lexbig_bits = a["lexbig_bits"]
        self.cp2id = a["cp2id"]

    # ------------------------------------------------------------------ lookup
    def _find(self, k: int, key: np.ndarray):
        K = self.keys[k]
        if key.size > 2048:  # sorted queries are ~10x faster (cache locality)
            o = np.argsort(key)
            i = np.empty(key.size, dtype=np.int64)
            i[o] = np.searchsorted(K, key[o])
        else:  # few queries: search a small block index, then scan one block of BLOCK keys
            blocks, last = self._blocks[k]
            b = np.minimum(np.searchsorted(last, key), len(last) - 1)
            i = b * BLOCK + (blocks[b] < key[:, None]).sum(1)
        i = np.minimum(i, len(K) - 1)
        return i, K[i] == key

    def logprob(self, grams: np.ndarray) -> np.ndarray:
        """grams: int64 (M, order) windows; returns log p(last | previous) for each row.

        Backoff (ARPA) evaluation: the longest stored n-gram ending in the target, plus the log
        backoff weights of the longer contexts that were not found.  One sorted lookup per order
        (the gram and the previous order's context share a table)."""
        n = self.order
        M = grams.shape[0]
        out = np.empty(M, dtype=np.float32)
        if M == 0:
            return out
        g = grams.astype(np.uint64)
        full = g[:, 0].copy()
        for j in range(1, n):
            full = (full << B) | g[:, j]
        masks = {k: np.uint64((1 << (BITS * k)) - 1) for k in range(1, n + 1)}
        acc = np.zeros(M, dtype=np.float32)
        todo = np.arange(M)
        # top order
        key = full
        i, f = self._find(n, key)
        lp = self.lp[n][i]
        f &= ~np.isnan(lp)
        out[f] = lp[f]
        todo = todo[~f]
        ctx = key[~f] >> B  # context of the unresolved top-order windows (order n-1)
        for k in range(n - 1, 1, -1):
            if todo.size == 0:
                return out
            gk = full[todo] & masks[k]
            m = todo.size
            i, f = self._find(k, np.concatenate([ctx, gk]))
            bw = np.where(f[:m], self.bw[k][i[:m]], 0.0)
            acc[todo] += bw
            lp = self.lp[k][i[m:]]
            fk = f[m:] & ~np.isnan(lp)
            hit = todo[fk]
            out[hit] = acc[hit] + lp[fk]
            todo = todo[~fk]
            ctx = gk[~fk] >> B
        if todo.size:
            acc[todo] += self.bw1[ctx.astype(np.int64)]
            out[todo] = acc[todo] + self.lp1[grams[todo, -1]]
        return out

    def in_word_pair(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """True where characters a, b are adjacent inside some dictionary word."""
        flat = a.astype(np.int64) * self.V + b.astype(np.int64)
        return ((self.lexbig_bits[flat >> 3] >> (flat & 7).astype(np.uint8)) & 1).astype(bool)

    def candidates(self, tok: int):
        s, e = self.cand_ptr[tok], self.cand_ptr[tok + 1]
        return self.cand_dst[s:e], self.cand_typ[s:e]
