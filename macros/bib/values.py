"""Checks of what the .bib's entries say, once each entry has been read.

The reader (``reader.py``) reports what stops an entry from being read;
these are the mistakes that read fine and would be published as fact:

- an author list with an empty name (``and and``, an ``and`` at either
  end), which BibTeX, like pybtex, turns into an author called "and Smith";
- a field name that is no field but is one letter off one (``jounral``,
  ``pmdi``): BibTeX ignores it without a word;
- a ``year`` that is no year (a ``doi`` written as a link or with ``doi:`` is
  read as the bare DOI, as reference managers export it: no warning);
- the same source under two keys (same DOI, PMID, or title and year);
- an entry "commented out" with ``@comment{...}`` (BibTeX skips only the
  ``@comment`` and its brace, then reads the entry) or with ``%`` before
  its ``@`` (``%`` is not a comment in a .bib file).

All of them are warnings at the line they are on, with what to do.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

from ..problems import Problems

# Field names BibTeX, biblatex and the usual reference managers write. A name
# that is not here but is one or two letters off one of them is reported.
_FIELD_NAMES = """
    address annote author booktitle chapter crossref edition editor howpublished institution journal
    key month note number organization pages publisher school series title type volume year
    abstract addendum afterword annotation annotator authortype bookauthor bookpagination booksubtitle
    booktitleaddon commentator date doi editora editorb editorc editortype editoratype editorbtype editorctype
    eid entrysubtype eprint
    eprintclass eprinttype eventdate eventtitle eventtitleaddon file foreword holder indextitle
    introduction isan isbn ismn isrn issn issue issuesubtitle issuetitle iswc journalsubtitle
    journaltitle label language library location mainsubtitle maintitle maintitleaddon nameaddon
    origdate origlanguage origlocation origpublisher origtitle pagetotal pagination part pubstate
    reprinttitle shortauthor shorteditor shorthand shorthandintro shortjournal shortseries shorttitle
    subtitle titleaddon translator url urldate venue version volumes keywords keyword ids xref xdata
    related options presort sortkey sortname sorttitle sortyear gender langid langidopts execute
    hyphenation day pmid pmcid pubmedid pubmed pmc eissn fjournal mrclass mrnumber mrreviewer zbl
    archiveprefix primaryclass adsurl adsnote timestamp owner groups mendeley-tags mendeley-groups
    date-added date-modified lastchecked accessed urlaccessdate access-date notes urls abstracts
    journal-iso affiliation copyright lccn medline-pst refid source publisherplace place editors
    citeulike-article-id posted-at priority unique-id da earlyaccessdate article-number
    bibsource biburl book-group-author series-editor shortbooktitle bdsk-url-1 bdsk-url-2
    bdsk-file-1 review keyword-plus researcherid-numbers orcid-numbers funding-acknowledgement
    times-cited usage-count-last-180-days usage-count-since-2013 doc-delivery-number journal-abbreviation
    month_numeric comment comments langid.opts authors-short organisation publisher-place
