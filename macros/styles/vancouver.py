"""Vancouver style (ICMJE / NLM *Citing Medicine*) as a pybtex style plugin.

Written with pybtex's template language, one ``get_<type>_template`` per entry
type, the way pybtex's own ``unsrt`` style is. Examples of the output:

    Kang SY, Jeon HS, Kwon O, Cynn HS, Choi B. Activation of ... Man Ther.
    2013;18(4):303-7.

    Moore KL, Dalley AF. Clinically Oriented Anatomy. 4th ed. Baltimore (MD):
    Lippincott Williams & Wilkins; 1999.

Entries in biblatex's data model are read through ``datamodel.normalize``
first; every field is shown as plain Unicode text (``latex_unicode``). The
rules, by element:

- names: "Surname Initials Suffix", six, then "et al."; one editor is an
  "editor", several are "editors";
- dates: the year alone for books, chapters, proceedings and theses; year,
  month and day (as far as given) for everything else;
- an item whose URL is shown (there is no DOI) and that has an access date, or
  is a web page, is an Internet source: "Title [Internet]. ...; 2020 [cited
  2020 Jan 31]. Available from: URL"; a URL without an access date is still
  given as "Available from: URL";
- the note closes the description of every type, before the DOI / PMID and
  the URL.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

from pybtex.database import Entry, Person
from pybtex.richtext import HRef, Text
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.template import FieldIsMissing, first_of, join, node, optional, sentence

from ..bib.latex_to_text import to_unicode
from .datamodel import normalize
from .places import nlm_place

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


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def edition_text(value: str) -> str:
    """'4', '4th' or 'fourth' -> '4th ed.'; a first edition is not stated (''); else kept: 'Rev ed.'."""
    cleaned = value.strip().rstrip(".")
    lower = cleaned.lower()
    if lower.endswith(" ed") or lower.endswith(" edition"):
        cleaned = cleaned.rsplit(" ", 1)[0]
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


@node
def author_list(children, context, role: str = "author", max_names: int = 6):  # type: ignore[no-untyped-def]
    """'A B, C D, ..., et al.' after ``max_names`` names (NLM lists six)."""
    if children:
        raise ValueError(children)
    entry = context["entry"]
    persons, et_al = _people(entry, role)
    if not persons:
        raise FieldIsMissing(role, entry)
    if len(persons) > max_names:
        persons = persons[:max_names]
        et_al = True
    style = context["style"]
    names = [style.format_name(person) for person in persons]
    if et_al:
        names.append(Text("et al"))
    return Text(", ").join(names)


@node
def text_field(children, context, name: str, convert: Callable[[str], str] = str):  # type: ignore[no-untyped-def]
    """A field as plain text, passed through ``convert``; empty counts as missing."""
    if children:
        raise ValueError(children)
    entry = context["entry"]
    try:
        value = entry._find_field(name, bib_data=context.get("bib_data"))
    except KeyError:
        raise FieldIsMissing(name, entry) from None
    shown = convert(latex_to_text(value))
    if not shown:
        raise FieldIsMissing(name, entry)
    return Text(shown)


@node
def identifier_link(children, context, name: str, prefix: str, url_for: Callable[[str], str | None]):  # type: ignore[no-untyped-def]
    """'doi:10.1/x' linked to https://doi.org/10.1/x (or the text alone if invalid)."""
    if children:
        raise ValueError(children)
    entry = context["entry"]
    try:
        raw = entry._find_field(name, bib_data=context.get("bib_data"))
    except KeyError:
        raise FieldIsMissing(name, entry) from None
    value = raw.strip()  # identifiers are kept verbatim by the .bib loader
    if not value:
        raise FieldIsMissing(name, entry)
    url = url_for(value)
    label = Text(prefix, value)
    return HRef(url, label) if url else label


@node
def date_part(children, context, full: bool = True):  # type: ignore[no-untyped-def]
    """'2018' or, with ``full``, '2018 Mar' / '2013 Oct 22' (as far as the entry gives it)."""
    if children:
        raise ValueError(children)
    entry = context["entry"]
    year = to_unicode(entry.fields.get("year", "")).strip()
    if not year:
        raise FieldIsMissing("year", entry)
    if not full or not entry.fields.get("month"):
        return Text(year)
    month = month_text(to_unicode(entry.fields["month"]))
    day = to_unicode(entry.fields.get("day", "")).strip()
    if day.isdigit() and " " not in month and "-" not in month:
        month += f" {int(day)}"
    return Text(f"{year} {month}")


@node
def volume_issue_pages(children, context):  # type: ignore[no-untyped-def]
    """'18(4):303-7', '38:736-45', '(6):e37099' — what of it the entry gives."""
    if children:
        raise ValueError(children)
    fields = context["entry"].fields
    volume = to_unicode(fields.get("volume", "")).strip()
    issue = to_unicode(fields.get("number", "") or fields.get("issue", "")).strip()
    pages = nlm_pages(to_unicode(fields.get("pages", "")))
    out = volume + (f"({issue})" if issue else "")
    if pages:
        out += f":{pages}"
    if not out:
        raise FieldIsMissing("volume", context["entry"])
    return Text(out)


