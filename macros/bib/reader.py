"""Load and validate a BibTeX file, keeping the line number of every entry.

pybtex's own ``Parser`` stops at the first error and forgets where entries
start. Here its low-level scanner is driven directly, so that every syntax
error, duplicate key, duplicate field and dangling ``crossref`` is reported
with a line number, and parsing goes on after an error.

Lenient where BibTeX is: a repeated field, an undefined @string and a
``crossref`` to a missing entry are warnings (the first value is kept, the
macro is empty, the entry is shown with its own fields), and an entry left
open goes on at the next entry that starts a line, as BibTeX does.

pybtex is imported only to read or parse: a warm build, whose problems and
formatted references come from the cache, never imports it (nor latexcodec).
"""

from __future__ import annotations

import bisect
import difflib
import functools
import hashlib
import re
import sys
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import files
from ..problems import Problem, Problems
from . import fast_reader
from .fast_index import BibIndex, IndexedEntry
from .values import ValueChecks

if TYPE_CHECKING:
    from pybtex.database import BibliographyData, Entry, Person

    from .recovery import LineIndex


PERSON_FIELDS = ("author", "editor")
# Fields that are addresses or identifiers, not LaTeX text: '%' and '_' in a
# URL are literal, so these are kept verbatim, minus braces and escapes.
VERBATIM_FIELDS = ("url", "doi", "pmid", "pmcid", "eprint", "urldate", "isbn", "issn")
_LATEX_ESCAPE = re.compile(r"\\([%_&#$~])")
# A character after an odd number of backslashes is escaped; after an even
# number it is not ("\\\\" is a LaTeX line break, then the character).
_UNESCAPED_PERCENT = re.compile(r"(?<!\\)((?:\\\\)*)%")
# LaTeX's "\$" is a dollar sign, which pybtex's decoder leaves as "\$";
# "{$}" is one it shows as "$" without starting math mode.
_ESCAPED_DOLLAR = re.compile(r"(?<!\\)((?:\\\\)*)\\\$")
_TRAILING_BACKSLASH = re.compile(r"(?<!\\)(?:\\\\)*\\$")

# Font commands carry no meaning in a reference list: keep their text.
_FONT_COMMAND = re.compile(r"\\(?:emph|textit|textbf|textsc|textrm|textsf|texttt|textup|textmd|mathrm|mathit)\s*\{")
_FONT_SWITCH = re.compile(r"\{\\(?:em|it|bf|sc|rm|sf|tt|sl|normalfont)\b\s*")


def normalize_whitespace(value: str) -> str:
    """pybtex's normalize_whitespace (runs of whitespace to one space, stripped), faster."""
    return " ".join(value.split())


def strip_font_commands(value: str) -> str:
    """'\\emph{x}' and '{\\em x}' -> '{x}' (the braces still protect case)."""
    return _FONT_SWITCH.sub("{", _FONT_COMMAND.sub("{", value))


