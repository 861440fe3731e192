"""A fast index of a .bib file: where each entry starts and ends, by key.

Parsing a whole bibliography with pybtex costs about 0.3 ms an entry, so a
20 000-entry export takes seconds on every build. This scanner finds entry
boundaries and keys with a few regular expressions and C-speed string
counts, so a build can parse only the entries it cites. It reads the
file's bytes, not decoded text (a 12 MB export with accented names would be
24 MB as a Python string); offsets are byte offsets.

It follows pybtex's grammar (``LowLevelParser``) for a file pybtex reads
without a syntax error: an entry starts at any ``@`` outside an entry (not
only at the start of a line), ``@comment`` skips only its opening
delimiter, keys are pybtex's ``KEY_BRACE``/``KEY_PAREN``, and lines are
counted at ``\r\n``, ``\r`` and ``\n`` as ``reader`` counts them. It does
not validate. A build uses it only for a file whose full parse it was
checked against (``reader.index_agrees``, stored in the cache with the
file's digest); for any other file the full parse runs every time.
"""

from __future__ import annotations

import hashlib
import re
import string
import sys
from dataclasses import dataclass, field

# pybtex.database.input.bibtex.NAME_CHARS, and its NAME, KEY_BRACE and KEY_PAREN patterns
_NAME_CHARS = re.escape(string.ascii_letters.encode() + b"@!$&*+-./:;<>?[\\]^_`|~\x7f")
_COMMAND = re.compile(rb"@\s*([" + _NAME_CHARS + rb"][" + _NAME_CHARS + rb"0-9]*)\s*([{(])")
# What _COMMAND read before it failed: "@", spaces, a name and the name characters after it.
_NOT_A_COMMAND = re.compile(rb"@\s*[" + _NAME_CHARS + rb"][" + _NAME_CHARS + rb"0-9]*")
_KEY_BRACE = re.compile(rb"\s*([^\s,}]+)")
_KEY_PAREN = re.compile(rb"\s*([^\s,]+)")
_BRACE = re.compile(rb"[{}]")


def _balanced(depth: int) -> re.Pattern[bytes]:
    """'{...}' with braces nested up to ``depth`` deep (possessive: no backtracking)."""
    inner = rb"\{[^{}]*+\}"
    for _ in range(depth - 1):
        inner = rb"\{(?:[^{}]++|" + inner + rb")*+\}"
    return re.compile(inner)


_BALANCED = _balanced(8)
_PAREN_BODY = re.compile(rb'[{}()"]')


@dataclass(frozen=True, slots=True)
class IndexedEntry:
    key: str
    type: str
    line: int
    start: int  # byte offsets
    end: int


@dataclass
class BibIndex:
    """Entries by lower-case key, @string definitions, and the file's digest."""

    digest: str
    entries: dict[str, IndexedEntry] = field(default_factory=dict)
    strings: list[tuple[int, int]] = field(default_factory=list)  # (start, end) of each @string


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _matching_close(text: bytes, start: int, opener: bytes) -> int:
    """Offset just past the delimiter that closes the one at ``start``."""
    if opener == b"(":  # a ')' outside braces and quotes
        depth = 0
        quoted = False
        for match in _PAREN_BODY.finditer(text, start + 1):
            char = match.group()
            if char == b"{":
                depth += 1
            elif char == b"}":
                depth -= 1
            elif depth == 0 and char == b'"':
                quoted = not quoted
            elif depth == 0 and not quoted and char == b")":
                return match.end()
        return len(text)
    # Braces nested up to 8 deep (nearly every entry): one regular expression, at C speed.
    balanced = _BALANCED.match(text, start)
    if balanced is not None:
        return balanced.end()
    depth = 0
    for match in _BRACE.finditer(text, start):
        depth += 1 if match.group() == b"{" else -1
        if depth == 0:
            return match.end()
    return len(text)


def _line_breaks(text: bytes, start: int, end: int) -> int:
    """Line breaks in text[start:end], counting "\r\n" once (as recovery.LineIndex does)."""
    breaks = text.count(b"\n", start, end)
    if text.find(b"\r", start, end) >= 0:
        breaks += text.count(b"\r", start, end) - text.count(b"\r\n", start, end)
    return breaks


def build_index(text: bytes) -> BibIndex:
    """Index every entry of a .bib file's bytes (first of a duplicated key wins)."""
    index = BibIndex(digest=digest(text))
    pos = 0
    line = 1
    counted_to = 0
    while True:
        at = text.find(b"@", pos)
        if at < 0:
            break
        match = _COMMAND.match(text, at)
        if match is None:  # pybtex would report a syntax error here
            # A name was read to the end of its run of name characters, and no '{' or
            # '(' follows. Every '@' inside that run ("@@@@", "[@[@": '@' and '[' are
            # name characters) fails the same way, at the same place: go on from the
            # run's last character, not one byte on (a run of n '@' cost n^2).
            # Only an '@' that ends the run can start a command (after spaces).
            run = _NOT_A_COMMAND.match(text, at)
            pos = at + 1 if run is None else max(at + 1, run.end() - 1)
            continue
        kind = sys.intern(match.group(1).decode("ascii").lower())  # one string per type, not per entry
        if kind == "comment":  # pybtex goes on right after the opening delimiter
            pos = match.end()
            continue
        start = at
        opener = match.group(2)
        end = _matching_close(text, match.end() - 1, opener)
        line += _line_breaks(text, counted_to, start)
        counted_to = start
        if kind == "string":
            index.strings.append((start, end))
        elif kind != "preamble":
            key = (_KEY_BRACE if opener == b"{" else _KEY_PAREN).match(text, match.end())
            if key is not None:
                name = key.group(1).decode("utf-8", "replace")
                lower = name.lower()
                if lower not in index.entries:
                    index.entries[lower] = IndexedEntry(name, kind, line, start, end)
        pos = max(end, match.end())
    return index
