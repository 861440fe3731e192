"""Nothing from the .bib reaches a page as markup."""

from __future__ import annotations

import pytest
from pybtex.richtext import HRef, Tag, Text

from macros.bib.reader import parse
from macros.html.format_entries import Formatter
from macros.html.markers import MarkerPart, render_marker
from macros.html.safe_backend import SafeHtmlBackend
from macros.styles.vancouver import doi_url, pmc_url, pubmed_url, web_url


def test_backend_escapes_text_and_attributes() -> None:
    backend = SafeHtmlBackend()
    assert Text('<b>"x" & y</b>').render(backend) == '&lt;b&gt;"x" &amp; y&lt;/b&gt;'
    assert HRef("https://a.org/?a=1&b=2", "t").render(backend) == '<a href="https://a.org/?a=1&amp;b=2">t</a>'
    # a URL that still holds quotes or angle brackets is not trusted as a link at all
    assert HRef('https://a.org/?q="><script>', "t").render(backend) == "t"


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JaVaScRiPt:x", "data:text/html,x", "vbscript:x", "//evil.org", "ftp://x.org"]
)
def test_only_http_links(url: str) -> None:
    assert HRef(url, "t").render(SafeHtmlBackend()) == "t"
    assert web_url(url) is None


def test_unknown_tags_lose_their_markup() -> None:
    assert Tag("script", "x").render(SafeHtmlBackend()) == "x"
    assert Tag("em", "x").render(SafeHtmlBackend()) == "<em>x</em>"


def test_identifier_links() -> None:
    assert doi_url("10.1371/journal.pone.0052228") == "https://doi.org/10.1371/journal.pone.0052228"
    assert doi_url("https://doi.org/10.1/x") == "https://doi.org/10.1/x"
    assert doi_url('10.1/"><x') == "https://doi.org/10.1/%22%3E%3Cx"
    assert doi_url("not a doi") is None
    assert pubmed_url("23349681") == "https://pubmed.ncbi.nlm.nih.gov/23349681/"
    assert pubmed_url("123abc") is None
    assert pmc_url("PMC3548884") == "https://pmc.ncbi.nlm.nih.gov/articles/PMC3548884/"
    assert pmc_url("3548884") == "https://pmc.ncbi.nlm.nih.gov/articles/PMC3548884/"
    assert pmc_url("PMCx") is None
    assert web_url('https://a.org/x"y z') == "https://a.org/x%22y%20z"


def test_formatted_entry_html_and_title_text() -> None:
    bib = parse(
        '@misc{x, author = {{<i>Corp</i>}}, title = {A & B <script>alert(1)</script>}, url = {https://a.org/?a=1&b="2"}}',
        "r.bib",
    )
    item = bib.get("x")
    assert item is not None
    result = Formatter(bib).format(item)
    assert "<script>" not in result.html and "<i>" not in result.html
    assert "&lt;script&gt;" in result.html
    assert 'href="https://a.org/?a=1&amp;b=%222%22"' in result.html
    assert result.text.startswith("<i>Corp</i>. A & B <script>")  # plain text; escaped where it is used


def test_marker_attributes_are_escaped() -> None:
    html = render_marker(
        marker_id="cite-p-1",
        keys=['k"1'],
        parts=[MarkerPart(number="1", href="#ref-p-1", title='He said "<hi>" & left')],
        loc="<b>2</b>",
        brackets=False,
        broken=False,
    )
    assert 'data-keys="k&#34;1"' in html
    # the tooltip is the reference, then the cited pages: both escaped
    assert 'title="He said &#34;&lt;hi&gt;&#34; &amp; left Cited here: &lt;b&gt;2&lt;/b&gt;."' in html
    assert "(&lt;b&gt;2&lt;/b&gt;)" in html
    assert "<b>" not in html and '"<hi>"' not in html
