"""Lighthouse 12 (mobile preset) on every page, served gzip-compressed on 127.0.0.1:
Accessibility, Best Practices and SEO score 100. Performance is a timing, so it is
only reported (in the run's summary, and by `make lighthouse`), never asserted.

Lighthouse is installed from npm on first use into .cache/npm-tools/ (web_tools.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.browser_support import PAGE_IDS, PAGES, SUMMARY_LINES, GuidePage
from tests.browser.web_tools import TESTED, GzipServer, ToolMissing, install, lighthouse


@pytest.fixture(scope="module")
def gzip_site(guide_site: Path) -> Iterator[str]:
    try:
        install()
    except ToolMissing as missing:
        pytest.fail(str(missing), pytrace=False)
    with GzipServer(guide_site) as server:
        yield server.url


@pytest.mark.parametrize("guide_page", PAGES, ids=PAGE_IDS)
def test_lighthouse_accessibility_best_practices_seo_are_100(
    gzip_site: str, artifacts: Path, guide_page: GuidePage
) -> None:
    result = lighthouse(gzip_site + guide_page.url, artifacts / "lighthouse" / f"{guide_page.slug}.json")
    SUMMARY_LINES.append(
        f"lighthouse {guide_page.title}: "
        + ", ".join(f"{category} {score}" for category, score in result.scores.items())
    )
    below = {c: result.scores[c] for c in TESTED if result.scores[c] < 100}
    assert not below, f"Lighthouse on {guide_page.url or '/'}: {below}; failing audits: " + "; ".join(
        audit for c in below for audit in result.failing[c]
    )
