"""Citing Medicine's rules for what reference managers really export, one rule a test.

Every expected string is written by hand from the rule named in the test
(NLM's *Citing Medicine*, 2nd ed.: ch. 1 journals, ch. 2 books, ch. 11
forthcoming items, ch. 12 preprints, ch. 4 dissertations, ch. 21-24 software
and Internet items), never taken from the formatter's output.
"""

from __future__ import annotations

import pytest

from macros.bib.reader import parse
from macros.html.format_entries import Formatter
from macros.problems import Problems


def formatted(source: str, key: str = "k") -> tuple[str, list[str]]:
    """The plain text of entry ``key`` of ``source`` and every warning reading and formatting it gave."""
    bib = parse(source, "refs.bib")
    formatter = Formatter(bib)
    item = bib.get(key)
    assert item is not None
    text = formatter.format(item).text
    problems = Problems()
    problems.extend(bib.problems)
    problems.extend(formatter.problems)
    return text, [str(p) for p in problems]


ARTICLE = "author = {Doe, Jane}, title = {A title}, journal = {J Test}, year = {2023}"


def test_notes_come_last_after_identifiers_and_the_url() -> None:
    text, _ = formatted(
        f"@article{{k, {ARTICLE}, volume = {{4}}, pages = {{1--9}}, doi = {{10.1/x}}, note = {{A note}}}}"
    )
    assert text == "Doe J. A title. J Test. 2023;4:1-9. doi:10.1/x. A note."
    text, _ = formatted("@misc{k, title = {Page}, url = {https://x.org/p}, note = {Work in progress}}")
    assert text == "Page [Internet]. Available from: https://x.org/p Work in progress."


def test_no_volume_no_issue_is_date_colon_pages() -> None:
    """Ch. 1, 'no volume or issue': 'Curr Opin Gen Surg. 1993:325-33.'"""
    text, _ = formatted(f"@article{{k, {ARTICLE}, month = {{feb}}, pages = {{e123}}}}")
    assert text == "Doe J. A title. J Test. 2023 Feb:e123."
    assert ";:" not in text


def test_issue_without_volume_keeps_the_semicolon() -> None:
    """Ch. 1, 'issue with no volume': 'Clin Orthop. 1995 Feb;(320):110-4.'"""
    text, _ = formatted(f"@article{{k, {ARTICLE}, month = {{feb}}, number = {{320}}, pages = {{110--114}}}}")
    assert text == "Doe J. A title. J Test. 2023 Feb;(320):110-4."


@pytest.mark.parametrize("placeholder", ["n/a", "N/A", "--"])
def test_placeholder_values_are_not_printed(placeholder: str) -> None:
    text, _ = formatted(
        f"@article{{k, {ARTICLE}, volume = {{{placeholder}}}, number = {{{placeholder}}}, doi = {{10.1/x}}}}"
    )
    assert text == "Doe J. A title. J Test. 2023. doi:10.1/x."


def test_export_field_lines_in_a_note_are_not_printed() -> None:
    note = "_eprint: https://onlinelibrary.wiley.com/doi/pdf/10.1/x"
    assert formatted(f"@article{{k, {ARTICLE}, volume = {{2}}, note = {{{note}}}}}")[0] == (
        "Doe J. A title. J Test. 2023;2."
    )
    # Zotero's fields without a BibTeX name: a journal article shows no publisher (ch. 1)
    zotero = "Number: 5\nPublisher: Nature Publishing Group"
    assert formatted(f"@article{{k, {ARTICLE}, volume = {{2}}, number = {{5}}, note = {{{zotero}}}}}")[0] == (
        "Doe J. A title. J Test. 2023;2(5)."
    )


def test_identifiers_written_in_a_note_are_the_identifiers() -> None:
    texmed = (
        r"[DOI:\href{https://dx.doi.org/10.1/x}{10.1/x}] [PubMed:\href{https://www.ncbi.nlm.nih.gov/pubmed/42}{42}]"
    )
    text, _ = formatted(f"@article{{k, {ARTICLE}, volume = {{2}}, note = {{{texmed}}}}}")
    assert text == "Doe J. A title. J Test. 2023;2. doi:10.1/x. PMID: 42."
    text, _ = formatted(f"@article{{k, {ARTICLE}, volume = {{2}}, note = {{{{PMID:}} 42}}}}")
    assert text == "Doe J. A title. J Test. 2023;2. PMID: 42."


@pytest.mark.parametrize("status", ["in press", "In Press", "forthcoming", "accepted"])
def test_in_press_is_forthcoming(status: str) -> None:
    """Ch. 11: 'Proc Natl Acad Sci U S A. Forthcoming 2002.'"""
    text, _ = formatted(
        f"@article{{k, author = {{Doe, Jane}}, title = {{T}}, journal = {{J Test}}, year = {{{status}}}}}"
    )
    assert text == "Doe J. T. J Test. Forthcoming."
    text, _ = formatted(f"@article{{k, {ARTICLE}, note = {{Accepted for publication}}}}")
    assert text == "Doe J. A title. J Test. Forthcoming 2023."


