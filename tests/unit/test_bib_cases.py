"""The cases of issue 15: a warm build answers as a cold one, and the .bib is read as BibTeX would.

Each case is a few lines of .bib. "Cold" is a build with no ``.cache/``;
"warm" is a build after an earlier one (citing other keys, or in another
style) filled the cache.
"""

from __future__ import annotations

from pathlib import Path

from tests.engine_site import Result, run

J = "journal = {J}, year = 2000"


def cold_and_warm(
    tmp_path: Path, bib: str | bytes, cited: list[str], before: list[str], style: str = "vancouver"
) -> Result:
    """The cold and the warm build of ``cited`` must agree; the cold one is returned."""
    cold = run(tmp_path / "cold", bib, cited, style=style, cold=True)
    run(tmp_path / "warm", bib, before, cold=True)
    warm = run(tmp_path / "warm", bib, cited, style=style)
    assert warm.messages == cold.messages
    assert warm.html == cold.html
    return cold


def test_two_entries_on_one_line(tmp_path: Path) -> None:
    bib = f"@article{{a, title = {{A}}, {J}}} @article{{b, title = {{B}}, {J}}}\n"
    cold = cold_and_warm(tmp_path, bib, ["a", "b"], ["a"])
    assert cold.errors == []
    assert "B." in cold.html


def test_a_whole_file_on_one_line(tmp_path: Path) -> None:
    bib = "".join(f"@misc{{k{i}, title = {{T{i}}}, year = 2000}}" for i in range(30))
    cold = cold_and_warm(tmp_path, bib, [f"k{i}" for i in range(0, 30, 3)], ["k1"])
    assert cold.errors == []


def test_entry_missing_its_closing_brace_before_a_cited_entry(tmp_path: Path) -> None:
    bib = f"@article{{a, title = {{A}}, {J}\n\n@article{{b, title = {{B}}, {J}}}\n@misc{{c, title = {{C}}}}\n"
    cold = cold_and_warm(tmp_path, bib, ["b", "c"], ["c"])
    assert [m for m in cold.errors if "unknown citation key" in m] == []
    assert len(cold.errors) == 1, cold.errors


def test_entry_missing_its_closing_brace_after_a_comma(tmp_path: Path) -> None:
    """BibTeX goes on at the next '@'; pybtex would read '@article' as a field name and lose 'b'."""
    bib = f"@article{{a,\n  title = {{A}},\n  {J},\n\n@article{{b, title = {{B}}, {J}}}\n"
    cold = cold_and_warm(tmp_path, bib, ["b"], ["a"])
    assert [m for m in cold.errors if "unknown citation key" in m] == []
    assert len(cold.errors) == 1, cold.errors
    assert cold.errors[0].startswith("error: references.bib:1: "), cold.errors
    assert "never closed" in cold.errors[0]


def test_string_defined_twice_is_read_as_of_the_entry(tmp_path: Path) -> None:
    bib = (
        "@string{j = {First}}\n"
        "@article{a, title = {A}, journal = j, year = 2000}\n"
        "@string{j = {Second}}\n"
        "@article{b, title = {B}, journal = j, year = 2000}\n"
    )
    cold = cold_and_warm(tmp_path, bib, ["a", "b"], ["b"])
    a, b = cold.index.bib.get("a"), cold.index.bib.get("b")
    assert a is not None and b is not None
    first, second = cold.index.formatter.format(a), cold.index.formatter.format(b)
    assert "First" in first.text and "Second" in second.text


def test_a_style_change_on_a_warm_cache(tmp_path: Path) -> None:
    bib = "@string{j = {Journal}}\n" + "".join(
        f"@article{{k{i}, author = {{Doe, J}}, title = {{T{i}}}, journal = j, year = 2000}}\n" for i in range(50)
    )
    cold = cold_and_warm(tmp_path, bib, ["k3", "k4"], ["k3", "k4"], style="unsrt")
    assert cold.errors == []
    warm = run(tmp_path / "warm", bib, ["k3", "k4"], style="plain")
    assert set(warm.index.bib.data.entries) == {"k3", "k4"}  # only the cited entries were read again


def test_crossref_to_a_missing_entry_is_a_warning(tmp_path: Path) -> None:
    bib = "@misc{x}\n@inproceedings{a,\n  title = {A paper},\n  crossref = {nowhere},\n  year = 2000,\n}\n"
    cold = cold_and_warm(tmp_path, bib, ["a"], ["x"])
    assert cold.errors == []
    assert any(m.startswith("warning: references.bib:4: ") and "nowhere" in m for m in cold.warnings), cold.warnings
    assert "A paper" in cold.html


