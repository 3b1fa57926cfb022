"""The monitor crawling GovPub's own running portal (issue 14 item 7): its 大字版/高对比度 links answer
302 → 200 and are not broken links; nothing on the demo portal is reported broken or leaves the machine."""

import pytest

from govpub.supervision.crawler import crawl
from govpub.supervision.monitor import crawl_config

pytestmark = pytest.mark.e2e


def test_the_demo_portal_crawls_clean(server):
    result = crawl(crawl_config(server["url"] + "/", allow_private=True, rate_per_host=0, max_pages=300,
                                check_external=False))
    assert result.home is not None and result.home.ok
    display = [url for url in {**result.pages, **result.checked} if "/display/" in url]
    assert display, "the portal's 大字版/高对比度 links were not followed"
    assert [(b.url, b.status, b.error) for b in result.broken] == []
