"""(Re)build ``data/shape_pairs.tsv``, the similar-shape character pairs.

    python -m govpub.textcheck.lm.build_tables [--pycorrector-data DIR]

Sources (read as data files; no pycorrector code is imported or copied):

* pycorrector 1.1.4 ``data/same_stroke.txt`` (similar-shape groups) and ``data/stroke.txt``
  (stroke sequences; two characters of >= 4 strokes whose stroke sequences differ by one
  stroke, or that share a long stroke suffix/prefix and differ by a short radical, are taken as
  similar in shape), restricted to ``data/common_char_set.txt``.
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


# common official-document confusions (wrong, right)
CURATED = """健建 订定 伟委 既即 即既 象像 像象 幅副 副幅 付副 坐座 座坐 部步 步部 制治 治制
权全 全权 记纪 纪记 历厉 厉历 须需 需须 泄泻 帐账 账帐 决绝 绝决 份分 分份
尤犹 犹尤 暂展 展暂 辩辨 辨辩 竟竞 竞竟 籍藉 淡谈 谈淡 按安 安按 查察 察查 型形 形型 维惟 惟维 截节
蓝篮 篮蓝 练炼 炼练 渡度 度渡 功工 工功 反返 返反 汇会 会汇 施实 实施 计记 记计 收受 受收 议意 意议
署属 属署 届界 界届 政正 正政 贯惯 惯贯 环还 还环 型行 行型 规归 归规 围卫 卫围 督都 都督"""


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


def shared_component(strokes: dict[str, str]):
    """Pairs that share a long stroke suffix or prefix and differ by a short radical
    (责/债, 害/辖, 管/菅, 格/恪, 险/验): the classic same-phonetic-component confusions."""
    buckets: dict[tuple, set[str]] = {}
    for ch, s in strokes.items():
        n = len(s)
        if n < 4:
            continue
        for k in range(0, 5):
            rest = n - k
            if rest >= 4 and rest >= 0.55 * n:
                buckets.setdefault(("S", s[k:]), set()).add(ch)
                buckets.setdefault(("P", s[:rest]), set()).add(ch)
    out = set()
    for group in buckets.values():
        if 1 < len(group) <= 16:
            g = sorted(group)
            for i, a in enumerate(g):
                for b in g[i + 1:]:
                    out.add((a, b))
    return out


def jieba_chars(min_freq: int) -> set[str]:
    """Characters whose summed word frequency in jieba's dictionary reaches min_freq."""
    import jieba

    cnt: dict[str, int] = {}
    with open(Path(jieba.__file__).resolve().parent / "dict.txt", encoding="utf-8") as f:
        for line in f:
            p = line.split()
            if len(p) >= 2:
                for ch in p[0]:
                    cnt[ch] = cnt.get(ch, 0) + int(p[1])
    return {c for c, n in cnt.items() if n >= min_freq and "\u4e00" <= c <= "\u9fff"}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--pycorrector-data", type=Path, default=None)
    ap.add_argument("--odw", type=Path, default=None, help="ECSpell odw.train (dev half = even lines)")
    a = ap.parse_args(argv)
    d = a.pycorrector_data
    if d is None:
        import importlib.util

        spec = importlib.util.find_spec("pycorrector")
        if spec is None or not spec.submodule_search_locations:
            raise SystemExit("pycorrector not installed: pip install --no-deps pycorrector==1.1.4")
        d = Path(list(spec.submodule_search_locations)[0]) / "data"
    common = set((d / "common_char_set.txt").read_text(encoding="utf-8").split())
    common |= jieba_chars(300)
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
    pairs |= shared_component(strokes)
    pairs |= {tuple(sorted(p)) for p in pairs_from_extra()}
    out = HERE / "data" / "shape_pairs.tsv"
    with open(out, "w", encoding="utf-8") as f:
        f.write("# similar-shape character pairs (symmetric). Derived from pycorrector 1.1.4 data\n")
        f.write("# (same_stroke.txt, stroke.txt; Apache-2.0, (c) XuMing) plus hand-made pairs.\n")
        for a_, b_ in sorted(pairs):
            f.write(f"{a_}\t{b_}\n")
    print(f"wrote {len(pairs)} pairs to {out}")
    write_confusions(a.odw)


def write_confusions(odw: Path | None):
    """Curated wrong->right character pairs: a hand-made list plus the pairs seen in the DEV half
    (even line numbers) of ECSpell odw.train (MIT).  The odd lines stay unseen for reporting."""
    pairs: dict[tuple[str, str], str] = {}
    for tok in CURATED.split():
        if len(tok) == 2:
            pairs[(tok[0], tok[1])] = "curated"
    if odw is None:
        from .train import shared_data_dir

        odw = shared_data_dir() / "ecspell" / "odw.train"
    if odw.exists():
        for i, line in enumerate(odw.read_text(encoding="utf-8").splitlines()):
            p = line.split("\t")
            if i % 2 or len(p) < 3 or len(p[1]) != len(p[2]):
                continue
            for x, y in zip(p[1], p[2]):
                if x != y and "\u4e00" <= x <= "\u9fff" and "\u4e00" <= y <= "\u9fff":
                    pairs.setdefault((x, y), "odw-dev")
    out = HERE / "data" / "confusions.tsv"
    with open(out, "w", encoding="utf-8") as f:
        f.write("# wrong\tright\tsource  (curated list; ECSpell odw.train dev half, MIT (c) 2022 Aopolin-Lv)\n")
        for (x, y), src in sorted(pairs.items()):
            f.write(f"{x}\t{y}\t{src}\n")
    print(f"wrote {len(pairs)} confusion pairs to {out}")


if __name__ == "__main__":
    main()
