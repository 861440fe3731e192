"""A fast index of a .bib file: where each entry starts and ends, by key.

Parsing a whole bibliography with pybtex costs about 0.3 ms an entry, so a
20 000-entry export takes seconds on every build. This scanner finds entry
boundaries and keys with a few regular expressions and C-speed string
counts, so a build can parse only the entries it cites. It reads the
file's bytes, not decoded text (a 12 MB export with accented names would be
24 MB as a Python string); offsets are byte offsets.

It does not validate: the full pybtex parse (``bibfile.parse``) still runs
whenever the file changes, and ``python -m macros check`` always runs it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

_AT = re.compile(rb"@[ \t]*([A-Za-z][\w:-]*)[ \t\r\n]*([{(])")
_KEY = re.compile(rb"[ \t\r\n]*([^\s,{}()=\"#%'~\\]+)[ \t\r\n]*,")
_NEXT_AT = re.compile(rb"\n[ \t]*@")
_BRACE = re.compile(rb"[{}]")
_DELIMITER = re.compile(rb"[{}()]")


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

    def strings_before(self, offset: int) -> list[tuple[int, int]]:
        return [span for span in self.strings if span[1] <= offset]


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _matching_close(text: bytes, start: int, opener: bytes) -> int:
    """Offset just past the delimiter that closes the one at ``start``."""
    if opener == b"(":
        depth = 0
        for match in _DELIMITER.finditer(text, start):
            char = match.group()
            if char in (b"{", b"("):
                depth += 1
            else:
                depth -= 1
            if depth == 0 and char == b")":
                return match.end()
        return len(text)
    # Fast path: most files start every entry on a new line. If the braces up
    # to the next "@" at a line start balance, the entry ends at the last "}".
    next_at = _NEXT_AT.search(text, start)
    stop = next_at.start() if next_at else len(text)
    chunk = text[start:stop]
    if chunk.count(b"{") == chunk.count(b"}"):
        last = chunk.rfind(b"}")
        if last >= 0:
            return start + last + 1
    depth = 0
    for match in _BRACE.finditer(text, start):
        depth += 1 if match.group() == b"{" else -1
        if depth == 0:
            return match.end()
    return len(text)


def build_index(text: bytes) -> BibIndex:
    """Index every entry of a .bib file's bytes (first of a duplicated key wins)."""
    index = BibIndex(digest=digest(text))
    pos = 0
    line = 1
    counted_to = 0
    while True:
        match = _AT.search(text, pos)
        if match is None:
            break
        kind = match.group(1).decode("ascii").lower()
        start = match.start()
        end = _matching_close(text, match.end() - 1, match.group(2))
        line += text.count(b"\n", counted_to, start)
        counted_to = start
        if kind == "string":
            index.strings.append((start, end))
        elif kind not in ("comment", "preamble"):
            key = _KEY.match(text, match.end())
            if key is not None:
                name = key.group(1).decode("utf-8", "replace")
                lower = name.lower()
                if lower not in index.entries:
                    index.entries[lower] = IndexedEntry(name, kind, line, start, end)
        pos = max(end, match.end())
    return index
