"""Vancouver style (ICMJE / NLM *Citing Medicine*): its rules.

The references are written by ``nlm.NlmFormatter`` straight to HTML and
text; this module holds the rules it applies to each element (pages, months,
editions, journal abbreviations, identifiers and their links, which types
exist); ``pybtex_style.VancouverStyle`` gives the same references to pybtex's
tools as rich text. Examples of the output:

    Kang SY, Jeon HS, Kwon O, Cynn HS, Choi B. Activation of ... Man Ther.
    2013;18(4):303-7.

    Moore KL, Dalley AF. Clinically Oriented Anatomy. 4th ed. Baltimore (MD):
    Lippincott Williams & Wilkins; 1999.

Entries in biblatex's data model are read through ``datamodel.normalize``
first; every field is shown as plain Unicode text (``bib.latex_to_text``). The
rules, by element:

- names: "Surname Initials Suffix", six, then "et al."; one editor is an
  "editor", several are "editors";
- dates: the year alone for books, chapters, proceedings and theses; year,
  month and day (as far as given) for everything else;
- an item whose URL is shown (there is no DOI) and that has an access date, or
  is a web page, is an Internet source: "Title [Internet]. ...; 2020 [cited
  2020 Jan 31]. Available from: URL"; a URL without an access date is still
  given as "Available from: URL";
- the note closes every reference, after the DOI / PMID and the URL (NLM's
  "Notes" element is the last); what a reference manager wrote into the
  note that is really another field (Zotero's "Publisher: ...", TeXMed's
  "[PubMed:...]", "Accepted for publication") is read as that field
  (``datamodel.clean_note``);
- an item accepted but not yet published is "Forthcoming" (NLM), a preprint
  "Server [Preprint]", a data set "[dataset]"; software and data sets give
  their version ("Version 2.1.") and publisher.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from pybtex.database import Entry, Person

from ..bib.latex_to_text import ordinal, to_unicode
from .datamodel import normalized

MONTHS = {
    name: abbr
    for abbr, names in {
        "Jan": ("1", "01", "jan", "january"),
        "Feb": ("2", "02", "feb", "february"),
        "Mar": ("3", "03", "mar", "march"),
        "Apr": ("4", "04", "apr", "april"),
        "May": ("5", "05", "may"),
        "Jun": ("6", "06", "jun", "june"),
        "Jul": ("7", "07", "jul", "july"),
        "Aug": ("8", "08", "aug", "august"),
        "Sep": ("9", "09", "sep", "sept", "september"),
        "Oct": ("10", "oct", "october"),
        "Nov": ("11", "nov", "november"),
        "Dec": ("12", "dec", "december"),
    }.items()
    for name in names
}

ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
}

# The fields each entry type needs for a usable reference; a missing one is a
# warning that names the key and the field. "a|b" means either will do. The
# names are BibTeX's: biblatex's (journaltitle, date, location, ...) count too.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "article": ("author", "title", "journal", "year"),
    "book": ("author|editor", "title", "publisher", "year"),
    "inbook": ("author|editor", "title", "publisher", "year"),
    "incollection": ("author", "title", "booktitle", "publisher", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "phdthesis": ("author", "title", "school", "year"),
    "mastersthesis": ("author", "title", "school", "year"),
    "techreport": ("author|institution", "title", "institution", "year"),
    "online": ("title", "url"),
    "proceedings": ("title", "year"),  # BibTeX: editor, publisher and the rest are optional
    "misc": ("title",),
}

# Entry types that share another type's template (biblatex's types included).
TYPE_ALIASES = {
    "conference": "inproceedings",
    "thesis": "phdthesis",
    "report": "techreport",
    "electronic": "online",
    "www": "online",
    "webpage": "online",
    "manual": "book",
    "booklet": "book",
    "proceedings": "book",
    "mvbook": "book",
    "collection": "book",
    "mvcollection": "book",
    "reference": "book",
    "mvproceedings": "book",
    "bookinbook": "inbook",
    "suppbook": "inbook",
    "inreference": "incollection",
    "suppcollection": "incollection",
    "unpublished": "misc",
    "patent": "misc",
    "software": "misc",
    "dataset": "misc",
    "data": "misc",
}

# The fields the style shows (after ``normalize``): LaTeX in any of them that
# cannot be converted is worth a warning; in others (abstract, file) it is not.
SHOWN_FIELDS = (
    "title",
    "subtitle",
    "titleaddon",
    "booktitle",
    "booksubtitle",
    "journal",
    "journaltitle",
    "shortjournal",
    "journalabbr",
    "edition",
    "address",
    "location",
    "publisher",
    "organization",
    "institution",
    "school",
    "howpublished",
    "note",
    "year",
    "month",
    "date",
    "volume",
    "number",
    "pages",
    "chapter",
    "type",
)


def latex_to_text(value: str) -> str:
    """LaTeX source to plain Unicode: accents decoded, braces dropped."""
    return to_unicode(value)


def edition_text(value: str) -> str:
    """'4', '4th' or 'fourth' -> '4th ed.'; a first edition is not stated (''); else kept: 'Rev ed.'."""
    cleaned = value.strip().rstrip(".,;: ")
    lower = cleaned.lower()
    last = lower.rsplit(" ", 1)[-1].rstrip(".")
    if " " in lower and (last == "edn" or (len(last) >= 2 and "edition".startswith(last))):
        # 'Second ed', 'Second Edition', and the truncated 'Second Edi' of some exports
        cleaned = cleaned.rsplit(" ", 1)[0].rstrip(".,; ")
        lower = cleaned.lower()
    number = None
    digits = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?", lower)
    if digits:
        number = int(digits.group(1))
    elif lower in ORDINAL_WORDS:
        number = ORDINAL_WORDS[lower]
    if number == 1:
        return ""
    if number is not None:
        return f"{ordinal(number)} ed."
    return f"{cleaned} ed." if cleaned else ""


def version_text(value: str, title: str = "") -> str:
    """'v0.8.1' / '2.1' -> 'Version 0.8.1' (NLM's edition statement for software); '' if the title has it."""
    version = value.strip().rstrip(".")
    if not version or re.search(rf"(?<![\w.]){re.escape(version)}(?![\w])", title, re.IGNORECASE):
        return ""
    version = re.sub(r"^(?:version\s*|v(?=\d))", "", version, flags=re.IGNORECASE)
    return f"Version {version}."


_SPACES = re.compile(r"\s+")
_PAGE_DASH = re.compile(r"\s*[-\u2010-\u2015]+\s*")
_PAGE = re.compile(r"([A-Za-z]*)(\d+)")


def nlm_pages(value: str) -> str:
    """NLM page ranges: '303--307' -> '303-7', '1099-1100' -> '1099-100', 'A230-A231' -> 'A230-1'.

    A letter prefix shared by both ends is written once; article numbers
    ('e52228') and ranges of mixed forms ('A1-B2') are kept whole, with the
    dash normalised to a hyphen.
    """
    parts = []
    for chunk in value.split(","):
        chunk = chunk.strip()
        if not chunk:
            continue
        ends = _PAGE_DASH.split(chunk)
        first_match = _PAGE.fullmatch(ends[0]) if len(ends) == 2 else None
        last_match = _PAGE.fullmatch(ends[1]) if len(ends) == 2 else None
        if first_match and last_match and last_match.group(1) in ("", first_match.group(1)):
            prefix, first = first_match.groups()
            last = last_match.group(2)
            if len(first) == len(last):
                common = 0
                while common < len(first) and first[common] == last[common]:
                    common += 1
                last = last[common:]
            elif len(last) < len(first) or (last_match.group(1) == "" and prefix):
                parts.append("-".join(ends))
                continue
            parts.append(f"{prefix}{first}-{last}" if last else f"{prefix}{first}")
        else:
            parts.append("-".join(ends))
    return ", ".join(parts)


def month_abbr(value: str) -> str:
    return MONTHS.get(value.strip().lower().rstrip("."), value.strip())


def month_text(value: str) -> str:
    """'July' -> 'Jul'; 'June-August' or 'November, December' -> 'Jun-Aug' / 'Nov-Dec'; '10 January' -> 'Jan 10'."""
    words = re.findall(r"[A-Za-z]+|\d+", value)
    months = [MONTHS[w.lower()] for w in words if not w.isdigit() and w.lower() in MONTHS]
    others = [w for w in words if not w.isdigit() and w.lower() not in MONTHS]
    numbers = [w for w in words if w.isdigit()]
    if others or not words:
        return value.strip()
    if not months:
        return MONTHS.get(numbers[0], value.strip()) if len(numbers) == 1 else value.strip()
    shown = "-".join(dict.fromkeys(months))
    if len(months) == 1 and len(numbers) == 1 and 1 <= int(numbers[0]) <= 31:
        shown += f" {int(numbers[0])}"
    return shown


_INITIALISM = re.compile(r"\b([A-Z])\.(?=\s?[A-Z]\.)")
_ABBREVIATION_PERIOD = re.compile(r"(?<=\w)\.(?=\s|$)")


def journal_text(value: str) -> str:
    """NLM writes journal abbreviations without periods: 'J. Am. Chem. Soc.' -> 'J Am Chem Soc'."""
    spaced = _INITIALISM.sub(r"\1 ", value)
    return _SPACES.sub(" ", _ABBREVIATION_PERIOD.sub("", spaced)).strip()


def event_date(value: str) -> str:
    """biblatex's eventdate: '2002-04-03/2002-04-05' -> '2002 Apr 3-5' (NLM's conference dates)."""
    start, _, end = value.strip().partition("/")
    first, last = cited_date(start).split(" "), cited_date(end).split(" ") if end else []
    if not last or last == first:
        return " ".join(first)
    if len(first) == len(last) == 3 and first[:2] == last[:2]:
        return f"{' '.join(first)}-{last[2]}"
    if first[0] == last[0] and len(last) > 1:
        return f"{' '.join(first)}-{' '.join(last[1:])}"
    return f"{' '.join(first)}-{' '.join(last)}"


def cited_date(value: str) -> str:
    """'2024-01-05' -> '2024 Jan 5' for '[cited ...]'."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:T.*)?", value.strip())
    if not match:
        return value.strip()
    year, month, day = match.groups()
    out = year
    if month:
        out += " " + MONTHS.get(str(int(month)), month)
    if day:
        out += f" {int(day)}"
    return out


def _is_others(person: Person) -> bool:
    return str(person).strip().lower() == "others"


def _people(entry: Entry, role: str) -> tuple[list[Person], bool]:
    """The persons in ``role`` without 'others', and whether the list goes on."""
    persons = list(entry.persons.get(role, ()))
    et_al = bool(persons) and _is_others(persons[-1])
    return [p for p in persons if not _is_others(p)], et_al


def doi_url(doi: str) -> str | None:
    doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.IGNORECASE)
    if not re.match(r"10\.\S+/\S+", doi):
        return None
    return "https://doi.org/" + quote(doi, safe="/:;()._-")


def pubmed_url(pmid: str) -> str | None:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid.isascii() and pmid.isdigit() else None


def pmc_url(pmcid: str) -> str | None:
    pmcid = pmcid.upper()
    if not pmcid.startswith("PMC"):
        pmcid = "PMC" + pmcid
    return f"https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/" if pmcid.isascii() and pmcid[3:].isdigit() else None


def arxiv_url(identifier: str) -> str | None:
    identifier = re.sub(r"^arxiv:\s*", "", identifier, flags=re.IGNORECASE)
    if not re.fullmatch(r"[\w./-]+", identifier):
        return None
    return f"https://arxiv.org/abs/{identifier}"


def web_url(url: str) -> str | None:
    """Only http(s) URLs become links; anything else stays inert text.

    Characters that may not stand in a URL (quotes, angle brackets, spaces)
    are percent-encoded rather than trusted.
    """
    url = url.strip()
    if not re.match(r"https?://[^/\s]", url, flags=re.IGNORECASE):
        return None
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def shows_url(e: Entry) -> bool:
    """The URL is given when there is no DOI to find the item by."""
    return bool(e.fields.get("url", "").strip()) and not e.fields.get("doi", "").strip()


def is_internet(e: Entry, kind: str) -> bool:
    """Cited as an Internet source: its URL is shown and it has an access date, or it is a web page."""
    return shows_url(e) and (kind == "online" or bool(e.fields.get("urldate", "").strip()))


def thesis_kind(original_type: str, type_field: str) -> str:
    """NLM's content designator: 'dissertation' or "master's thesis" (biblatex's type keys read too)."""
    if original_type == "mastersthesis":
        return "master's thesis"
    if original_type == "phdthesis":
        return "dissertation"
    key = to_unicode(type_field).strip()
    lower = key.lower().replace(" ", "")
    if not key or lower in ("phdthesis", "phd", "doctoralthesis", "dissertation", "phddissertation"):
        return "dissertation"
    if lower in ("mathesis", "masterthesis", "mastersthesis", "master'sthesis", "msthesis", "masters"):
        return "master's thesis"
    return key


DATA_TYPES = frozenset(["dataset", "data"])
_PREPRINT = re.compile(r"\bpre-?print\b", re.IGNORECASE)
# Preprint servers that exports put in the journal field.
_SERVER_JOURNAL = re.compile(
    r"^(arxiv|biorxiv|medrxiv|chemrxiv|psyarxiv|socarxiv|techrxiv|eartharxiv|research square|ssrn|"
    r"preprints\.org|osf preprints)(?:\s+(?:e-?prints?|electronic journal|preprint server))?\.?$",
    re.IGNORECASE,
)


def preprint_server(e: Entry) -> str | None:
    """The server a preprint is on ('arXiv', 'SSRN', 'medRxiv'), or None if the entry is no preprint.

    A preprint is an entry whose type or howpublished says so, an article
    with an arXiv identifier and no journal (physics exports), or an article
    whose "journal" is a preprint server ('bioRxiv', 'arXiv e-prints').
    """
    fields = e.fields
    journal = _SERVER_JOURNAL.match(to_unicode(fields.get("journal", "")).strip())
    if journal and getattr(e, "type", "") == "article":
        return journal.group(1)
    said = [name for name in ("type", "howpublished", "pubstate") if _PREPRINT.search(fields.get(name, ""))]
    if said:
        for name in ("howpublished", "publisher", "institution", "organization", "journal", "eprinttype"):
            server = to_unicode(_PREPRINT.sub("", fields.get(name, ""))).strip(" .,;:[]()")
            if server:
                return server
        return "arXiv" if fields.get("arxiv") else ""
    if getattr(e, "type", "") == "article" and fields.get("arxiv") and not fields.get("journal"):
        return "arXiv"
    return None


# What the style has a form for; any other type is formatted like @misc (with a warning).
FORMATTED_TYPES = frozenset(
    [
        "article",
        "book",
        "incollection",
        "inbook",
        "inproceedings",
        "phdthesis",
        "mastersthesis",
        "techreport",
        "online",
        "misc",
    ]
)


def missing_fields(entry: Entry, bib_data: object = None) -> list[str]:
    """The fields the Vancouver style needs that this entry lacks (in either data model)."""
    flat = normalized(entry, bib_data)
    kind = TYPE_ALIASES.get(entry.type, entry.type)
    needed = REQUIRED_FIELDS.get(entry.type, REQUIRED_FIELDS.get(kind, REQUIRED_FIELDS["misc"]))
    if kind == "article" and preprint_server(flat) is not None:
        needed = tuple(spec for spec in needed if spec != "journal")
    missing = []
    for spec in needed:
        if spec == "year" and "forthcoming" in flat.fields:
            continue  # year = {in press}: NLM's "Forthcoming" stands where the year goes
        options = spec.split("|")
        if not any(opt in flat.fields or opt in flat.persons for opt in options):
            missing.append(spec.replace("|", " or "))
    return missing


def is_known_type(entry_type: str) -> bool:
    return TYPE_ALIASES.get(entry_type, entry_type) in FORMATTED_TYPES