@dataclass(slots=True)  # no __dict__: a cold build holds one per entry (200 000 in a large export)
class BibEntry:
    """One entry of the .bib file, with where it stands."""

    key: str
    type: str
    line: int
    entry: Entry
    text: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class Bibliography:
    """All entries of one .bib file, looked up case-insensitively."""

    path: str
    entries: dict[str, BibEntry] = field(default_factory=dict)
    text: str = ""
    strings_text: str = ""  # every @string definition, as written (part of cache keys)
    problems: Problems = field(default_factory=Problems)
    _data: BibliographyData | None = field(default=None, repr=False)
    # Read by the fast reader, so exactly as pybtex reads it with no syntax error:
    # then entry and @string spans (character offsets) are known for certain.
    exact: bool = False
    string_spans: list[tuple[int, int]] = field(default_factory=list)
    history: fast_reader.MacroHistory | None = None  # the @string macros, for an exact file
    broken: dict[int, list[str]] = field(default_factory=dict)  # line -> keys of entries with a syntax error

    @property
    def data(self) -> BibliographyData:
        """pybtex's ``BibliographyData`` of the entries built so far (for its crossref lookups), made on first use."""
        if self._data is None:
            from pybtex.database import BibliographyData

            self._data = BibliographyData()
        return self._data

    def follow_up(self, problem: Problem) -> bool:
        """A missing-field warning about an entry whose syntax error is already reported."""
        if problem.severity != "warning" or problem.path != self.path:
            return False
        return problem.kind == "bib.missing-field" and problem.line in self.broken

    def get(self, key: str) -> BibEntry | None:
        return self.entries.get(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    def all_keys(self) -> list[str]:
        """Every key as written, in file order."""
        return [e.key for e in self.entries.values()]

    def suggest(self, key: str) -> str | None:
        """The closest existing key to a mistyped one, if any is close."""
        by_lower = {k.lower(): k for k in self.all_keys()}
        match = difflib.get_close_matches(key.lower(), list(by_lower), n=1, cutoff=0.6)
        return by_lower[match[0]] if match else None


Prepared = list[tuple[str, "str | list[Person]"]]  # (field name, value) or (role, persons)


class ReadBibEntry(BibEntry):
    """An entry of a file read in full: checked now, its pybtex ``Entry`` built on first use.

    Building pybtex entries (two case-insensitive dictionaries each) is most
    of the cost of reading a large file after the scan, and only the cited
    entries are ever formatted. For a file the fast reader read (``exact``),
    not even the field values are kept: the entry's text is read again, with
    the @string macros as they stand at its place, when it is first used, so
    that a cold build of a large file holds the file's text, not its fields
    (the same reading ``LazyBibliography`` relies on).
    """

    __slots__ = ("_bib", "_entry", "_prepared", "crossref", "end", "start")

    def __init__(
        self,
        key: str,
        type: str,  # noqa: A002 - as in BibEntry
        line: int,
        prepared: Prepared | None,
        bib: Bibliography,
        start: int,
        end: int,
        crossref: str | None,
    ) -> None:
        self.key, self.type, self.line = key, type, line
        self.start, self.end = start, end  # character offsets in the file's text (bib.text)
        self.crossref = crossref
        self._prepared = prepared  # None: read again from the text on first use
        self._bib = bib
        self._entry: Entry | None = None

    @property
    def text(self) -> str:  # type: ignore[override]
        return self._bib.text[self.start : self.end]

    def _fields(self) -> Prepared:
        if self._prepared is not None:
            return self._prepared
        bib = self._bib
        text = self.text
        macros = bib.history.at(self.start) if bib.history is not None else None
        reading = fast_reader.read(text, macros)
        if reading is not None and len(reading.entries) == 1 and reading.entries[0][1] == self.key:
            _, key, fields, _, _ = reading.entries[0]
            return _prepare_fields(key, fields, text, self.line, bib.path, Problems())
        full = parse(bib.text, bib.path, keep_fields=True).get(self.key)  # cannot happen: the whole file knows
        return full._fields() if isinstance(full, ReadBibEntry) else []

    @property
    def entry(self) -> Entry:
        if self._entry is None:
            self._entry = _build_entry(self.type, self.key, self._fields())
            self._bib.data.entries[self.key] = self._entry
            parent = self._bib.get(self.crossref or "")
            if parent is not None and parent is not self:
                parent.entry  # noqa: B018 - built for pybtex's crossref lookups
        return self._entry


def _build_entry(type: str, key: str, prepared: Prepared) -> Entry:  # noqa: A002 - as in BibEntry
    from pybtex.database import Entry

    entry = Entry(type)
    entry.key = key
    for name, value in prepared:
        if isinstance(value, str):
            entry.fields[name] = value
        else:
            for person in value:
                entry.add_person(person, name)
    return entry


class LazyBibEntry(BibEntry):
    """A BibEntry whose pybtex ``Entry`` is parsed on first use."""

    __slots__ = ("_bib", "_entry")

    def __init__(self, key: str, type: str, line: int, text: str, bib: LazyBibliography) -> None:  # noqa: A002
        self.key, self.type, self.line, self.text = key, type, line, text
        self._bib = bib
        self._entry: Entry | None = None

    @property
    def entry(self) -> Entry:
        if self._entry is None:
            self._entry = self._bib.parse_entry(self)
        return self._entry


class _LazyEntries(Mapping[str, BibEntry]):
    def __init__(self, bib: LazyBibliography) -> None:
        self._bib = bib
        self._made: dict[str, BibEntry] = {}

    def __getitem__(self, lower: str) -> BibEntry:
        made = self._made.get(lower)
        if made is None:
            found = self._bib.index.entries[lower]  # KeyError when unknown, as a dict
            text = decode_slice(self._bib.raw[found.start : found.end])
            made = LazyBibEntry(found.key, found.type, found.line, text, self._bib)
            self._made[lower] = made
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self._bib.index.entries)

    def __len__(self) -> int:
        return len(self._bib.index.entries)


