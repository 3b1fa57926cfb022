"""(Re)build ``data/shape_pairs.tsv``, the similar-shape character pairs.

    python -m govpub.textcheck.lm.build_tables [--pycorrector-data DIR]

Sources (read as data files; no pycorrector code is imported or copied):

* pycorrector 1.1.4 ``data/same_stroke.txt`` (similar-shape groups) and ``data/stroke.txt``
  (stroke sequences; two characters of >= 4 strokes whose stroke sequences differ by one
  stroke are taken as similar in shape), restricted to ``data/common_char_set.txt``.
  pycorrector is Apache-2.0, (c) XuMing; see README.md.
* a short hand-made list of shape pairs that those files miss (``EXTRA`` below).

Only needed when changing the shape table; ``train.py`` reads the shipped TSV.
"""
from __future__ import annotations

import argparse
from pathlib import Path

HERE = Path(__file__).resolve().parent

EXTRA = """白自 目日 丙内 予子 亚业 衣农 己已 已巳 未末 折拆 侯候 戊戌 戌戍 辨辩 辩辫 免兔 人入 士土
千干 大太 太犬 壁璧 拔拨 赢羸 暑署 睛晴 崇祟 冶治 汨汩 析折 候侯 贷货 佳往 徒徙 历厉 使便 哀衰
衷哀 刺剌 拨拔 休体 茶荼 汆氽 准淮 今令 苟荀 峰锋 蜂锋 锋峰 持特 祟崇 宇字 名各 处外 问间 间问
即既 概慨 像象 帐账 篮蓝 籍藉 坚竖 扳板 拆折 沽估 栗粟 季李 杨扬 场汤 汤场 堤提 提堤 坝圳 综棕
练炼 炼练 陪倍 部剖 幕慕 墓幕 暮幕 募幕 慕募 竞竟 赏尝 怡治 恰洽 姻烟 烂栏 拦栏 贫贪 货贷 侍待
待持 势热 执热 赴起 延廷 庭廷 挺挺 王主 主王 玉王 压庄 厅斤 斥斤 乒乓 兵乒 泪汨 洒酒 酒洒 末未
徽微 微徵 赌睹 睹堵 堵赌 拄柱 注住 住往 往住 遗遣 遣遗 减臧 戒戎 咸成 成戍 甲申 申由 由甲 田由
旧归 归旧 准准 猴候 瞬舜 撤撒 撒撤 彻砌 切彻 贯惯 惯贯 买卖 卖买 兑免 宏弘 拾捡 捡检 检捡 验脸
险脸 剑俭 俭检 检俭 签签 湿温 温湿 漫慢 慢漫 谩漫 浸侵 侵浸 沿铅 船般 般船 投没 没设 设没 投设"""


def pairs_from_extra():
    for tok in EXTRA.split():
        if len(tok) == 2 and tok[0] != tok[1]:
            yield tok[0], tok[1]


def one_stroke_apart(strokes: dict[str, str]):
    """Pairs whose stroke sequences are at edit distance 1 (symmetric-deletion buckets)."""
    buckets: dict[str, set[str]] = {}
    for ch, s in strokes.items():
        buckets.setdefault(s, set()).add(ch)
        for i in range(len(s)):
            buckets.setdefault(s[:i] + "\0" + s[i + 1:], set()).add(ch)
            buckets.setdefault(s[:i] + s[i + 1:], set()).add(ch)
    out = set()
    for group in buckets.values():
        if 1 < len(group) <= 12:
            g = sorted(group)
            for i, a in enumerate(g):
                for b in g[i + 1:]:
                    sa, sb = strokes[a], strokes[b]
                    if abs(len(sa) - len(sb)) <= 1 and min(len(sa), len(sb)) >= 4:
                        out.add((a, b))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--pycorrector-data", type=Path, default=None)
    a = ap.parse_args(argv)
    d = a.pycorrector_data
    if d is None:
        import importlib.util

        spec = importlib.util.find_spec("pycorrector")
        if spec is None or not spec.submodule_search_locations:
            raise SystemExit("pycorrector not installed: pip install --no-deps pycorrector==1.1.4")
        d = Path(list(spec.submodule_search_locations)[0]) / "data"
    common = set((d / "common_char_set.txt").read_text(encoding="utf-8").split())
    pairs = set()
    for line in (d / "same_stroke.txt").read_text(encoding="utf-8").splitlines():
        parts = [p for p in line.strip().split("\t") if len(p) == 1]
        if len(parts) >= 2:
            head = parts[0]
            for o in parts[1:]:
                if o != head:
                    pairs.add(tuple(sorted((head, o))))
    strokes = {}
    for line in (d / "stroke.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        p = line.split("\t")
        if len(p) == 2 and p[0] in common:
            strokes[p[0]] = p[1].strip()
    pairs |= one_stroke_apart(strokes)
    pairs |= {tuple(sorted(p)) for p in pairs_from_extra()}
    out = HERE / "data" / "shape_pairs.tsv"
    with open(out, "w", encoding="utf-8") as f:
        f.write("# similar-shape character pairs (symmetric). Derived from pycorrector 1.1.4 data\n")
        f.write("# (same_stroke.txt, stroke.txt; Apache-2.0, (c) XuMing) plus hand-made pairs.\n")
        for a_, b_ in sorted(pairs):
            f.write(f"{a_}\t{b_}\n")
    print(f"wrote {len(pairs)} pairs to {out}")


if __name__ == "__main__":
    main()
