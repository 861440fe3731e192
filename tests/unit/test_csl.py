"""CSL styles (issue 25): finding a style by name, the CSL-JSON the engine feeds citeproc-py, references and citations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from macros.bib.reader import BibEntry, Bibliography, parse
from macros.cache import BibCache
from macros.csl import AUTHOR_DATE, BUILTIN, NUMERIC, CslStyle, StyleError, find_style, style_names
from macros.csl.csljson import csl_item, text_with_case
from macros.csl.formatter import CiteRequest, CslFormatter, _suffix, marker_look

BIB = r"""
@article{kang2013,
  author = {Kang, Sun-Young and Jeon, Hye-Seon and Kwon, Oh-Yun and Cynn, Heon-Seock and Choi, Bora},
  title = {Activation of the gluteus maximus and hamstring muscles during prone hip extension with knee flexion in three hip abduction positions},
  journal = {Manual Therapy}, volume = {18}, number = {4}, pages = {303--7}, year = {2013},
  doi = {10.1016/j.math.2012.11.006}
}
@article{kang2013b,
  author = {Kang, Sun-Young and Jeon, Hye-Seon and Kwon, Oh-Yun},
  title = {Another study of {EMG} in {Manual} work},
  journaltitle = {Manual Therapy}, date = {2013-05-02}, volume = {18}, pages = {400--410}
}
@book{berg1999,
  author = {van der Berg, Jan and King, Jr., Martin Luther and {World Health Organization}},
  title = {Clinically oriented anatomy}, edition = {4}, publisher = {Lippincott},
  location = {Baltimore, MD}, year = {1999}
}
@misc{evil,
  author = {O'Donohue, M. F.},
  title = {<script>alert(1)</script> \& more},
  howpublished = {\url{https://example.org/a?b=1&c=2}}, year = {2020}, note = {Accessed 2020-01-31}
}
"""


@pytest.fixture(scope="module")
def bib() -> Bibliography:
    return parse(BIB, "refs.bib")


def csl(name: str) -> CslStyle:
    style = find_style(name)
    assert isinstance(style, CslStyle)
    return style


def get(bib: Bibliography, key: str) -> BibEntry:
    item = bib.get(key)
    assert item is not None
    return item


def test_style_names_are_the_10844_csl_styles_and_the_built_in_ones() -> None:
    names = style_names()
    assert len(names) == 10844 + 4  # nlm-citation-sequence is both a CSL file and the built-in's other name
    assert {"apa", "ieee", "nature", "american-medical-association", "vancouver", "unsrt"} <= set(names)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("apa", AUTHOR_DATE),
        ("APA", AUTHOR_DATE),
        ("chicago-author-date", AUTHOR_DATE),
        ("harvard-cite-them-right", AUTHOR_DATE),
        ("ieee", NUMERIC),
        ("nature", NUMERIC),
        ("american-medical-association", NUMERIC),
        ("nature-biotechnology", NUMERIC),  # a dependent style: formatted by its parent
    ],
)
def test_a_csl_style_by_name(value: str, kind: str) -> None:
    style = find_style(value)
    assert not isinstance(style, str)
    assert style.kind == kind
    assert Path(style.path).is_file()


def test_a_dependent_style_is_formatted_by_its_independent_parent() -> None:
    style = csl("nature-biotechnology")
    assert Path(style.path).name == "nature.csl"


def test_vancouver_and_nlm_citation_sequence_both_name_the_built_in_style() -> None:
    assert find_style("vancouver") == BUILTIN
    assert find_style("nlm-citation-sequence") == BUILTIN
    assert find_style("unsrt") == "unsrt"


def test_a_renamed_style_still_finds_its_new_name() -> None:
    style = find_style("harvard1")
    assert not isinstance(style, str) and style.name == "harvard-cite-them-right"


def test_a_wrong_name_is_an_error_with_did_you_mean() -> None:
    with pytest.raises(StyleError) as error:
        find_style("apa7")
    assert "unknown style 'apa7'" in str(error.value)
    assert "did you mean 'apa'" in str(error.value) or "'apa-" in str(error.value)
    with pytest.raises(StyleError, match="did you mean 'american-medical-association"):
        find_style("american-medical-asociation")


def test_a_note_style_is_refused_with_what_to_choose() -> None:
    with pytest.raises(StyleError, match=r"note style .*choose a numeric style"):
        find_style("chicago-note-bibliography")


def test_a_csl_file_in_the_site(tmp_path: Path) -> None:
    source = Path(csl("ieee").path).read_text(encoding="utf-8")
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "mine.csl").write_text(source, encoding="utf-8")
    style = find_style("styles/mine.csl", tmp_path)
    assert not isinstance(style, str) and style.kind == NUMERIC and style.name == "styles/mine.csl"
    with pytest.raises(StyleError, match=r"'styles/none\.csl' does not exist"):
        find_style("styles/none.csl", tmp_path)


def test_csl_json_reads_the_vancouver_data_model(bib: Bibliography) -> None:
    berg = csl_item("berg1999", get(bib, "berg1999").entry, bib.data)
    assert berg["type"] == "book"
    assert berg["author"][0] == {"family": "Berg", "non-dropping-particle": "van der", "given": "Jan"}
    assert berg["author"][1] == {"family": "King", "given": "Martin Luther", "suffix": "Jr."}
    assert berg["author"][2] == {"literal": "World Health Organization"}
    assert berg["publisher-place"] == "Baltimore, MD"  # biblatex's location
    kang = csl_item("kang2013", get(bib, "kang2013").entry, bib.data)
    assert kang["page"] == "303-307"  # an abbreviated range, expanded for the style to shorten
    assert kang["DOI"] == "10.1016/j.math.2012.11.006"
    b = csl_item("kang2013b", get(bib, "kang2013b").entry, bib.data)
    assert b["container-title"] == "Manual Therapy"  # journaltitle
    assert b["issued"] == {"date-parts": [[2013, 5, 2]]}  # date
    assert b["title"] == 'Another study of <span class="nocase">EMG</span> in <span class="nocase">Manual</span> work'
    evil = csl_item("evil", get(bib, "evil").entry, bib.data)
    assert evil["URL"] == "https://example.org/a?b=1&c=2"  # \url in howpublished
    assert evil["accessed"] == {"date-parts": [[2020, 1, 31]]}  # the note that was an access date
    assert evil["author"][0]["family"] == "O\u2019Donohue"


def test_brace_groups_starting_with_a_command_are_not_case_protection() -> None:
    assert text_with_case(r"Effect of {\"o}strogen on {DNA}") == 'Effect of östrogen on <span class="nocase">DNA</span>'


def test_case_protection_covers_whole_words() -> None:
    # citeproc-py would print "F Rench" and "Bone - Conduction" in a title-cased style
    assert text_with_case("festooning {FR}ench phrases") == 'festooning <span class="nocase">FRench</span> phrases'
    assert text_with_case("of {{Bone}}-{{Conduction Technologies}}") == (
        'of <span class="nocase">Bone-Conduction Technologies</span>'
    )


def formatter(bib: Bibliography, name: str, tmp_path: Path | None = None) -> CslFormatter:
    disk = BibCache(str(tmp_path), "digest") if tmp_path is not None else None
    return CslFormatter(bib, csl(name), disk=disk)


def test_apa_reference_html_and_text(bib: Bibliography) -> None:
    ref = formatter(bib, "apa").format(get(bib, "kang2013"))
    assert ref.text == (
        "Kang, S.-Y., Jeon, H.-S., Kwon, O.-Y., Cynn, H.-S., & Choi, B. (2013). Activation of the gluteus "
        "maximus and hamstring muscles during prone hip extension with knee flexion in three hip abduction "
        "positions. Manual Therapy, 18(4), 303–307. https://doi.org/10.1016/j.math.2012.11.006"
    )
    assert "<i>Manual Therapy</i>" in ref.html
    assert '<a href="https://doi.org/10.1016/j.math.2012.11.006">' in ref.html


def test_a_numeric_style_leaves_the_number_to_the_engine(bib: Bibliography) -> None:
    ref = formatter(bib, "ieee").format(get(bib, "kang2013"))
    assert ref.text.startswith("S.-Y. Kang, H.-S. Jeon, O.-Y. Kwon, H.-S. Cynn, and B. Choi, “Activation")
    assert "[1]" not in ref.text
    # en-US puts the comma inside the quotes (citeproc-py leaves it outside)
    assert "abduction positions,” Manual Therapy" in ref.text
    ama = formatter(bib, "american-medical-association").format(get(bib, "kang2013"))
    assert ama.text.startswith("Kang SY, Jeon HS, Kwon OY, Cynn HS, Choi B. Activation")
    assert "2013;18(4):303-307" in ama.text


def test_nothing_from_the_bib_reaches_the_page_as_markup(bib: Bibliography) -> None:
    ref = formatter(bib, "apa").format(get(bib, "evil"))
    assert "<script>" not in ref.html
    assert "&lt;script&gt;" in ref.html
    assert '<a href="https://example.org/a?b=1&amp;c=2">' in ref.html


def test_markers_look_as_the_style_writes_them() -> None:
    assert marker_look(csl("ieee")) == "brackets"
    assert marker_look(csl("nature")) == "superscript"
    assert marker_look(csl("american-medical-association")) == "superscript"


def test_author_date_citations_year_suffixes_and_order(bib: Bibliography) -> None:
    f = formatter(bib, "apa")
    items = [get(bib, k) for k in ("kang2013", "berg1999", "kang2013b", "evil")]
    suffixes = f.assign_year_suffixes(items)
    # kang2013 lists five authors, kang2013b three: both read "Kang et al., 2013"; APA's
    # list puts the shorter author list first, so kang2013b is 2013a
    assert suffixes == {"kang2013b": "a", "kang2013": "b"}
    assert f.citation([CiteRequest(get(bib, "kang2013"), locator="304")])[1] == "(Kang et al., 2013b, p. 304)"
    assert f.citation([CiteRequest(get(bib, "kang2013b"))], narrative=True)[1] == "Kang et al. (2013a)"
    assert f.citation([CiteRequest(get(bib, "kang2013"), locator="303–304")], narrative=True)[1] == (
        "Kang et al. (2013b, pp. 303–304)"
    )
    both = f.citation([CiteRequest(get(bib, "kang2013")), CiteRequest(get(bib, "berg1999"))])[1]
    assert both == "(Kang et al., 2013b; van der Berg et al., 1999)"  # APA sorts a citation by author
    assert "(2013b)" in f.format(get(bib, "kang2013")).text
    assert [i.key for i in f.ordered(items)] == ["kang2013b", "kang2013", "evil", "berg1999"]


def test_a_warm_formatter_formats_nothing(bib: Bibliography, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cold = formatter(bib, "apa", tmp_path)
    items = [get(bib, k) for k in ("kang2013", "berg1999", "kang2013b", "evil")]
    cold.assign_year_suffixes(items)
    expected = [cold.format(i).html for i in items], cold.citation([CiteRequest(items[0], "304")])
    order = [i.key for i in cold.ordered(items)]
    assert cold.disk is not None
    cold.disk.save()

    import macros.csl.processor as processor_module

    def no_processor(style: Any, digest: str = "") -> None:
        raise AssertionError("a warm build started citeproc-py")

    monkeypatch.setattr(processor_module, "processor", no_processor)
    warm = formatter(bib, "apa", tmp_path)
    warm.assign_year_suffixes(items)
    assert ([warm.format(i).html for i in items], warm.citation([CiteRequest(items[0], "304")])) == expected
    assert [i.key for i in warm.ordered(items)] == order


def test_year_suffixes_go_on_after_z() -> None:
    assert [_suffix(i) for i in (0, 1, 25, 26, 27)] == ["a", "b", "z", "aa", "ab"]


def test_an_in_text_citation_through_the_page_renderer(tmp_path: Path) -> None:
    """PageRenderer.marker(..., narrative=True), for the in-text syntax: 'Kang et al. (2013b, p. 304)'."""
    from macros.options import Options
    from macros.pages.index import CitationIndex
    from macros.pages.renderer import PageRenderer
    from macros.pages.scan import PageInfo

    (tmp_path / "docs").mkdir()
    (tmp_path / "references.bib").write_text(BIB, encoding="utf-8")
    page = tmp_path / "docs" / "index.md"
    page.write_text('# Home\n\nA {{ cite("kang2013") }} and {{ cite("kang2013b") }}.\n', encoding="utf-8")
    info = PageInfo(src="index.md", abs_path=str(page), path="docs/index.md", url="", title="Home")
    index = CitationIndex(Options(style="apa", warn_uncited=False), str(tmp_path), [info])
    renderer = PageRenderer(index, "index.md")
    narrative = str(renderer.marker(("kang2013",), "304", narrative=True))
    assert 'class="citation citation-author-date citation-narrative"' in narrative
    assert ">Kang et al. (2013b, p. 304)</a>" in narrative
    parenthetical = str(renderer.marker(("kang2013b",)))
    assert ">Kang et al., 2013a</a>)" in parenthetical
    assert index.problems.errors == []


def test_an_in_text_citation_of_an_undated_work() -> None:
    from macros.csl.processor import Cite, processor

    apa = processor(csl("apa"))
    item = {"id": "x", "type": "webpage", "title": "T", "author": [{"family": "Kang", "given": "S"}]}
    assert apa.narrative(Cite(item, "5"))[1] == "Kang (n.d., p. 5)"
    assert apa.cite([Cite(item)])[1] == "(Kang, n.d.)"


def test_a_csl_file_that_is_not_a_style_is_said_once_at_config_time(tmp_path: Path) -> None:
    (tmp_path / "broken.csl").write_text('<style xmlns="http://purl.org/net/xbiblio/csl"><info>', encoding="utf-8")
    with pytest.raises(StyleError, match=r"'broken\.csl' is not well-formed XML \(line 1: "):
        find_style("broken.csl", tmp_path)
    (tmp_path / "other.csl").write_text("<html/>", encoding="utf-8")
    with pytest.raises(StyleError, match=r"'other\.csl' is not a CSL style"):
        find_style("other.csl", tmp_path)


def test_entities_in_a_site_csl_file_are_not_expanded(tmp_path: Path) -> None:
    from macros.csl.processor import _prepared_style

    source = Path(csl("ieee").path).read_text(encoding="utf-8")
    doctype = '<?xml version="1.0"?>\n<!DOCTYPE style [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n'
    body = source.split("?>", 1)[1].replace("<title>", "<title>&x;", 1)
    (tmp_path / "entity.csl").write_text(doctype + body, encoding="utf-8")
    style = find_style("entity.csl", tmp_path)
    assert isinstance(style, CslStyle)
    xml, _ = _prepared_style(style)
    assert b"ENTITY" not in xml and b"&x;" not in xml