class LazyBibliography(Bibliography):
    """A .bib file already validated (its problems come from the cache).

    Entries are found through the fast index and read only when a page
    cites them, each with the @string macros as they stand at its place in
    the file, so a build's cost follows what it cites, not the size of the
    file. Only for a file whose index agrees with its full parse (see
    ``index_agrees``): then an entry read alone is the entry read in full.
    """

    def __init__(self, path: str, raw: bytes, index: BibIndex, problems: Problems) -> None:
        super().__init__(path=path, problems=problems)
        self.raw = raw  # the file's bytes (read_bytes): only cited entries are ever decoded
        self.index = index
        self.entries = _LazyEntries(self)  # type: ignore[assignment]
        self.strings_text = strings_text(raw, index)
        self._history: fast_reader.MacroHistory | None = None
        self._full: Bibliography | None = None

    def all_keys(self) -> list[str]:
        return [found.key for found in self.index.entries.values()]

    def _macros_at(self, offset: int) -> Mapping[str, str] | None:
        if self._history is None:
            pieces = [decode_slice(self.raw[start:end]) for start, end in self.index.strings]
            reading = fast_reader.read("\n".join(pieces))
            if reading is None or len(reading.strings) != len(pieces):
                return None
            ends = [end for _, end in self.index.strings]
            self._history = fast_reader.MacroHistory(
                [(end, name, value) for end, (_, _, name, value) in zip(ends, reading.strings, strict=True)]
            )
        return self._history.at(offset)

    def parse_entry(self, item: LazyBibEntry) -> Entry:
        """The entry as the full parse reads it."""
        found: IndexedEntry = self.index.entries[item.key.lower()]
        macros = self._macros_at(found.start)
        reading = fast_reader.read(item.text, macros) if macros is not None else None
        if reading is not None and len(reading.entries) == 1 and reading.entries[0][1] == item.key:
            _, key, fields, _, _ = reading.entries[0]
            entry = _build_entry(item.type, key, _prepare_fields(key, fields, item.text, 0, self.path, Problems()))
        else:  # cannot happen for a file index_agrees() accepted; the full parse knows
            if self._full is None:
                self._full = parse(decode(self.raw, self.path, Problems()), self.path)
            full = self._full.get(item.key)
            if full is not None:
                entry = full.entry
            else:
                from pybtex.database import Entry

                entry = Entry(item.type)
            entry.key = item.key
        self.data.entries[item.key] = entry
        crossref = entry.fields.get("crossref")
        if crossref and crossref.lower() in self.index.entries and crossref not in self.data.entries:
            self.entries[crossref.lower()].entry  # noqa: B018 - parsed for pybtex's crossref lookups
        return entry


def index_agrees(bib: Bibliography, raw: bytes, index: BibIndex) -> bool:
    """Whether ``LazyBibliography(raw, index)`` gives exactly the entries of ``bib`` (its full parse).

    True only if the fast reader read the whole file (no syntax error) and
    the index has the same entries and @strings, in the same order, with
    the same keys, types, lines and text.
    """
    if not bib.exact or len(bib.entries) != len(index.entries) or len(bib.string_spans) != len(index.strings):
        return False
    order: list[tuple[int, str]] = []
    for (lower, item), (found_lower, found) in zip(bib.entries.items(), index.entries.items(), strict=True):
        if not isinstance(item, ReadBibEntry) or lower != found_lower:
            return False
        if (item.key, item.type, item.line) != (found.key, found.type, found.line):
            return False
        if decode_slice(raw[found.start : found.end]) != item.text:
            return False
        order.append((item.start, "e"))
    for (start, end), (found_start, found_end) in zip(bib.string_spans, index.strings, strict=True):
        if decode_slice(raw[found_start:found_end]) != bib.text[start:end]:
            return False
        order.append((start, "s"))
    # and entries and @strings interleave the same way (an entry sees the @strings before it)
    byte_order = [(found.start, "e") for found in index.entries.values()] + [(start, "s") for start, _ in index.strings]
    return [kind for _, kind in sorted(order)] == [kind for _, kind in sorted(byte_order)]