def test_first_edition_is_not_stated_and_truncated_edition_words_go() -> None:
    """Ch. 2: no edition statement for a first edition; '2nd ed.' for a second."""
    book = "author = {Doe, Jane}, title = {B}, publisher = {P}, address = {London}, year = {2001}"
    for first in ("1st", "1st,", "1", "First", "first edition"):
        assert formatted(f"@book{{k, {book}, edition = {{{first}}}}}")[0] == "Doe J. B. London: P; 2001."
    for second in ("Second Edi", "2nd edn", "Second Edition", "2"):
        assert formatted(f"@book{{k, {book}, edition = {{{second}}}}}")[0] == "Doe J. B. 2nd ed. London: P; 2001."


def test_generation_is_an_arabic_ordinal() -> None:
    """Ch. 1, author names: 'Jr', 'Sr', '2nd', '3rd' after the initials; roman numerals become ordinals."""
    text, _ = formatted("@book{k, author = {von Hicks, III, Michael}, title = {B}, publisher = {P}, year = {2001}}")
    assert text == "von Hicks M 3rd. B. P; 2001."


def test_organisations_written_without_braces_stay_whole() -> None:
    source = (
        "@misc{k, author = {American Rights at Work and Massachusetts General Hospital}, title = {T}, year = {2012}}"
    )
    assert formatted(source)[0] == "American Rights at Work, Massachusetts General Hospital. T. 2012."


def test_empty_names_are_not_authors() -> None:
    for authors in ("Doe, Jane and and Roe, Rick", "Doe, Jane and Roe, Rick and"):
        text, _ = formatted(f"@article{{k, author = {{{authors}}}, title = {{T}}, journal = {{J}}, year = {{2020}}}}")
        assert text == "Doe J, Roe R. T. J. 2020."


@pytest.mark.parametrize(
    "written", ["https://doi.org/10.1/x(y)", "http://dx.doi.org/10.1/x%28y%29", "doi:10.1/x(y)", "DOI: 10.1/x(y)"]
)
def test_a_doi_typed_as_a_link_or_with_a_prefix_is_the_bare_doi(written: str) -> None:
    bib = parse(f"@article{{k, {ARTICLE}, volume = {{1}}, doi = {{{written}}}}}", "refs.bib")
    result = Formatter(bib).format(bib.entries["k"])
    assert result.text == "Doe J. A title. J Test. 2023;1. doi:10.1/x(y)."
    assert 'href="https://doi.org/10.1/x(y)"' in str(result.html)


def test_a_sici_doi_is_linked_and_not_reported() -> None:
    doi = "10.1002/(SICI)1097-0193(1999)8:4<194::AID-HBM4>3.0.CO;2-C"
    bib = parse(f"@article{{k, {ARTICLE}, volume = {{8}}, doi = {{{doi}}}}}", "refs.bib")
    formatter = Formatter(bib)
    result = formatter.format(bib.entries["k"])
    assert not [str(p) for p in bib.problems] + [str(p) for p in formatter.problems]
    assert 'href="https://doi.org/10.1002/(SICI)1097-0193(1999)8:4%3C194::AID-HBM4%3E3.0.CO;2-C"' in str(result.html)
    assert result.text.endswith("doi:" + doi + ".")


def test_proceedings_without_publisher_is_not_warned_about() -> None:
    text, problems = formatted("@proceedings{k, editor = {Doe, Jane}, title = {Proc of X}, year = {2006}}")
    assert text == "Doe J, editor. Proc of X. 2006."
    assert problems == []


def test_an_arxiv_article_without_journal_is_a_preprint() -> None:
    """Ch. 12 / NLM's preprints: 'Title. arXiv [Preprint]. 2020 Apr. Available from: URL'."""
    source = (
        "@article{k, author = {Doe, Jane}, title = {T}, year = {2020}, month = apr, archivePrefix = {arXiv},"
        " eprint = {2004.11408}, url = {https://arxiv.org/abs/2004.11408}}"
    )
    text, problems = formatted(source)
    assert text == "Doe J. T. arXiv [Preprint]. 2020 Apr. Available from: https://arxiv.org/abs/2004.11408"
    assert problems == []
    text, _ = formatted("@article{k, author = {Doe, Jane}, title = {T}, year = {2014}, pages = {31--67}}")
    assert text == "Doe J. T. 2014:31-67."  # no journal, no volume: the location as ch. 1 gives it