"""
KNOWN_FIELDS = frozenset(_FIELD_NAMES.split())

_DOI_WRITTEN_AS_LINK = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d+/\S+$")
# What NLM's Citing Medicine writes for a year not yet known, as people type it in a .bib.
NOT_YET_PUBLISHED = ("in press", "forthcoming", "accepted", "submitted", "in print", "epub ahead of print")
_A_YEAR = re.compile(r"\b\d{4}\b")
_COMMENT = re.compile(r"@[ \t]*comment[ \t\r\n]*([{(])", re.IGNORECASE)
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+|\\.")
_NOT_ALNUM = re.compile(r"[\W_]+")
_TELL_APART = ("year", "volume", "number", "pages", "chapter", "edition", "publisher", "isbn")
_MIN_TITLE = 20  # characters (letters and digits): shorter titles ("Editorial") are not compared
# The fields whose values are checked or compared (the names of all others only).
_READ = frozenset(("author", "editor", "doi", "year", "pmid", "title", *_TELL_APART))


def _distance(a: str, b: str) -> int:
    """Edits (insert, delete, change, swap two neighbours) from a to b, stopping early above 2."""
    if abs(len(a) - len(b)) > 2:
        return 3
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def misspelling_of(name: str, among: Collection[str] = KNOWN_FIELDS) -> str | None:
    """The known field name ``name`` is one slip away from, if it is no field itself.

    One slip: a letter too many, too few or changed, or two letters
    swapped; in a name of four letters or fewer a changed letter does not
    count (``uri``, ``urn`` are other things than ``url``). Names that
    reference managers or people make on purpose are left alone: with a
    '-', '_', ':' or '.', or a known field with a letter or ``opt``/``alt``
    before it (``xjournal``, ``OPTjournal``: a field switched off).
    """
    lower = name.lower()
    if lower in KNOWN_FIELDS or len(lower) < 3 or not lower.isalpha():
        return None
    if lower[1:] in KNOWN_FIELDS or (lower[:3] in ("opt", "alt") and lower[3:] in KNOWN_FIELDS):
        return None
    if among is KNOWN_FIELDS:
        return _misspelling_of_known(lower)
    return _closest(lower, among)


@functools.lru_cache(maxsize=4096)
def _misspelling_of_known(lower: str) -> str | None:
    return _closest(lower, sorted(KNOWN_FIELDS))


def _closest(lower: str, among: Collection[str]) -> str | None:
    for known in among:
        if abs(len(known) - len(lower)) > 1 or _distance(lower, known) != 1:
            continue
        if len(lower) <= 4 and len(known) == len(lower) and sorted(known) != sorted(lower):
            continue  # a changed letter in a short name
        return known
    return None


def misspelt_required(required: str, written: Collection[str]) -> str | None:
    """Of the field names an entry has, one that looks like ``required`` misspelt ("journal or booktitle" too)."""
    wanted = set(required.split(" or "))
    for name in written:
        if misspelling_of(name, wanted) is not None:
            return name
    return None


def normal_doi(value: str) -> str:
    return _DOI_WRITTEN_AS_LINK.sub("", value).strip().lower()


def normal_title(value: str) -> str:
    return _NOT_ALNUM.sub("", _LATEX_COMMAND.sub("", value).lower())


def _not_a_year(value: str) -> bool:
    return bool(value) and not _A_YEAR.search(value) and value.strip(" .").lower() not in NOT_YET_PUBLISHED


def _facts(values: dict[str, str]) -> list[str]:
    """What tells two entries with one title apart (an empty string: not given)."""
    return [normal_title(values.get(name, "")) for name in _TELL_APART] + [
        values.get(name, "") for name in ("doi", "pmid", "type")
    ]


_MAYBE_EMPTY_NAME = re.compile(r"(?:^|\s)and\s+and(?:\s|$)|^\s*and\s|\sand\s*$|^\s*and\s*$", re.IGNORECASE)


def _empty_name(value: str) -> str | None:
    """How an author list has an empty name ('and and', an 'and' first or last), if it has."""
    if _MAYBE_EMPTY_NAME.search(value) is None:
        return None
    words: list[str] = []
    depth = 0
    word = ""
    for char in value:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        if char.isspace() and depth == 0:
            if word:
                words.append(word)
            word = ""
        else:
            word += char
    if word:
        words.append(word)
    ands = [w.lower() == "and" for w in words]
    if not any(ands):
        return None
    if ands[0]:
        return "starts with 'and'"
    if ands[-1]:
        return "ends with 'and'"
    if any(a and b for a, b in itertools.pairwise(ands)):
        return "has 'and and'"
    return None


@dataclass
class _Seen:
    key: str
    line: int


class ValueChecks:
    """Checks every entry as the reader reads it (``entry``), then the file as a whole (``finish``)."""

    def __init__(
        self, text: str, path: str, line_of: Callable[[int], int], field_line: Callable[[str, str], int]
    ) -> None:
        self.text = text
        self.path = path
        self.line_of = line_of
        self.field_line = field_line  # (entry text, field name) -> lines from the entry's first line
        self.problems = Problems()
        self.comments = self._comment_spans(text) if "comment" in text.lower() else []
        self.by_identifier: dict[tuple[str, str], _Seen] = {}
        self.same: dict[str, list[tuple[_Seen, str]]] = {}  # kept key -> (duplicate, what they share)
        self.first_of: dict[str, _Seen] = {}  # a duplicate's key -> the entry kept
        self.by_title: dict[str, list[tuple[_Seen, dict[str, str]]]] = {}  # title -> (entry, its values)

    @staticmethod
    def _comment_spans(text: str) -> list[tuple[int, int, int]]:
        """(start of '@comment', start of its brace, end of the brace's text) for each @comment."""
        spans = []
        for match in _COMMENT.finditer(text):
            opener = match.group(1)
            closer = "}" if opener == "{" else ")"
            depth, pos = 0, match.end(1)
            end = len(text)
            while pos < len(text):
                char = text[pos]
                if char == "{":
                    depth += 1
                elif char == "}" and depth > 0:
                    depth -= 1
                elif char == closer and depth == 0:
                    end = pos
                    break
                pos += 1
            spans.append((match.start(), match.end(1), end))
        return spans

    def entry(
        self, key: str, type_: str, line: int, start: int, fields: list[tuple[str, list[str]]], entry_text: str
    ) -> None:
        """Check one entry: ``fields`` are (name as written, the parts of its value), as the reader read them."""
        path = self.path
        self._commented_out(key, type_, line, start)
        names = {name.lower() for name, _ in fields}
        values: dict[str, str] = {}
        for name, parts in fields:
            lower = name.lower()
            if lower not in KNOWN_FIELDS:
                self._unknown_field(key, name, line, names, entry_text)
                continue
            if lower not in _READ or lower in values:  # (BibTeX keeps a repeated field's first value)
                continue
            value = values[lower] = " ".join("".join(parts).split())
            if lower in ("author", "editor"):
                empty = _empty_name(value)
                if empty is not None:
                    self.problems.warning(
                        path,
                        line + self.field_line(entry_text, name),
                        f"entry '{key}': the {lower} list {empty}, which makes a name of the word 'and' "
                        "(separate names with one 'and': remove the extra one)",
                        kind="bib.empty-name",
                    )
            elif lower == "year" and _not_a_year(value):
                self.problems.warning(
                    path,
                    line + self.field_line(entry_text, name),
                    f"entry '{key}': the year field {value!r} is not a year "
                    "(write four digits, or 'in press' or 'forthcoming' for a work not yet published)",
                    kind="bib.bad-year",
                )
        self._identifiers(key, type_, line, values)

    def _unknown_field(self, key: str, name: str, line: int, names: set[str], entry_text: str) -> None:
        meant = misspelling_of(name)
        if meant is None:
            return
        if meant in names:
            fix = f"the entry has a {meant} field already: remove '{name}'"
        else:
            fix = f"the entry has no {meant} field: rename '{name}' to {meant}"
        self.problems.warning(
            self.path,
            line + self.field_line(entry_text, name),
            f"entry '{key}': '{name}' is no BibTeX field, so it is left out: is it {meant} misspelt? ({fix})",
            kind="bib.unknown-field",
        )

    def _commented_out(self, key: str, type_: str, line: int, start: int) -> None:
        for comment_start, body_start, body_end in self.comments:
            if body_start <= start < body_end:
                self.problems.warning(
                    self.path,
                    line,
                    f"entry '{key}' is inside the @comment at line {self.line_of(comment_start)}, but it is "
                    "still read: BibTeX's @comment skips only its own brace, not the entries in it "
                    "(to remove an entry, delete it from the file; to keep a copy, remove its '@')",
                    kind="bib.entry-in-comment",
                )
                return
        newline = self.text.rfind("\n", 0, start)
        line_start = max(newline, self.text.rfind("\r", newline + 1, start)) + 1
        if "%" in self.text[line_start:start]:
            self.problems.warning(
                self.path,
                line,
                f"entry '{key}': the '%' before '@{type_}' does not comment it out: '%' is not a comment in a "
                ".bib file, and the entry is read (to remove it, delete it; to keep a copy, remove its '@')",
                kind="bib.percent-comment",
            )

    def _identifiers(self, key: str, type_: str, line: int, values: dict[str, str]) -> None:
        """Remember the entry's DOI, PMID and title; the first entry with each is the one to keep.

        Two entries with one title are one source only if nothing tells them
        apart: no two different types, years, volumes, issues, pages, publishers,
        editions, ISBNs, DOIs or PMIDs (a reprint, a column that recurs in
        every issue and a second edition keep their titles).
        """
        me = _Seen(key, line)
        doi = normal_doi(values.get("doi", ""))
        pmid = values.get("pmid", "").strip().lstrip("0")
        for what, value in (("DOI", doi if _DOI.match(doi) else ""), ("PMID", pmid if pmid.isdigit() else "")):
            if not value:
                continue
            first = self.by_identifier.setdefault((what, value), me)
            if first is not me:
                self._same(me, first, what)
                return
        title = normal_title(values.get("title", ""))
        if len(title) < _MIN_TITLE:
            return
        values = {**values, "doi": doi, "pmid": pmid, "type": type_}
        earlier = self.by_title.setdefault(title, [])
        if earlier:  # (the facts are worked out only for titles met twice)
            facts = _facts(values)
            for first, known in earlier:
                if all(
                    not mine or not theirs or mine == theirs for mine, theirs in zip(facts, _facts(known), strict=True)
                ):
                    self._same(me, first, "title")
                    return
        earlier.append((me, values))

    def _same(self, me: _Seen, first: _Seen, what: str) -> None:
        kept = self.first_of.get(first.key, first)
        self.first_of[me.key] = kept
        self.same.setdefault(kept.key, []).append((me, what))

    def finish(self) -> Problems:
        """The warnings about every entry read, the same sources under two keys among them."""
        kept_line = {seen.key: seen.line for seen in self.first_of.values()}
        for kept, duplicates in self.same.items():
            one = len(duplicates) == 1
            others = ", ".join(f"'{d.key}' (line {d.line}, same {what})" for d, what in duplicates)
            self.problems.warning(
                self.path,
                kept_line[kept],
                f"entry '{kept}' is the same source as {others}: keep '{kept}', delete the other "
                f"entr{'y' if one else 'ies'} and cite '{kept}' where pages cite {'it' if one else 'them'}",
                kind="bib.duplicate-source",
            )
            for duplicate, what in duplicates:
                self.problems.warning(
                    self.path,
                    duplicate.line,
                    f"entry '{duplicate.key}' is the same source (same {what}) as '{kept}' at line {kept_line[kept]}: "
                    f"keep '{kept}', delete '{duplicate.key}' and cite '{kept}' where pages cite '{duplicate.key}'",
                    kind="bib.duplicate-source",
                )
        return self.problems
