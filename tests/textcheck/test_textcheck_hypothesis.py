from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govpub.textcheck.normalize import Normalized

ALPHABET = st.sampled_from(list(
    "赌博网站法轮功身份证号码习近平总书记布署截止2023年〔〕[]()（）“”《》，。、！!?？ *#\u200b\u200d\n\t"
    "0123456789xX１２３ａｂＡ賭網秘密★内部资料加微信http://www.gov.cn@qq.com<>&;的了"))
TEXT = st.one_of(st.text(alphabet=ALPHABET, max_size=200), st.text(max_size=200))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_offsets_always_map_into_original(checker, text):
    for f in checker.check_text(text):
        assert 0 <= f.start <= f.end <= len(text)
        assert f.text == text[f.start:f.end]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(alphabet=st.sampled_from(list("<p>div/a href=\"' style=display:none赌博&amp;#x4e00;身份证110101199003074514<script>!--")), max_size=200),
                 st.text(max_size=200)))
def test_html_never_raises(checker, html):
    res = checker.check_html(html)
    for f in res.findings:
        assert 0 <= f.start <= f.end <= len(res.text)
        assert f.text == res.text[f.start:f.end]


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_normalized_map_is_monotone(text):
    n = Normalized(text)
    last = -1
    for i in range(len(n.compact)):
        s, e = n.to_original(i, i + 1)
        assert s > last and e == s + 1
        assert n.view[s] == n.compact[i]
        last = s


HOSTILE = [
    "“" * 30000, "秘密\n" * 8000, "台湾、" * 10000, "加微信" * 10000, "賭a" * 15000,
    "〕1号" * 10000, "1 " * 15000, "一" * 30000, "\u200b" * 30000, "赌*" * 15000,
    "创新、协调、" * 5000, "http://" + "a" * 30000, "a." * 15000 + "@qq.com",
]


def test_hostile_inputs_finish_and_stay_bounded(checker):
    for text in HOSTILE:
        fs = checker.check_text(text)
        assert len(fs) <= 20000
        for f in fs[:50]:
            assert f.text == text[f.start:f.end]
    res = checker.check_html("<div>" * 20000 + "<a href='http://x'>" * 5000 + "文字")
    assert res.text.endswith("文字")
