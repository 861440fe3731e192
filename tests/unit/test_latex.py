"""The shortcut past LaTeX decoding gives exactly what pybtex gives."""

from __future__ import annotations

import codecs
from collections.abc import Callable

import latexcodec  # noqa: F401 - registers the codec
from hypothesis import given, settings
from hypothesis import strategies as st
from pybtex.markup import LaTeXParser
from pybtex.richtext import Text

from macros.bib import pybtex_latex as latex

# Every character that means something to latexcodec or to pybtex's brace
# parser, with plain ones and non-ASCII letters around them.
ALPHABET = list("abcXYZ09 .,;:!?'\"()[]<>-/&#_^*+=@|~{}\\$%`\t\n\u00a0éßü中😀…–—’")


def pybtex(value: str) -> Text:
    return LaTeXParser(codecs.decode(value, "ulatex")).parse()  # type: ignore[call-overload]


def outcome(function: Callable[[str], object], value: str) -> tuple[str, object]:
    """What a call gives: its result (and its text), or the kind of error it raises."""
    try:
        result = function(value)
    except Exception as error:  # noqa: BLE001 - unbalanced braces raise pybtex's syntax error
        return "raises", type(error)
    return "gives", (result, str(result))


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=12))
def test_the_shortcut_only_skips_what_decoding_leaves_alone(value: str) -> None:
    expected = outcome(pybtex, value)
    assert outcome(latex.from_latex, value) == expected
    kind, result = expected
    if kind == "gives":
        assert isinstance(result, tuple)
        assert outcome(latex.shown_by_pybtex, value) == ("gives", (result[1], result[1]))
    else:
        assert outcome(latex.shown_by_pybtex, value) == expected


def test_plain_names_and_titles_take_the_shortcut() -> None:
    for value in ("Smith", "García-López", "Hip extension: a pilot study (part 2)", "O'Neil", "Müller"):
        assert latex.is_plain(value), value
    for value in ('M{\\"u}ller', "pp. 12--14", "50% of", "a~b", "``quoted''", "  two spaces"):
        assert not latex.is_plain(value), value


def test_installed_into_pybtex() -> None:
    latex.install()
    assert Text.from_latex("Smith") == Text("Smith")
    assert Text.from_latex('M{\\"u}ller') == pybtex('M{\\"u}ller')
