"""Fuzz tests: hypothesis property tests of textcheck, the attachment extractors and the HTML sanitiser.

Every test pins its own ``settings(max_examples=…, derandomize=True)`` so CI is reproducible and the
whole directory stays well under a minute.  No database is used here.
"""

import pytest

from govpub.textcheck import default_checker


@pytest.fixture(scope="session")
def checker():
    """The production checker: shipped lexicons plus the statistical typo rule when available."""
    return default_checker()
