"""The byte index finds the entries pybtex reads, or a build does not use it for that file."""

from __future__ import annotations

import pytest
from pybtex.database.input.bibtex import LowLevelParser, UndefinedMacro, month_names
from pybtex.utils import CaseInsensitiveDict

from macros.bib import fast_reader
from macros.bib.fast_index import build_index
from macros.bib.reader import LazyBibliography, index_agrees, parse
from macros.problems import Problems

AGREEING = {
    "one line": "@article{a, title={A}} @article{b, title={B}}@misc{c,title={C}}",
    "key and no fields": "@misc{lonely}\n@misc{b, title = {B}}\n",
    "comment with an entry": "@comment{ @misc{inside, title = {Inside}} }\n@misc{b, title={B}}\n",
    "parentheses": '@article(p, title = "a (b) c", note = {x)y})\n@misc{b, title={B}}\n',
    "CR line ends": "@misc{a,\r title={A}}\r\r@misc{b,\r title={B}}\r",
    "braces in a comment after": "@misc{a, title={A}}\n\n%%% \\TeX{} and {more}\n@misc{b, title={B}}\n",
    "string redefined": "@string{j={One}}\n@misc{a, title=j}\n@string{j={Two}}\n@misc{b, title=j}\n",
    "deep braces": "@misc{a, title={" + "{" * 12 + "x" + "}" * 12 + "}}\n@misc{b, title={B}}\n",
    "at in a value": "@misc{a, note={mail a@b.org}, title={A}}\n@misc{b, title={B}}\n",
    "undefined macro": "@misc{a, journal = nowhere, title = {A}}\n@misc{b, title={B}}\n",
}


@pytest.mark.parametrize("name", sorted(AGREEING))
def test_index_agrees_with_the_full_parse(name: str) -> None:
    text = AGREEING[name]
    raw = text.encode()
    full = parse(text, "refs.bib")
    full.text = text
    index = build_index(raw)
    assert index_agrees(full, raw, index), [(e.key, e.line, e.start, e.end) for e in index.entries.values()]
    lazy = LazyBibliography("refs.bib", raw, index, Problems())
    assert lazy.all_keys() == full.all_keys()
    for key in full.all_keys():
        read, alone = full.get(key), lazy.get(key)
        assert read is not None and alone is not None
        assert dict(alone.entry.fields) == dict(read.entry.fields), key
        assert alone.entry.persons.keys() == read.entry.persons.keys()


def test_a_redefined_string_is_read_as_of_each_entry() -> None:
    text = AGREEING["string redefined"]
    lazy = LazyBibliography("refs.bib", text.encode(), build_index(text.encode()), Problems())
    b, a = lazy.get("b"), lazy.get("a")  # b first: each sees only the @strings before it
    assert b is not None and a is not None
    assert (a.entry.fields["title"], b.entry.fields["title"]) == ("One", "Two")


def test_a_file_with_a_syntax_error_is_never_read_lazily() -> None:
    text = "@misc{a, title={A}\n@misc{b, title={B}}\n"
    full = parse(text, "refs.bib")
    full.text = text
    assert not index_agrees(full, text.encode(), build_index(text.encode()))


def test_undefined_macros_are_where_pybtex_finds_them() -> None:
    text = "@string{s = nope # {x}}\n@misc{a, journal = jrn, month = jan, note = s # other}\n"
    errors: list[object] = []
    list(LowLevelParser(text, macros=CaseInsensitiveDict(month_names), handle_error=errors.append))
    expected = [str(e.args[0]) for e in errors if isinstance(e, UndefinedMacro)]
    reading = fast_reader.read(text)
    assert reading is not None
    assert [name for name, _ in reading.undefined] == expected == ["nope", "jrn", "other"]
    assert [text[pos : pos + len(name)] for name, pos in reading.undefined] == expected
    assert fast_reader.scan(text) is None  # scan still steps aside for any problem
    fields = dict((name, "".join(parts)) for name, parts in reading.entries[0][2])
    assert fields == {"journal": "", "month": "January", "note": "x"}


def test_macro_history() -> None:
    history = fast_reader.MacroHistory([(10, "j", "One"), (30, "j", "Two"), (20, "jan", "Janvier")])
    assert history.at(5).get("j") is None and history.at(10)["j"] == "One" and history.at(31)["j"] == "Two"
    assert history.at(0)["jan"] == "January" and history.at(25)["jan"] == "Janvier"
