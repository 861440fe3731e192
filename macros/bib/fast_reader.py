"""Read a well-formed .bib file several times faster than pybtex's scanner.

``reader.parse`` needs, for every entry, its type, key, fields (name and
value parts, @string macros substituted) and where it starts and ends.
pybtex's ``LowLevelParser`` gives that, but it makes a Python call for
every token and takes about 4 s for a 20 000-entry export; this reader does
the same walk with a few regular expressions and string searches.

It follows pybtex's grammar exactly (see ``LowLevelParser``): text outside
entries is ignored, ``@comment`` skips only its opening delimiter, names
are pybtex's ``NAME`` pattern, keys its ``KEY_BRACE``/``KEY_PAREN``,
values are quoted or braced strings, numbers or macros joined by ``#``.

At the first syntax error pybtex would report (a missing comma or brace,
braces nested over 100 deep, the end of the file inside an entry) it gives
up and returns None, and ``reader.parse`` reads the file again with
pybtex, whose messages and recovery it keeps. An undefined @string macro is
not a syntax error to BibTeX, which warns and reads it as empty, as pybtex
does: ``read`` does the same and lists where each one is.
tests/unit/test_fastbib.py compares the two on generated and mutated files.

``MacroHistory`` gives the @string macros as they stand at a point of the
file (a macro can be defined again; an entry sees the last definition
before it), so one entry can be read on its own exactly as in the whole.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from string import ascii_letters, digits

# pybtex.database.input.bibtex.NAME_CHARS
_NAME_CHARS = ascii_letters + "@!$&*+-./:;<>?[\\]^_`|~\x7f"
_NAME = re.compile(rf"[{re.escape(_NAME_CHARS)}][{re.escape(_NAME_CHARS + digits)}]*")
_SPACE = re.compile(r"\s*")
_KEY_BRACE = re.compile(r"[^\s,}]+")
_KEY_PAREN = re.compile(r"[^\s,]+")
_NUMBER = re.compile(rf"[{digits}]+")
_BRACE = re.compile(r"[{}]")
_QUOTE_OR_BRACE = re.compile(r'["{}]')
_MAX_DEPTH = 100  # pybtex: "too many nested braces"
# The common shapes, each in one match (whitespace included where pybtex skips it).
_FIELD_HEAD = re.compile(rf"\s*({_NAME.pattern})\s*=\s*")
_SIMPLE_PART = re.compile(r'\{[^{}]*\}|"[^"{}]*"')
_HASH = re.compile(r"\s*#\s*")
_COMMA = re.compile(r"\s*,")

Field = tuple[str, list[str]]
Entry = tuple[str, str, list[Field], int, int]  # type, key, fields, start, end


class _GiveUp(Exception):
    """Something pybtex would report: let it read the file."""


@dataclass
class Reading:
    """What pybtex reads in a text: its entries, its @string commands, and the undefined macros."""

    entries: list[Entry] = field(default_factory=list)
    strings: list[tuple[int, int, str, str]] = field(default_factory=list)  # start, end, name (lower), value
    undefined: list[tuple[str, int]] = field(default_factory=list)  # macro name as written, offset


def read(
    text: str, macros: Mapping[str, str] | None = None, on_entry: Callable[[Entry], None] | None = None
) -> Reading | None:
    """``text`` as pybtex reads it, or None if pybtex would report a syntax error.

    ``macros``: the @string macros defined before ``text`` (lower-case names);
    pybtex's month names when not given. ``on_entry``: called with each entry
    as it is read, instead of keeping them all in ``Reading.entries`` (a large
    file's fields need not all be in memory at once).
    """
    try:
        return _Reader(text, macros, on_entry).run()
    except _GiveUp:
        return None


def scan(text: str) -> list[Entry] | None:
    """Every entry of ``text`` as pybtex reads it, or None if pybtex would report any problem."""
    found = read(text)
    return None if found is None or found.undefined else found.entries


class MacroHistory:
    """Every definition of every @string macro, with where it takes effect."""

    def __init__(self, definitions: list[tuple[int, str, str]]) -> None:
        """``definitions``: (offset just past the @string, lower-case name, value), in file order."""
        self._by_name: dict[str, tuple[list[int], list[str]]] = {}
        for offset, name, value in definitions:
            offsets, values = self._by_name.setdefault(name, ([], []))
            offsets.append(offset)
            values.append(value)

    def at(self, offset: int) -> Mapping[str, str]:
        """The macros as an entry starting at ``offset`` sees them."""
        return _MacrosAt(self, offset)

    def get(self, name: str, offset: int) -> str | None:
        found = self._by_name.get(name)
        if found is not None:
            offsets, values = found
            i = bisect.bisect_right(offsets, offset)
            if i:
                return values[i - 1]
        return _months().get(name)


@functools.cache
def _months() -> dict[str, str]:
    """BibTeX's month macros (jan = "January", ...), as pybtex defines them (imported when first read)."""
    from pybtex.database.input.bibtex import month_names

    return {name.lower(): value for name, value in month_names.items()}


class _MacrosAt(Mapping[str, str]):
    def __init__(self, history: MacroHistory, offset: int) -> None:
        self._history = history
        self._offset = offset

    def __getitem__(self, name: str) -> str:
        value = self._history.get(name, self._offset)
        if value is None:
            raise KeyError(name)
        return value

    def __iter__(self):  # type: ignore[no-untyped-def]
        raise NotImplementedError("looked up by name only")

    def __len__(self) -> int:
        raise NotImplementedError("looked up by name only")


class _Reader:
    def __init__(
        self, text: str, macros: Mapping[str, str] | None = None, on_entry: Callable[[Entry], None] | None = None
    ) -> None:
        self.on_entry = on_entry
        self.text = text
        self.base: Mapping[str, str] = _months() if macros is None else macros
        self.defined: dict[str, str] = {}  # @string definitions in this text
        self.found = Reading()

    def run(self) -> Reading:
        text = self.text
        out = self.found.entries.append if self.on_entry is None else self.on_entry
        pos = 0
        while True:
            at = text.find("@", pos)
            if at < 0:
                return self.found
            pos = self._space(at + 1)
            name = _NAME.match(text, pos)
            if name is None:
                raise _GiveUp
            command = name.group()
            pos = self._space(name.end())
            opener = text[pos : pos + 1]
            if opener not in ("{", "("):
                raise _GiveUp
            closer = "}" if opener == "{" else ")"
            pos += 1
            kind = command.lower()
            if kind == "comment":
                continue  # pybtex goes on right after the opening delimiter
            if kind == "string":
                pos = self._space(pos)
                macro = _NAME.match(text, pos)
                if macro is None:
                    raise _GiveUp
                pos = self._expect("=", macro.end())
                parts, pos = self._value(self._space(pos))
                macro_name = macro.group().lower()
                value = self.defined[macro_name] = "".join(parts)
                pos = self._expect(closer, pos)
                self.found.strings.append((at, pos, macro_name, value))
                continue
            elif kind == "preamble":
                _, pos = self._value(self._space(pos))
            else:
                pos = self._space(pos)
                key = (_KEY_BRACE if closer == "}" else _KEY_PAREN).match(text, pos)
                if key is None:
                    raise _GiveUp
                fields, pos = self._fields(key.end())
                pos = self._expect(closer, pos)
                out((command, key.group(), fields, at, pos))
                continue
            pos = self._expect(closer, pos)

    def _space(self, pos: int) -> int:
        match = _SPACE.match(self.text, pos)
        assert match is not None  # \s* always matches
        return match.end()

    def _expect(self, char: str, pos: int) -> int:
        pos = self._space(pos)
        if not self.text.startswith(char, pos):
            raise _GiveUp
        return pos + 1

    def _fields(self, pos: int) -> tuple[list[Field], int]:
        text = self.text
        fields: list[Field] = []
        while True:
            head = _FIELD_HEAD.match(text, pos)
            if head is not None:
                parts, pos = self._value(head.end())
                fields.append((head.group(1), parts))
            elif _NAME.match(text, self._space(pos)):
                raise _GiveUp  # a field name without '='
            comma = _COMMA.match(text, pos)
            if comma is None:
                return fields, pos
            pos = comma.end()

    def _value(self, pos: int) -> tuple[list[str], int]:
        """The parts of a value (joined with '#'); ``pos`` is past the whitespace before it."""
        parts: list[str] = []
        while True:
            part, pos = self._part(pos)
            parts.append(part)
            joined = _HASH.match(self.text, pos)
            if joined is None:
                return parts, pos
            pos = joined.end()

    def _part(self, pos: int) -> tuple[str, int]:
        text = self.text
        simple = _SIMPLE_PART.match(text, pos)
        if simple is not None:  # {text} or "text" with no braces inside
            return simple.group()[1:-1], simple.end()
        char = text[pos : pos + 1]
        if char in ('"', "{"):
            end = self._string_end(pos + 1, quoted=char == '"')
            return text[pos + 1 : end], end + 1
        number = _NUMBER.match(text, pos)
        if number is not None:
            return number.group(), number.end()
        name = _NAME.match(text, pos)
        if name is None:
            raise _GiveUp
        return self._macro(name.group(), pos), name.end()

    def _macro(self, name: str, pos: int) -> str:
        lower = name.lower()
        value = self.defined.get(lower)
        if value is None:
            value = self.base.get(lower)
        if value is None:  # BibTeX and pybtex warn, and read it as empty
            self.found.undefined.append((name, pos))
            return ""
        return value

    def _string_end(self, pos: int, quoted: bool) -> int:
        """Offset of the quote or brace that ends a string starting at ``pos``."""
        text = self.text
        depth = 0
        pattern = _QUOTE_OR_BRACE if quoted else _BRACE
        for match in pattern.finditer(text, pos):
            char = match.group()
            if char == "{":
                depth += 1
                if depth > _MAX_DEPTH:
                    raise _GiveUp
            elif char == "}":
                if depth == 0:
                    if quoted:
                        raise _GiveUp  # pybtex: unbalanced braces
                    return match.start()
                depth -= 1
            elif depth == 0:  # a quote outside braces ends a quoted string
                return match.start()
        raise _GiveUp  # the end of the file inside the string
