"""The build cache (.cache/citations/): a warm build says and shows exactly what a cold one does."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from macros.bib.fast_index import build_index
from macros.bib.reader import LazyBibliography, parse
from macros.problems import Problems
from tests.conftest import FIXTURES, ROOT, Build, mkdocs_build


def build_twice(tmp_path: Path, name: str) -> tuple[Build, Build, Path]:
    project = tmp_path / name
    shutil.copytree(FIXTURES / name, project)
    cold = mkdocs_build(project, tmp_path / "cold")
    warm = mkdocs_build(project, tmp_path / "warm")
    print(f"reproduce with: {warm.command}\n--- cold ---\n{cold.log}\n--- warm ---\n{warm.log}")
    return cold, warm, project


def messages(build: Build) -> list[str]:
    return build.log_lines("WARNING") + build.log_lines("ERROR")


@pytest.mark.parametrize(
    "name",
    [
        "basic",
        "hostile_fields",
        "missing_field",
        "duplicate_key",
        "uncited_entries",
        "many_errors",
        "markdown_not_jinja",
    ],
)
def test_warm_build_matches_cold_build(tmp_path: Path, name: str) -> None:
    cold, warm, project = build_twice(tmp_path, name)
    assert list((project / ".cache" / "citations").glob("bib-*.json")), "no cache was written"
    assert warm.returncode == cold.returncode
    assert messages(warm) == messages(cold)
    for page in cold.site.rglob("*.html"):
        relative = page.relative_to(cold.site)
        strip = re.compile(r"<!--\nMkDocs version.*?-->", re.S)  # the build time
        assert strip.sub("", (warm.site / relative).read_text()) == strip.sub("", page.read_text()), relative


def test_an_edited_bib_is_validated_again(tmp_path: Path) -> None:
    _, warm, project = build_twice(tmp_path, "basic")
    assert warm.returncode == 0
    bib = project / "references.bib"
    bib.write_text(bib.read_text().replace("  journal = {Journal One},\n", "  journal = {Journal One}\n"))
    broken = mkdocs_build(project, tmp_path / "broken")
    assert broken.returncode == 1
    assert "references.bib:5: syntax error: '}' or ',' expected here" in broken.log


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    _, _, project = build_twice(tmp_path, "missing_field")
    for cached in (project / ".cache" / "citations").glob("*.json"):
        cached.write_text("{not json")
    again = mkdocs_build(project, tmp_path / "again")
    assert again.returncode == 0
    assert again.log_lines("WARNING") == [
        "references.bib:1: entry 'nojournal2020' has no journal field, which a reference of type @article needs"
    ]


def test_index_agrees_with_the_full_parse() -> None:
    text = (ROOT / "references.bib").read_text()
    full = parse(text, "references.bib")
    raw = text.encode()
    index = build_index(raw)
    assert [(e.key, e.type, e.line) for e in index.entries.values()] == [
        (e.key, e.type, e.line) for e in full.entries.values()
    ]
    for key, item in full.entries.items():
        found = index.entries[key]
        assert raw[found.start : found.end].decode().strip() == item.text.strip()


def test_lazy_bibliography_parses_only_what_is_asked() -> None:
    text = '@string{j = "Journal"}\n' + "".join(
        f"@article{{k{i},\n  title = {{T{i}}},\n  journal = j,\n  crossref = {{k0}},\n}}\n" for i in range(1, 50)
    )
    text += "@book{k0, title = {Parent}, publisher = {P}, year = 2000}\n"
    lazy = LazyBibliography("refs.bib", text.encode(), build_index(text.encode()), Problems())
    assert "k7" in lazy and "K7" in lazy and "nope" not in lazy
    item = lazy.get("k7")
    assert item is not None and item.line == 32
    assert len(lazy.data.entries) == 0  # nothing parsed yet
    assert item.entry.fields["journal"] == "Journal"
    assert set(lazy.data.entries) == {"k7", "k0"}  # the entry and its crossref target only
    assert lazy.suggest("k07") in lazy.all_keys()


def test_serve_rebuilds_reuse_the_parsed_file(tmp_path: Path) -> None:
    from macros.bib.load import BibMemo, load_bibliography

    bib_file = tmp_path / "refs.bib"
    bib_file.write_text("@misc{a, title={A}}\n")
    memo: BibMemo = {}  # the plugin's, kept across the rebuilds of mkdocs serve
    first, _ = load_bibliography(str(bib_file), "refs.bib", str(tmp_path / "cache"), memo)
    again, _ = load_bibliography(str(bib_file), "refs.bib", str(tmp_path / "cache"), memo)
    assert again is first


def test_index_ignores_entries_quoted_inside_a_field() -> None:
    text = (
        "@article{a,\n  abstract = {We quote BibTeX:\n@article{fake,\n  title = {x}}\nand go on},\n  title = {A},\n}\n"
        "@misc{b, title = {B}}\n"
    )
    index = build_index(text.encode())
    assert [(e.key, e.line) for e in index.entries.values()] == [("a", 1), ("b", 8)]
    assert [(e.key, e.line) for e in parse(text, "refs.bib").entries.values()] == [("a", 1), ("b", 8)]
