"""Quality benchmark for govpub.textcheck.

* share of clean sentences (shared/data/clean/acc_xxqg.json) that get any warn/block finding,
  by category — next to a baseline: a naive checker (raw lexicon scan, no context, no
  normalisation) run on the same sentences;
* block findings on the regulation text (shared/seed/…txt) — must be 0;
* recall on planted problems of every category (built in here, incl. disguised variants);
* the held-out set bench/heldout/planted_v2.jsonl (never tuned on, see its README): recall per
  family and category, false blocks and warnings on its clean texts.

Run: .venv/bin/python bench/textcheck_quality.py [--set heldout|builtin|all] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govpub.textcheck import build_checker  # noqa: E402
from govpub.textcheck.findings import SEVERITY_RANK  # noqa: E402
from govpub.textcheck.lexicon import default_entries  # noqa: E402

HELDOUT = ROOT / "bench" / "heldout" / "planted_v2.jsonl"


def shared_dir() -> Path:
    env = os.environ.get("GOVPUB_SHARED_DATA")
    if env:
        return Path(env)
    return ROOT.parent / "shared" / "data"


# Planted problems of every category, including disguised variants (full-width, traditional,
# inserted symbols/zero-width characters, same-sound and pinyin substitutions).
PLANTED = [
 ("secret","机密★5年\n关于开展专项检查的通知"),
 ("secret","絕密★啟用前\n2024年考试试卷"),
 ("secret","秘 密 ★ 1 年\n会议纪要"),
 ("secret","秘\u200b密★10年\n工作方案"),
 ("secret","内部资料，注意保存\n情况通报"),
 ("secret","密级：机密\n保密期限：10年"),
 ("secret","（此件不公开）"),
 ("privacy","经核查，李某某（身份证号：420704198803152815）存在违规行为。"),
 ("privacy","申请人身份证：４２０７０４１９８８０３１５２８１５"),
 ("privacy","身份证号 420704 19880315 2815"),
 ("privacy","联系电话：138 0013 8000（王先生）"),
 ("privacy","手机号一三八零零一三八零零零"),
 ("privacy","请将补贴打入其银行卡：6217 0000 1000 0000 005"),
 ("privacy","旧身份证号码420704880315281"),
 ("privacy","护照号码：EA1234567"),
 ("privacy","有问题请发邮件至 wangxiaoming1990@163.com"),
 ("wording","習近平總書記強調"),
 ("political","习近平总理主持会议"),
 ("political","赵乐际总理出席"),
 ("political","学习贯彻习近平新时代中国特色社会主意思想"),
 ("political","坚定四个自信：道路自信、制度自信、理论自信、文化自信"),
 ("political","本次展会吸引了美国、韩国、香港、台湾等国家的企业参展"),
 ("political","中国和台湾的贸易往来"),
 ("political","台湾总统蔡英文"),
 ("political","积极构建人类命运共同休"),
 ("political","坚持一国两制、港人自港"),
 ("prohibited","新葡京线上娱乐，百家乐、真人荷官，首充送88%彩金"),
 ("prohibited","网上賭博平台，日赚千元"),
 ("prohibited","赌 博 网 站"),
 ("prohibited","赌\u200c博网站注册"),
 ("prohibited","法*轮*功是好的"),
 ("prohibited","全能神教会欢迎你"),
 ("prohibited","出售仿真枪支，价格优惠"),
 ("prohibited","这些狗官真不是东西"),
 ("prohibited","支持港独，光复香港"),
 ("prohibited","高价收购银行卡，出租银行卡日结"),
 ("prohibited","提供代开发票服务，联系电话"),
 ("prohibited","转发扩散！明天要地震了，不转不是中国人"),
 ("prohibited","裸聊视频，加微信看"),
 ("prohibited","色晴网站免费看"),
 ("typo","要认真布署，抓好落实"),
 ("typo","截止目前，已完成80%"),
 ("typo","各部门要齐心协办，众志成城"),
 ("typo","迫不急待地开展工作"),
 ("typo","以人民为中心，一如继往"),
 ("typo","按装调试已完成"),
 ("wording","根据区政府办〔2023〕第8号文件"),
 ("wording","根据临政发(2024)3号"),
 ("wording","市工商局、质监局联合检查"),
 ("wording","区环保局开展执法行动"),
 ("wording","会议要求：“要加强管理。"),
 ("wording","二0二四年工作要点"),
 ("wording","我们的的工作"),
 ("advertising","本店新品上市，限时特价，扫码下单立减20元"),
 ("advertising","诚招加盟代理，咨询请加V：abc888888"),
 ("advertising","这款保健品疗效最好，药到病除"),
 ("advertising","点击链接 https://s.taobao.com/item 购买"),
 ("opinion","我觉得这个领导太离谱了！！！"),
 ("opinion","这个政策简直了，无语了"),
 ("opinion","老铁们，yyds"),
 ("link","详情见 http://www.xxx.com/abc"),
 ("link","系统地址：http://192.168.10.5:8080/login"),
 ("link","访问 htp://www.gov.cn"),
 ("source","来源：网络，侵删"),
 ("sensitive","昨日发生群体性事件，多人聚集闹事"),
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


def builtin_report(checker, verbose: bool) -> None:
    data = shared_dir()
    clean = json.loads((data / "clean" / "acc_xxqg.json").read_text("utf-8"))
    sentences = [r["original_text"] for r in clean]
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
    if verbose:
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
        for f in blocks + (warns if verbose else []):
            print("    ", f.severity, f.rule, repr(f.text), f.message)
    import ahocorasick

    naive = ahocorasick.Automaton()
    for e in default_entries():
        if e.category != "allow" and not e.canon and e.severity in ("warn", "block"):
            naive.add_word(e.term, e.category)
    naive.make_automaton()
    hit = base_hit = 0
    per_cat = Counter()
    per_cat_hit = Counter()
    missing = []
    for cat, text in PLANTED:
        per_cat[cat] += 1
        fs = checker.check_text(text)
        if any(f.category == cat and f.severity in ("warn", "block") for f in fs):
            hit += 1
            per_cat_hit[cat] += 1
        else:
            missing.append((cat, text))
        if cat in {c for _, c in naive.iter(text)}:
            base_hit += 1
    k = len(PLANTED)
    print(f"planted problems found (warn/block in the right category): {hit}/{k} = {hit / k:.0%} "
          f"| naive lexicon scan {base_hit}/{k} = {base_hit / k:.0%}")
    print("    " + ", ".join(f"{c} {per_cat_hit[c]}/{n}" for c, n in per_cat.items()))
    for m in missing:
        print("    missed:", m)


# An expectation of "flag" is met by warn or block, like "warn".
THRESHOLD = {"block": "block", "warn": "warn", "flag": "warn"}


def load_heldout(path: Path) -> tuple[list[dict], list[dict]]:
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [r for r in rows if not r.get("clean")], [r for r in rows if r.get("clean")]


def planted_outcome(row: dict, findings) -> tuple[bool, bool]:
    """(found in the expected category, found in any category), both at severity >= expected.

    A row with a ``span`` (the wrong characters of a typo) is found only by a finding that
    overlaps it: a typo flagged elsewhere in the sentence is not this typo found.
    """
    need = SEVERITY_RANK[THRESHOLD[row["expect"]]]
    strong = [f for f in findings if SEVERITY_RANK[f.severity] >= need]
    if row.get("span"):
        a = row["text"].index(row["span"])
        b = a + len(row["span"])
        strong = [f for f in strong if f.start < b and a < f.end]
    return any(f.category == row["category"] for f in strong), bool(strong)


def _excerpt(text: str, n: int = 60) -> str:
    flat = text.replace("\n", " ")
    return flat if len(flat) <= n else flat[:n] + "…"


def _got(findings) -> str:
    return ", ".join(f"{f.category}/{f.severity}:{f.text}" for f in findings) or "nothing"


def heldout_report(checker, path: Path, verbose: bool) -> None:
    planted, clean = load_heldout(path)
    print(f"held-out set {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} "
          f"(never tuned on): {len(planted)} planted, {len(clean)} clean")
    fam_n, fam_hit, fam_any = Counter(), Counter(), Counter()
    cat_n, cat_hit, cat_any = Counter(), Counter(), Counter()
    weaker = 0
    misses = []
    for row in planted:
        fs = checker.check_text(row["text"])
        hit, anycat = planted_outcome(row, fs)
        fam, cat = row["family"], row["category"]
        fam_n[fam] += 1
        cat_n[cat] += 1
        fam_hit[fam] += hit
        cat_hit[cat] += hit
        fam_any[fam] += anycat
        cat_any[cat] += anycat
        if not hit:
            weaker += planted_outcome({**row, "expect": "warn"}, fs)[0]
            misses.append((row, fs))
    k = len(planted)
    hit, anycat = sum(fam_hit.values()), sum(fam_any.values())
    print(f"planted found (expected category at severity >= expected): {hit}/{k} = {hit / k:.0%} "
          f"| with any category: {anycat}/{k} = {anycat / k:.0%} "
          f"| expected category but weaker than expected: {weaker}")
    for title, n, h, a in (("family", fam_n, fam_hit, fam_any), ("category", cat_n, cat_hit, cat_any)):
        print(f"  by {title:18s} found      any category")
        for key in n:
            print(f"    {key:20s} {h[key]:3d}/{n[key]:<3d} {h[key] / n[key]:4.0%}  {a[key]:3d}/{n[key]:<3d}")
    blocked, warned = [], []
    for row in clean:
        fs = [f for f in checker.check_text(row["text"]) if f.severity in ("warn", "block")]
        if any(f.severity == "block" for f in fs):
            blocked.append((row, fs))
        elif fs:
            warned.append((row, fs))
    print(f"clean texts: blocked {len(blocked)}/{len(clean)} (target 0), "
          f"warned {len(warned)}/{len(clean)}")
    for row, fs in blocked:
        print(f"    blocked {row['id']}: {_got(f for f in fs if f.severity == 'block')}")
    if verbose:
        for row, fs in warned:
            print(f"    warned {row['id']}: {_got(fs)}")
        print(f"  misses ({len(misses)}):")
        for row, fs in misses:
            print(f"    {row['id']} [{row['category']} >= {row['expect']}] {_excerpt(row['text'])}")
            print(f"        got: {_got(fs)}")


def main() -> int:
    ap = argparse.ArgumentParser(description="Quality benchmark for govpub.textcheck")
    ap.add_argument("--set", choices=("heldout", "builtin", "all"), default="all",
                    help="builtin: shared clean sentences, the regulation and the built-in planted list; "
                         "heldout: bench/heldout/planted_v2.jsonl")
    ap.add_argument("--heldout-file", type=Path, default=HELDOUT)
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="rules behind clean-sentence flags; held-out misses and warned clean texts")
    args = ap.parse_args()
    if args.set in ("builtin", "all"):
        t = time.perf_counter()
        checker = build_checker()
        print(f"compile: {time.perf_counter() - t:.2f} s")
        builtin_report(checker, args.verbose)
    if args.set in ("heldout", "all"):
        # Measured as the platform runs it (default_checker): shipped lexicons plus the
        # statistical typo stage, which the built-in figures above leave out.
        t = time.perf_counter()
        checker = build_checker(statistical=True)
        stage = "on" if checker.statistical is not None else "UNAVAILABLE"
        print(f"held-out checker: shipped lexicons, statistical typo stage {stage}; "
              f"compile {time.perf_counter() - t:.2f} s")
        heldout_report(checker, args.heldout_file.resolve(), args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
