"""Loading the .bib: line numbers, every error reported, odd encodings."""

from __future__ import annotations

from pathlib import Path

from macros.bib.reader import load, parse


def messages(text: str) -> list[str]:
    return [str(p) for p in parse(text, "refs.bib").problems]


def test_entries_keep_their_line_numbers() -> None:
    bib = parse("% c\n\n@article{a,\n title={A}}\n\n@book{B,\n title={B}}\n", "refs.bib")
    assert [(e.key, e.type, e.line) for e in bib.entries.values()] == [("a", "article", 3), ("B", "book", 6)]
    assert bib.get("b") is bib.get("B")


def test_all_errors_are_reported_and_parsing_goes_on() -> None:
    text = (
        "@article{one,\n title = {x}\n year = {2000}}\n"  # missing comma: line 3
        "@article{,\n title = {no key}}\n"  # line 4
        "@article{two, title = {fine}}\n"
        "@article{three, title = {x}, title = {y}}\n"  # duplicate field
    )
    assert messages(text) == [
        "refs.bib:3: syntax error: '}' or ',' expected here (is a comma missing at the end of the line before?)",
        "refs.bib:4: syntax error: the entry has no key (write @type{key, field = {...}, ...})",
        "refs.bib:7: entry 'three' has the field 'title' twice on this line; this first value is kept "
        "(remove the others)",
    ]
    assert "two" in parse(text, "refs.bib")


def test_duplicate_keys_are_case_insensitive_and_name_both_lines() -> None:
    assert messages("@misc{Key1, title={a}}\n\n@misc{key1, title={b}}\n") == [
        "refs.bib:3: duplicate key 'key1': already defined as 'Key1' at line 1 "
        "(BibTeX keys are case-insensitive; rename or remove one)"
    ]


def test_unclosed_brace_points_at_the_entry() -> None:
    assert messages("@misc{ok, title={a}}\n@misc{bad,\n title = {open\n}\n") == [
        "refs.bib:2: syntax error: this entry is never closed "
        "(an unclosed '{' or '\"' in it, or a missing '}' at its end?)"
    ]


def test_string_macros_and_crossref() -> None:
    bib = parse(
        '@string{jr = "Journal of Results"}\n@article{a, journal = jr, crossref = {b}}\n@book{b, title={Book}}\n',
        "refs.bib",
    )
    assert not bib.problems.items
    assert bib.get("a").entry.fields["journal"] == "Journal of Results"  # type: ignore[union-attr]
    assert messages("@article{a, crossref = {gone}}\n") == [
        "refs.bib:1: entry 'a' has crossref 'gone', but there is no entry with that key; it is shown with "
        "its own fields only, as BibTeX does (add that entry, or remove the crossref)"
    ]
    assert messages("@article{a, journal = undefinedmacro}\n") == [
        "refs.bib:1: undefined @string macro 'undefinedmacro': it is read as empty, as BibTeX does "
        "(define it with @string{undefinedmacro = {...}}, or put the value in braces)"
    ]


def test_bom_latin1_and_nul(tmp_path: Path) -> None:
    bom = tmp_path / "bom.bib"
    bom.write_bytes(b"\xef\xbb\xbf@misc{a, title={x}}\n")
    assert "a" in load(str(bom), "bom.bib") and not load(str(bom), "bom.bib").problems.items

    latin = tmp_path / "latin.bib"
    latin.write_bytes(b"@misc{a, title={x}}\n@misc{b, author={M\xfcller, J}}\n")
    bib = load(str(latin), "latin.bib")
    assert [str(p) for p in bib.problems] == [
        "latin.bib:2: the file is not valid UTF-8 (byte 0xfc); save it with UTF-8 encoding"
    ]
    assert "b" in bib  # still read, so one mistake does not hide the rest

    nul = tmp_path / "nul.bib"
    nul.write_bytes(b"@misc{a, title={x}}\n\n@misc{b, title={y\x00}}\n")
    assert [str(p) for p in load(str(nul), "nul.bib").problems] == [
        "nul.bib:3: the file contains a NUL byte; remove it"
    ]


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert [str(p) for p in load(str(tmp_path / "no.bib"), "no.bib").problems] == [
        "no.bib: bibliography file not found (create it, or set plugins.citations.bibliography in mkdocs.yml)"
    ]
    assert [str(p) for p in load(str(tmp_path), "refs").problems] == [
        "refs: is a directory, not a .bib file (check plugins.citations.bibliography in mkdocs.yml)"
    ]


def test_urls_keep_percent_signs_and_text_keeps_them_literal() -> None:
    bib = parse("@misc{a, title = {50% more}, url = {https://x.org/a%20b\\_c}}", "refs.bib")
    fields = bib.get("a").entry.fields  # type: ignore[union-attr]
    assert fields["url"] == "https://x.org/a%20b_c"
    assert fields["title"] == "50\\% more"


def test_suggestions_for_mistyped_keys() -> None:
    bib = parse("@misc{kang2013, title={a}}\n@misc{ono2011, title={b}}", "refs.bib")
    assert bib.suggest("kang2031") == "kang2013"
    assert bib.suggest("Ono2011") == "ono2011"
    assert bib.suggest("zzzzzz") is None


def test_a_deferred_person_splits_names_exactly_as_pybtex() -> None:
    from pybtex.database import Person

    from macros.bib.persons import DeferredPerson

    names = [
        "Donald E. Knuth",
        "van der Berg, Jan",
        "King, Jr, Martin Luther",
        "{World Health Organization}",
        "Jos{\\'e} de la Cruz",
        'M{\\"u}ller, Hans-J{\\"o}rg',
        "",
    ]
    parts = ("first_names", "middle_names", "prelast_names", "last_names", "lineage_names")
    for text in names:
        deferred, person = DeferredPerson(text), Person(text)
        assert "last_names" not in deferred.__dict__  # nothing split yet
        assert [getattr(deferred, p) for p in parts] == [getattr(person, p) for p in parts], text
        assert str(deferred) == str(person) and deferred == person


def test_whitespace_is_normalised_as_pybtex_does_for_every_character() -> None:
    import sys

    from pybtex.textutils import normalize_whitespace

    from macros.bib import reader

    for code in range(sys.maxunicode + 1):
        c = chr(code)
        for value in (f"a{c}b", f"{c}x{c}{c}y{c}"):
            assert reader.normalize_whitespace(value) == normalize_whitespace(value), hex(code)
