"""The typo model is memory-mapped from a cache of .npy files (shared by all worker processes), built
once per model file; without a usable cache it is loaded into the process as before, finding the same."""

import mmap

import pytest

from govpub.textcheck.lm import TypoDetector
from govpub.textcheck.lm.detector import DEFAULT_MODEL

SAMPLE = ("会议听取了关于基础设施建设的汇报，要求各部门认真落实摄氏建设。进一步完善社会保障体系，提高城乡居民的生活水瓶。"
          "要加快推进改革，努力实现经济平稳较快发展，认真做好述职评谷工作。")


def _backed_by_mmap(arr) -> bool:
    while arr is not None:
        if isinstance(arr, mmap.mmap):
            return True
        arr = getattr(arr, "base", None)
    return False


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVPUB_TEXTCHECK_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_arrays_are_read_only_maps_of_a_cache_built_once(cache):
    first = TypoDetector(DEFAULT_MODEL)
    folders = list(cache.iterdir())
    assert len(folders) == 1 and (folders[0] / "complete").exists()
    built = {f.name: f.stat().st_mtime_ns for f in folders[0].iterdir()}
    second = TypoDetector(DEFAULT_MODEL)
    assert {f.name: f.stat().st_mtime_ns for f in folders[0].iterdir()} == built  # reused, not rebuilt
    for det in (first, second):
        for arr in (det.lm.keys[4], det.lm.lp[3], det.lm.cp2id, det.lm.lexbig_bits, det.lm.cand_dst):
            assert _backed_by_mmap(arr) and not arr.flags.writeable
    assert [repr(h) for h in second.detect(SAMPLE)] == [repr(h) for h in first.detect(SAMPLE)]


def test_the_old_in_process_load_finds_the_same(cache, monkeypatch):
    mapped = TypoDetector(DEFAULT_MODEL)
    monkeypatch.setenv("GOVPUB_TEXTCHECK_MMAP", "0")
    private = TypoDetector(DEFAULT_MODEL)
    assert not _backed_by_mmap(private.lm.keys[4])
    hits = mapped.detect(SAMPLE)
    assert len(hits) >= 3 and [repr(h) for h in private.detect(SAMPLE)] == [repr(h) for h in hits]


def test_an_unusable_cache_falls_back_to_process_memory(tmp_path, monkeypatch, caplog):
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("GOVPUB_TEXTCHECK_CACHE", str(tmp_path / "a-file" / "cache"))  # cannot be created
    det = TypoDetector(DEFAULT_MODEL)
    assert not _backed_by_mmap(det.lm.keys[4])
    assert det.detect(SAMPLE) and "unusable" in caplog.text
