"""Search, typed the way a reader types, from every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.browser_support import PAGE_IDS, PAGES, GuidePage, OpenPage, page_by_source

QUERY = "semitendinosus"
MUSCLES = page_by_source("muscles.md")


@pytest.mark.parametrize("guide_page", PAGES, ids=PAGE_IDS)
def test_search_finds_semitendinosus_and_opens_muscles(
    open_page: OpenPage, site_url: str, guide_page: GuidePage
) -> None:
    page, _ = open_page(guide_page.url)
    box = page.get_by_role("textbox", name="Search")
    box.click()
    box.press_sequentially(QUERY)  # Material searches on key events, as a reader types

    # Results for the whole query have it highlighted; one must be on the Muscles page.
    hits = page.locator(".md-search-result__item a", has=page.locator("mark", has_text=re.compile(QUERY, re.I)))
    expect(hits.first, f"a search result for {QUERY!r}").to_be_visible()
    muscles_url = re.compile(re.escape(site_url + MUSCLES.url) + r"([?#].*)?$")
    found = [(h, h.evaluate("a => a.href")) for h in hits.all()]
    muscles_hits = [h for h, href in found if muscles_url.match(href)]
    assert muscles_hits, f"searching {QUERY!r} found {[href for _, href in found]}, none on the Muscles page"

    muscles_hits[0].click()
    expect(page).to_have_url(muscles_url)
    expect(page.locator(".md-nav--primary > .md-nav__list > .md-nav__item--active > a.md-nav__link")).to_have_text(
        MUSCLES.title
    )
    expect(page.locator("article h1")).to_be_visible()
    # search.highlight marks the query on the page it opens
    expect(page.locator("article mark", has_text=re.compile(QUERY, re.I)).first).to_be_visible()
