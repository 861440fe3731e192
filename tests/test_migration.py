"""Sites written for mkdocs-bibtex 4.4 switch to the engine by changing one line of mkdocs.yml.

Each fixture (tests/fixtures/migrate_*) is written as such a site is: pandoc
citations, ``\\bibliography`` placeholders, ``bib_by_default``, its own
mkdocs-macros module, MathJax with ``{{``, several .bib files. The test
changes ``- bibtex:`` to ``- citations:`` and nothing else (it checks that no
page changed), builds with ``--strict``, and checks that every citation is
where it was written, numbered site-wide. The look-alike site must come out
byte for byte as it does without the plugin.
"""

from __future__ import annotations

import filecmp
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, Build, mkdocs_build
from tests.test_build import list_items, marker_texts, markers

STABLE = {"SOURCE_DATE_EPOCH": "1700000000"}  # the build date in the page's footer comment


def switch(project: Path) -> None:
    """The one edit a site makes: its bibtex plugin becomes citations."""
    config = project / "mkdocs.yml"
    before = config.read_text(encoding="utf-8").splitlines()
    after = [
        line.replace("- bibtex:", "- citations:") if line.lstrip().startswith("- bibtex:") else line for line in before
    ]
    assert sum(a != b for a, b in zip(before, after, strict=True)) == 1
    config.write_text("\n".join(after) + "\n", encoding="utf-8")


def pages_unchanged(name: str, project: Path) -> None:
    """Zero page edits: every file of docs/ is as the fixture has it."""
    source = FIXTURES / name / "docs"
    for path in source.rglob("*"):
        if path.is_file():
            assert filecmp.cmp(path, project / "docs" / path.relative_to(source), shallow=False), path


def build_site(
    tmp_path: Path, name: str, edit: Callable[[Path], None] | None = None, *extra: str, pages_edited: bool = False
) -> Build:
    """The fixture switched by its one line, ``edit`` applied, built with --strict.

    Unless the test says it edits pages itself, every page is checked to be the fixture's own.
    """
    project = tmp_path / name
    if not project.exists():
        shutil.copytree(FIXTURES / name, project)
        switch(project)
    if edit is not None:
        edit(project)
    if not pages_edited:
        pages_unchanged(name, project)
    site = tmp_path / f"{name}-site"
    if site.exists():
        shutil.rmtree(site)
    build = mkdocs_build(project, site, "--strict", *extra, env=STABLE)
    print(f"reproduce with: {build.command}\n--- log ---\n{build.log}")
    return build


def page_markers(build: Build, page: str) -> list[tuple[str | None, str]]:
    html = build.html(page)
    return list(zip([m["data-keys"] for m in markers(html)], marker_texts(html), strict=True))


def listed(build: Build, page: str) -> list[tuple[str | None, str | None]]:
    return [(item.get("value"), item["data-key"]) for item in list_items(build.html(page))]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def assert_clean(build: Build) -> None:
    assert build.returncode == 0
    assert build.log_lines("ERROR") == [] and build.log_lines("WARNING") == []


# -- a simulation framework's site ------------------------------------------------------


def test_simulation_site(tmp_path: Path) -> None:
    build = build_site(tmp_path, "migrate_simulation")
    assert_clean(build)
    assert page_markers(build, "index.html") == [
        ("verlet1967", "1"),
        ("frenkel2002 allen2017", "2,3"),
        ("allen2017", "3(ch. 3)"),
    ]
    assert page_markers(build, "theory/integrators/index.html") == [
        ("verlet1967", "1"),
        ("hairer2006", "4(pp188–190)"),
        ("tuckerman1992 leimkuhler2015", "5(sec. II),6(ch. 4)"),
        ("leimkuhler2015", "6"),
    ]
    assert page_markers(build, "theory/thermostats/index.html") == [
        ("berendsen1984", "7"),
        ("nose1984 hoover1985", "8,9"),
        ("andersen1980", "10"),
        ("bussi2007", "11"),
        ("bussi2007", "11"),
        ("bussi2007", "11(eq. 7)"),
    ]
    assert page_markers(build, "electrostatics/index.html") == [("darden1993", "12"), ("essmann1995", "13")]
    assert page_markers(build, "parallel/index.html") == [("plimpton1995", "14"), ("plimpton1995", "14(fig. 3)")]

    integrators = build.html("theory/integrators/index.html")
    # in-text: the authors, then the number; the code in the tab is left as written
    assert re.search(r"Leimkuhler and Matthews<sup class=\"citation\"[^>]*>.*?6.*?</sup> discuss", integrators)
    assert "# see [@verlet1967]" in integrators and "@njit" in integrators
    # \bibliography under the page's own "## References": one heading, the list below it
    assert integrators.count('id="references"') == 1
    assert integrators.index('id="references"') < integrators.index('<ol class="references"')
    assert listed(build, "theory/integrators/index.html") == [
        ("1", "verlet1967"),
        ("4", "hairer2006"),
        ("5", "tuckerman1992"),
        ("6", "leimkuhler2015"),
    ]
    # bib_by_default and a heading already there: the list goes under it, no second heading
    electro = build.html("electrostatics/index.html")
    assert electro.count('id="references"') == 1 and electro.count(">References<") == 1
    assert electro.index('id="references"') < electro.index('<ol class="references"')
    assert "\\newcommand{\\polar}{{\\color{red}n}}" in electro
    # no heading and no placeholder: one is added
    assert build.html("theory/thermostats/index.html").count('id="references"') == 1
    # \bibliography under "## Bibliography": no References heading added
    parallel = build.html("parallel/index.html")
    assert 'id="references"' not in parallel and 'id="bibliography"' in parallel
    assert "rank@{id}.log" in parallel
    # \full_bibliography: every entry of the file
    assert [key for _, key in listed(build, "bibliography/index.html")] == [
        "verlet1967",
        "frenkel2002",
        "allen2017",
        "hairer2006",
        "tuckerman1992",
        "leimkuhler2015",
        "berendsen1984",
        "nose1984",
        "hoover1985",
        "andersen1980",
        "bussi2007",
        "darden1993",
        "essmann1995",
        "plimpton1995",
    ]
    home = build.html("index.html")
    assert "mdflow-dev@example.org" in home and "@mdflow@fosstodon.org" in home
    assert "[@" not in text_of(home)


