"""Statistical typo (错别字) detector built on the character n-gram model.

Pipeline for a text:

1. split into sentences, map every code point to a token id (vectorised lookup table);
2. score every position with the n-gram model (log-probabilities of the ``order`` predictions
   that depend on the character);
3. only at positions where the model is surprised (gate) and the character is not protected,
   score all candidate replacements at once (``order`` n-gram lookups per candidate);
4. keep a replacement when the log-likelihood gain minus the prior penalty of its candidate type
   clears a margin, the new character forms a dictionary word, and no protection rule applies;
   greedy, a few rounds per sentence so that two errors in one sentence can both be fixed;
5. a joint two-character substitution is tried where two neighbouring characters are both
   surprising and the replacement pair is a dictionary word.
"""
from __future__ import annotations

import bisect
import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import shared
from .ngram import NgramLM
from .normalize import BOS, EOS, NSPECIAL, UNK, split_spans

_log = logging.getLogger(__name__)
DEFAULT_MODEL = Path(__file__).resolve().parent / "data" / "model.npz"

# candidate type bits (see train.py)
T_CONF, T_SAME_TONE, T_SAME_PY, T_FUZZY, T_SHAPE = 1, 2, 4, 8, 16


@dataclass
class Hit:
    start: int
    end: int
    original: str
    suggestion: str
    score: float

    def __repr__(self):
        return f"Hit({self.start},{self.end},{self.original!r}->{self.suggestion!r},{self.score:.2f})"


@dataclass
class Params:
    gate: float = -14.0         # try candidates only where the local log-prob sum is below this
    gate2: float = -10.0        # ... and the log-probs of this and the next character sum below this
    margin: float = 8.0         # required gain (nats) after penalties
    pen_conf: float = 0.0
    pen_same_tone: float = 0.5
    pen_same_py: float = 1.0
    pen_fuzzy: float = 2.5
    pen_shape: float = 2.0
    word_bonus: float = 0.5     # per log10 of word frequency difference (new word vs old word)
    orig_word_pen: float = 1.0  # per log10 word frequency above 10 when the original already forms a word
    rare_cand: float = 1.0      # penalty per log10 below 1000 of the candidate's corpus count
    orig_freq_pen: float = 1.0  # per log10 above 4 of the original character's corpus count
    unc_ref: float = -3.5       # sentences whose mean log-prob per character (outside the edit) is below this ...
    unc_gain: float = 1.0       # ... need this much more margin per nat (domain-shift guard)
    book_margin: float = 6.0    # extra margin inside 《book titles》
    rounds: int = 3
    pair: bool = True
    pair_margin: float = 10.0
    pen_pair: float = 2.0


# protection ---------------------------------------------------------------------------
_QUOTE_RE = re.compile(r"“[^”]{0,60}”|「[^」]{0,60}」|『[^』]{0,60}』|\"[^\"]{0,60}\"|‘[^’]{0,40}’")
_BOOK_RE = re.compile(r"《[^》]{0,60}》")
# common surnames (百家姓, the most frequent ~300) for "surname + given name + title" person names
_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
             "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
             "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
             "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
             "戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
             "苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练"
             "廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿"
             "鲜印逯隆茹诸战慕危玉银亢嵩帖蔚冶呼")
_TITLE_RE = re.compile(
    r"((?:欧阳|司马|诸葛|上官|东方|令狐|皇甫|慕容|尉迟|公孙|长孙|宇文|司徒|夏侯|轩辕|端木|独孤|南宫|西门|[" + _SURNAMES + r"])"
    r"[\u4e00-\u9fff]{1,2})(?=(?:常务)?副?(?:同志|先生|女士|总书记|主席|总理|副总理|书记|部长|省长|市长|县长|区长|"
    r"主任|局长|厅长|委员长|院长|校长|董事长|总经理|教授|院士|大使|发言人|代表|博士|老师|医生|记者))"
)


# single-character country abbreviations used in diplomatic prose (中美, 中卢关系, 吉方)
COUNTRY_ABBR = set("美英法德俄日韩朝印巴墨卢希柬白埃伊哈坦尼吉肯意老越泰缅蒙新马菲澳加荷比瑞挪丹芬波捷匈罗保塞"
                   "克斯土叙约沙科阿也苏南古秘智乌委厄玻哥喀刚赞津莫安纳多几利突摩葡爱冰")
