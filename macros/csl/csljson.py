"""A .bib entry as CSL-JSON, read through the same data model as the Vancouver formatter.

``csl_item(entry, bib_data)`` takes the pybtex entry the engine parsed and
gives the dict citeproc-py reads. It goes through ``datamodel.normalize``
first, so every CSL style sees what the built-in style sees: biblatex's
fields (journaltitle, date, location, eprint, ...) read as BibTeX's,
crossref resolved, DOIs in doi.org links and access dates in notes found,
names split the way exports really write them (particles, "Jr." suffixes,
corporate names in braces), and LaTeX turned into Unicode. Words in braces
in a title keep their case (``<span class="nocase">``), as BibTeX keeps it.
"""

from __future__ import annotations

import re
from typing import Any

from pybtex.database import Entry, Person

from ..bib.latex_to_text import to_unicode
from ..styles.datamodel import MONTH_NUMBERS, normalize, parse_date
from ..styles.names import corporate_name, name_parts

# BibTeX / biblatex entry type -> CSL type.
TYPES = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "booklet": "pamphlet",
    "collection": "book",
    "mvcollection": "book",
    "proceedings": "book",
    "mvproceedings": "book",
    "reference": "book",
    "manual": "report",
    "inbook": "chapter",
    "bookinbook": "chapter",
    "suppbook": "chapter",
    "incollection": "chapter",
    "suppcollection": "chapter",
    "inreference": "entry-encyclopedia",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "webpage": "webpage",
    "unpublished": "manuscript",
    "patent": "patent",
    "dataset": "dataset",
    "software": "software",
    "misc": "document",
}

# BibTeX field (after normalize) -> CSL variable, shown as text.
TEXT_FIELDS = {
    "title": "title",
    "shorttitle": "title-short",
    "edition": "edition",
    "volume": "volume",
    "publisher": "publisher",
    "address": "publisher-place",
    "note": "note",
    "series": "collection-title",
    "chapter": "chapter-number",
    "isbn": "ISBN",
    "issn": "ISSN",
    "venue": "event-place",
    "eventtitle": "event-title",
    "language": "language",
    "version": "version",
    "abstract": "abstract",
}
# Identifiers: kept as written (the .bib loader does not read LaTeX in them).
IDENTIFIERS = {"doi": "DOI", "pmid": "PMID", "pmcid": "PMCID", "url": "URL"}
_VERBATIM = frozenset(["id", "type", "DOI", "PMID", "PMCID", "URL", "ISBN", "ISSN", "page", "language"])

_CORPORATE = re.compile(r"^\{.*\}$", re.S)
_PAGE_DASH = re.compile(r"\s*(?:-{1,3}|[\u2010-\u2015])\s*")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_LOWER_PARTICLE = re.compile(r"^[a-z'\u2019]")


def text_with_case(value: str) -> str:
    """LaTeX to Unicode, a word or phrase in braces wrapped in a nocase span (its case is the writer's).

    A brace group that starts with a command (``{\\"o}``, ``{\\em x}``) is a
    special character or a font, not case protection, as in BibTeX. A span
    covers whole words ('{FR}ench' protects 'FRench', '{Bone}-{Conduction}'
    one 'Bone-Conduction'): citeproc-py puts a space between a span and the
    letters or punctuation that touch it when it changes a title's case.
    """
    if "{" not in value:
        return _escape(to_unicode(value))
    segments: list[tuple[str, bool]] = []  # (text, protected)
    depth, start, plain_start = 0, 0, 0
    for index, char in enumerate(value):
        if char == "{" and (index == 0 or value[index - 1] != "\\"):
            if depth == 0:
                start = index
            depth += 1
        elif char == "}" and (index == 0 or value[index - 1] != "\\") and depth > 0:
            depth -= 1
            if depth == 0 and not value[start + 1 :].lstrip().startswith("\\"):
                segments.append((_piece(value[plain_start:start]), False))
                segments.append((_piece(value[start + 1 : index]), True))
                plain_start = index + 1
    segments.append((_piece(value[plain_start:]), False))
    return re.sub(r"\s+", " ", "".join(_spans(_whole_words(segments)))).strip()


