"""Protection rules and robustness of the statistical typo detector (govpub.textcheck.lm)."""
import threading

import pytest

from govpub.textcheck.lm import TypoDetector


@pytest.fixture(scope="module")
def det():
    return TypoDetector.default()


ERR = "要加快健设现代化经济体系。"


def test_baseline_error_is_found(det):
    assert [(h.original, h.suggestion) for h in det.detect(ERR)] == [("健", "建")]


def test_quotations_are_protected(det):
    assert det.detect("他说：“要加快健设现代化经济体系。”") == []
    assert det.detect("他说：「要加快健设现代化经济体系。」") == []


def test_book_titles_need_a_larger_margin(det):
    plain = det.detect("学习加快健设现代化经济体系一文。")
    title = det.detect("学习《加快健设现代化经济体系》一文。")
    assert plain and title
    assert title[0].score <= plain[0].score - det.params.book_margin + 1.0


def test_numbers_and_latin_are_never_edited(det):
    for s in ["2023年GDP增长5.2%，CPI上涨0.2%。", "第三条 本法所称ABC是指XYZ。", "五国领导人出席会议。"]:
        for h in det.detect(s):
            assert not h.original.isascii()
            assert h.original not in "五"


def test_country_abbreviations_and_parallel_structures(det):
    assert TypoDetector._protected("当前，中卢合作发展面临历史机遇。", 4)
    assert TypoDetector._protected("愿同吉方深化安全合作。", 2)
    s = "树立正确的国家观、民族观、文化观。"
    assert TypoDetector._protected(s, s.index("文化观") + 2)
    assert not TypoDetector._protected(ERR, 3)


def test_person_names_before_titles_are_protected(det):
    # a same-sound "error" inside surname + given name + title is left alone
    assert det.detect("王健设同志出席会议。") == []
    assert det.detect("会议由王健设副县长主持。") == []
    # but an organisation word before 书记 is not a name
    from govpub.textcheck.lm.detector import _TITLE_RE

    assert [m.group(1) for m in _TITLE_RE.finditer("松南村档总支书记，赵建华副县长")] == ["赵建华"]


def test_names_from_the_lexicon(det):
    assert det._in_name("习近平总书记", 1)
    assert not det._in_name("加快健设", 2)


@pytest.mark.parametrize("text", ["", " ", "abc", "Hello, world!", "😀😀😀", "。。。", "\n\n", "\ud800", "a" * 10000,
                                  "𠀀𠀁健设", "1234567890"])
def test_never_raises(det, text):
    assert isinstance(det.detect(text), list)


def test_non_string_input(det):
    assert det.detect(None) == [] and det.detect(123) == []


def test_offsets_with_astral_characters(det):
    text = "😀𠀀" + ERR
    hits = det.detect(text)
    assert hits and all(text[h.start:h.end] == h.original for h in hits)
    assert hits[0].start == 2 + ERR.index("健")


def test_long_text_is_split_into_sentences(det):
    text = ("国家建立健全社会保障制度。" * 300) + ERR + ("各地区各部门要认真贯彻落实。" * 300)
    hits = det.detect(text)
    assert [(h.original, h.suggestion) for h in hits] == [("健", "建")]
    assert text[hits[0].start] == "健"
    # one unbroken very long run of characters
    assert isinstance(det.detect("建设" * 5000), list)


def test_thread_safe(det):
    results, errors = [], []

    def work():
        try:
            for _ in range(20):
                results.append(tuple((h.start, h.suggestion) for h in det.detect(ERR)))
        except Exception as e:  # pragma: no cover
            errors.append(e)

    ts = [threading.Thread(target=work) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errors and len(set(results)) == 1


def test_detect_many_matches_detect(det):
    texts = [ERR, "", "本条例自发布之日起施行。", "😀" + ERR, None]
    many = det.detect_many(texts)
    assert len(many) == len(texts)
    for t, hs in zip(texts, many):
        single = det.detect(t) if isinstance(t, str) else []
        assert [(h.start, h.end, h.suggestion) for h in hs] == [(h.start, h.end, h.suggestion) for h in single]
        for h in hs:
            assert t[h.start:h.end] == h.original
