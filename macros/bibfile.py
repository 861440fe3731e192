"""Load and validate a BibTeX file, keeping the line number of every entry.

pybtex's own ``Parser`` stops at the first error and forgets where entries
start. Here its low-level scanner is driven directly, so that every syntax
error, duplicate key, duplicate field and dangling ``crossref`` is reported
with a line number, and parsing goes on after an error.
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import pybtex.errors
from pybtex.bibtex.utils import split_name_list
from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.input.bibtex import LowLevelParser, month_names
from pybtex.scanner import PrematureEOF, PybtexSyntaxError, TokenRequired
from pybtex.utils import CaseInsensitiveDict

from . import fastbib
from .bibindex import BibIndex
from .problems import Problems

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
    ) -> None:
        self.key, self.type, self.line, self.text = key, type, line, text
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
            entry = self._entry = Entry(self.type)
            entry.key = self.key
            for name, value in self._prepared:
                if isinstance(value, str):
                    entry.fields[name] = value
                else:
                    for person in value:
                        entry.add_person(person, name)
            self._bib.data.entries[self.key] = entry
            parent = self._bib.get(self.crossref or "")
            if parent is not None and parent is not self:
                parent.entry  # noqa: B018 - built for pybtex's crossref lookups
        return self._entry


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

    Entries are found through the fast index and parsed by pybtex only when
    a page cites them, so a build's cost follows what it cites, not the size
    of the file.
    """

    def __init__(self, path: str, raw: bytes, index: BibIndex, problems: Problems) -> None:
        super().__init__(path=path, problems=problems)
        self.raw = raw  # the file's bytes (read_bytes): only cited entries are ever decoded
        self.index = index
        self.entries = _LazyEntries(self)  # type: ignore[assignment]
        self.strings_text = strings_text(raw, index)

    def all_keys(self) -> list[str]:
        return [found.key for found in self.index.entries.values()]

    def parse_entry(self, item: LazyBibEntry) -> Entry:
        """pybtex's parse of one entry (with the file's @string definitions)."""
        parsed = parse(self.strings_text + item.text, self.path)
        one = parsed.get(item.key)
        entry = one.entry if one is not None else Entry(item.type)
        entry.key = item.key
        self.data.entries[item.key] = entry
        crossref = entry.fields.get("crossref")
        if crossref and crossref.lower() in self.index.entries and crossref not in self.data.entries:
            self.entries[crossref.lower()].entry  # noqa: B018 - parsed for pybtex's crossref lookups
        return entry


