"""Printing a page from the browser: the article alone, with reference URLs in full,
as one clean PDF."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, ViewportSize
from pypdf import PageObject, PdfReader

from tests.browser.browser_support import OVERFLOWING_JS, PAGE_IDS, PAGES, GuidePage, OpenPage, normalize

A4_CSS_PX: ViewportSize = {"width": 794, "height": 1123}  # 210 x 297 mm at 96 px per inch

# The site's chrome: none of it belongs on paper.
CHROME = [
    ".md-header",
    ".md-tabs",
    ".md-sidebar--primary",
    ".md-sidebar--secondary",
    ".md-search",
    ".md-source",
    ".md-content__button",
    ".md-footer",
    ".md-top",
    ".headerlink",
    ".citation-backrefs",
]
# Words that only the chrome says; finding one in the PDF means chrome was printed.
CHROME_WORDS = [
    "Skip to content",
    "Switch to dark mode",
    "Switch to light mode",
    "Type to start searching",
    "Table of contents",
    "Back to top",
    "Edit this page",
    "tight-butt-blast/guide",
    "¶",
    "↩",
]

REFERENCE_URLS_JS = """
() => [...document.querySelectorAll('ol.references a[href^="http"], ul.references a[href^="http"]')].map(a => ({
  href: a.getAttribute('href'),
  text: a.textContent,
  after: getComputedStyle(a, '::after').content,
}))
"""


def print_view(page: Page) -> None:
    page.set_viewport_size(A4_CSS_PX)
    page.emulate_media(media="print")


@pytest.mark.parametrize("guide_page", PAGES, ids=PAGE_IDS)
def test_print_hides_navigation_and_shows_reference_urls(open_page: OpenPage, guide_page: GuidePage) -> None:
    page, _ = open_page(guide_page.url)
    print_view(page)

    shown = [s for s in CHROME if any(el.is_visible() for el in page.locator(s).all())]
    shown += [
        f"nav[aria-label={label!r}]"
        for label in page.eval_on_selector_all(
            "nav",
            "els => els.filter(n => !n.closest('article') && n.checkVisibility())"
            ".map(n => n.getAttribute('aria-label'))",
        )
    ]
    assert not shown, f"printed with the page: {shown}"

    wrong = [
        f"{link['text']!r} prints {link['after']!r}"
        for link in page.evaluate(REFERENCE_URLS_JS)
        if link["after"] != f'" <{link["href"]}>"'
    ]
    assert not wrong, "reference links that do not print their full URL after the text:\n" + "\n".join(wrong)

    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    wide = page.evaluate(OVERFLOWING_JS, A4_CSS_PX["width"])
    assert width[0] <= width[1] and not wide, f"on A4 paper, content {width[0]}px wide in {width[1]}px: {wide}"


def text_runs(pdf_page: PageObject) -> list[tuple[float, float, str]]:
    """The page's pieces of text as (y, x, text), in PDF points from the bottom left."""
    runs: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((y, x, text.strip()))

    pdf_page.extract_text(visitor_text=visit)
    return runs


def pdf_lines(reader: PdfReader) -> list[list[tuple[float, str]]]:
    """Per PDF page, its lines of text from top to bottom as (y, text)."""
    pages = []
    for pdf_page in reader.pages:
        lines: list[tuple[float, str]] = []
        for y, _, text in sorted(text_runs(pdf_page), key=lambda r: (-round(r[0]), r[1])):
            if lines and abs(lines[-1][0] - y) < 2:
                lines[-1] = (lines[-1][0], lines[-1][1] + " " + text)
            else:
                lines.append((y, text))
        pages.append(lines)
    return pages


@pytest.mark.parametrize("guide_page", PAGES, ids=PAGE_IDS)
def test_pdf_of_a_page_is_one_clean_document(open_page: OpenPage, artifacts: Path, guide_page: GuidePage) -> None:
    page, _ = open_page(guide_page.url)
    print_view(page)
    title = normalize(page.locator("article h1").inner_text()).rstrip("¶ ")
    headings = {
        normalize(h).rstrip("¶ ") for h in page.locator("article :is(h1, h2, h3, h4, h5, h6)").all_inner_texts()
    }
    urls = [link["href"] for link in page.evaluate(REFERENCE_URLS_JS)]

    pdf = page.pdf(format="A4")
    (artifacts / f"{guide_page.slug}.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    lines = pdf_lines(reader)
    text = "\n".join(pdf_page.extract_text() for pdf_page in reader.pages)
    squashed = re.sub(r"\s+", "", text)  # long URLs wrap across lines

    problems = []
    if not lines or not lines[0] or normalize(lines[0][0][1]) != title:
        problems.append(
            f"the document does not open with the page title {title!r}: {lines[0][:1] if lines else 'no page'}"
        )
    problems += [f"page {n} of {len(lines)} is blank" for n, page_lines in enumerate(lines, 1) if not page_lines]
    problems += [
        f"page {n} ends on the heading {page_lines[-1][1]!r}, its text is on the next page"
        for n, page_lines in enumerate(lines[:-1], 1)
        if page_lines and normalize(page_lines[-1][1]) in headings
    ]
    problems += [f"chrome printed: {word!r}" for word in CHROME_WORDS if word in text]
    problems += [f"reference URL not printed in full: {url}" for url in urls if f"<{url}>" not in squashed]
    assert not problems, f"{artifacts / (guide_page.slug + '.pdf')}:\n" + "\n".join(problems)
