"""Speed work must not change what the checker finds: the shipped checker's findings on a fixed sample
(150 ECSpell error sentences, 40 correct ones, a few HTML pages) equal the ones recorded before it."""

import json

import pytest

from govpub.textcheck import default_checker

from .golden_findings import DATA, findings


@pytest.fixture(scope="module")
def current():
    return findings(default_checker())


@pytest.fixture(scope="module")
def recorded():
    return json.loads((DATA / "golden_findings.json").read_text(encoding="utf-8"))


def test_the_sample_has_statistical_typo_findings(recorded):
    rules = [row[0] for rows in recorded["lines"] for row in rows]
    assert rules.count("typo.statistical") >= 50


@pytest.mark.parametrize("part", ["lines", "whole", "html"])
def test_findings_equal_the_recorded_ones(current, recorded, part):
    assert current[part] == recorded[part]
