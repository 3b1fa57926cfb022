"""Quality benchmark for govpub.textcheck.

* share of clean sentences (shared/data/clean/acc_xxqg.json) that get any warn/block finding,
  by category — next to a baseline: a naive checker (raw lexicon scan, no context, no
  normalisation) run on the same sentences;
* block findings on the regulation text (shared/seed/…txt) — must be 0;
* recall on planted problems of every category (built in here, incl. disguised variants).

Run: .venv/bin/python bench/textcheck_quality.py
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govpub.textcheck import build_checker  # noqa: E402
from govpub.textcheck.lexicon import default_entries  # noqa: E402


def shared_dir() -> Path:
    env = os.environ.get("GOVPUB_SHARED_DATA")
    if env:
        return Path(env)
    return ROOT.parent / "shared" / "data"


PLANTED = [
    ("secret", "秘密★1年\n关于2024年度工作安排的通知"),
    ("secret", "绝密★启用前\n考试试题"),
    ("secret", "内部资料 注意保存\n会议纪要"),
    ("privacy", "申请人张三，身份证号码110101199003074514，现住某小区。"),
    ("privacy", "联系人：王五，手机１３９１２３４５６７８。"),
    ("privacy", "退款请打入银行卡6222021234567890128。"),
    ("privacy", "申请人身份证号：11010119900307451\u200b4"),
    ("political", "习进平总书记在会上发表重要讲话。"),
    ("political", "李强总书记主持召开国务院常务会议。"),
    ("political", "参展商来自美国、日本、台湾等国家。"),
    ("political", "推进两岸三地的交流合作。"),
    ("prohibited", "欢迎访问澳门赌*博网站，注册送彩金。"),
    ("prohibited", "最新在线賭場上线啦"),
    ("prohibited", "法 轮 功 学员"),
    ("prohibited", "提供代开发票业务，价格优惠"),
    ("prohibited", "这个狗官真是人渣"),
    ("typo", "各单位要认真布署，再接再励。"),
    ("typo", "截止2023年底，全区共完成投资10亿元。"),
    ("typo", "大家要一股作气完成任务。"),
    ("wording", "根据鄂政发[2023]05号文件精神"),
    ("wording", "区国土资源局组织召开会议"),
    ("wording", "会议强调，，要加强管理。"),
    ("advertising", "限时优惠，加微信abc12345了解详情"),
    ("advertising", "本产品销量第一，全网最低价"),
    ("opinion", "我觉得这个政策太离谱了！！！"),
    ("link", "详见 http://www.example.com/notice.html"),
    ("link", "内网地址 https://10.1.2.3/oa"),
    ("source", "图片来源于网络，侵删"),
]


def naive_checker_hits(sentences):
    """Baseline: raw substring scan of the same lexicon, no context or normalisation."""
    import ahocorasick

    auto = ahocorasick.Automaton()
    for e in default_entries():
        if e.category != "allow" and not e.canon and e.severity in ("warn", "block"):
            auto.add_word(e.term, e.category)
    auto.make_automaton()
    cats = Counter()
    n = 0
    for s in sentences:
        hit = {c for _, c in auto.iter(s)}
        if hit:
            n += 1
            cats.update(hit)
    return n, cats


def main() -> int:
    data = shared_dir()
    clean = json.loads((data / "clean" / "acc_xxqg.json").read_text("utf-8"))
    sentences = [r["original_text"] for r in clean]
    t = time.perf_counter()
    checker = build_checker()
    print(f"compile: {time.perf_counter() - t:.2f} s")
    flagged = 0
    by_cat = Counter()
    by_rule = Counter()
    examples = {}
    for s in sentences:
        fs = [f for f in checker.check_text(s) if f.severity in ("warn", "block")]
        if fs:
            flagged += 1
            for c in {f.category for f in fs}:
                by_cat[c] += 1
            for f in fs:
                by_rule[f.rule] += 1
                examples.setdefault(f.rule, []).append((f.text, s[:60]))
    n = len(sentences)
    base_n, base_cats = naive_checker_hits(sentences)
    print(f"clean sentences: {n}")
    print(f"  flagged warn/block: {flagged} = {flagged / n:.2%} (target <= 1.00%)  "
          f"| naive lexicon scan: {base_n} = {base_n / n:.2%}  | ratio {flagged / max(base_n, 1):.2f}")
    for c, k in by_cat.most_common():
        print(f"    {c:12s} {k:5d} {k / n:.2%}   (naive: {base_cats.get(c, 0)})")
    if "-v" in sys.argv:
        for r, k in by_rule.most_common():
            print(f"    {r}: {k}")
            for ex in examples[r][:8]:
                print("        ", ex)
    seed = sorted((data.parent / "seed").glob("*.txt"))
    for p in seed:
        text = p.read_text("utf-8")
        fs = checker.check_text(text)
        blocks = [f for f in fs if f.severity == "block"]
        warns = [f for f in fs if f.severity == "warn"]
        print(f"regulation {p.name}: block={len(blocks)} (target 0) warn={len(warns)} "
              f"info={len(fs) - len(blocks) - len(warns)}")
        for f in blocks + (warns if "-v" in sys.argv else []):
            print("    ", f.severity, f.rule, repr(f.text), f.message)
    hit = 0
    missing = []
    for cat, text in PLANTED:
        fs = checker.check_text(text)
        if any(f.category == cat and f.severity in ("warn", "block") for f in fs):
            hit += 1
        else:
            missing.append((cat, text))
    print(f"planted problems found: {hit}/{len(PLANTED)} = {hit / len(PLANTED):.0%}")
    for m in missing:
        print("    missed:", m)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
