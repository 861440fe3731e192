"""mkdocs-bibtex's options, the list's title by language, several .bib files, and the checkout's import path."""

from __future__ import annotations

import configparser
import tomllib
from pathlib import Path

from macros.bib.reader import Bibliography, parse_validated
from macros.bib.several import BibSet, combine
from macros.config import load_options
from macros.pages.titles import is_list_heading, references_title
from macros.problems import Problems
from tests.conftest import ROOT


def messages(raw: dict[str, object]) -> list[tuple[str, str]]:
    _, _, problems = load_options(raw, None)
    return [(p.severity, str(p)) for p in problems]


def test_mkdocs_bibtex_options_are_read_as_the_new_ones() -> None:
    _, options, problems = load_options(
        {
            "bib_dir": "bib",
            "bib_by_default": False,
            "bib_command": "\\printrefs",
            "full_bib_command": "\\printall",
            "enable_inline_citations": False,
            "footnote_format": "{key}",
        },
        None,
    )
    assert not problems.errors and not problems.warnings
    assert (options.bibliography, options.auto_references, options.in_text_citations) == ("bib", False, False)
    assert (options.references_placeholder, options.bibliography_placeholder) == ("\\printrefs", "\\printall")
    assert str(problems.items[0]) == (
        "mkdocs.yml: plugins.citations.bib_dir: mkdocs-bibtex's name, read as bibliography (rename it when convenient)"
    )


def test_csl_file_is_a_style_and_a_url_is_answered() -> None:
    # a .csl file is a style here: read as one, and checked as one
    assert messages({"csl_file": "nature.csl"}) == [
        (
            "info",
            "mkdocs.yml: plugins.citations.csl_file: mkdocs-bibtex's name, read as style (rename it when convenient)",
        ),
        (
            "error",
            "mkdocs.yml: plugins.citations.csl_file: the CSL file 'nature.csl' does not exist (the path is relative to mkdocs.yml)",
        ),
    ]
    assert messages({"bib_file": "https://api.zotero.org/users/1/items?format=bibtex"})[-1] == (
        "error",
        "mkdocs.yml: plugins.citations.bib_file: https://api.zotero.org/users/1/items?format=bibtex is a web "
        "address: download the file first and give its path (the build never goes to the network)",
    )
    assert messages({"bib_file": "a.bib", "bibliography": "b.bib"})[0] == (
        "error",
        "mkdocs.yml: plugins.citations.bib_file: mkdocs-bibtex's name for bibliography, which is also set: keep one",
    )
    _, options, _ = load_options({"bibliography": ["a.bib", "more/"]}, None)
    assert options.bibliography == ("a.bib", "more/")


def test_the_lists_title_follows_the_language() -> None:
    assert [references_title(code) for code in ("en", "de", "fr", "zh", "zh-Hant", "pt_BR", "ja", "xx", None)] == [
        "References",
        "Literatur",
        "Références",
        "参考文献",
        "參考文獻",
        "Referências",
        "参考文献",
        "References",
        "References",
    ]
    assert is_list_heading("References {#refs}", "References") and is_list_heading("bibliography", "Literatur")
    assert is_list_heading("Quellen", "Quellen") and not is_list_heading("Results", "References")


def _bib(path: str, text: str) -> Bibliography:
    return parse_validated(text, path, Problems())


def test_a_key_in_two_files_is_said_once_with_both_places_and_the_first_wins() -> None:
    first = _bib("a.bib", "@article{same,\n  title = {One},\n  journal = {J},\n  year = {2020}\n}\n")
    same = _bib("b.bib", "\n@article{same,\n  title = {One},\n  journal = {J},\n  year = {2020}\n}\n")
    other = _bib("c.bib", "@article{SAME,\n  title = {Two},\n  journal = {J},\n  year = {2021}\n}\n")
    merged = combine([first, same, other])
    assert isinstance(merged, BibSet) and len(merged) == 1
    assert merged.get("same") is first.get("same") and merged.file_of("Same") is first
    assert [(p.severity, str(p)) for p in merged.problems] == [
        ("info", "b.bib:2: entry 'same' is also in a.bib:1, the same entry; the first (a.bib) is used"),
        (
            "warning",
            "c.bib:1: entry 'SAME' is also defined, differently, at a.bib:1, which is the one used "
            "(remove one, or give this one another key)",
        ),
    ]
    assert combine([first]) is first


def test_the_checkout_registers_its_own_engine_as_pyproject_does() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (info,) = (ROOT / "devpath").glob("*.dist-info")
    assert info.name == f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    points = configparser.ConfigParser()
    points.read(info / "entry_points.txt")
    assert dict(points["mkdocs.plugins"]) == project["entry-points"]["mkdocs.plugins"]
    link = ROOT / "devpath" / "mkdocs_citations"
    assert link.is_symlink() and link.resolve() == (ROOT / "macros").resolve()
    assert Path(link, "plugin.py").is_file()


def test_the_wheel_lists_every_subpackage_of_the_engine() -> None:
    """setuptools maps macros/ to mkdocs_citations package by package: a new stage must be listed."""
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    found = [
        "mkdocs_citations",
        *sorted(
            "mkdocs_citations." + init.parent.relative_to(ROOT / "macros").as_posix().replace("/", ".")
            for init in (ROOT / "macros").rglob("__init__.py")
            if init.parent != ROOT / "macros"
        ),
    ]
    assert listed == found