_PUNCT_RE = re.compile(r"[、，,。；;：:！？!?“”\"（）()《》]")
_MEASURE = set("个位名条项款次年月日天周届国种类批家所件点方层级部轮份股倍成岁米元人颗只场起")
_NUMERALS = set("〇零一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟")


CHUNK_CHARS = 20000      # texts are scored in chunks of whole sentences of about this size
MAX_GATED_SHARE = 0.35   # at most this share of positions is tried with candidates


class _LazyChars:
    """Copy-on-write view of the text as a list of characters (only edited positions are stored)."""

    __slots__ = ("text", "edits")

    def __init__(self, text):
        self.text, self.edits = text, {}

    def __setitem__(self, i, ch):
        self.edits[i] = ch

    def __getitem__(self, sl):
        s = self.text[sl]
        if not self.edits:
            return s
        start = sl.start or 0
        return "".join(self.edits.get(start + k, c) for k, c in enumerate(s))


class TypoDetector:
    _default = None
    _lock = threading.Lock()

    def __init__(self, model_path: str | Path = DEFAULT_MODEL, params: Params | None = None):
        p = Path(model_path)
        if not p.exists():
            raise FileNotFoundError(f"typo model not found: {p} (python -m govpub.textcheck.lm.train)")
        try:
            self.lm = NgramLM(arrays=shared.load(p))
        except Exception as e:  # corrupt, truncated or incompatible file
            raise RuntimeError(f"cannot load typo model {p}: {e}") from e
        self.params = params or Params()
        self.n = self.lm.order
        words = self.lm.lex_blob.tobytes().decode("utf-8").split("\n")
        lf = np.log10(np.maximum(self.lm.lex_freq, 1)).tolist()
        # one float object per distinct value: a forked worker's lookups then touch (and copy) a few
        # pages of them, not one page per 80 words
        same: dict[float, float] = {}
        self.word_lf = dict(zip(words, (same.setdefault(v, v) for v in lf)))
        flags = self.lm.lex_flag
        # proper nouns from jieba's tags (1 person, 2 place, 3 organisation/other).  Two-character
        # person/other entries are too often ordinary words mis-tagged (白发/nr), so only
        # place names may be that short.
        self.names = {words[i] for i in np.nonzero(flags)[0].tolist()
                      if flags[i] == 2 or len(words[i]) >= 3}
        self.chars = self.lm.chars
        self.id2char = ["", "", "", "", ""] + list(self.chars)
        cc = self.lm.char_count.astype(np.float64)
        self.rare_pen = np.maximum(0.0, 3.0 - np.log10(np.maximum(cc, 1))).astype(np.float32)
        self.freq_pen = np.maximum(0.0, np.log10(np.maximum(cc, 1)) - 4.0).astype(np.float32)
        self.is_han_id = np.zeros(self.lm.V, dtype=bool)
        for i, c in enumerate(self.chars):
            if "\u4e00" <= c <= "\u9fff":
                self.is_han_id[i + NSPECIAL] = True
        self.has_cand = np.diff(self.lm.cand_ptr)[: self.lm.V] > 0

    @classmethod
    def default(cls) -> "TypoDetector":
        if cls._default is None:
            with cls._lock:
                if cls._default is None:
                    cls._default = cls()
        return cls._default

    # ------------------------------------------------------------------ helpers
    def _type_pen(self, typ: np.ndarray) -> np.ndarray:
        P = self.params
        pen = np.full(typ.shape, 99.0, dtype=np.float32)
        for bit, v in ((T_SHAPE, P.pen_shape), (T_FUZZY, P.pen_fuzzy), (T_SAME_PY, P.pen_same_py),
                       (T_SAME_TONE, P.pen_same_tone), (T_CONF, P.pen_conf)):
            pen = np.where((typ & bit) != 0, np.minimum(pen, v), pen)
        return pen

    def _best_word(self, s: str, j: int, width: int = 1) -> float:
        """Highest log10 frequency of a dictionary word (2-4 chars) covering s[j:j+width]; -1 if none."""
        best = -1.0
        L = len(s)
        get = self.word_lf.get
        for a in range(max(0, j + width - 4), j + 1):
            for b in range(max(a + 2, j + width), min(L, a + 4) + 1):
                v = get(s[a:b])
                if v is not None and v > best:
                    best = v
        return best

    @staticmethod
    def _protected(s: str, j: int) -> bool:
        """Context rules: numerals, country abbreviations, parallel structures."""
        c = s[j]
        prev = s[j - 1] if j > 0 else ""
        nxt = s[j + 1] if j + 1 < len(s) else ""
        if c in _NUMERALS and (nxt in _NUMERALS or nxt in _MEASURE or prev in _NUMERALS or prev == "第"):
            return True
        if c in COUNTRY_ABBR and (prev == "中" or nxt == "方" or nxt == "中" or s[j + 1: j + 3] in ("两国", "关系")):
            return True
        # parallel structure: the same character with the same neighbour occurs elsewhere
        s = _PUNCT_RE.sub("，", s)
        prev = s[j - 1] if j > 0 else ""
        nxt = s[j + 1] if j + 1 < len(s) else ""
        if prev and (prev + c) in s[: j - 1] + "|" + s[j + 1:]:
            return True
        if nxt and (c + nxt) in s[:j] + "|" + s[j + 2:]:
            return True
        return False

    def _in_name(self, s: str, j: int) -> bool:
        L = len(s)
        for a in range(max(0, j - 5), j + 1):
            for b in range(max(a + 2, j + 1), min(L, a + 6) + 1):
                if s[a:b] in self.names:
                    return True
        return False

    # ------------------------------------------------------------------ main entry
    def detect(self, text) -> list:
        try:
            return self._detect(text)
        except Exception:  # never raise on user input; leave a trace for the operators
            _log.warning("typo detector failed on a %d-character text", len(text) if isinstance(text, str) else -1,
                         exc_info=True)
            return []

    def detect_many(self, texts) -> list:
        """detect() for many short texts at once (one vectorised pass; much faster than a loop
        when the texts are single sentences).  Returns one hit list per text."""
        texts = [t if isinstance(t, str) else "" for t in texts]
        out = [[] for _ in texts]
        if not texts:
            return out
        starts, pos = [], 0
        for t in texts:
            starts.append(pos)
            pos += len(t) + 1
        for h in self.detect("\n".join(texts)):
            i = bisect.bisect_right(starts, h.start) - 1
            h.start -= starts[i]
            h.end -= starts[i]
            if 0 <= h.start < h.end <= len(texts[i]):
                out[i].append(h)
        return out

    def _detect(self, text: str) -> list:
        if not isinstance(text, str) or not text:
            return []
        cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        ids_all = np.where(cps < 0x10000, self.lm.cp2id[np.minimum(cps, 0xFFFF)], UNK)
        spans = [sp for sp in split_spans(text) if sp[1] - sp[0] >= 2]
        if not spans:
            return []
        # protected code points: quotations, book titles, person names before titles
        prot = np.zeros(len(text) + 1, dtype=bool)
        if "“" in text or "《" in text or '"' in text or "「" in text or "『" in text or "‘" in text:
            for m in _QUOTE_RE.finditer(text):
                prot[m.start(): m.end()] = True
        for m in _TITLE_RE.finditer(text):
            prot[m.start(1): m.end(1)] = True
        # book titles (names of laws and documents) are checked, but need a larger margin
        strict = np.zeros(len(text) + 1, dtype=bool)
        if "《" in text:
            for m in _BOOK_RE.finditer(text):
                strict[m.start(): m.end()] = True

        # bounded memory on very long texts: chunks of whole sentences
        hits, chunk, size = [], [], 0
        for sp in spans:
            chunk.append(sp)
            size += sp[1] - sp[0]
            if size >= CHUNK_CHARS:
                hits += self._detect_spans(text, ids_all, chunk, prot, strict)
                chunk, size = [], 0
        if chunk:
            hits += self._detect_spans(text, ids_all, chunk, prot, strict)
        return hits

    def _detect_spans(self, text, ids_all, spans, prot, strict) -> list:
        n = self.n
        P = self.params
        pad = np.full(n - 1, BOS, dtype=np.int64)
        eos = np.array([EOS], dtype=np.int64)
        nopos = np.full(n - 1, -1, dtype=np.int64)
        pieces, opieces = [], []
        for s, e in spans:
            pieces += [pad, ids_all[s:e], eos]
            opieces += [nopos, np.arange(s, e, dtype=np.int64), np.array([-1])]
        pieces.append(pad)
        opieces.append(nopos)
        seq = np.concatenate(pieces)
        off = np.concatenate(opieces)
        fixed = {}
        cur = _LazyChars(text)
        focus = None
        for rnd in range(max(1, P.rounds)):
            found = self._round(text, cur, seq, off, prot, strict, focus)
            if not found:
                break
            focus = np.zeros(len(seq), dtype=bool)
            for j, (toks, score) in found.items():
                focus[max(0, j - n + 1): j + len(toks) + n - 1] = True
                for k, t in enumerate(toks):
                    o = int(off[j + k])
                    fixed[o] = (self.id2char[t], score)
                    cur[o] = self.id2char[t]
                    seq[j + k] = t
                    prot[o] = True  # do not re-edit a fix
        # merge adjacent fixed characters into one hit (joint two-character substitutions)
        hits = []
        for o, (ch, sc) in sorted(fixed.items()):
            if hits and hits[-1].end == o and hits[-1].score == sc:
                h = hits[-1]
                h.end, h.original, h.suggestion = o + 1, text[h.start: o + 1], h.suggestion + ch
            else:
                hits.append(Hit(o, o + 1, text[o], ch, float(sc)))
        return hits

    def _score_edits(self, W, seq, local_cs, pos, width, toks):
        """Log-likelihood gain of replacing seq[pos:pos+width] by toks (M, width)."""
        n = self.n
        M = pos.size
        nw = n + width - 1  # predictions that see an edited character
        k = np.arange(nw)
        rows = pos[:, None] + k[None, :] - (n - 1)
        win = W[rows].copy()  # (M, nw, n)
        for w in range(width):
            col = (n - 1) - k + w  # column of position pos+w in window k
            okc = (col >= 0) & (col < n)
            kk = k[okc]
            win[:, kk, col[okc]] = toks[:, w:w + 1]
        valid = seq[pos[:, None] + k[None, :]] != BOS
        flat = win.reshape(M * nw, n)
        vflat = valid.reshape(-1)
        newlp = np.zeros(M * nw, dtype=np.float32)
        newlp[vflat] = self.lm.logprob(flat[vflat])
        old = local_cs[pos + nw] - local_cs[pos]
        return newlp.reshape(M, nw).sum(1) - old

    def _round(self, text, cur, seq, off, prot, strict, focus=None):
        n = self.n
        P = self.params
        lm = self.lm
        # base terms: T[j] = log p(seq[j] | previous n-1), for j that are real targets
        W = np.lib.stride_tricks.sliding_window_view(seq, n)
        tgt = np.arange(n - 1, len(seq))
        T = np.zeros(len(seq) + n + 1, dtype=np.float32)
        real = seq[tgt] != BOS
        T[tgt[real]] = lm.logprob(W[real])
        cs = np.concatenate([[0.0], np.cumsum(T, dtype=np.float64)])
        idx = np.arange(len(seq))
        local = (cs[idx + n] - cs[idx]).astype(np.float32)
        t01 = T[: len(seq)] + T[1: len(seq) + 1]
        base = (off >= 0) & self.is_han_id[seq] & (local < P.gate) & (t01 < P.gate2)
        base &= ~prot[np.maximum(off, 0)]
        if focus is not None:
            base &= focus
        # garbage input (everything surprising) must not blow up the work: keep only the most
        # surprising positions, at most MAX_GATED_SHARE of the characters
        cap = max(64, int(MAX_GATED_SHARE * len(seq)))
        nb = int(base.sum())
        if nb > cap:
            cand_pos = np.nonzero(base)[0]
            worst = cand_pos[np.argpartition(local[cand_pos], cap)[:cap]]
            base = np.zeros_like(base)
            base[worst] = True
        props = []  # (score array, pos array, width, toks array)
        # ---- single-character substitutions
        pos = np.nonzero(base & self.has_cand[seq])[0]
        if pos.size:
            ptr = lm.cand_ptr
            starts, ends = ptr[seq[pos]], ptr[seq[pos] + 1]
            cnt = ends - starts
            cpos = np.repeat(pos, cnt)
            first = np.repeat(starts - np.cumsum(cnt) + cnt, cnt)
            cidx = first + np.arange(cnt.sum())
            ctok = lm.cand_dst[cidx]
            ctyp = lm.cand_typ[cidx]
            pen = (self._type_pen(ctyp) + P.rare_cand * self.rare_pen[ctok]
                   + P.orig_freq_pen * self.freq_pen[seq[cpos]])
            # cheap upper bound (gain <= -local) and the new character must sit next to its left
            # or right neighbour inside some dictionary word.
            keep = (-local[cpos] - pen) > P.margin - P.word_bonus * 4
            keep &= lm.in_word_pair(seq[cpos - 1], ctok) | lm.in_word_pair(ctok, seq[cpos + 1])
            cpos, ctok, pen = cpos[keep], ctok[keep], pen[keep]
            if cpos.size:
                score = self._score_edits(W, seq, cs, cpos, 1, ctok[:, None]) - pen
                sel = score > P.margin - P.word_bonus * 4
                props.append((score[sel], cpos[sel], 1, ctok[sel][:, None]))
        # ---- joint two-character substitutions by a homophone dictionary word
        if P.pair and lm.hw_key is not None:
            pj = np.nonzero(base[:-1] & base[1:])[0]
            if pj.size:
                sa = lm.char_syl[seq[pj]].astype(np.int64)
                sb = lm.char_syl[seq[pj + 1]].astype(np.int64)
                keys = sa[:, :, None] * 2048 + sb[:, None, :]
                valid = (sa >= 0)[:, :, None] & (sb >= 0)[:, None, :]
                pi = np.broadcast_to(np.arange(pj.size)[:, None, None], keys.shape)[valid]
                keys = keys[valid]
                lo = np.searchsorted(lm.hw_key, keys, "left")
                hi = np.searchsorted(lm.hw_key, keys, "right")
                c = hi - lo
                pi = np.repeat(pi, c)
                wi = np.repeat(lo - np.cumsum(c) + c, c) + np.arange(c.sum())
                if wi.size:
                    a_, b_ = lm.hw_a[wi].astype(np.int64), lm.hw_b[wi].astype(np.int64)
                    ppos = pj[pi]
                    ok2 = (a_ != seq[ppos]) & (b_ != seq[ppos + 1])
                    ppos, a_, b_ = ppos[ok2], a_[ok2], b_[ok2]
                    if ppos.size:
                        u = np.unique(np.stack([ppos, a_, b_], 1), axis=0)
                        ppos, toks = u[:, 0], u[:, 1:]
                        score = self._score_edits(W, seq, cs, ppos, 2, toks) - P.pen_pair
                        sel = score > P.pair_margin - P.word_bonus * 4
                        props.append((score[sel], ppos[sel], 2, toks[sel]))
        if not props:
            return {}
        allscore = np.concatenate([x[0] for x in props])
        if allscore.size == 0:
            return {}
        allpos = np.concatenate([x[1] for x in props])
        allw = np.concatenate([np.full(x[0].size, x[2]) for x in props])
        alltok = [t for x in props for t in (x[3] if x[2] == 2 else np.concatenate([x[3], np.full((x[3].shape[0], 1), -1)], 1))]
        # verify the best proposals with the lexicon and protection rules
        best = {}
        taken = []  # sorted positions of accepted fixes
        for m in np.argsort(-allscore).tolist():
            j = int(allpos[m])
            width = int(allw[m])
            if j in best:
                continue
            toks = [int(t) for t in alltok[m][:width]]
            o = int(off[j])
            s0, s1 = self._sent_bounds(seq, off, j)
            a0 = int(off[s0])
            sent = cur[a0: int(off[s1 - 1]) + 1]
            jj = o - a0
            new = "".join(self.id2char[t] for t in toks)
            sent_new = sent[:jj] + new + sent[jj + width:]
            wn = self._best_word(sent_new, jj, width)
            if wn < 0:
                continue
            wo = self._best_word(sent, jj, width)
            sc = float(allscore[m]) + P.word_bonus * (wn - max(wo, 0.0))
            if P.unc_gain:
                nw = n + width - 1  # mean over the sentence without the edited windows
                rest = (cs[s1 + 1] - cs[s0]) - (cs[j + nw] - cs[j])
                mlp = rest / max(1, s1 - s0 + 1 - nw)
                sc -= P.unc_gain * max(0.0, P.unc_ref - mlp)
            if wo > 1.0:  # the original already forms a dictionary word: demand more
                sc -= P.orig_word_pen * (wo - 1.0)
            if strict[o]:
                sc -= P.book_margin
            if sc <= (P.margin if width == 1 else P.pair_margin):
                continue
            if any(self._protected(sent, jj + k) for k in range(width)):
                continue
            if self._in_name(text[max(0, o - 5): o + 6], min(o, 5)):
                continue
            near = bisect.bisect_right(taken, j - self.n - width)
            if near < len(taken) and taken[near] < j + self.n + width:
                continue  # interacting fixes are left to the next round
            best[j] = (toks, sc)
            bisect.insort(taken, j)
        return best

    @staticmethod
    def _sent_bounds(seq, off, j):
        a = j
        while a > 0 and off[a - 1] >= 0:
            a -= 1
        b = j
        while b < len(seq) and off[b] >= 0:
            b += 1
        return a, b
