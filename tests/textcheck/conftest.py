import pytest

from govpub.textcheck import build_checker


@pytest.fixture(scope="session")
def checker():
    return build_checker(statistical=False)


def rules_of(findings, category=None):
    return {f.rule for f in findings if category is None or f.category == category}


def assert_offsets(text, findings):
    for f in findings:
        assert 0 <= f.start <= f.end <= len(text)
        assert f.text == text[f.start:f.end]