# -- an engineering library with its own mkdocs-macros module ------------------------------


def _macros_last(project: Path) -> None:
    """The two plugins the other way round: citations before macros."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    macros = "  - macros:\n      module_name: macros\n      on_error_fail: true\n"
    assert macros in text
    config.write_text(text.replace(macros, "") + macros, encoding="utf-8")


@pytest.mark.parametrize("order", ["macros first", "citations first"])
def test_engineering_site_with_its_own_macros_module(tmp_path: Path, order: str) -> None:
    build = build_site(tmp_path, "migrate_engineering", _macros_last if order == "citations first" else None)
    assert_clean(build)
    home = build.html("index.html")
    # the site's own module named macros: its variables, macros, filters and comments
    shown = text_of(home)
    assert "beamcalc 2.4.1" in shown and "pip install beamcalc==2.4.1" in shown and "9.81\u202fm/s²" in home
    assert "release banner" not in home
    assert page_markers(build, "index.html") == [("en1990 en1993", "1,2"), ("timoshenko1970 gere2012", "3(ch. 1),4")]
    assert page_markers(build, "loads/index.html") == [
        ("en1990", "1(sec. 6.4)"),
        ("en1991", "5"),
        ("en1990", "1(table A1.2(B))"),
        ("gere2012", "4(p345)"),
        ("roark2011", "6(ch. 8)"),
    ]
    materials = build.html("materials/index.html")
    assert "<td>S355</td>" in materials and "<td>EN1993</td>" in materials and "DO NOT EXCEED IT" in materials
    assert page_markers(build, "materials/index.html") == [
        ("en1993", "2(table 3.1)"),
        ("en1992", "7(table 3.1)"),
        ("euler1744", "8"),
    ]
    assert page_markers(build, "api/sections/index.html") == [("reissner1945", "9"), ("bathe2014", "10(ch. 5)")]
    assert "{{ docs }}" in build.html("api/sections/index.html")
    # \bibliography under each page's heading; the site's \printbibliography lists every entry
    assert listed(build, "loads/index.html") == [
        ("1", "en1990"),
        ("4", "gere2012"),
        ("5", "en1991"),
        ("6", "roark2011"),
    ]
    assert len(listed(build, "sources/index.html")) == 10


@pytest.mark.parametrize("order", ["macros first", "citations first"])
def test_the_engines_calls_beside_mkdocs_macros(tmp_path: Path, order: str) -> None:
    """cite() and references() work whichever plugin runs first (mkdocs-macros 1.5.0 beside it)."""

    def add_page(project: Path) -> None:
        if order == "citations first":
            _macros_last(project)
        (project / "docs" / "design.md").write_text(
            '# Design\n\nDeflection limits{{ cite("en1990", loc="A1.4") }} for {{ version }}'
            '{{ cite("gere2012", "roark2011", locs={"roark2011": "8"}) }}.\n\n{{ references() }}\n',
            encoding="utf-8",
        )
        config = project / "mkdocs.yml"
        config.write_text(
            config.read_text(encoding="utf-8").replace(
                "  - Sources: sources.md", "  - Design: design.md\n  - Sources: sources.md"
            ),
            encoding="utf-8",
        )

    build = build_site(tmp_path, "migrate_engineering", add_page)  # a new page; the fixture's are unchanged
    assert_clean(build)
    assert page_markers(build, "design/index.html") == [("en1990", "1(A1.4)"), ("gere2012 roark2011", "4,6(p8)")]
    assert "for 2.4.1" in build.html("design/index.html")
    assert listed(build, "design/index.html") == [("1", "en1990"), ("4", "gere2012"), ("6", "roark2011")]


# -- physics notes with five .bib files ----------------------------------------------------


def _export(project: Path) -> None:
    """A reference manager's export: 300 entries, none of them cited."""
    entries = []
    for n in range(300):
        entries.append(
            f"@article{{export{n:03d},\n  author = {{Author{n:03d}, Ann and Other, Otto}},\n"
            f"  title = {{Exported article number {n}}},\n  journal = {{Journal of Exports}},\n"
            f"  year = {{{1990 + n % 30}}},\n  volume = {{{n % 40 + 1}}},\n  pages = {{{n + 1}--{n + 9}}}\n}}\n"
        )
    (project / "bib" / "exports" / "zotero.bib").write_text("\n".join(entries), encoding="utf-8")


