"""One view of an entry for the Vancouver style, whichever data model wrote it.

BibTeX and biblatex name the same things differently: ``journal`` and
``journaltitle``, ``address`` and ``location``, ``year``/``month`` and an ISO
``date``, ``school`` and ``institution``. ``normalize(entry)`` gives a copy of
the entry with the BibTeX names filled in from the biblatex ones (the BibTeX
field wins when both are there), the title joined with its ``subtitle`` and
``titleaddon``, a link written in ``howpublished = {\\url{...}}`` moved to
``url``, and ``eprint``/``eprinttype`` read as the identifier they name. It
also resolves ``crossref``, so the templates see one flat entry.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from pybtex.database import Entry, Person

from ..bib.latex_to_text import convert

# biblatex name -> BibTeX name; the BibTeX field wins when both are present.
ALIASES = {
    "journaltitle": "journal",
    "location": "address",
    "booksubtitle": "",  # joined to booktitle below
}

_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:T[\d:]+Z?)?(?:/.*)?$")
_BARE_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_DOI_URL = re.compile(r"^\s*https?://(?:dx\.)?doi\.org/(10\.\S+/\S+?)\s*$", re.IGNORECASE)
_NUMBERED_SUPPLEMENT = re.compile(r"^(\d+)[\s_-]*supp(?:l(?:ement)?)?\.?$", re.IGNORECASE)
_SUPPLEMENT = re.compile(r"^supp(?:l(?:ement)?)?\.?[\s_-]*(\S.*)?$", re.IGNORECASE)

# Fields a crossref child does not take from its parent as they are: the
# parent's title parts become the child's book title parts (biblatex's rule).
_OWN_FIELDS = frozenset(["subtitle", "titleaddon", "shorttitle", "ids", "entryset", "options", "label"])

# eprinttype -> the identifier field it stands for.
EPRINT_FIELDS = {"pubmed": "pmid", "pmid": "pmid", "pmc": "pmcid", "pmcid": "pmcid", "doi": "doi"}


def first_of_list(value: str) -> str:
    """The first item of a biblatex literal list: 'A and B' -> 'A' (an 'and' inside braces is text)."""
    depth = 0
    for index, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and value.startswith(" and ", index):
            return value[:index].strip()
    return value


_ACCESSED = re.compile(
    r"^[(\[]?\s*(?:last\s+)?(?:accessed|retrieved|visited|viewed|cited)(?:\s+on)?\s*:?\s*(.+?)\s*[)\]]?\.?$",
    re.IGNORECASE,
)
# Month names and abbreviations (lower case) to 1-12; csl.csljson reads the same table.
MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


def access_date(note: str) -> str | None:
    """A note that only gives the access date ('(accessed 2015-02-13)', 'Accessed: March 5, 2020') as ISO."""
    match = _ACCESSED.match(note.strip())
    if not match:
        return None
    when = match.group(1).strip().rstrip(".")
    iso = re.fullmatch(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})", when)
    if iso:
        return f"{iso.group(1)}-{int(iso.group(2)):02d}-{int(iso.group(3)):02d}"
    numeric = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", when)
    if numeric:
        # '25-12-2024' is day first, '12/25/2024' month first; '11-12-2024' could be either: kept as written.
        first, second = int(numeric.group(1)), int(numeric.group(2))
        if first > 12 >= second:
            return f"{numeric.group(3)}-{second:02d}-{first:02d}"
        if second > 12 >= first:
            return f"{numeric.group(3)}-{first:02d}-{second:02d}"
        return when
    words = re.fullmatch(r"(?:(\d{1,2})\s+([A-Za-z]+)\.?|([A-Za-z]+)\.?\s+(\d{1,2}),?)\s+(\d{4})", when)
    if not words:
        return None
    day, month = (words.group(1), words.group(2)) if words.group(1) else (words.group(4), words.group(3))
    number = MONTH_NUMBERS.get(month.lower())
    return f"{words.group(5)}-{number:02d}-{int(day):02d}" if number else None


# Values reference managers write for "no value" ('n/a' for a volume not yet assigned).
_PLACEHOLDERS = frozenset(["n/a", "n.a.", "n. a.", "--", "-", "\u2013", "\u2014", "?"])

# Zotero writes the fields BibTeX has no name for into the note, one "Field: value" a line
# ("Publisher: Wiley", "Number: 5", "_eprint: https://..."): the field they stand for, never note text.
_NOTE_FIELDS = {
    "publisher": "publisher",
    "number": "number",
    "issue": "number",
    "series title": "series",
    "place": "address",
    "type": "type",
    "version": "version",
    "pmid": "pmid",
    "pmcid": "pmcid",
    "doi": "doi",
    "_eprint": "",
}
_NOTE_FIELD = re.compile(r"(?:^|\s)(" + "|".join(re.escape(k) for k in _NOTE_FIELDS) + r"):\s", re.IGNORECASE)
# TeXMed's PubMed export: "[DOI:10.1/x] [PubMed:123]".
_BRACKETED_ID = re.compile(r"\[\s*(DOI|PubMed|PMID|PMC|PMCID)\s*:\s*([^\]\s]+)\s*\]", re.IGNORECASE)
_BRACKETED_FIELDS = {"doi": "doi", "pubmed": "pmid", "pmid": "pmid", "pmc": "pmcid", "pmcid": "pmcid"}
# A note or year saying the item is accepted but not yet published: NLM's "Forthcoming".
_FORTHCOMING = re.compile(
    r"^\(?\s*(?:in\s+press|forthcoming|accepted(?:\s+for\s+publication)?|to\s+appear)\s*\)?\.?$", re.IGNORECASE
)
# A note that only restates when the item appeared ("Posted: 9 July 2025"): the date, not a note.
_POSTED = re.compile(
    r"^(?:posted|published(?:\s+online)?|first\s+published|available\s+online)(?:\s+on)?\s*:?\s*(.+?)\.?$",
    re.IGNORECASE,
)
# A note that is only the kind of item ("Data", "Dataset"): NLM's content designator.
_DATA_NOTE = re.compile(r"^\[?\s*(?:data|dataset|data\s+set|research\s+data)\s*\]?\.?$", re.IGNORECASE)
# A note that only gives the version of a program ("R package version 3.2-10", "Version 2.1").
_VERSION_NOTE = re.compile(r"^(?:[\w.+#-]+\s+)?(?:package\s+)?version\s+(\S+?)\.?$", re.IGNORECASE)
DOI_PREFIX = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi\s*:\s*|doi\s+)", re.IGNORECASE)


def bare_doi(value: str) -> str:
    """'https://doi.org/10.1/x', 'doi:10.1/x', 'DOI: 10.1/x' -> '10.1/x' (a link's percent-escapes undone)."""
    stripped = value.strip()
    match = DOI_PREFIX.match(stripped)
    if not match:
        return stripped
    rest = stripped[match.end() :].strip()
    return unquote(rest) if match.group(0).lower().lstrip().startswith("http") else rest


def _split_note_fields(note: str, fields: dict[str, str]) -> str:
    """The note without Zotero's "Field: value" lines and TeXMed's bracketed identifiers (moved to fields)."""
    for match in _BRACKETED_ID.finditer(note):
        fields.setdefault(_BRACKETED_FIELDS[match.group(1).lower()], match.group(2))
    note = _BRACKETED_ID.sub("", note).strip()
    starts = list(_NOTE_FIELD.finditer(note))
    if not starts or note[: starts[0].start()].strip():
        return note  # ordinary prose that happens to hold "Number: " somewhere
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(note)
        name = _NOTE_FIELDS[match.group(1).lower()]
        value = note[match.end() : end].strip()
        if name and value:
            fields.setdefault(name, value)
    return ""


def clean_note(fields: dict[str, str]) -> None:
    """What of ``note`` is really another field (see the constants above) goes there; the rest stays."""
    note = fields.get("note")
    if note is None:
        return
    plain = convert(note).text.strip()
    rest = _split_note_fields(plain, fields).strip()
    if _FORTHCOMING.match(rest):
        fields["forthcoming"] = "yes"
        rest = ""
    elif _DATA_NOTE.match(rest):
        fields.setdefault("medium", "dataset")
        rest = ""
    elif _VERSION_NOTE.match(rest) and "version" not in fields:
        fields["version"] = _VERSION_NOTE.match(rest).group(1)  # type: ignore[union-attr]
        rest = ""
    else:
        posted = _POSTED.match(rest)
        when = parse_written_date(posted.group(1)) if posted else None
        if when is not None and when[0] == fields.get("year", when[0]):
            fields["year"], fields["month"], fields["day"] = when
            rest = ""
    if rest:
        fields["note"] = note if rest == plain else rest
    else:
        del fields["note"]


def parse_written_date(value: str) -> tuple[str, str, str] | None:
    """'9 July 2025', 'July 9, 2025' or '2025-07-09' -> ('2025', '7', '9'); anything else None."""
    iso = parse_date(value)
    if iso is not None and all(iso):
        return iso
    words = re.fullmatch(r"(?:(\d{1,2})\s+([A-Za-z]+)\.?|([A-Za-z]+)\.?\s+(\d{1,2}),?)\s+(\d{4})", value.strip())
    if not words:
        return None
    day, month = (words.group(1), words.group(2)) if words.group(1) else (words.group(4), words.group(3))
    number = MONTH_NUMBERS.get(month.lower())
    return (words.group(5), str(number), str(int(day))) if number else None


def parse_date(value: str) -> tuple[str, str, str] | None:
    """'1998-03-15' -> ('1998', '3', '15'); '2013' -> ('2013', '', ''); a range gives its start."""
    match = _ISO_DATE.match(value.strip())
    if not match:
        return None
    year, month, day = match.groups()
    return year, str(int(month)) if month else "", str(int(day)) if day else ""


def _lookup(entry: Entry, name: str, parent: Entry | None) -> str | None:
    value = entry.fields.get(name)
    if value is None and parent is not None:
        value = parent.fields.get(name)
    return None if value is None else str(value)


def _same(a: str, b: str) -> bool:
    return convert(a).text.casefold().strip(" .") == convert(b).text.casefold().strip(" .")


def _join_title(title: str | None, subtitle: str | None, addon: str | None = None) -> str | None:
    if title is None:
        return None
    text = title
    if subtitle:
        shown = convert(title).text.rstrip()
        text = f"{title}{' ' if shown.endswith(('?', '!', ':', '.')) else ': '}{subtitle}"
    if addon:
        shown = convert(text).text.rstrip()
        text = f"{text}{' ' if shown.endswith(('?', '!', '.')) else '. '}{addon}"
    return text


def issue_text(value: str) -> str:
    """'suppl_2' / 'Supplement_1' / 'Suppl. 1' -> 'Suppl 2', '1_suppl' -> '1 Suppl' (NLM); else as written."""
    numbered = _NUMBERED_SUPPLEMENT.match(value.strip())
    if numbered:
        return f"{numbered.group(1)} Suppl"
    match = _SUPPLEMENT.match(value.strip())
    if not match:
        return value
    rest = (match.group(1) or "").replace("_", " ").strip()
    return f"Suppl {rest}".strip()


_STRAY_AND = re.compile(r"^(?:\s*and\b)+|(?:\band\s*)+$", re.IGNORECASE)


def real_people(people: object) -> list[Person]:
    """The names of a list, without the empty ones 'A and and B' or a trailing 'and' leave.

    BibTeX reads 'A and and B' as 'A' and a name 'and B'; the stray 'and' is no part of a name.
    """
    out = []
    for person in people:  # type: ignore[attr-defined]
        written = getattr(person, "name_text", None)
        if written is None or not _STRAY_AND.search(written):
            out.append(person)
            continue
        rest = _STRAY_AND.sub("", written).strip()
        if rest:
            again = Person(rest)
            again.name_text = rest
            out.append(again)
    return out


def normalize(entry: Entry, bib_data: object = None) -> Entry:
    """A flat copy of ``entry`` in BibTeX's data model (see the module docstring)."""
    parent: Entry | None = None
    crossref = entry.fields.get("crossref")
    entries = getattr(bib_data, "entries", None)
    if crossref and entries is not None:
        parent = entries.get(crossref)
        if parent is None:
            lowered = crossref.lower()
            parent = next((e for k, e in entries.items() if k.lower() == lowered), None)

    fields: dict[str, str] = {}
    names = list(entry.fields.keys()) + (list(parent.fields.keys()) if parent is not None else [])
    for name in names:
        lower = name.lower()
        if lower in fields or lower == "crossref":
            continue
        if lower in _OWN_FIELDS and name not in entry.fields:
            continue  # the parent's own title parts are not the child's
        value = _lookup(entry, name, parent)
        if value is not None:
            fields[lower] = value
    if parent is not None and "booktitle" not in fields and "title" in parent.fields:
        # The book a chapter or paper is in: its title is the child's booktitle (as biblatex reads it).
        fields["booktitle"] = parent.fields["title"]
        for part in ("subtitle", "titleaddon"):
            if part in parent.fields and f"book{part}" not in fields:
                fields[f"book{part}"] = parent.fields[part]
    for name in [name for name, value in fields.items() if value.strip().lower() in _PLACEHOLDERS]:
        del fields[name]
    if "location" in fields and "address" not in fields:
        # biblatex's location is a list ("Westport, Conn. and London"); NLM gives the first place.
        fields["address"] = first_of_list(fields["location"])
    for biblatex, bibtex in ALIASES.items():
        if bibtex and biblatex in fields and bibtex not in fields:
            fields[bibtex] = fields[biblatex]

    date = parse_date(fields["date"]) if "date" in fields else None
    if date is not None:
        year, month, day = date
        fields.setdefault("year", year)
        if month and "month" not in fields:
            fields["month"] = month
            if day:
                fields.setdefault("day", day)
    elif "date" in fields:
        fields.setdefault("year", fields["date"])

    kind = entry.type.lower()
    if kind in ("thesis", "phdthesis", "mastersthesis") and "school" not in fields and "institution" in fields:
        fields["school"] = fields["institution"]
    if "publisher" not in fields:
        for name in ("organization", "institution") if kind not in ("report", "techreport") else ():
            if name in fields:
                fields["publisher"] = fields[name]
                break

    shown_elsewhere = [fields[name] for name in ("publisher", "organization", "journal") if name in fields]
    addon = fields.get("titleaddon")
    if addon and any(_same(addon, other) for other in shown_elsewhere):
        addon = None
    title = _join_title(fields.get("title"), fields.get("subtitle"), addon)
    if title is not None:
        fields["title"] = title
    booktitle = _join_title(fields.get("booktitle"), fields.get("booksubtitle"), fields.get("booktitleaddon"))
    if booktitle is not None:
        fields["booktitle"] = booktitle

    howpublished = fields.get("howpublished")
    if howpublished:
        converted = convert(howpublished)
        address = converted.text.strip()
        if (converted.urls and address in converted.urls) or _BARE_URL.fullmatch(address):
            fields.setdefault("url", address)
            del fields["howpublished"]

    clean_note(fields)
    if fields.get("pubstate", "").strip().lower().replace(" ", "") in ("inpress", "forthcoming", "accepted"):
        fields["forthcoming"] = "yes"  # biblatex's pubstate = {inpress}
    if _FORTHCOMING.match(fields.get("year", "x")):
        # year = {in press}: NLM's "Forthcoming" (with no year, as none is known)
        fields["forthcoming"] = "yes"
        del fields["year"]
    note = fields.get("note")
    accessed = access_date(convert(note).text) if note and fields.get("url") else None
    if accessed is not None and fields.setdefault("urldate", accessed) == accessed:
        # "(accessed 2015-02-13)" is the access date of the URL: NLM's [cited 2015 Feb 13].
        del fields["note"]

    doi_in_url = _DOI_URL.match(fields.get("url", ""))
    if doi_in_url and not fields.get("doi"):
        # A link to doi.org is the DOI: cited as 'doi:10...', as NLM does.
        fields["doi"] = unquote(doi_in_url.group(1))
        del fields["url"]

    if fields.get("doi"):
        fields["doi"] = bare_doi(fields["doi"])

    eprint, eprinttype = fields.get("eprint"), (fields.get("eprinttype") or fields.get("archiveprefix") or "").lower()
    if eprint and eprinttype in EPRINT_FIELDS:
        fields.setdefault(EPRINT_FIELDS[eprinttype], eprint.strip())
    elif eprint and eprinttype in ("arxiv", "arxiv.org"):
        fields.setdefault("arxiv", eprint.strip())

    if "number" in fields and kind == "article":
        fields["number"] = issue_text(fields["number"])

    persons: dict[str, list[Person]] = {role: real_people(people) for role, people in entry.persons.items()}
    if parent is not None:
        for role, people in parent.persons.items():
            persons.setdefault(role, real_people(people))
    persons = {role: people for role, people in persons.items() if people}
    flat = Entry(entry.type, fields=fields, persons=persons)
    flat.key = entry.key
    return flat


_LAST: list[tuple[Entry, object, tuple[object, ...], Entry]] = []


def normalized(entry: Entry, bib_data: object = None) -> Entry:
    """``normalize``, remembered for the entry last asked about (its checks and its formatting share it).

    Remembered by identity and by the entry's fields and names as they are now, so an entry
    changed in between is normalised again. The result is read, never changed, by its users
    (``vancouver.missing_fields``, ``nlm.NlmFormatter``).
    """
    state = (
        tuple(entry.fields.items()),
        tuple((role, tuple(map(id, people))) for role, people in entry.persons.items()),
    )
    if _LAST and _LAST[0][0] is entry and _LAST[0][1] is bib_data and _LAST[0][2] == state:
        return _LAST[0][3]
    flat = normalize(entry, bib_data)
    _LAST[:] = [(entry, bib_data, state, flat)]
    return flat
