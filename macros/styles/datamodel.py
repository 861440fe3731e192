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
    r"^\(?\s*(?:last\s+)?(?:accessed|retrieved|visited|viewed|cited)(?:\s+on)?\s*:?\s*(.+?)\s*\)?\.?$",
    re.IGNORECASE,
)
_MONTH_NUMBERS = {
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
    words = re.fullmatch(r"(?:(\d{1,2})\s+([A-Za-z]+)\.?|([A-Za-z]+)\.?\s+(\d{1,2}),?)\s+(\d{4})", when)
    if not words:
        return None
    day, month = (words.group(1), words.group(2)) if words.group(1) else (words.group(4), words.group(3))
    number = _MONTH_NUMBERS.get(month.lower())
    return f"{words.group(5)}-{number:02d}-{int(day):02d}" if number else None


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
    """'suppl_2' / 'Supplement_1' / 'Suppl. 1' -> 'Suppl 2' (NLM); anything else as written."""
    match = _SUPPLEMENT.match(value.strip())
    if not match:
        return value
    rest = (match.group(1) or "").replace("_", " ").strip()
    return f"Suppl {rest}".strip()


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

    eprint, eprinttype = fields.get("eprint"), (fields.get("eprinttype") or fields.get("archiveprefix") or "").lower()
    if eprint and eprinttype in EPRINT_FIELDS:
        fields.setdefault(EPRINT_FIELDS[eprinttype], eprint.strip())
    elif eprint and eprinttype in ("arxiv", "arxiv.org"):
        fields.setdefault("arxiv", eprint.strip())

    if "number" in fields and kind == "article":
        fields["number"] = issue_text(fields["number"])

    persons: dict[str, list[Person]] = {role: list(people) for role, people in entry.persons.items()}
    if parent is not None:
        for role, people in parent.persons.items():
            persons.setdefault(role, list(people))
    flat = Entry(entry.type, fields=fields, persons=persons)
    flat.key = entry.key
    return flat
