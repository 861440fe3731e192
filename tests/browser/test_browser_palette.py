"""The light/dark toggle, and figures that stay legible in both schemes."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.browser_support import INK_CONTRAST_JS, PAGE_IDS, PAGES, GuidePage, OpenPage

SCHEMES = {"light": "default", "dark": "slate"}
MIN_FIGURE_CONTRAST = 4.5  # WCAG AA for text: figure labels against the figure's background

BACKGROUND_LUMINANCE_JS = """
() => {
  const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/[\\d.]+/g).map(Number);
  const lin = v => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}
"""


def full_page_screenshot(page: Page, path: Path) -> None:
    page.mouse.move(0, 0)
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=path, full_page=True)


def figure_problems(page: Page, scheme: str, artifacts: Path, slug: str) -> list[str]:
    """Each image in the article: loaded, and its darkest ink (labels, outlines)
    contrasts with the figure's own background as the reader sees it."""
    problems = []
    images = page.locator("article img")
    for i in range(images.count()):
        image = images.nth(i)
        src = image.get_attribute("src")
        image.scroll_into_view_if_needed()
        expect(image).to_be_visible()
        loaded = image.evaluate("img => img.complete && img.naturalWidth > 0")
        if not loaded:
            problems.append(f"{scheme}: {src} did not load")
            continue
        shot = image.screenshot(path=artifacts / f"{slug}-figure{i + 1}-{scheme}.png")
        measured = page.evaluate(INK_CONTRAST_JS, base64.b64encode(shot).decode())
        if measured["contrast"] < MIN_FIGURE_CONTRAST:
            problems.append(
                f"{scheme}: {src} ink contrasts {measured['contrast']:.1f}:1 with its background "
                f"{measured['background']} (at least {MIN_FIGURE_CONTRAST}:1 wanted)"
            )
    return problems


@pytest.mark.parametrize("guide_page", PAGES, ids=PAGE_IDS)
def test_light_dark_toggle_and_legible_figures(open_page: OpenPage, artifacts: Path, guide_page: GuidePage) -> None:
    page, _ = open_page(guide_page.url, color_scheme="light")
    body = page.locator("body")
    slug = guide_page.slug
    expect(body).to_have_attribute("data-md-color-scheme", SCHEMES["light"])
    light_background = page.evaluate(BACKGROUND_LUMINANCE_JS)
    problems = figure_problems(page, "light", artifacts, slug)
    full_page_screenshot(page, artifacts / f"{slug}-light.png")

    page.locator("label[for='__palette_1']").click()  # "Switch to dark mode"
    expect(body).to_have_attribute("data-md-color-scheme", SCHEMES["dark"])
    expect(page.locator("label[for='__palette_0']")).to_be_visible()  # the toggle back is offered
    dark_background = page.evaluate(BACKGROUND_LUMINANCE_JS)
    assert light_background > 0.8 and dark_background < 0.05, (
        f"page background luminance {light_background:.2f} (light) / {dark_background:.2f} (dark): "
        "the toggle did not repaint the page"
    )
    problems += figure_problems(page, "dark", artifacts, slug)
    full_page_screenshot(page, artifacts / f"{slug}-dark.png")

    # The choice is remembered on the next page the reader opens.
    page.reload()
    expect(body).to_have_attribute("data-md-color-scheme", SCHEMES["dark"])
    page.locator("label[for='__palette_0']").click()  # "Switch to light mode"
    expect(body).to_have_attribute("data-md-color-scheme", SCHEMES["light"])

    assert not problems, "figures not legible:\n" + "\n".join(problems)
