"""The handout's paper text and its page references, without a layout (pdf/typography.py, pdf/render.py)."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup

from pdf import typography
from pdf.render import fill_xrefs
from pdf.typography import (
    bind_last_words,
    bind_units,
    breakable_url,
    curl,
    replace_web_wording,
    typographic_quotes,
)

NBSP = "\u00a0"


def soup(html: str) -> Any:
    """A parsed fragment (typed Any: the tests reach into it by tag name)."""
    return BeautifulSoup(html, "html.parser")


def test_quotes_and_apostrophes_become_typographic_outside_code_and_addresses() -> None:
    assert curl("the guide's \"own\" advice ('parallel')") == "the guide’s “own” advice (‘parallel’)"
    doc = soup('<p>It\'s "here" <code>x = "y"</code> <a class="url">a\'b</a> <em>"on</em> it"</p>')
    typographic_quotes(doc)
    assert str(doc) == '<p>It’s “here” <code>x = "y"</code> <a class="url">a\'b</a> <em>“on</em> it”</p>'


def test_the_last_two_words_of_a_block_share_a_line() -> None:
    doc = soup('<p>Stop at parallel, <a href="#x">never above</a>.</p><li>one word</li><p>Single</p>')
    bind_last_words(doc)
    assert doc.p.get_text() == f"Stop at parallel, never{NBSP}above."
    assert doc.li.get_text() == f"one{NBSP}word"
    assert doc.find_all("p")[1].get_text() == "Single"
    long = soup("<p>a supercalifragilisticexpialidocious antidisestablishmentarianism</p>")
    bind_last_words(long)
    assert NBSP not in long.get_text(), "two long words stay breakable (a narrow column must still take them)"


def test_numbers_keep_their_units() -> None:
    doc = soup("<p>150 % of body weight, 2 s up, 8 to 12 times</p>")
    bind_units(doc)
    assert doc.get_text() == f"150{NBSP}% of body weight, 2{NBSP}s up, 8 to 12 times"


def test_addresses_to_type_have_no_scheme_and_break_only_after_slashes_and_dots() -> None:
    shown = breakable_url("https://creativecommons.org/licenses/by/4.0/")
    assert shown.replace("\u200b", "") == "creativecommons.org/licenses/by/4.0"
    assert all(shown[i - 1] in "/." for i, c in enumerate(shown) if c == "\u200b")
    assert "https" not in shown


def test_web_wording_is_replaced_and_a_stale_pattern_is_reported(monkeypatch: Any) -> None:
    # the guide's pages need none now (pdf/webonly.py leaves their web parts out whole);
    # the mechanism stays for a page that words something for the web in passing
    monkeypatch.setattr(
        typography,
        "WEB_WORDING",
        (
            (r"\s*You can read it here,? or print the (PDF )?handout and take it to the gym\.", ""),
            (r", and each page shows the date of its own last review at its foot", ""),
        ),
    )
    doc = soup(
        "<main><p>A free guide. You can read it here, or print the handout and take it to the gym.</p>"
        "<ul><li>Kept.</li></ul></main>"
    )
    unused = replace_web_wording(doc.main)
    assert doc.p.get_text() == "A free guide."
    assert [li.get_text() for li in doc.find_all("li")] == ["Kept."]
    assert unused == [r", and each page shows the date of its own last review at its foot"]  # not on this page


def test_a_cross_reference_names_another_page_and_only_another_page() -> None:
    html = (
        '<p><a class="xref" id="xref-1" href="#far">far</a> <a class="xref" id="xref-2" href="#near">near</a>'
        ' <a class="xref" id="xref-3" href="#gone">gone</a></p>'
    )
    out = soup(fill_xrefs(html, {"xref-1": 1, "far": 4, "xref-2": 2, "near": 2, "xref-3": 3}))
    assert out.find(id="xref-1").get_text() == f"far (p.{NBSP}4)"
    assert out.find(id="xref-2").get_text() == "near"
    assert out.find(id="xref-3").get_text() == "gone"
    again = soup(fill_xrefs(str(out), {"xref-1": 1, "far": 5}))  # a second pass replaces, never adds
    assert again.find(id="xref-1").get_text() == f"far (p.{NBSP}5)"
