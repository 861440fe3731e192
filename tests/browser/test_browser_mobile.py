"""A 375 px wide phone: nothing scrolls sideways, and the navigation drawer opens."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser.browser_support import OVERFLOWING_JS, PAGE_IDS, PAGES, GuidePage, OpenPage

PHONE: dict[str, Any] = {
    "viewport": {"width": 375, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}

DRAWER_OPEN_JS = """
() => {
  const r = document.querySelector('.md-sidebar--primary').getBoundingClientRect();
  return document.getElementById('__drawer').checked && r.left >= -1 && r.width > 0 && r.right <= innerWidth + 1;
}
"""


@pytest.mark.parametrize("guide_page", PAGES, ids=PAGE_IDS)
def test_phone_width_no_horizontal_scroll_and_nav_opens(
    open_page: OpenPage, site_url: str, artifacts: Path, guide_page: GuidePage
) -> None:
    page, _ = open_page(guide_page.url, **PHONE)
    width = PHONE["viewport"]["width"]

    # Nothing wider than the screen (a phone would zoom the whole page out to fit
    # it, widening the layout viewport), and a sideways scroll does not move the page.
    layout = page.evaluate("() => [window.innerWidth, document.documentElement.scrollWidth]")
    page.evaluate("() => window.scrollTo(120, window.scrollY)")
    scrolled = page.evaluate("() => window.scrollX")
    if max(layout) > width or scrolled != 0:
        wide = page.evaluate(OVERFLOWING_JS, width)
        page.screenshot(path=artifacts / f"{guide_page.slug}-phone-overflow.png", full_page=True)
        raise AssertionError(
            f"the page is wider than a {width}px phone: layout viewport {layout[0]}px, content {layout[1]}px, "
            f"scrollX {scrolled} after a sideways scroll; elements past the right edge: {wide}"
        )

    # The navigation drawer opens from the header button and its links work.
    page.locator("label.md-header__button[for='__drawer']").click()
    try:
        page.wait_for_function(DRAWER_OPEN_JS, timeout=5_000)
    except PlaywrightTimeout:
        page.screenshot(path=artifacts / f"{guide_page.slug}-phone-nav.png")
        raise AssertionError("the navigation drawer did not slide fully into view") from None
    page.screenshot(path=artifacts / f"{guide_page.slug}-phone-nav.png")
    other = PAGES[(PAGES.index(guide_page) + 1) % len(PAGES)]
    top_level = page.locator(".md-nav--primary > .md-nav__list > .md-nav__item > a.md-nav__link")
    link = top_level.filter(has_text=re.compile(rf"^\s*{re.escape(other.title)}\s*$"))
    expect(link).to_be_in_viewport()
    link.click()
    expect(page).to_have_url(site_url + other.url)