def test_physics_site_with_five_bib_files(tmp_path: Path) -> None:
    build = build_site(tmp_path, "migrate_physics", _export)
    assert_clean(build)
    assert len(list((tmp_path / "migrate_physics" / "bib").rglob("*.bib"))) == 5
    # the key in two files: said at both places, at INFO (the two entries are the same), the first kept
    info = [line for line in build.log.splitlines() if "peskin1995" in line]
    assert any("bib/renormalisation.bib:" in line and "bib/textbooks.bib:" in line for line in info), info
    assert page_markers(build, "index.html") == [("peskin1995 weinberg1995 srednicki2007", "1–3"), ("zee2010", "4")]
    assert re.search(r"Zee<sup class=\"citation\"[^>]*>.*?4.*?</sup> is a lighter companion", build.html("index.html"))
    assert page_markers(build, "amplitudes/index.html") == [
        ("parke1986", "5"),
        ("britto2005", "6"),
        ("dixon2014", "7(pp31–67)"),
        ("elvang2015", "8"),
    ]
    amplitudes = build.html("amplitudes/index.html")
    assert "Elvang and Huang<sup" in amplitudes and "Dixon<sup" in amplitudes
    assert "\\newcommand{\\polar}{{\\color{red}n}}" in amplitudes and "\\{%\\, x \\,%\\}" in amplitudes
    assert page_markers(build, "renormalisation/index.html") == [
        ("thooft1972", "9"),
        ("wilson1974", "10"),
        ("peskin1995", "1(ch. 12)"),
    ]
    assert page_markers(build, "lattice/index.html") == [
        ("wilson1974lattice", "11"),
        ("creutz1980", "12"),
        ("gattringer2010", "13(ch. 3)"),
    ]
    bibliography = build.html("bibliography/index.html")
    assert len(listed(build, "bibliography/index.html")) == 13 + 300
    assert bibliography.count('data-key="export') == 300
    assert "@qft-notes-bot" in build.html("index.html")


# -- pages without citation syntax ------------------------------------------------------------


def test_pages_without_citation_syntax_are_byte_identical(tmp_path: Path) -> None:
    project = tmp_path / "with"
    shutil.copytree(FIXTURES / "no_citation_syntax", project)
    plain = tmp_path / "without"
    shutil.copytree(FIXTURES / "no_citation_syntax", plain)
    config = plain / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - citations\n", ""), encoding="utf-8")
    with_plugin = mkdocs_build(project, tmp_path / "with-site", "--strict", env=STABLE)
    without = mkdocs_build(plain, tmp_path / "without-site", "--strict", env=STABLE)
    print(with_plugin.log, without.log)
    assert_clean(with_plugin)
    assert_clean(without)
    pages = sorted(p.relative_to(without.site) for p in without.site.rglob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        assert (with_plugin.site / page).read_bytes() == (without.site / page).read_bytes(), page
    # five entries nobody cites: said once, at INFO, so --strict passes
    assert (
        "references.bib: 5 entries are never cited (normal for a reference manager's export; set plugins.citations.warn_uncited: true to have them listed as warnings)"
        in [line.split("-", 1)[1].strip() for line in with_plugin.log.splitlines() if line.startswith("INFO")]
    )
    # what makes the corpus worth having is there, untouched
    home = with_plugin.html("index.html")
    for text in ("jane.doe@example.org", "logo%402x.png", "https://medium.example/@jdoe/a-post", "{{ page.title }}"):
        assert text in home


def test_the_lists_heading_follows_the_sites_language_and_a_pages_own(tmp_path: Path) -> None:
    def german(project: Path) -> None:
        config = project / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("language: en", "language: de"), encoding="utf-8")
        page = project / "docs" / "parallel.md"
        page.write_text(
            "---\nreferences_title: Quellen\n---\n"
            + page.read_text(encoding="utf-8").replace("## Bibliography\n\n\\bibliography\n", ""),
            encoding="utf-8",
        )

    build = build_site(tmp_path, "migrate_simulation", german, pages_edited=True)
    assert_clean(build)
    # no heading of its own: one in the site's language
    assert re.search(r'<h2 id="literatur">Literatur', build.html("theory/thermostats/index.html"))
    # the page's own "## References" still takes the list: no second heading
    electro = build.html("electrostatics/index.html")
    assert electro.count("<h2") == 1 and 'id="references"' in electro and "Literatur" not in electro
    # a page's front matter names its own
    assert re.search(r'<h2 id="quellen">Quellen', build.html("parallel/index.html"))
