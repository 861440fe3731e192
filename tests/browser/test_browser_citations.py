"""Citations in a real browser: tooltip on hover, click to the reference, back again."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.browser_support import IN_SIGHT_JS, PAGES, GuidePage, OpenPage, normalize

CITING = [p for p in PAGES if p.cites]
BIBLIOGRAPHY = [p for p in PAGES if p.is_bibliography]

REFERENCE_TEXT_JS = """
(li) => {
  const copy = li.cloneNode(true);
  copy.querySelectorAll('.citation-backrefs').forEach(e => e.remove());
  return copy.textContent;
}
"""


def assert_in_sight(page: Page, target: Locator, what: str) -> None:
    """Wait until the reader can see `target` (in the viewport, not under the header)."""
    try:
        page.wait_for_function(IN_SIGHT_JS, arg=target.element_handle(), timeout=5_000)
    except PlaywrightTimeout:
        box = target.bounding_box()
        raise AssertionError(f"{what} is not in sight after following the link (box {box}, url {page.url})") from None


def test_pages_that_cite_were_found() -> None:
    assert CITING, "no page in mkdocs.yml's nav cites a source: the citation tests below test nothing"
    assert BIBLIOGRAPHY, "no page calls bibliography()"


# Every marker and every reference list entry, as the browser sees them: which
# marker links where, and which back-links each entry has.
LINKAGE_JS = """
() => ({
  markers: [...document.querySelectorAll('sup.citation')].map(m => ({
    id: m.id,
    keys: (m.dataset.keys || '').split(/\\s+/).filter(Boolean),
    refs: [...m.querySelectorAll('a')].map(a => a.getAttribute('href')),
  })),
  entries: [...document.querySelectorAll('ol.references > li')].map(li => ({
    id: li.id,
    key: li.dataset.key,
    backrefs: [...li.querySelectorAll('a.citation-backref')].map(a => a.getAttribute('href')),
  })),
})
"""


def linkage_problems(linkage: dict[str, Any]) -> list[str]:
    """Every marker links to an entry on the page whose back-links include it;
    every entry is linked from a marker and each back-link points at one."""
    entries = {e["id"]: e for e in linkage["entries"]}
    markers = {m["id"]: m for m in linkage["markers"]}
    problems = []
    for m in linkage["markers"]:
        if not m["refs"]:
            problems.append(f"citation #{m['id']} links to no reference")
        for href in m["refs"]:
            entry = entries.get((href or "")[1:])
            if entry is None:
                problems.append(f"citation #{m['id']} links to {href}, which is not on the page")
            elif f"#{m['id']}" not in entry["backrefs"]:
                problems.append(f"{href} has no back-link to citation #{m['id']}")
            elif entry["key"] not in m["keys"]:
                problems.append(f"citation #{m['id']} ({m['keys']}) links to {href}, which lists {entry['key']}")
    for e in linkage["entries"]:
        for back in e["backrefs"]:
            marker = markers.get(back[1:])
            if marker is None:
                problems.append(f"#{e['id']} back-links to {back}, which is not on the page")
            elif f"#{e['id']}" not in marker["refs"]:
                problems.append(f"#{e['id']} back-links to {back}, which does not cite it")
        if not e["backrefs"]:
            problems.append(f"#{e['id']} is cited by no marker on the page")
    return problems


@pytest.mark.parametrize("guide_page", CITING, ids=[p.slug for p in CITING])
def test_citation_tooltip_reference_and_backlink(open_page: OpenPage, guide_page: GuidePage) -> None:
    """Every citation links to its entry and back (checked in the live DOM); for the
    first citation of each source, a reader's round trip: hover shows Material's
    tooltip with the formatted reference, a click lands on the reference, its
    back-link returns to the citation."""
    page, _ = open_page(guide_page.url)
    linkage = page.evaluate(LINKAGE_JS)
    assert linkage["markers"], f"{guide_page.source} cites a source but the page shows no citation marker"
    problems = linkage_problems(linkage)
    assert not problems, "citation links on the page are broken:\n" + "\n".join(problems)

    tried: set[str] = set()
    for m in linkage["markers"]:
        for j, href in enumerate(m["refs"]):
            if href in tried:
                continue
            tried.add(href)
            marker = page.locator(f"[id='{m['id']}']")
            link = marker.locator("a").nth(j)
            reference = page.locator(f"li[id='{href[1:]}']")
            expected = normalize(reference.evaluate(REFERENCE_TEXT_JS))

            # Hover: Material (content.tooltips) moves the title into a
            # div.md-tooltip2[role=tooltip] named by the link's aria-describedby.
            # The marker is first brought to mid-screen, where a reader meets it
            # (Material opens the tooltip below the marker, so on the very last
            # line of the screen it would open below the fold).
            link.evaluate("a => a.scrollIntoView({block: 'center'})")
            link.hover()
            expect(link, "Material's tooltip (content.tooltips) did not take over the title").to_have_attribute(
                "aria-describedby", re.compile(r"\S")
            )
            tooltip = page.locator(f"[id='{link.get_attribute('aria-describedby')}']")
            expect(tooltip).to_have_attribute("role", "tooltip")
            expect(tooltip).to_have_class(re.compile(r"\bmd-tooltip2--active\b"))
            expect(tooltip.locator(".md-tooltip2__inner")).to_be_in_viewport()
            shown = normalize(tooltip.inner_text())
            # A pinpoint ("pp. 554-560") is kept off the line and shown in the tooltip.
            pinpoint = marker.locator(".citation-loc")
            if pinpoint.count():
                expected += (
                    " Cited here: " + re.sub(r"^\((pp?)(\d)", r"\1. \2", pinpoint.inner_text()).rstrip(")") + "."
                )
            assert shown == expected, (
                f"tooltip of citation #{m['id']} ({link.inner_text()}) shows {shown!r}, "
                f"expected the reference {expected!r}"
            )

            # Click: lands on the reference, visible below the sticky header.
            link.click()
            expect(page).to_have_url(re.compile(re.escape(href) + "$"))
            assert_in_sight(page, reference, f"reference {href}")

            # Back-link: returns to this very citation.
            reference.locator(f"a.citation-backref[href='#{m['id']}']").click()
            expect(page).to_have_url(re.compile(f"#{re.escape(m['id'])}$"))
            assert_in_sight(page, marker, f"citation #{m['id']}")


@pytest.mark.parametrize("guide_page", BIBLIOGRAPHY, ids=[p.slug for p in BIBLIOGRAPHY])
def test_bibliography_backlinks_reach_the_citations(open_page: OpenPage, guide_page: GuidePage) -> None:
    """The full bibliography links back to citations on other pages. For each page
    it links to, a reader follows the first such back-link and lands on a citation
    of that source; there, every other back-link to that page is checked to reach
    a citation of its source."""
    page, _ = open_page(guide_page.url)
    entries = page.eval_on_selector_all(
        "ol.references > li",
        """els => els.map(li => ({id: li.id, key: li.dataset.key,
             backrefs: [...li.querySelectorAll('a.citation-backref')].map(a => [a.getAttribute('href'), a.href])}))""",
    )
    assert entries, "the bibliography page lists no reference"
    bibliography_url = page.url

    by_page: dict[str, list[tuple[str, str, str, str]]] = {}  # page -> (entry id, key, raw href, url)
    for entry in entries:
        assert entry["backrefs"], f"reference {entry['id']} ({entry['key']}) has no back-link to a citation"
        for raw, absolute in entry["backrefs"]:
            assert urlsplit(absolute).fragment.startswith("cite-"), (
                f"{entry['id']}: back-link {absolute} points at no citation"
            )
            by_page.setdefault(absolute.split("#")[0], []).append((entry["id"], entry["key"], raw, absolute))

    problems: list[str] = []
    for links in by_page.values():
        entry_id, _, raw, absolute = links[0]
        page.locator(f"li[id='{entry_id}'] a.citation-backref[href='{raw}']").click()
        expect(page).to_have_url(absolute)
        marker = page.locator(f"[id='{urlsplit(absolute).fragment}']")
        expect(marker, f"citation {absolute}").to_have_count(1)
        assert_in_sight(page, marker, f"citation {absolute}")
        problems += page.evaluate(
            """links => links.flatMap(([entry, key, raw, url]) => {
                 const m = document.getElementById(new URL(url).hash.slice(1));
                 if (!m) return [`${entry}: ${url} does not exist`];
                 const keys = (m.dataset.keys || '').split(/\\s+/);
                 return keys.includes(key) ? [] : [`${entry}: ${url} cites ${keys}, not ${key}`];
               })""",
            links,
        )
        page.go_back()
        expect(page).to_have_url(bibliography_url)
    assert not problems, "bibliography back-links that miss their citation:\n" + "\n".join(problems)