def decode(raw: bytes, path: str, problems: Problems) -> str:
    """The text of a .bib file's bytes (from read_bytes); not UTF-8 text, or NUL bytes, are problems (files.decode)."""
    return files.decode(raw, path, problems, files.BIB)


def parse(text: str, path: str, keep_fields: bool = False) -> Bibliography:
    """Parse BibTeX source text. Problems are collected, never raised.

    ``keep_fields``: keep every entry's field values (by default, for a file
    the fast reader reads, they are read again from the text when used).
    """
    from .recovery import LineIndex, read_with_pybtex, undefined_macro

    bib = Bibliography(path=path, text=text)
    problems = bib.problems
    lines = LineIndex(text)
    taken = Problems()  # the entries' own problems, after the reader's
    state = _Taking(bib, lines, taken, keep_fields)
    reading = fast_reader.read(text, on_entry=state.take)
    if reading is not None:
        bib.exact = True
        bib.string_spans = [(start, end) for start, end, _, _ in reading.strings]
        bib.history = fast_reader.MacroHistory([(end, name, value) for _, end, name, value in reading.strings])
        for name, pos in reading.undefined:
            problems.warning(path, lines.line(pos), undefined_macro(name), kind="bib.undefined-macro")
        problems.extend(taken)
    else:  # pybtex reads it again, and says what is wrong where
        bib.entries.clear()
        state = _Taking(bib, lines, problems, keep_fields=True)
        for read in read_with_pybtex(text, path, lines, problems):
            state.take(read[:5], broken=read[5])
    problems.extend(state.checks.finish())

    for item in bib.entries.values():
        crossref = item.crossref if isinstance(item, ReadBibEntry) else item.entry.fields.get("crossref")
        if crossref and crossref.lower() not in bib.entries:
            problems.warning(
                path,
                item.line + _field_line_offset(item.text, "crossref"),
                f"entry '{item.key}' has crossref '{crossref}', but there is no entry with that key; "
                "it is shown with its own fields only, as BibTeX does (add that entry, or remove the crossref)",
                kind="bib.missing-crossref",
            )
    return bib


class _Taking:
    """Each entry as the reader finds it: checked, and kept (its fields only if asked)."""

    def __init__(self, bib: Bibliography, lines: LineIndex, problems: Problems, keep_fields: bool) -> None:
        self.bib, self.lines, self.problems, self.keep_fields = bib, lines, problems, keep_fields
        self.checks = ValueChecks(bib.text, bib.path, lines.line, _field_line_offset)

    def take(self, read: fast_reader.Entry, broken: bool = False) -> None:
        command, key, fields, start, end = read
        bib, path = self.bib, self.bib.path
        line = self.lines.line(start)
        if broken and not fields:
            bib.broken.setdefault(line, []).append(key)  # (a page citing it is told where it is)
            return  # nothing could be read of it; the syntax error says why
        existing = bib.entries.get(key.lower())
        if existing is not None:
            same = "" if existing.key == key else f" as '{existing.key}'"
            self.problems.error(
                path,
                line,
                f"duplicate key '{key}': already defined{same} at line {existing.line} "
                "(BibTeX keys are case-insensitive; rename or remove one)",
                kind="bib.duplicate-key",
            )
            return
        entry_text = bib.text[start:end]
        prepared = _prepare_fields(key, fields, entry_text, line, path, self.problems)
        crossref = next((v for n, v in prepared if n.lower() == "crossref" and isinstance(v, str)), None)
        kept = prepared if self.keep_fields or broken else None
        kind = sys.intern(command.lower())
        bib.entries[key.lower()] = ReadBibEntry(key, kind, line, kept, bib, start, end, crossref)
        if broken:
            bib.broken.setdefault(line, []).append(key)
        else:
            self.checks.entry(key, kind, line, start, fields, entry_text)


