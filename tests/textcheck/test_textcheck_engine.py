import threading

import pytest

from govpub.textcheck import (Finding, LexiconError, build_checker, check_html, check_text,
                              default_checker, get_checker, html_to_text)
from govpub.textcheck.findings import CATEGORIES, SEVERITIES
from govpub.textcheck.lexicon import default_entries, parse_tsv, read_lexicon_bytes

from .conftest import assert_offsets


def test_finding_json_shape(checker):
    f = checker.check_text("身份证号110101199003074514")[0]
    d = f.to_dict()
    assert list(d) == ["category", "rule", "severity", "start", "end", "text", "message",
                       "suggestion", "basis", "location"]
    assert d["category"] in CATEGORIES and d["severity"] in SEVERITIES


def test_shipped_lexicons_are_valid():
    entries = default_entries()
    assert len(entries) > 1000
    cats = {e.category for e in entries}
    assert {"prohibited", "political", "typo", "wording", "advertising", "opinion", "allow"} <= cats
    prohibited_rules = {e.rule for e in entries if e.category == "prohibited"}
    assert len(prohibited_rules) >= 10  # the sub-codes of 第十条


def test_tsv_parsing_and_errors():
    rows = parse_tsv("# c\n词一\tsensitive\twarn\t建议\t第八条(七)\n词二\ttypo\n")
    assert rows[0].basis == "第八条(七)" and rows[0].suggestion == "建议"
    assert rows[1].severity == "warn" and rows[1].basis == "第八条(四)"
    with pytest.raises(LexiconError):
        parse_tsv("词\tnosuch\twarn\n")
    with pytest.raises(LexiconError):
        parse_tsv("词\ttypo\tfatal\n")
    rows = read_lexicon_bytes("甲词\n乙词\n".encode(), "x.txt")
    assert [r.term for r in rows] == ["甲词", "乙词"]


def test_prohibited_subcode_from_note():
    c = build_checker(include_defaults=False,
                      extra_rows=[("某违禁词", "prohibited", "block", "", "第十条(七)")])
    f = c.check_text("出现某违禁词")[0]
    assert f.rule == "prohibited.obscene_gambling_violence" and f.basis == "第十条(七)"


def test_extra_rows_and_allow_list():
    c = get_checker(extra_rows=[("临空特别词", "sensitive", "block", "换个说法", ""),
                                ("临空特别词汇表", "allow", "", "", "")])
    fs = c.check_text("这里有临空特别词。")
    assert fs and fs[0].suggestion == "换个说法" and fs[0].severity == "block"
    assert not [f for f in c.check_text("临空特别词汇表") if f.category == "sensitive"]


def test_cache_keyed_by_content(tmp_path):
    lex = tmp_path / "a.tsv"
    lex.write_text("甲乙丙丁\tsensitive\tblock\n", "utf-8")
    c1 = get_checker([lex])
    assert get_checker([lex]) is c1
    assert c1.check_text("甲乙丙丁")[0].severity == "block"
    lex.write_text("甲乙丙丁\tsensitive\tinfo\n", "utf-8")
    c2 = get_checker([lex])
    assert c2 is not c1 and c2.check_text("甲乙丙丁")[0].severity == "info"
    assert get_checker(extra_rows=[("x词", "typo", "warn", "", "")]) is \
        get_checker(extra_rows=[("x词", "typo", "warn", "", "")])


def test_default_checker_cached_and_module_helpers():
    assert default_checker() is default_checker()
    assert check_text("") == []
    res = check_html("<p>身份证号110101199003074514</p>")
    assert res.text.strip() == "身份证号110101199003074514"
    assert_offsets(res.text, res.findings)


def test_thread_safety(checker):
    text = "各单位要认真布署，身份证号110101199003074514，加微信abc12345。" * 20
    expected = [f.to_dict() for f in checker.check_text(text)]
    results = []

    def run():
        for _ in range(20):
            results.append([f.to_dict() for f in checker.check_text(text)])

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)


class FakeHit:
    def __init__(self, start, end, original, suggestion, score=0.9):
        self.start, self.end, self.original, self.suggestion, self.score = start, end, original, suggestion, score


class FakeDetector:
    def detect(self, text):
        i = text.find("因该")
        return [FakeHit(i, i + 2, "因该", "应该")] if i >= 0 else []


class BrokenDetector:
    def detect(self, text):
        raise RuntimeError("model broken")


def test_statistical_rule_wiring():
    c = build_checker(statistical=FakeDetector())
    fs = [f for f in c.check_text("我们因该努力") if f.rule == "typo.statistical"]
    assert fs and fs[0].severity == "warn" and fs[0].basis == "第八条(四)"
    assert fs[0].text == "因该" and fs[0].suggestion == "应该"
    # A broken detector never breaks the check.
    assert build_checker(statistical=BrokenDetector()).check_text("我们因该努力") is not None
    # Curated typo findings win over the statistical one on the same span.
    c2 = build_checker(statistical=type("D", (), {"detect": lambda self, t: [FakeHit(t.find("布署"), t.find("布署") + 2, "布署", "部署")]})())
    fs = [f for f in c2.check_text("认真布署") if f.category == "typo"]
    assert [f.rule for f in fs] == ["typo.lexicon"]


def test_html_visible_text_hidden_and_links(checker):
    html = ('<html><head><title>通知</title><style>p{color:red}</style><script>var a="赌博网站";</script></head>'
            '<body><p>正文&amp;内容</p><div style="display:none">身份证号110101199003074514</div>'
            '<a href="http://192.168.0.1/oa">内部系统</a><img src="https://t.cn/abc" alt="图"></body></html>')
    res = checker.check_html(html)
    assert "赌博网站" not in res.text and "正文&内容" in res.text and "通知" in res.text
    assert_offsets(res.text, res.findings)
    priv = [f for f in res.findings if f.category == "privacy"]
    assert priv and priv[0].severity == "block" and "隐藏" in priv[0].message
    ip = [f for f in res.findings if f.rule == "link.ip_address"]
    assert ip and ip[0].text == "内部系统" and "192.168.0.1" in ip[0].location
    assert any(f.rule == "advertising.short_link" for f in res.findings)


def test_html_to_text_blocks():
    ht = html_to_text("<p>甲</p><p>乙<br>丙</p>")
    assert ht.text.split() == ["甲", "乙", "丙"]


def test_finding_is_immutable():
    f = Finding("typo", "typo.x", "warn", 0, 1, "a", "m")
    with pytest.raises(Exception):
        f.start = 3
