"""CSL styles in a real `mkdocs build --strict` (issue 25): ieee, nature (numbered) and apa (author-date).

The fixture tests/fixtures/csl_styles cites two works that both read
"Kang et al., 2013" in APA, a book, a name with a particle and a suffix, a
locator and a two-source citation, on two pages and a bibliography page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Build, elements, mkdocs_build
from tests.test_build import marker_texts
from tools.verify_html import verify_site

BuildFixture = Callable[..., Build]


def with_style(style: str) -> Callable[[Path], None]:
    def edit(project: Path) -> None:
        config = project / "mkdocs.yml"
        config.write_text(re.sub(r"style: \S+", f"style: {style}", config.read_text()), encoding="utf-8")

    return edit


def visible(fragment: str) -> str:
    return re.sub(r"<[^>]+>", "", fragment).replace("&amp;", "&")


def without_build_date(html: str) -> str:
    return re.sub(r"Build Date UTC : .*", "", html)


def shown(html: str) -> list[str]:
    """The visible text of every marker."""
    return [text.replace("&amp;", "&") for text in marker_texts(html)]


def list_entries(html: str) -> list[dict[str, str | None]]:
    return [attrs for tag, attrs in elements(html) if tag == "li" and "data-key" in attrs]


def test_ieee_numbers_in_brackets_and_its_reference_text(build_fixture: BuildFixture) -> None:
    build = build_fixture("csl_styles", "--strict", edit=with_style("ieee"))
    assert build.returncode == 0, build.log
    home = build.html("index.html")
    texts = shown(home)
    assert texts == ["[1, p. 304]", "[2,3]"]
    assert 'class="citation citation-brackets"' in home
    second = build.html("second/index.html")
    assert '<ol class="references" data-page="second">' in second
    assert [li["data-key"] for li in list_entries(second)] == ["kang2013", "vanderberg2020"]
    assert "J. van der Berg and M. King Jr., “Back extension on the Roman chair,” <i>Journal of Strength" in second
    assert "[1]" not in visible(second.split('class="references"')[1])  # the engine numbers the list
    assert verify_site(build.site) == []


def test_nature_numbers_in_superscript(build_fixture: BuildFixture) -> None:
    build = build_fixture("csl_styles", "--strict", edit=with_style("nature"))
    assert build.returncode == 0, build.log
    home = build.html("index.html")
    assert re.search(r'<sup class="citation" id="cite-index-1" data-keys="kang2013" data-search-exclude>', home)
    assert shown(home) == ["1(p304)", "2,3"]
    bibliography = build.html("bibliography/index.html")
    assert "Kang, S.-Y., Jeon, H.-S., Kwon, O.-Y., Cynn, H.-S. &amp; Choi, B. Activation of the gluteus" in bibliography
    assert verify_site(build.site) == []


def test_apa_author_date_markers_year_suffixes_and_list_order(build_fixture: BuildFixture) -> None:
    build = build_fixture("csl_styles", "--strict", edit=with_style("apa"))
    assert build.returncode == 0, build.log
    home = build.html("index.html")
    assert shown(home) == [
        "(Kang et al., 2013b, p. 304)",
        "(Kang et al., 2013a; Moore & Dalley, 1999)",  # APA orders a citation's sources by author
    ]
    assert 'class="citation citation-author-date" id="cite-index-2" data-keys="moore1999 kang2013b"' in home
    # each source links to its entry, with the reference as the tooltip
    assert re.search(
        r'<a href="#ref-index-3" title="Kang, S\.-Y\., Jeon, H\.-S\., &amp; Kwon, O\.-Y\. \(2013a\)\.', home
    )
    # the page's list: no numbers, in APA's order (the shorter author list first)
    assert '<ul class="references references-author-date" data-page="index">' in home
    assert [li["data-key"] for li in list_entries(home)] == ["kang2013b", "kang2013", "moore1999"]
    assert all("value" not in li for li in list_entries(home))
    bibliography = build.html("bibliography/index.html")
    assert [li["data-key"] for li in list_entries(bibliography)] == [
        "kang2013b",
        "kang2013",
        "moore1999",
        "vanderberg2020",
    ]
    assert "van der Berg, J., &amp; King, M., Jr. (2020). Back extension on the Roman chair." in bibliography
    # back-links from the bibliography to both pages that cite kang2013
    kang = bibliography.split('data-key="kang2013"', 1)[1].split("</li>", 1)[0]
    assert "../#cite-index-1" in kang and "../second/#cite-second-2" in kang
    assert verify_site(build.site) == []


def test_a_warm_build_gives_the_same_pages(build_fixture: BuildFixture, tmp_path: Path) -> None:
    cold = build_fixture("csl_styles", "--strict", edit=with_style("apa"))
    assert cold.returncode == 0, cold.log
    project = tmp_path / "csl_styles"
    warm = mkdocs_build(project, tmp_path / "warm-site", "--strict")
    assert warm.returncode == 0, warm.log
    for page in ("index.html", "second/index.html", "bibliography/index.html"):
        assert without_build_date(warm.html(page)) == without_build_date(cold.html(page))


@pytest.mark.parametrize(
    ("style", "message"),
    [
        ("apa7", "unknown style 'apa7' (did you mean 'apa"),
        ("chicago-note-bibliography", "is a note style (footnotes), which the engine does not support"),
        ("styles/mine.csl", "the CSL file 'styles/mine.csl' does not exist"),
    ],
)
def test_a_wrong_style_is_an_error_at_its_line(build_fixture: BuildFixture, style: str, message: str) -> None:
    build = build_fixture("csl_styles", edit=with_style(style))
    assert build.returncode != 0
    errors = build.log_lines("ERROR")
    assert any(line.startswith("mkdocs.yml:11: plugins.citations.style: ") and message in line for line in errors), (
        build.log
    )
    assert "Traceback" not in build.log


def test_the_site_check_reads_author_date_markers(build_fixture: BuildFixture) -> None:
    """tools/verify_html follows an author-date marker's links (it shows no numbers to compare)."""
    build = build_fixture("csl_styles", "--strict", edit=with_style("apa"))
    assert build.returncode == 0, build.log
    page = build.site / "index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace('<a href="#ref-index-2" title="Moore', '<a href="#ref-index-9" title="Moore'), "utf-8")
    problems = verify_site(build.site)
    assert any("cite-index-2" in p and "#ref-index-9, which is no reference-list entry" in p for p in problems)
    assert any("cite-index-2: no link to the entry of moore1999" in p for p in problems)