def _prepare_fields(
    key: str,
    fields: list[tuple[str, list[str]]],
    entry_text: str,
    line: int,
    path: str,
    problems: Problems,
) -> Prepared:
    """An entry's field values as pybtex will get them, every problem in them reported."""
    import pybtex.errors
    from pybtex.bibtex.utils import split_name_list
    from pybtex.database import Person

    from .persons import DeferredPerson

    prepared: Prepared = []
    names = [name.lower() for name, _ in fields]
    counts = Counter(names)
    repeated = len(counts) < len(names)
    seen: set[str] = set()
    for (name, parts), lower in zip(fields, names, strict=True):
        if lower in seen:
            continue
        seen.add(lower)
        if repeated and (repeats := counts[lower]) > 1:
            _report_repeated_field(key, name, repeats, entry_text, line, path, problems)
        value = normalize_whitespace("".join(parts))
        if lower in VERBATIM_FIELDS:
            value = _LATEX_ESCAPE.sub(r"\1", value).replace("{", "").replace("}", "").strip()
            if lower in _IDENTIFIER_FIELDS:
                _check_identifier(key, name, value, entry_text, line, path, problems)
        else:
            # (The regular expressions only run where their characters are.)
            if value.endswith("\\") and _TRAILING_BACKSLASH.search(value):
                # "{C:\\}" : LaTeX cannot read a backslash with nothing after it.
                problems.warning(
                    path,
                    line + _field_line_offset(entry_text, name),
                    f"entry '{key}': the {name} field ends with a lone '\\', which is left out "
                    "(write \\textbackslash{} for a backslash)",
                    kind="bib.lone-backslash",
                )
                value = value[:-1].rstrip()
            # In BibTeX a bare '%' is text; in LaTeX it would start a comment.
            if "\\" in value:
                value = strip_font_commands(value)
                if "\\$" in value:
                    value = _ESCAPED_DOLLAR.sub(r"\1{$}", value)
            if "%" in value:
                value = _UNESCAPED_PERCENT.sub(r"\1\\%", value)
        if lower in PERSON_FIELDS:
            persons: list[Person] = []
            for name_text in split_name_list(value):
                if name_text.count(",") <= 2:
                    persons.append(DeferredPerson(name_text))
                    continue
                with pybtex.errors.capture() as name_errors:
                    persons.append(Person(name_text))
                for name_error in name_errors:
                    problems.warning(
                        path,
                        line + _field_line_offset(entry_text, name),
                        f"entry '{key}': {name} field: {name_error}",
                        kind="bib.bad-name",
                    )
            prepared.append((lower, persons))
        else:
            prepared.append((name, value))
    return prepared


def _report_repeated_field(
    key: str, name: str, repeats: int, entry_text: str, line: int, path: str, problems: Problems
) -> None:
    """BibTeX warns about a repeated field and keeps the first value: a warning at each line it is on."""
    at = [line + _field_line_offset(entry_text, name, occurrence=n) for n in range(1, repeats + 1)]
    others = sorted(set(at[1:]) - {at[0]})
    times = "twice" if repeats == 2 else f"{repeats} times"
    if others:
        where = f"again at line{'s' * (len(others) > 1)} {', '.join(map(str, others))}"
    else:
        where = f"{times} on this line"
    problems.warning(
        path,
        at[0],
        f"entry '{key}' has the field '{name}' {where}; this first value is kept (remove the others)",
        kind="bib.repeated-field",
    )
    for repeat in others:
        problems.warning(
            path,
            repeat,
            f"entry '{key}' repeats the field '{name}' of line {at[0]}; this value is left out (remove it)",
            kind="bib.repeated-field",
        )


# Characters a link or an identifier cannot hold as written (RFC 3986 leaves
# them out of URLs); a reference manager's line break or a pasted space is the
# usual cause. The link still works in print, not when clicked.
_IDENTIFIER_FIELDS = ("url", "doi", "pmid", "pmcid")
# Registries number in ASCII digits; str.isdigit() is also true of "١٢٣" and "１２３".
_ASCII_DIGITS = re.compile(r"[0-9]+")
_PMCID = re.compile(r"(?:PMC)?[0-9]+", re.IGNORECASE)
_NOT_IN_URL = re.compile(r'[\s"<>\\^`|\x00-\x1f\x7f]')
# SICI DOIs hold '<' and '>' ('10.1002/(SICI)...8:4<194::AID-HBM4>3.0.CO;2-C'); the link percent-encodes them.
_NOT_IN_DOI = re.compile(r'[\s"\\^`|\x00-\x1f\x7f]')