def test_a_preprint_names_its_server() -> None:
    source = (
        "@misc{k, author = {Doe, Jane}, title = {T}, howpublished = {SSRN preprint}, year = {2025}, month = jul,"
        " note = {Posted: 9 July 2025}, doi = {10.2139/ssrn.1}}"
    )
    assert formatted(source)[0] == "Doe J. T. SSRN [Preprint]. 2025 Jul 9. doi:10.2139/ssrn.1."
    source = "@techreport{k, author = {Doe, Jane}, title = {T}, institution = {Research Square}, type = {preprint}, year = {2023}}"
    assert formatted(source)[0] == "Doe J. T. Research Square [Preprint]. 2023."


def test_data_sets_and_software_keep_publisher_and_version() -> None:
    source = (
        "@misc{k, author = {Doe, Jane}, title = {Sample study}, year = {2019}, note = {Data},"
        " doi = {10.7910/DVN/1}, publisher = {Harvard Dataverse}, version = {V1}}"
    )
    assert (
        formatted(source)[0] == "Doe J. Sample study [dataset]. Version 1. Harvard Dataverse; 2019. doi:10.7910/DVN/1."
    )
    source = "@software{k, author = {Doe, Jane}, title = {tool}, year = {2017}, month = sep, publisher = {Zenodo}, version = {2.1}, doi = {10.5281/zenodo.1}}"
    text, problems = formatted(source)
    assert text == "Doe J. tool. Version 2.1. Zenodo; 2017 Sep. doi:10.5281/zenodo.1."
    assert problems == []
    # the version already in the title is not said twice
    source = "@software{k, author = {Doe, Jane}, title = {tool: v0.8.1}, year = {2017}, publisher = {Zenodo}, version = {v0.8.1}}"
    assert formatted(source)[0] == "Doe J. tool: v0.8.1. Zenodo; 2017."


def test_supplement_issue_numbers() -> None:
    """Ch. 1: 'Cancer. 1996;77(8 Suppl):1684-90.'"""
    text, _ = formatted(f"@article{{k, {ARTICLE}, volume = {{77}}, number = {{8_suppl}}, pages = {{1684--1690}}}}")
    assert text == "Doe J. A title. J Test. 2023;77(8 Suppl):1684-90."


def test_a_country_after_the_city_goes_in_parentheses() -> None:
    source = "@phdthesis{k, author = {Doe, Jane}, title = {T}, school = {Univ}, address = {Nijmegen, Netherlands}, year = {1995}}"
    assert formatted(source)[0] == "Doe J. T [dissertation]. Nijmegen (Netherlands): Univ; 1995."


def test_an_unambiguous_numeric_access_date_in_a_note() -> None:
    source = "@misc{k, title = {Page}, howpublished = {\\url{https://x.org/p}}, note = {[Accessed 25-12-2024]}}"
    assert formatted(source)[0] == "Page [Internet]. [cited 2024 Dec 25]. Available from: https://x.org/p"


def test_a_note_that_only_gives_a_version_is_the_version() -> None:
    """Ch. 21/24: software's version is its edition statement, 'Version 3.2-10.'."""
    source = "@misc{k, author = {Doe, Jane}, title = {Tool}, year = {2025}, note = {R package version 3.2-10}}"
    assert formatted(source)[0] == "Doe J. Tool. Version 3.2-10. 2025."


def test_an_article_without_journal_keeps_its_volume_and_pages() -> None:
    """No journal to name (an @string not defined here): the rest of the article's location stays."""
    text, _ = formatted(
        "@article{k, author = {Doe, Jane}, title = {T}, year = {2004}, volume = {136}, pages = {183--196}}"
    )
    assert text == "Doe J. T. 2004;136:183-96."


def test_biblatex_pubstate_in_press_is_forthcoming() -> None:
    assert (
        formatted(f"@article{{k, {ARTICLE}, pubstate = {{inpress}}}}")[0] == "Doe J. A title. J Test. Forthcoming 2023."
    )


@pytest.mark.parametrize("server", ["bioRxiv", "medRxiv", "arXiv e-prints", "SSRN Electronic Journal"])
def test_an_article_in_a_preprint_server_is_a_preprint(server: str) -> None:
    """NLM: 'Title. bioRxiv [Preprint]. 2021.', a location as PubMed gives it: '2017:arXiv:1705.05823'."""
    source = f"@article{{k, author = {{Doe, Jane}}, title = {{T}}, journal = {{{server}}}, year = {{2021}}}}"
    shown = server.replace(" e-prints", "").replace(" Electronic Journal", "")
    assert formatted(source)[0] == f"Doe J. T. {shown} [Preprint]. 2021."
    source = "@article{k, author = {Doe, Jane}, title = {T}, journal = {arXiv e-prints}, year = {2017}, pages = {arXiv:1705.05823}}"
    assert formatted(source)[0] == "Doe J. T. arXiv [Preprint]. 2017:arXiv:1705.05823."