class _LineIndex:
    """Turns a character offset into a 1-based line number."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)


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
        )
        text = raw.decode("utf-8", errors="replace")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.error(path, line, "the file contains a NUL byte; remove it")
        text = text.replace("\x00", "")
    return text


def _syntax_message(error: PybtexSyntaxError) -> str:
    reason = str(error.args[0]) if error.args else str(error)
    if isinstance(error, TokenRequired):
        if reason.startswith("entry key"):
            return "syntax error: the entry has no key (write @type{key, field = {...}, ...})"
        if reason in ("'}' expected", "')' expected"):
            return (
                f"syntax error: {reason[:3]} or ',' expected here (is a comma missing at the end of the line before?)"
            )
        if reason.startswith("'=' expected"):
            return "syntax error: '=' expected after the field name (write name = {value})"
        if "field value" in reason:
            return "syntax error: a field value is expected here (write name = {value})"
    if isinstance(error, PrematureEOF):
        return "syntax error: this entry is never closed (an unclosed '{' or '\"' in it, or a missing '}' at its end?)"
    if reason == "too many nested braces":
        return "syntax error: braces are nested more than 100 deep here (remove the extra braces)"
    if getattr(error, "error_type", "") == "undefined string":
        return f"undefined @string macro '{reason}' (define it with @string, or put the value in braces)"
    return f"syntax error: {reason}"


def parse(text: str, path: str) -> Bibliography:
    """Parse BibTeX source text. Problems are collected, never raised."""
    bib = Bibliography(path=path)
    problems = bib.problems
    lines = _LineIndex(text)
    raw_errors: list[tuple[PybtexSyntaxError, int]] = []

    parser: LowLevelParser

    def handle_error(error: PybtexSyntaxError) -> None:
        raw_errors.append((error, parser.command_start or 0))

    entries: list[tuple[str, str, list[tuple[str, list[str]]], int, int, bool]] = []
    well_formed = fastbib.scan(text)
    if well_formed is not None:
        entries = [(command, key, fields, start, end, False) for command, key, fields, start, end in well_formed]
    else:  # pybtex reads it again, and says what is wrong where
        parser = LowLevelParser(text, macros=CaseInsensitiveDict(month_names), handle_error=handle_error)
        seen_errors = 0
        try:
            for command, body in parser:
                start = parser.command_start or 0
                broken = len(raw_errors) > seen_errors
                seen_errors = len(raw_errors)
                if command.lower() in ("string", "preamble"):
                    continue
                key, fields = body
                if key is None:
                    continue
                entries.append((command, key, fields, start, parser.pos, broken))
        except RecursionError:
            problems.error(path, 1, "braces are nested too deeply to read")

    for error, command_start in raw_errors:
        pos = error.error_context_info[-1] if error.error_context_info else command_start
        where = command_start if isinstance(error, PrematureEOF) else pos
        message = _syntax_message(error)
        reason = str(error.args[0]) if error.args else ""
        if isinstance(error, TokenRequired) and reason in ("'}' expected", "')' expected"):
            if text.startswith("@", pos):
                # A value's '{' was never closed: it ran to the end of the entry.
                where = command_start
                message = (
                    f"syntax error: this entry runs into the next one, at line {lines.line(pos)} "
                    "(is a '{' in one of its fields never closed?)"
                )
            elif text.startswith("=", pos):
                message = (
                    "syntax error: the entry has no key, so its first field name is read as the key "
                    "(write @type{key, field = {...}, ...})"
                )
        problems.error(path, lines.line(where), message)

    for command, key, fields, start, end, broken in entries:
        if broken and not fields:
            continue  # nothing could be read of it; the syntax error says why
        line = lines.line(start)
        entry_text = text[start:end]
        existing = bib.entries.get(key.lower())
        if existing is not None:
            same = "" if existing.key == key else f" as '{existing.key}'"
            problems.error(
                path,
                line,
                f"duplicate key '{key}': already defined{same} at line {existing.line} "
                "(BibTeX keys are case-insensitive; rename or remove one)",
            )
            continue
        prepared = _prepare_fields(key, fields, entry_text, line, path, problems)
        bib.entries[key.lower()] = ReadBibEntry(key, command.lower(), line, entry_text, prepared, bib)

    for item in bib.entries.values():
        crossref = item.crossref if isinstance(item, ReadBibEntry) else item.entry.fields.get("crossref")
        if crossref and crossref.lower() not in bib.entries:
            problems.error(
                path,
                item.line,
                f"entry '{item.key}' has crossref '{crossref}', but there is no entry with that key",
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
    seen: set[str] = set()
    for name, parts in fields:
        lower = name.lower()
        if lower in seen:
            problems.error(
                path,
                line + _field_line_offset(entry_text, name, occurrence=2),
                f"entry '{key}' has the field '{name}' twice; keep one",
            )
            continue
        seen.add(lower)
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
                    )
            prepared.append((lower, persons))
        else:
            prepared.append((name, value))
    return prepared


# Characters a link or an identifier cannot hold as written (RFC 3986 leaves
# them out of URLs); a reference manager's line break or a pasted space is the
# usual cause. The link still works in print, not when clicked.
_IDENTIFIER_FIELDS = ("url", "doi", "pmid")
_NOT_IN_URL = re.compile(r'[\s"<>\\^`|\x00-\x1f\x7f]')


def _check_identifier(
    key: str, name: str, value: str, entry_text: str, line: int, path: str, problems: Problems
) -> None:
    """A warning at the field's line for whitespace or characters a url, doi or pmid cannot have."""
    lower = name.lower()
    if lower == "pmid":
        if value and not value.isdigit():
            at = line + _field_line_offset(entry_text, name)
            problems.warning(path, at, f"entry '{key}': the {name} field {value!r} is not a PubMed ID (digits only)")
        return
    bad = _NOT_IN_URL.search(value)
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
    problems.warning(path, at, f"entry '{key}': the {name} field has {what} in it, which a link cannot hold ({fix})")


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
            "bibliography file not found (create it, or set extra.citations.bibliography in mkdocs.yml)",
        )
        return None
    if os.path.isdir(abs_path):
        problems.error(
            display_path,
            0,
            "is a directory, not a .bib file (check extra.citations.bibliography in mkdocs.yml)",
        )
        return None
    with open(abs_path, "rb") as handle:
        raw = handle.read()
    return raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw


def strings_text(raw: bytes, index: BibIndex) -> str:
    return "".join(decode_slice(raw[start:end]) + "\n" for start, end in index.strings)
