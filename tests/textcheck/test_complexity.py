"""No input shape makes the machine review superlinear (issue 20: one unclosed “ before 80,000 short lines
took 15.6 s, 40 k characters of ``<a <a …`` 9 s).

Each adversarial shape is checked at size n and 8n with the shipped checker (statistical typo rule
included); a linear path costs about 8×, a quadratic one 64×.  The test fails above 12× (linear with
50 % slack for a loaded machine).  n is doubled until one run costs at least 50 ms of CPU time, so
that the clock's resolution and the fixed per-call cost do not decide; each size takes the minimum of
3 runs.  process_time counts this process only, so other jobs on the machine matter little.
"""

from __future__ import annotations

import gc
import math
import time

import pytest

from govpub.textcheck import default_checker

LINEAR_SLACK = 12.0
MIN_SECONDS = 0.05
MAX_N = 1 << 21

PROSE = "各单位要认真贯彻落实区委区政府的决策部署，切实做好政务公开工作，及时回应群众关切。"
NO_PUNCT = "在推进经济社会高质量发展中不断增强人民群众获得感幸福感安全感"


def _repeat(piece: str, n: int) -> str:
    return (piece * (n // len(piece) + 1))[:n]


TEXT_SHAPES = {
    # wording: the paragraph walk looked at every later paragraph for each one
    "unclosed quote before many short lines": lambda n: "“" + "\n".join(f"第{i}行" for i in range(n // 5)),
    "unclosed quotes and brackets": lambda n: _repeat("（【《“‘〔", n),
    "closing marks only": lambda n: _repeat("）】》”’〕", n),
    "one giant line of prose": lambda n: _repeat(PROSE, n).replace("\n", ""),
    "one giant line without punctuation": lambda n: _repeat(NO_PUNCT, n),
    "many tiny lines": lambda n: _repeat("字\n", n),
    "many allow-listed terms with findings": lambda n: _repeat("文化和旅游局,的的", n),
    "short links among long links": lambda n: _repeat("t.cn/abc http://a.example.com/p ", n),
    "traditional characters and full-width forms": lambda n: _repeat("國務院辦公廳ＡＢＣ１２３", n),
}
HTML_SHAPES = {
    "deeply nested elements": lambda n: "<div>" * (n // 11) + "文字" + "</div>" * (n // 11),
    "elements never closed": lambda n: _repeat("<span>文", n),
    "huge table": lambda n: "<table>" + _repeat("<tr><td>单元格</td><td>内容</td></tr>", n) + "</table>",
    "hidden links": lambda n: _repeat('<span style="display:none"><a href="http://a.example.com/">链接</a></span>', n),
    # the page's own text grows with n too, so that the linear path is long enough to time
    "a tag that never ends": lambda n: _repeat("<p>政务公开</p>", n // 2) + _repeat("<a ", n // 2),
    "comments that never end": lambda n: _repeat("<p>政务公开</p>", n // 2) + _repeat("<!--x>", n // 2),
    "end tags that never end": lambda n: _repeat("<p>政务公开</p>", n // 2) + _repeat("</", n // 2),
    "processing instructions that never end": lambda n: _repeat("<p>政务公开</p>", n // 2) + _repeat("<?", n // 2),
    "script that never ends": lambda n: _repeat("<p>政务公开</p>", n // 2) + "<script>" + _repeat("</x ", n // 2),
}


def _cost(run, data, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        run(data)
        best = min(best, time.process_time() - t)
    return best


def _growth(run, make) -> tuple[int, float, float]:
    """(n, cost at n, cost at 8n), n the first size that costs at least MIN_SECONDS."""
    n, small = 1024, _cost(run, make(1024), repeat=1)
    while small < MIN_SECONDS and n < MAX_N:
        # aim a little above the floor from the last measurement; at most ×16 a step (fixed costs)
        n = min(MAX_N, n * min(16, max(2, math.ceil(1.3 * MIN_SECONDS / max(small, 1e-4)))))
        small = _cost(run, make(n), repeat=1)
    small = _cost(run, make(n))
    return n, small, _cost(run, make(8 * n))


@pytest.fixture(scope="module")
def checker():
    return default_checker()


@pytest.fixture(autouse=True)
def _no_cyclic_gc():
    """A collection of the model's many objects landing in one run but not the other is noise."""
    gc.collect()
    gc.disable()
    yield
    gc.enable()


@pytest.mark.parametrize("shape", TEXT_SHAPES)
def test_text_check_grows_linearly(checker, shape):
    n, small, large = _growth(checker.check_text, TEXT_SHAPES[shape])
    assert large / small <= LINEAR_SLACK, f"{shape}: n={n} {small:.3f}s, 8n {large:.3f}s"


@pytest.mark.parametrize("shape", HTML_SHAPES)
def test_html_check_grows_linearly(checker, shape):
    n, small, large = _growth(checker.check_html, HTML_SHAPES[shape])
    assert large / small <= LINEAR_SLACK, f"{shape}: n={n} {small:.3f}s, 8n {large:.3f}s"


def test_a_construct_open_at_the_end_of_html_shows_nothing_as_in_a_browser(checker):
    # HTML5: a tag or comment still open at the end of the input runs to the end; a lone "<" is text.
    assert checker.check_html("<p>开头</p><a href='x' 隐藏").text.strip() == "开头"
    assert checker.check_html("<p>开头</p><!-- 注释 <p>未闭合</p>").text.strip() == "开头"
    assert checker.check_html("<p>开头</p><").text.strip() == "开头\n<"
    assert checker.check_html("<p>一</p>二<b>三</b>").text == "一\n二三"