def test_a_repeated_field_is_a_warning_at_both_lines(tmp_path: Path) -> None:
    bib = "@article{a,\n  title = {A},\n  note = {first},\n  journal = {J}, year = 2000,\n  note = {second},\n}\n"
    cold = cold_and_warm(tmp_path, bib, ["a"], [])
    assert cold.errors == []
    repeated = [m for m in cold.warnings if "note" in m]
    assert [m.split(": ")[1] for m in repeated] == ["references.bib:3", "references.bib:5"], repeated
    assert "first" in cold.html and "second" not in cold.html


def test_pubmed_central_export_builds(tmp_path: Path) -> None:
    real = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "vancouver" / "robustness_extra.bib"
    bib = real.read_bytes()
    cold = cold_and_warm(tmp_path, bib, ["Ganesan2016"], [])
    assert cold.errors == []
    assert any("note" in m for m in cold.warnings)


def test_an_undefined_string_is_a_warning_at_its_line(tmp_path: Path) -> None:
    bib = "@article{a,\n  title = {A},\n  journal = jnope,\n  year = 2000,\n}\n@misc{b, title = {B}}\n"
    cold = cold_and_warm(tmp_path, bib, ["a", "b"], ["b"])
    assert cold.errors == []
    assert any(m.startswith("warning: references.bib:3: ") and "jnope" in m for m in cold.warnings), cold.warnings


def test_a_mendeley_key_with_backslashes_is_citable(tmp_path: Path) -> None:
    key = r"Zhang2021textdollartextbackslashhbox\CDBTune\\^\+\\textdollar"
    bib = f"@article{{{key},\n  title = {{CDBTune}},\n  {J},\n}}\n"
    cold = cold_and_warm(tmp_path, bib, [key], [])
    assert cold.errors == []
    assert "CDBTune" in cold.html


def test_a_field_brace_never_closed_before_a_blank_line(tmp_path: Path) -> None:
    bib = f"@article{{a,\n  title = {{A}},\n  journal = {{J,\n  year = 2000,\n}}\n\n@article{{b, title = {{B}}, {J}}}\n"
    cold = cold_and_warm(tmp_path, bib, ["b"], [])
    assert len(cold.errors) == 1, cold.errors
    assert cold.errors[0].startswith("error: references.bib:3: "), cold.errors
    assert "this `{` is never closed" in cold.errors[0]


def test_no_follow_up_warnings_for_a_broken_entry(tmp_path: Path) -> None:
    bib = f"@article{{a,\n  author = {{Doe, J}},\n  title = {{A}}\n  {J}\n}}\n@article{{b, title = {{B}}, {J}}}\n"
    cold = cold_and_warm(tmp_path, bib, ["a", "b"], ["b"])
    assert len(cold.errors) == 1, cold.errors
    assert not [m for m in cold.warnings if "'a' has no" in m], cold.warnings


def test_a_stray_at_between_entries_is_one_clear_error(tmp_path: Path) -> None:
    bib = "@misc{a, title = {A}}\nmail me at someone@example.org\n@misc{b, title = {B}}\n"
    cold = cold_and_warm(tmp_path, bib, ["a", "b"], ["a"])
    assert cold.errors == [
        "error: references.bib:2: syntax error: '@' starts an entry, but '@example.org' is none "
        "(outside entries, write 'at' for '@', or put the text in @comment{...})"
    ]


def test_a_stray_at_inside_a_broken_entry_adds_no_follow_up(tmp_path: Path) -> None:
    bib = "@misc{a,\n  title = {A},\n  mail me at someone@example.org\n}\n@misc{b, title = {B}}\n"
    cold = cold_and_warm(tmp_path, bib, ["a", "b"], ["a"])
    assert len(cold.errors) == 1 and cold.errors[0].startswith("error: references.bib:3: "), cold.errors


def test_a_brace_never_closed_to_the_end_of_the_file_hides_no_later_entry(tmp_path: Path) -> None:
    bib = (
        "@article{a,\n  title = {Title,\n  year = {2020}\n\n"
        f"@article{{b,\n  title = {{B}}, {J},\n}}\n@string{{x = {{X}}}}\n@misc{{c, title = x}}\n"
    )
    cold = cold_and_warm(tmp_path, bib, ["b", "c"], ["b"])
    assert cold.errors == [
        "error: references.bib:2: syntax error: this `{` is never closed, so the value runs on to the end of "
        "the file (add the missing `}`; the entries from line 5 on are read)"
    ]
    assert "X." in cold.html
