"""LaTeX source to pybtex rich text, without the decoder when there is no LaTeX.

pybtex turns every field it shows into rich text with ``Text.from_latex``,
which runs latexcodec's decoder one character at a time: about half of the
time it takes to format a reference. Most names and titles contain nothing
LaTeX would change (plain letters, digits, single spaces and ordinary
punctuation), and for them the result is simply ``Text(value)``.

``install()`` puts that shortcut in front of pybtex's ``Text.from_latex``
(pybtex's templates call it through the class, so there is no other way
in); anything that might be LaTeX still goes through pybtex as before.
tests/unit/test_latex.py checks the shortcut against pybtex on generated
strings made of every character that matters.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from pybtex.richtext import Text

# What latexcodec or pybtex's brace parser may change (more than
# latex_to_text's _MAY_BE_LATEX, which is for the engine's own converter): commands, groups,
# math, ties, comments, quote and dash ligatures (`` '' -- ,, !` ?` << >>),
# ellipses, runs of spaces, leading space, any other whitespace.
_PYBTEX_MAY_CHANGE = re.compile(r"[\\{}$~%`\u00a0]|--|,,|''|\.\.|<<|>>|!`|\?`|\s\s|^\s|[^\S ]")

_pybtex_from_latex = Text.__dict__["from_latex"].__func__


def is_plain(value: str) -> bool:
    """True when LaTeX decoding would give back ``value`` unchanged."""
    return not _PYBTEX_MAY_CHANGE.search(value)


def from_latex(value: str) -> Text:
    """``Text.from_latex(value)``, without decoding plain text."""
    if is_plain(value):
        return Text(value)
    result: Text = _pybtex_from_latex(Text, value)
    return result


@functools.lru_cache(maxsize=65536)
def shown_by_pybtex(value: str) -> str:
    """What pybtex's own styles show for ``value``: latexcodec's decoding.

    Only to say what those styles would show; the engine's LaTeX to text is
    ``latex_to_text.to_unicode``.
    """
    return value if is_plain(value) else str(_pybtex_from_latex(Text, value))


def _from_latex(cls: Any, latex: str) -> Text:
    return from_latex(latex)


def install() -> None:
    """Make pybtex's ``Text.from_latex`` take the shortcut (idempotent)."""
    Text.from_latex = classmethod(_from_latex)