def doi_url(doi: str) -> str | None:
    doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.IGNORECASE)
    if not re.match(r"10\.\S+/\S+", doi):
        return None
    return "https://doi.org/" + quote(doi, safe="/:;()._-")


def pubmed_url(pmid: str) -> str | None:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid.isdigit() else None


def pmc_url(pmcid: str) -> str | None:
    pmcid = pmcid.upper()
    if not pmcid.startswith("PMC"):
        pmcid = "PMC" + pmcid
    return f"https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/" if pmcid[3:].isdigit() else None


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


class VancouverStyle(UnsrtStyle):
    """NLM / ICMJE numbered references, first-cited order (no sorting)."""

    default_name_style = "vancouver"
    default_sorting_style = "none"
    default_label_style = "number"

    def __init__(self, max_authors: int = 6, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.max_authors = max_authors

    # -- shared parts -------------------------------------------------------

    def authors(self, role: str = "author") -> object:
        return sentence[author_list(role=role, max_names=self.max_authors)]

    def editors(self, e: Entry) -> object:
        persons, et_al = _people(e, "editor")
        word = "editors" if len(persons) > 1 or et_al else "editor"
        return sentence[join[author_list(role="editor", max_names=self.max_authors), ", " + word]]

    def authors_or_editors(self, e: Entry) -> object:
        return first_of[optional[self.authors()], optional[self.editors(e)]]

    def title(self, name: str = "title", medium: str = "") -> object:
        suffix = f" [{medium}]" if medium else ""
        return optional[sentence[join[text_field(name=name), suffix]]]

    def date(self, full: bool = True) -> object:
        return date_part(full=full)

    def cited(self, e: Entry, internet: bool) -> object:
        if not internet:
            return optional[""]
        return optional[join["[cited ", text_field(name="urldate", convert=cited_date), "]"]]

    def edition(self) -> object:
        return optional[sentence(add_period=False)[text_field(name="edition", convert=edition_text)]]

    def place_publisher_date(
        self, e: Entry, publisher: str = "publisher", full: bool = False, internet: bool = False
    ) -> object:
        """'Baltimore (MD): Lippincott Williams & Wilkins; 1999.' (with '[cited ...]' for Internet sources)."""
        return sentence[
            join(sep=" ")[
                join(sep="; ")[
                    join(sep=": ")[
                        optional[text_field(name="address", convert=nlm_place)],
                        optional[text_field(name=publisher)],
                    ],
                    optional[self.date(full=full)],
                ],
                self.cited(e, internet),
            ]
        ]

    def pages(self, prefix: str = "p. ") -> object:
        return optional[sentence[join[prefix, text_field(name="pages", convert=nlm_pages)]]]

    def note(self) -> object:
        return optional[sentence[text_field(name="note")]]

    def identifiers(self) -> object:
        """'doi:10.x/y. PMID: 123; PMCID: PMC456.' — each a link."""
        return join(sep=" ")[
            optional[sentence[identifier_link(name="doi", prefix="doi:", url_for=doi_url)]],
            optional[sentence[identifier_link(name="arxiv", prefix="arXiv:", url_for=arxiv_url)]],
            optional[
                sentence[
                    join(sep="; ")[
                        optional[identifier_link(name="pmid", prefix="PMID: ", url_for=pubmed_url)],
                        optional[identifier_link(name="pmcid", prefix="PMCID: ", url_for=pmc_url)],
                    ]
                ]
            ],
        ]

    def available_from(self, e: Entry) -> object:
        if not shows_url(e):
            return optional[""]
        return optional[join["Available from: ", identifier_link(name="url", prefix="", url_for=web_url)]]

    def closing(self, e: Entry) -> list[object]:
        """What every reference ends with: note, identifiers, URL."""
        return [self.note(), self.identifiers(), self.available_from(e)]

    # -- entry types ------------------------------------------------------------

    def get_article_template(self, e: Entry) -> object:
        internet = is_internet(e, "article")
        medium = " [Internet]" if internet else ""
        journal = first_of[
            optional[text_field(name="shortjournal", convert=journal_text)],
            optional[text_field(name="journalabbr", convert=journal_text)],
            optional[text_field(name="journal", convert=journal_text)],
        ]
        return toplevel[
            optional[self.authors()],
            self.title(),
            sentence[join[journal, medium]],
            sentence[
                join[
                    join(sep=" ")[optional[self.date(full=True)], self.cited(e, internet)],
                    optional[join[";", volume_issue_pages()]],
                ]
            ],
            *self.closing(e),
        ]

    def get_book_template(self, e: Entry) -> object:
        internet = is_internet(e, "book")
        secondary = optional[""]
        if "author" in e.persons and "editor" in e.persons:
            secondary = optional[self.editors(e)]
        return toplevel[
            self.authors_or_editors(e),
            self.title(medium="Internet" if internet else ""),
            self.edition(),
            secondary,
            self.place_publisher_date(e, internet=internet),
            *self.closing(e),
        ]

    def get_incollection_template(self, e: Entry) -> object:
        internet = is_internet(e, "incollection")
        return toplevel[
            optional[self.authors()],
            self.title(),
            optional[
                join(sep=" ")[
                    "In:",
                    optional[self.editors(e)],
                    sentence[join[text_field(name="booktitle"), " [Internet]" if internet else ""]],
                ]
            ],
            self.edition(),
            self.place_publisher_date(e, internet=internet),
            self.pages(),
            *self.closing(e),
        ]

    def get_inbook_template(self, e: Entry) -> object:
        if "booktitle" in e.fields:
            return self.get_incollection_template(e)
        internet = is_internet(e, "inbook")
        part = to_unicode(e.fields.get("type", "")).strip() or "Chapter"
        chapter = optional[join[part + " ", text_field(name="chapter")]]
        pages = optional[join["p. ", text_field(name="pages", convert=nlm_pages)]]
        return toplevel[
            self.authors_or_editors(e),
            self.title(medium="Internet" if internet else ""),
            self.edition(),
            self.place_publisher_date(e, internet=internet),
            sentence[join(sep="; ")[chapter, pages]],
            *self.closing(e),
        ]

    def get_inproceedings_template(self, e: Entry) -> object:
        internet = is_internet(e, "inproceedings")
        return toplevel[
            optional[self.authors()],
            self.title(),
            optional[
                join(sep=" ")[
                    "In:",
                    optional[self.editors(e)],
                    sentence[
                        join(sep="; ")[
                            join[text_field(name="booktitle"), " [Internet]" if internet else ""],
                            optional[text_field(name="eventdate", convert=event_date)],
                            optional[text_field(name="venue")],
                        ]
                    ],
                ]
            ],
            self.place_publisher_date(e, internet=internet),
            self.pages(),
            *self.closing(e),
        ]

    def _thesis(self, e: Entry) -> object:
        internet = is_internet(e, "thesis")
        kind = thesis_kind(getattr(e, "original_type", e.type), e.fields.get("type", ""))
        if internet:
            kind += " on the Internet"
        return toplevel[
            optional[self.authors()],
            self.title(medium=kind),
            self.place_publisher_date(e, publisher="school", internet=internet),
            *self.closing(e),
        ]

    def get_phdthesis_template(self, e: Entry) -> object:
        return self._thesis(e)

    def get_mastersthesis_template(self, e: Entry) -> object:
        return self._thesis(e)

    def get_techreport_template(self, e: Entry) -> object:
        internet = is_internet(e, "techreport")
        publisher = "institution" if "institution" in e.fields else "publisher"
        return toplevel[
            self.authors_or_editors(e),
            self.title(medium="Internet" if internet else ""),
            self.place_publisher_date(e, publisher=publisher, full=True, internet=internet),
            optional[sentence[join["Report No.: ", text_field(name="number")]]],
            *self.closing(e),
        ]

    def get_online_template(self, e: Entry) -> object:
        return toplevel[
            optional[self.authors()],
            self.title(medium="Internet"),
            self.place_publisher_date(e, full=True, internet=shows_url(e)),
            *self.closing(e),
        ]

    def get_misc_template(self, e: Entry) -> object:
        if shows_url(e) and ("howpublished" not in e.fields or e.fields.get("urldate")):
            return self.get_online_template(e)
        return toplevel[
            optional[self.authors()],
            self.title(),
            optional[sentence[text_field(name="howpublished")]],
            optional[sentence[self.date(full=True)]],
            *self.closing(e),
        ]

    def format_entry(self, label, entry, bib_data=None):  # type: ignore[no-untyped-def]
        flat = normalize(entry, bib_data)
        kind = TYPE_ALIASES.get(entry.type, entry.type)
        if not hasattr(self, f"get_{kind}_template"):
            kind = "misc"
        flat.original_type = entry.type
        flat.type = kind
        return super().format_entry(label, flat, bib_data=None)


def missing_fields(entry: Entry, bib_data: object = None) -> list[str]:
    """The fields the Vancouver style needs that this entry lacks (in either data model)."""
    flat = normalize(entry, bib_data)
    kind = TYPE_ALIASES.get(entry.type, entry.type)
    needed = REQUIRED_FIELDS.get(kind, REQUIRED_FIELDS["misc"])
    missing = []
    for spec in needed:
        options = spec.split("|")
        if not any(opt in flat.fields or opt in flat.persons for opt in options):
            missing.append(spec.replace("|", " or "))
    return missing


def is_known_type(entry_type: str) -> bool:
    kind = TYPE_ALIASES.get(entry_type, entry_type)
    return hasattr(VancouverStyle, f"get_{kind}_template")
