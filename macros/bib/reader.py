"""Load and validate a BibTeX file, keeping the line number of every entry.

pybtex's own ``Parser`` stops at the first error and forgets where entries
start. Here its low-level scanner is driven directly, so that every syntax
error, duplicate key, duplicate field and dangling ``crossref`` is reported
with a line number, and parsing goes on after an error.

Lenient where BibTeX is: a repeated field, an undefined @string and a
``crossref`` to a missing entry are warnings (the first value is kept, the
macro is empty, the entry is shown with its own fields), and an entry left
open goes on at the next entry that starts a line, as BibTeX does.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import pybtex.errors
from pybtex.bibtex.utils import split_name_list
from pybtex.database import BibliographyData, Entry, Person

from ..problems import Problem, Problems
from . import fast_reader
from .fast_index import BibIndex, IndexedEntry
from .recovery import LineIndex, Read, read_with_pybtex, undefined_macro
from .values import ValueChecks

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


class _SplitOnUse:
    """A name part of a DeferredPerson: reading it splits the name (once).

    Person.__init__ then stores every part on the instance, which hides
    this (non-data) descriptor from then on.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, person: DeferredPerson | None, owner: type | None = None) -> object:
        if person is None:
            return self
        Person.__init__(person, person.name_text)
        return person.__dict__[self.name]


class DeferredPerson(Person):
    """A pybtex ``Person`` whose name is split into its parts on first use.

    Splitting names is a third of the time a full parse of a large .bib file
    takes, and only the names of cited entries are ever shown. The one
    problem pybtex finds in a name (more than two commas) is looked for when
    the entry is read; such a name is split at once instead.
    """

    first_names = _SplitOnUse()
    middle_names = _SplitOnUse()
    prelast_names = _SplitOnUse()
    last_names = _SplitOnUse()
    lineage_names = _SplitOnUse()

    def __init__(self, string: str) -> None:  # pybtex splits the name on first use
        self.name_text = string


@dataclass
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
    data: BibliographyData = field(default_factory=BibliographyData)
    # Read by the fast reader, so exactly as pybtex reads it with no syntax error:
    # then entry and @string spans (character offsets) are known for certain.
    exact: bool = False
    string_spans: list[tuple[int, int]] = field(default_factory=list)
    broken: dict[int, list[str]] = field(default_factory=dict)  # line -> keys of entries with a syntax error

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
    entries are ever formatted.
    """

    def __init__(
        self,
        key: str,
        type: str,  # noqa: A002 - as in BibEntry
        line: int,
        text: str,
        prepared: Prepared,
        bib: Bibliography,
        start: int = 0,
        end: int = 0,
    ) -> None:
        self.key, self.type, self.line, self.text = key, type, line, text
        self.start, self.end = start, end  # character offsets in the file
        self._prepared = prepared
        self._bib = bib
        self._entry: Entry | None = None

    @property
    def crossref(self) -> str | None:
        for name, value in self._prepared:
            if name.lower() == "crossref" and isinstance(value, str):
                return value
        return None

    @property
    def entry(self) -> Entry:
        if self._entry is None:
            self._entry = _build_entry(self.type, self.key, self._prepared)
            self._bib.data.entries[self.key] = self._entry
            parent = self._bib.get(self.crossref or "")
            if parent is not None and parent is not self:
                parent.entry  # noqa: B018 - built for pybtex's crossref lookups
        return self._entry


def _build_entry(type: str, key: str, prepared: Prepared) -> Entry:  # noqa: A002 - as in BibEntry
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
            entry = full.entry if full is not None else Entry(item.type)
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
    """The text of a .bib file's bytes (from read_bytes); bad UTF-8 and NUL bytes are problems."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.error(
            path,
            line,
            f"the file is not valid UTF-8 (byte 0x{raw[error.start]:02x}); save it with UTF-8 encoding",
            kind="bib.not-utf8",
        )
        text = raw.decode("utf-8", errors="replace")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.error(path, line, "the file contains a NUL byte; remove it", kind="bib.nul-byte")
        text = text.replace("\x00", "")
    return text