def _whole_words(segments: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Protected runs grown to the spaces around them, neighbouring runs joined."""
    out: list[tuple[str, bool]] = []
    for text, protected in segments:
        if not text:
            continue
        if protected and out and not out[-1][1]:
            before = out[-1][0]
            cut = len(before.rstrip()) if before[-1:].isspace() else _last_space(before)
            out[-1] = (before[:cut], False)
            text = before[cut:] + text
        elif not protected and out and out[-1][1]:
            cut = len(text) - len(text.lstrip()) if text[:1].isspace() else _first_space(text)
            out[-1] = (out[-1][0] + text[:cut], True)
            text = text[cut:]
        if out and out[-1][1] == protected:
            out[-1] = (out[-1][0] + text, protected)
        elif text:
            out.append((text, protected))
    return [segment for segment in out if segment[0]]


def _last_space(text: str) -> int:
    at = max(text.rfind(" "), -1)
    return at + 1


def _first_space(text: str) -> int:
    at = text.find(" ")
    return len(text) if at < 0 else at


def _spans(segments: list[tuple[str, bool]]) -> list[str]:
    out = []
    for text, protected in segments:
        if protected and text.strip():
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()) :]
            out.append(f'{lead}<span class="nocase">{_escape(text.strip())}</span>{trail}')
        else:
            out.append(_escape(text))
    return out


def _piece(value: str) -> str:
    """One part of a value, converted; its outer spaces kept (they separate it from its neighbours)."""
    text = to_unicode(value)
    lead = " " if value[:1].isspace() or value.startswith("~") else ""
    trail = " " if value[-1:].isspace() or value.endswith("~") else ""
    return f"{lead}{text}{trail}" if text else lead or trail


def _escape(text: str) -> str:
    # citeproc-py reads '<span class="nocase">' as markup and everything else
    # as text (escaped by its HTML formatter); only this marker must not be
    # written by a .bib field itself.
    return text.replace('<span class="nocase">', '<span class="nocase" >')


def _name(person: Person) -> dict[str, str]:
    written = getattr(person, "name_text", "") or str(person)
    if _CORPORATE.match(written.strip()) and not person.first_names:
        return {"literal": to_unicode(written)}
    corporate = corporate_name(person)  # 'World Health Organization' written without braces
    if corporate is not None:
        return {"literal": corporate}
    surname, given, lineage = name_parts(person)
    family_parts = [to_unicode(part) for part in surname]
    particles: list[str] = []
    while len(family_parts) > 1 and _LOWER_PARTICLE.match(family_parts[0]):
        particles.append(family_parts.pop(0))
    name: dict[str, str] = {"family": " ".join(family_parts)}
    if not family_parts or not name["family"]:
        return {"literal": to_unicode(written)}
    if particles:
        name["non-dropping-particle"] = " ".join(particles)
    if given:
        name["given"] = " ".join(to_unicode(part) for part in given)
    if lineage:
        name["suffix"] = " ".join(to_unicode(part) for part in lineage)
    return name


def _people(entry: Entry, role: str) -> list[dict[str, str]]:
    people = [p for p in entry.persons.get(role, ()) if str(p).strip().lower() != "others"]
    return [_name(p) for p in people]


def _month(value: str) -> int | None:
    text = to_unicode(value).strip().lower().rstrip(".")
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    words = re.findall(r"[a-z]+", text)
    return MONTH_NUMBERS.get(words[0]) if words else None


def _date(fields: dict[str, str]) -> dict[str, Any] | None:
    year_text = to_unicode(fields.get("year", "")).strip()
    year = re.match(r"\d{4}", year_text)
    if not year:
        return {"literal": year_text} if year_text else None
    parts: list[int] = [int(year.group(0))]
    month = _month(fields["month"]) if fields.get("month") else None
    if month:
        parts.append(month)
        day = to_unicode(fields.get("day", "")).strip()
        if day.isdigit() and 1 <= int(day) <= 31:
            parts.append(int(day))
    return {"date-parts": [parts]}


def _iso(value: str) -> dict[str, Any] | None:
    parsed = parse_date(to_unicode(value))
    if parsed is None:
        return None
    return {"date-parts": [[int(part) for part in parsed if part]]}


_SHORT_RANGE = re.compile(r"\b([A-Za-z]?)(\d+)-(\d+)\b")


def _pages(value: str) -> str:
    """'906--10' -> '906-910': the style decides how to shorten a range (citeproc-py cannot expand one)."""

    def expand(match: re.Match[str]) -> str:
        prefix, first, last = match.groups()
        if len(last) < len(first) and int(first[-len(last) :]) <= int(last):
            last = first[: len(first) - len(last)] + last
        return f"{prefix}{first}-{last}"

    return _SHORT_RANGE.sub(expand, _PAGE_DASH.sub("-", to_unicode(value).strip()))


def typographic(text: str) -> str:
    """Straight apostrophes as typographic ones (O'Donohue -> O’Donohue), as citeproc-js prints them."""
    return re.sub(r"(?<=\w)'", "\u2019", text) if "'" in text else text


# biblatex's localisation keys in a type field, as words.
TYPE_KEYS = {
    "phdthesis": "PhD thesis",
    "mathesis": "Master\u2019s thesis",
    "mastersthesis": "Master\u2019s thesis",
    "candthesis": "Candidate thesis",
    "techreport": "Technical report",
    "resreport": "Research report",
}


def _type_key(value: str) -> str:
    text = to_unicode(value).strip()
    return TYPE_KEYS.get(text.lower(), text)


def csl_type(entry_type: str, fields: dict[str, str]) -> str:
    kind = TYPES.get(entry_type.lower(), "document")
    if (
        kind == "document"
        and fields.get("url")
        and not any(fields.get(f) for f in ("howpublished", "doi", "publisher"))
    ):
        return "webpage"  # a @misc that is only a link: a web page (the Vancouver style reads it so too)
    return kind


def csl_item(key: str, entry: Entry, bib_data: object = None) -> dict[str, Any]:
    """The CSL-JSON item citeproc-py formats for one entry (see the module docstring)."""
    flat = normalize(entry, bib_data)
    fields = {name.lower(): str(value) for name, value in flat.fields.items()}
    entry_type = entry.type.lower()
    kind = csl_type(entry_type, fields)
    item: dict[str, Any] = {"id": key, "type": kind}

    for role, variable in (("author", "author"), ("editor", "editor"), ("translator", "translator")):
        people = _people(flat, role)
        if people:
            item[variable] = people

    for field, variable in TEXT_FIELDS.items():
        value = fields.get(field, "").strip()
        if value:
            item[variable] = text_with_case(value) if variable == "title" else to_unicode(value)
    if "edition" in item:
        item["edition"] = re.sub(r"(?i)\s*(?:ed\.?|edition)$", "", item["edition"]).strip() or item["edition"]

    journal = fields.get("journal", "").strip()
    booktitle = fields.get("booktitle", "").strip()
    if kind == "article-journal":
        if journal:
            item["container-title"] = to_unicode(journal)
        short = fields.get("shortjournal") or fields.get("journalabbr")
        if short:
            item["container-title-short"] = to_unicode(short)
    elif booktitle:
        item["container-title"] = text_with_case(booktitle)
    elif journal:
        item["container-title"] = to_unicode(journal)

    number = to_unicode(fields.get("number", "") or fields.get("issue", "")).strip()
    if number:
        if kind == "article-journal":
            item["issue"] = number
        elif fields.get("series") and kind not in ("report", "patent"):
            item["collection-number"] = number  # a book's number is its number in the series
        else:
            item["number"] = number
    if fields.get("pages"):
        item["page"] = _pages(fields["pages"])

    if kind == "thesis":
        school = fields.get("school") or fields.get("institution")
        if school:
            item["publisher"] = to_unicode(school)
        written = _type_key(fields.get("type", ""))
        item["genre"] = written or ("Master\u2019s thesis" if entry_type == "mastersthesis" else "PhD thesis")
    elif kind == "report":
        if fields.get("institution") and "publisher" not in item:
            item["publisher"] = to_unicode(fields["institution"])
        if fields.get("type"):
            item["genre"] = _type_key(fields["type"])
    if fields.get("howpublished") and "publisher" not in item:
        item["publisher"] = to_unicode(fields["howpublished"])
    if kind == "webpage" and fields.get("organization") and "container-title" not in item:
        item["container-title"] = to_unicode(fields["organization"])  # biblatex's @online: the site
    elif fields.get("organization") and "publisher" not in item:
        item["publisher"] = to_unicode(fields["organization"])

    issued = _date(fields)
    if issued is not None:
        item["issued"] = issued
    if fields.get("forthcoming"):
        item["status"] = "forthcoming"  # year = {in press}, pubstate = {inpress}: the style's "in press"
    for field, variable in (("urldate", "accessed"), ("eventdate", "event-date"), ("origdate", "original-date")):
        if fields.get(field):
            when = _iso(fields[field])
            if when is not None:
                item[variable] = when

    for field, variable in IDENTIFIERS.items():
        value = fields.get(field, "").strip()
        if value:
            item[variable] = _DOI_PREFIX.sub("", value) if field == "doi" else value
    if fields.get("arxiv") and "URL" not in item:
        item["URL"] = f"https://arxiv.org/abs/{fields['arxiv'].strip()}"
    for variable, value in item.items():
        if isinstance(value, str) and variable not in _VERBATIM:
            item[variable] = typographic(value)
        elif variable in ("author", "editor", "translator"):
            for name in value:
                for part, text in name.items():
                    name[part] = typographic(text)
    return item