def _check_identifier(
    key: str, name: str, value: str, entry_text: str, line: int, path: str, problems: Problems
) -> None:
    """A warning at the field's line for whitespace or characters a url, doi or pmid cannot have."""
    lower = name.lower()
    if lower == "pmid":
        if value and not _ASCII_DIGITS.fullmatch(value):
            at = line + _field_line_offset(entry_text, name)
            problems.warning(
                path,
                at,
                f"entry '{key}': the {name} field {value!r} is not a PubMed ID (digits 0-9 only)",
                kind="bib.bad-pmid",
            )
        return
    if lower == "pmcid":
        if value and not _PMCID.fullmatch(value):
            at = line + _field_line_offset(entry_text, name)
            problems.warning(
                path,
                at,
                f"entry '{key}': the {name} field {value!r} is not a PubMed Central ID (PMC and digits 0-9 only)",
                kind="bib.bad-pmcid",
            )
        return
    bad = (_NOT_IN_DOI if lower == "doi" else _NOT_IN_URL).search(value)
    if bad is None:
        return
    space = bad.group().isspace()
    what = "a space or a line break" if space else f"the character {bad.group()!r}"
    fix = (
        "remove it"
        if lower != "url"
        else "remove it, or write a space as %20"
        if space
        else "remove or percent-encode it"
    )
    at = line + _field_line_offset(entry_text, name)
    problems.warning(
        path,
        at,
        f"entry '{key}': the {name} field has {what} in it, which a link cannot hold ({fix})",
        kind="bib.bad-link",
    )


# A field name (pybtex's NAME) after a space, comma or opening delimiter, and its '='.
_FIELD_NAME = re.compile(
    r"[\s,{(]([" + re.escape(fast_reader._NAME_CHARS) + r"][" + re.escape(fast_reader._NAME_CHARS) + r"0-9]*)\s*="
)  # pybtex's NAME_CHARS
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@functools.lru_cache(maxsize=64)
def _field_starts(entry_text: str) -> dict[str, list[int]]:
    """Where each ``name =`` is in an entry's text, by lower-case name: one pass for every field."""
    found: dict[str, list[int]] = {}
    for match in _FIELD_NAME.finditer(entry_text):
        found.setdefault(match.group(1).lower(), []).append(match.start(1))
    return found


@functools.lru_cache(maxsize=64)
def _line_starts(entry_text: str) -> list[int]:
    """Where each line of an entry's text starts; a line ends at "\r\n", "\r" or "\n", as in LineIndex."""
    return [0] + [m.end() for m in _LINE_BREAK.finditer(entry_text)]


def _field_line_offset(entry_text: str, name: str, occurrence: int = 1) -> int:
    """How many lines below the entry's first the ``occurrence``-th ``name =`` is (0 if not found).

    Both lookups are made once per entry (not once per field, which cost an
    entry with n warned-about fields n² time).
    """
    found = _field_starts(entry_text).get(name.lower(), [])
    if len(found) < occurrence:
        return 0
    return bisect.bisect_right(_line_starts(entry_text), found[occurrence - 1]) - 1


def load(abs_path: str, display_path: str) -> Bibliography:
    """Read and parse a whole .bib file; an unreadable file is a reported problem."""
    problems = Problems()
    text = read_text(abs_path, display_path, problems)
    if text is None:
        return Bibliography(path=display_path, problems=problems)
    return parse_validated(text, display_path, problems)


def parse_validated(text: str, display_path: str, problems: Problems) -> Bibliography:
    """Full parse of already-decoded text; ``problems`` holds the decoding ones."""
    bib = parse(text, display_path)
    problems.extend(bib.problems)
    bib.problems = problems
    bib.text = text
    return bib


def decode_slice(raw: bytes) -> str:
    """Part of a file that decode() has checked as a whole: decoded the same way."""
    return raw.decode("utf-8", errors="replace").replace("\x00", "")


def read_text(abs_path: str, display_path: str, problems: Problems) -> str | None:
    """The decoded text of a .bib file, or None (with a problem) if unreadable."""
    raw = read_bytes(abs_path, display_path, problems)
    return None if raw is None else decode(raw, display_path, problems)


def read_bytes(abs_path: str, display_path: str, problems: Problems) -> bytes | None:
    """The bytes of a .bib file without a UTF-8 byte order mark, or None (with a problem).

    Only a regular file is read: a folder, a named pipe, a device, a symbolic
    link in a loop or a file that may not be read is one error (files.read_bytes).
    """
    raw = files.read_bytes(abs_path, display_path, problems, files.BIB)
    if raw is None:
        return None
    return raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw


def strings_text(raw: bytes, index: BibIndex) -> str:
    return "".join(decode_slice(raw[start:end]) + "\n" for start, end in index.strings)