def parse(text: str, path: str) -> Bibliography:
    """Parse BibTeX source text. Problems are collected, never raised."""
    bib = Bibliography(path=path)
    problems = bib.problems
    lines = LineIndex(text)
    entries: list[Read]
    reading = fast_reader.read(text)
    if reading is not None:
        bib.exact = True
        bib.string_spans = [(start, end) for start, end, _, _ in reading.strings]
        for name, pos in reading.undefined:
            problems.warning(path, lines.line(pos), undefined_macro(name), kind="bib.undefined-macro")
        entries = [(command, key, fields, start, end, False) for command, key, fields, start, end in reading.entries]
    else:  # pybtex reads it again, and says what is wrong where
        entries = read_with_pybtex(text, path, lines, problems)

    checks = ValueChecks(text, path, lines.line, _field_line_offset)
    for command, key, fields, start, end, broken in entries:
        line = lines.line(start)
        if broken and not fields:
            bib.broken.setdefault(line, []).append(key)  # (a page citing it is told where it is)
            continue  # nothing could be read of it; the syntax error says why
        entry_text = text[start:end]
        existing = bib.entries.get(key.lower())
        if existing is not None:
            same = "" if existing.key == key else f" as '{existing.key}'"
            problems.error(
                path,
                line,
                f"duplicate key '{key}': already defined{same} at line {existing.line} "
                "(BibTeX keys are case-insensitive; rename or remove one)",
                kind="bib.duplicate-key",
            )
            continue
        prepared = _prepare_fields(key, fields, entry_text, line, path, problems)
        bib.entries[key.lower()] = ReadBibEntry(key, command.lower(), line, entry_text, prepared, bib, start, end)
        if broken:
            bib.broken.setdefault(line, []).append(key)
        else:
            checks.entry(key, command.lower(), line, start, fields, entry_text)
    problems.extend(checks.finish())

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


def _prepare_fields(
    key: str,
    fields: list[tuple[str, list[str]]],
    entry_text: str,
    line: int,
    path: str,
    problems: Problems,
) -> Prepared:
    """An entry's field values as pybtex will get them, every problem in them reported."""
    prepared: Prepared = []
    names = [name.lower() for name, _ in fields]
    repeated = len(set(names)) < len(names)
    seen: set[str] = set()
    for (name, parts), lower in zip(fields, names, strict=True):
        if lower in seen:
            continue
        seen.add(lower)
        if repeated and (repeats := names.count(lower)) > 1:
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
_IDENTIFIER_FIELDS = ("url", "doi", "pmid")
_NOT_IN_URL = re.compile(r'[\s"<>\\^`|\x00-\x1f\x7f]')
# SICI DOIs hold '<' and '>' ('10.1002/(SICI)...8:4<194::AID-HBM4>3.0.CO;2-C'); the link percent-encodes them.
_NOT_IN_DOI = re.compile(r'[\s"\\^`|\x00-\x1f\x7f]')


def _check_identifier(
    key: str, name: str, value: str, entry_text: str, line: int, path: str, problems: Problems
) -> None:
    """A warning at the field's line for whitespace or characters a url, doi or pmid cannot have."""
    lower = name.lower()
    if lower == "pmid":
        if value and not value.isdigit():
            at = line + _field_line_offset(entry_text, name)
            problems.warning(
                path,
                at,
                f"entry '{key}': the {name} field {value!r} is not a PubMed ID (digits only)",
                kind="bib.bad-pmid",
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


def _field_line_offset(entry_text: str, name: str, occurrence: int = 1) -> int:
    pattern = re.compile(rf"[\s,{{(]{re.escape(name)}\s*=", re.IGNORECASE)
    matches = list(pattern.finditer(entry_text))
    if len(matches) < occurrence:
        return 0
    return entry_text.count("\n", 0, matches[occurrence - 1].start() + 1)


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
    """The bytes of a .bib file without a UTF-8 byte order mark, or None (with a problem)."""
    if not os.path.exists(abs_path):
        problems.error(
            display_path,
            0,
            "bibliography file not found (create it, or set plugins.citations.bibliography in mkdocs.yml)",
            kind="bib.file-missing",
        )
        return None
    if os.path.isdir(abs_path):
        problems.error(
            display_path,
            0,
            "is a directory, not a .bib file (check plugins.citations.bibliography in mkdocs.yml)",
            kind="bib.not-a-file",
        )
        return None
    with open(abs_path, "rb") as handle:
        raw = handle.read()
    return raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw


def strings_text(raw: bytes, index: BibIndex) -> str:
    return "".join(decode_slice(raw[start:end]) + "\n" for start, end in index.strings)
