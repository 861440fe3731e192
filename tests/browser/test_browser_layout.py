"""How the guide reads on a 360 px phone and a desktop, measured in Chromium.

No page scrolls sideways at 360 px; figure labels are at least 12 CSS px there; tables
are stacked cards with every column; citation numbers and back-links are 24 x 24 px tap
targets that leave the line as it was; the Home page's first screen says what the guide
is, shows the facts at a glance and the download button; the citation tooltip is
legible, carries the cited pages and does not cover the line; landing on a marker or
a reference is obvious.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.browser_support import PAGE_IDS, PAGES, GuidePage, OpenPage, page_by_source, smallest_label

SMALL: dict[str, Any] = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
PHONE: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}}
MUSCLES = page_by_source("muscles.md")
FIGURE_PAGES = [p for p in PAGES if "<figure" in p.markdown and "images/" in p.markdown]


@pytest.mark.parametrize("guide_page", PAGES, ids=PAGE_IDS)
def test_no_horizontal_scroll_at_360px(open_page: OpenPage, guide_page: GuidePage) -> None:
    page, _ = open_page(guide_page.url, **SMALL)
    widths = page.evaluate("() => [innerWidth, document.documentElement.scrollWidth, document.body.scrollWidth]")
    assert max(widths) <= 360, f"{guide_page.url or '/'} is {max(widths)} px wide on a 360 px screen"


@pytest.mark.parametrize("guide_page", FIGURE_PAGES, ids=[p.slug for p in FIGURE_PAGES])
def test_figure_labels_at_least_12px_at_360px(open_page: OpenPage, guide_site: Path, guide_page: GuidePage) -> None:
    page, _ = open_page(guide_page.url, **SMALL)
    images = page.locator("figure img")
    assert images.count() >= 1
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        expect(image).to_have_js_property("complete", True)
        shown, width = image.evaluate("img => [img.currentSrc, img.getBoundingClientRect().width]")
        path = guide_site / re.sub(r"^https?://[^/]+/", "", shown)
        view_box = [float(v) for v in (ET.parse(path).getroot().get("viewBox") or "").split()]
        label_px = smallest_label(path) * width / view_box[2]
        assert label_px >= 12, f"{path.name} at {width:.0f} px wide: its smallest label is {label_px:.1f} CSS px"


def test_tables_are_cards_with_every_column_at_360px(open_page: OpenPage) -> None:
    page, _ = open_page(MUSCLES.url, **SMALL)
    tables = page.locator("article table")
    assert tables.count() >= 2
    for t in range(tables.count()):
        table = tables.nth(t)
        headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
        expect(table.locator("thead")).to_be_hidden()
        for row in table.locator("tbody tr").all():
            cells = row.locator("td")
            labels = cells.evaluate_all("tds => tds.map(td => getComputedStyle(td, '::before').content)")
            for c in range(cells.count()):
                cell = cells.nth(c)
                box = cell.bounding_box()
                assert box and box["width"] > 200 and box["x"] >= 0 and box["x"] + box["width"] <= 360, (
                    headers[c],
                    box,
                )
                if c:  # every cell but the muscle's name says which column it is
                    assert labels[c] == f'"{headers[c]}"', (labels[c], headers[c])


def _targets(page: Page, selector: str) -> list[dict[str, float]]:
    boxes: list[dict[str, float]] = page.eval_on_selector_all(
        selector,
        "els => els.map(el => { const r = el.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; })",
    )
    return boxes


@pytest.mark.parametrize("guide_page", [MUSCLES, page_by_source("references.md")], ids=["muscles", "references"])
def test_citation_and_backlink_tap_targets_are_24px_and_leave_the_line_alone(
    open_page: OpenPage, guide_page: GuidePage
) -> None:
    page, _ = open_page(guide_page.url, **PHONE)
    selector = "article sup.citation a, article a.citation-backref"
    targets = _targets(page, selector)
    assert len(targets) >= 5
    for box in targets:
        assert box["w"] >= 24 and box["h"] >= 24, box
    # no two targets overlap (a tap must reach the one the reader aims at)
    for i, a in enumerate(targets):
        for b in targets[i + 1 :]:
            apart = a["x"] + a["w"] <= b["x"] + 0.5 or b["x"] + b["w"] <= a["x"] + 0.5
            apart = apart or a["y"] + a["h"] <= b["y"] + 0.5 or b["y"] + b["h"] <= a["y"] + 0.5
            assert apart, (a, b)
    # the same lines without the tap targets' vertical padding: every paragraph and entry
    # keeps its height (their width stays, so the lines break where they did)
    blocks = "article p, article li, article td"
    before = page.eval_on_selector_all(blocks, "els => els.map(el => el.getBoundingClientRect().height)")
    page.add_style_tag(
        content=f"{selector} {{ padding-block: 0 !important; margin-block: 0 !important; min-height: 0 !important; line-height: inherit !important; }}"
    )
    after = page.eval_on_selector_all(blocks, "els => els.map(el => el.getBoundingClientRect().height)")
    changed = [(b, a) for b, a in zip(before, after, strict=True) if abs(b - a) > 0.5]
    assert not changed, f"the tap targets change the height of {len(changed)} blocks: {changed[:5]}"


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_home_first_screen(open_page: OpenPage, artifacts: Path, size: str) -> None:
    page, _ = open_page("", **(DESKTOP if size == "desktop" else PHONE))
    page.screenshot(path=artifacts / f"home-fold-{size}.png")
    height = page.evaluate("() => innerHeight")
    button = page.locator("article a.md-button--primary")
    expect(button).to_have_text("Start reading")
    expect(button).to_have_attribute("href", "muscles/")
    handout = page.locator("article .hero-actions a.md-button:not(.md-button--primary)")
    # the size is measured from the PDF by `python -m pdf` (pdf/handout_size.py); a site built alone shows "(PDF)"
    expect(handout).to_have_text(re.compile(r"^Print the handout \(PDF(, \d+ kB)?\)$"))
    expect(handout).to_have_attribute("href", "handout.pdf")
    must_show = {
        "title": page.locator("article h1"),
        "what the guide is": page.locator("article .hero-lead"),
        "start button": button,
        "handout button": handout,
    }
    for name, locator in must_show.items():
        box = locator.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, (
            f"{name} is not on the first screen at {size} ({box}, screen height {height})"
        )
    # on a desktop the picture of the exercise is on the first screen too, beside the text
    # (on a phone it follows the facts, at most a third of the screen high)
    if size == "desktop":
        picture = page.locator("article .hero-figure img").bounding_box()
        assert picture is not None and picture["y"] + picture["height"] <= height, "the picture is below the fold"


def test_tooltip_shows_the_reference_and_its_pages_without_covering_the_line(open_page: OpenPage) -> None:
    page, _ = open_page(MUSCLES.url, **DESKTOP)
    page.wait_for_load_state("networkidle")
    marker = page.locator("article sup.citation:has(.citation-loc) a").first
    marker.scroll_into_view_if_needed()
    marker.hover()
    tooltip = page.locator(".md-tooltip2--active .md-tooltip2__inner, .md-tooltip--active .md-tooltip__inner").first
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text("Clinically oriented anatomy")
    expect(tooltip).to_contain_text(re.compile(r"Cited here: pp?\. \d+"))
    size = float(tooltip.evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))
    assert size >= 14, f"tooltip text is {size} px"
    line = marker.evaluate("a => a.closest('p, li, td, figcaption').getClientRects()[0].height")
    tip, mark = tooltip.bounding_box(), marker.bounding_box()
    assert tip and mark and line
    # The tooltip opens below the marker's line, not over it.
    assert tip["y"] >= mark["y"] + mark["height"] - 6 or tip["y"] + tip["height"] <= mark["y"], (tip, mark)
    # On screen the locator stays off the line; it is still in the text (read aloud, printed).
    loc = page.locator("article sup.citation .citation-loc").first
    assert loc.evaluate("el => el.getBoundingClientRect().width") <= 1
    expect(loc).to_have_text(re.compile(r"\(pp?\d"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_landing_on_a_citation_or_a_reference_is_obvious(open_page: OpenPage, scheme: str) -> None:
    styles = "el => { const s = getComputedStyle(el); return [s.outlineStyle, parseFloat(s.outlineWidth), s.backgroundColor]; }"
    page, _ = open_page(MUSCLES.url + "#ref-muscles-2", color_scheme=scheme, **PHONE)
    page.wait_for_timeout(2000)  # after the flash
    entry = page.locator("#ref-muscles-2")
    outline, width, background = entry.evaluate(styles)
    assert outline == "solid" and width >= 2 and background not in ("rgba(0, 0, 0, 0)", "transparent")
    # follow the back-link "a" to the first citing place
    entry.locator("a.citation-backref").first.click()
    expect(page).to_have_url(re.compile(r"#cite-muscles-2$"))  # source 2 is first cited by the page's 2nd marker
    page.wait_for_timeout(2000)
    outline, width, background = page.locator("#cite-muscles-2").evaluate(styles)
    assert outline == "solid" and width >= 2 and background not in ("rgba(0, 0, 0, 0)", "transparent")
