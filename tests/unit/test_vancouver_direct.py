"""The direct Vancouver formatter (styles/nlm.py) and the pybtex plugin print the same bytes.

Until commit 6dfb366 ``VancouverStyle`` was written in pybtex's template
language; this test compared it with the direct formatter (HTML rendered by
the site's safe backend, text by pybtex's plain-text one) on every input below
and found no difference, and only then were the templates removed. Now the
plugin hands the direct formatter's pieces to pybtex as rich text, and the
test holds the two renderers to the same bytes (escaping, links, what is
left out) for every entry of both Vancouver corpora, the guide's
references.bib, every .bib under tests/, every type with odd values, and
(slow) the 13 real-world files of ../shared/corpora/realbib. The output itself
is pinned by test_vancouver*.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pybtex.backends.plaintext import Backend as PlaintextBackend

from macros.bib.reader import Bibliography, load, parse
from macros.html.format_entries import Formatter
from macros.html.safe_backend import SafeHtmlBackend
from macros.styles.nlm import NlmFormatter, plain, to_html
from macros.styles.pybtex_style import VancouverStyle
from macros.styles.vancouver import FORMATTED_TYPES, is_known_type
from tests.conftest import ROOT

CORPORA = ROOT.parent / "shared" / "corpora"
FAST_FILES = [
    CORPORA / "vancouver" / "references.bib",
    CORPORA / "vancouver" / "robustness_extra.bib",
    CORPORA / "vancouver2" / "references.bib",
    ROOT / "references.bib",
    *sorted((ROOT / "tests").rglob("*.bib")),
]
REALBIB = sorted((CORPORA / "realbib").glob("*.bib"))

TYPES = [
    "article",
    "book",
    "booklet",
    "inbook",
    "incollection",
    "inproceedings",
    "conference",
    "manual",
    "mastersthesis",
    "phdthesis",
    "thesis",
    "proceedings",
    "techreport",
    "report",
    "online",
    "misc",
    "unpublished",
    "patent",
    "software",
    "dataset",
    "artwork",
]
# Fields in every combination worth having: LaTeX, links, placeholders, notes that are other fields.
VARIANTS = [
    "",
    "author = {Doe, Jane and Roe, R. and others}, title = {A {T}itle: with \\emph{LaTeX}?}, year = {2020}",
    "editor = {Ed, Ann}, title = {T}, booktitle = {B}, publisher = {P}, address = {Reading, Mass.}, year = {1999},"
    " edition = {Second Edi}, pages = {1--10}, chapter = {3}, type = {Part}",
    "author = {A, B}, title = {T}, journal = {J. Am. Chem. Soc.}, volume = {n/a}, number = {1_suppl},"
    " pages = {e123}, month = {feb}, day = {3}, doi = {https://doi.org/10.1/x<y>}, note = {Publisher: X}",
    "author = {A, B}, title = {T}, url = {https://x.org/a b}, urldate = {2021-01-02}, note = {Accessed 2021-03-04},"
    " howpublished = {SSRN preprint}, year = {in press}",
    "author = {A, B}, title = {T}, url = {javascript:alert(1)}, pmid = {123}, pmcid = {PMC4},"
    " eprint = {2004.1}, archiveprefix = {arXiv}, version = {v2}, publisher = {Zenodo},"
    " note = {[DOI:\\href{https://doi.org/10.2/z}{10.2/z}]}",
    'author = {A, B and and C, D and}, title = {<script>x</script> & "q"}, school = {S}, institution = {I},'
    " eventdate = {2002-04-03/2002-04-05}, venue = {V}, booktitle = {B}, note = {Data}, year = {2001}",
]


def reference_render(style: VancouverStyle, bib: Bibliography, key: str) -> tuple[str, str]:
    item = bib.get(key)
    assert item is not None
    text = style.format_entry(key, item.entry, bib_data=bib.data).text  # type: ignore[no-untyped-call]
    return text.render(SafeHtmlBackend()).strip(), text.render(PlaintextBackend()).strip()


def direct_render(formatter: NlmFormatter, bib: Bibliography, key: str) -> tuple[str, str]:
    item = bib.get(key)
    assert item is not None
    pieces = formatter.format(item.entry, bib.data)
    return to_html(pieces).strip(), plain(pieces).strip()


def differences(bib: Bibliography, max_authors: int = 6) -> list[tuple[str, tuple[str, str], tuple[str, str]]]:
    style, direct = VancouverStyle(max_authors=max_authors), NlmFormatter(max_authors)
    out = []
    for item in bib.entries.values():
        old = reference_render(style, bib, item.key)
        new = direct_render(direct, bib, item.key)
        if old != new:
            out.append((item.key, old, new))
    return out


@pytest.mark.parametrize("path", FAST_FILES, ids=lambda p: str(Path(p).relative_to(ROOT.parent)))
def test_same_output_as_the_template_style(path: Path) -> None:
    assert path.is_file(), f"missing: {path}"
    bib = load(str(path), path.name)
    assert differences(bib) == []


@pytest.mark.parametrize("max_authors", [1, 3, 6])
def test_same_output_for_every_type_and_odd_values(max_authors: int) -> None:
    source = "\n".join(
        f"@{kind}{{k{index}_{n}, {fields}}}" for index, kind in enumerate(TYPES) for n, fields in enumerate(VARIANTS)
    )
    bib = parse(source, "odd.bib")
    assert len(bib.entries) == len(TYPES) * len(VARIANTS)
    assert differences(bib, max_authors) == []


def test_every_type_the_style_knows_has_its_form() -> None:
    assert set(NlmFormatter().templates) == FORMATTED_TYPES
    assert all(is_known_type(kind) for kind in TYPES if kind != "artwork")
    assert not is_known_type("artwork")


def test_the_site_formatter_uses_the_direct_one_for_vancouver_only() -> None:
    bib = parse("@article{k, author = {Doe, Jane}, title = {T}, journal = {J}, year = {2020}}", "x.bib")
    assert Formatter(bib).direct is not None
    assert Formatter(bib, style="unsrt").direct is None
    assert Formatter(bib).format(bib.entries["k"]).text == "Doe J. T. J. 2020."


@pytest.mark.slow
@pytest.mark.parametrize("path", REALBIB, ids=lambda p: p.name)
def test_same_output_on_real_world_files(path: Path) -> None:
    bib = load(str(path), path.name)
    assert differences(bib) == []


@pytest.mark.slow
def test_the_real_world_files_are_there() -> None:
    assert sum(len(load(str(path), path.name).entries) for path in REALBIB) > 15_000
