"""Vancouver style (ICMJE / NLM *Citing Medicine*) as a pybtex style plugin.

Written with pybtex's template language, one ``get_<type>_template`` per entry
type, the way pybtex's own ``unsrt`` style is. Examples of the output:

    Kang SY, Jeon HS, Kwon O, Cynn HS, Choi B. Activation of ... Man Ther.
    2013;18(4):303-7.

    Moore KL, Dalley AF. Clinically Oriented Anatomy. 4th ed. Baltimore (MD):
    Lippincott Williams & Wilkins; 1999.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

from pybtex.database import Entry, Person
from pybtex.richtext import HRef, Text
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.names import BaseNameStyle
from pybtex.style.template import (
    FieldIsMissing,
    field,
    first_of,
    join,
    node,
    optional,
    optional_field,
    sentence,
)

from ..latex import to_text

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
}

# The fields each entry type needs for a usable reference; a missing one is a
# warning that names the key and the field. "a|b" means either will do.
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

# Entry types that share another type's template.
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
    "unpublished": "misc",
}


def latex_to_text(value: str) -> str:
    """LaTeX source to plain Unicode: accents decoded, braces dropped."""
    return to_text(value)


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def edition_text(value: str) -> str:
    """'4' or 'fourth' -> '4th ed.'; anything else is kept: 'Rev ed.'."""
    cleaned = value.strip().rstrip(".")
    lower = cleaned.lower()
    digits = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?", lower)
    if digits:
        return f"{ordinal(int(digits.group(1)))} ed."
    if lower in ORDINAL_WORDS:
        return f"{ordinal(ORDINAL_WORDS[lower])} ed."
    if lower.endswith(" ed") or lower.endswith(" edition"):
        cleaned = cleaned.rsplit(" ", 1)[0]
    return f"{cleaned} ed."


_PAGE_DASH = re.compile(r"\s*[-\u2010-\u2015]+\s*")


def nlm_pages(value: str) -> str:
    """NLM page ranges: '303--307' -> '303-7', '1099-1100' -> '1099-100'.

    Article numbers ('e52228') and ranges that are not plain numbers are
    kept whole; only the dash is normalised to a hyphen.
    """
    parts = []
    for chunk in value.split(","):
        chunk = chunk.strip()
        if not chunk:
            continue
        ends = _PAGE_DASH.split(chunk)
        if len(ends) == 2 and ends[0].isdigit() and ends[1].isdigit():
            first, last = ends
            if len(first) == len(last):
                common = 0
                while common < len(first) and first[common] == last[common]:
                    common += 1
                last = last[common:]
            parts.append(f"{first}-{last}" if last else first)
        else:
            parts.append("-".join(ends))
    return ", ".join(parts)


def month_abbr(value: str) -> str:
    return MONTHS.get(value.strip().lower().rstrip("."), value.strip())


def cited_date(value: str) -> str:
    """'2024-01-05' -> '2024 Jan 5' for '[cited ...]'."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value.strip())
    if not match:
        return value.strip()
    year, month, day = match.groups()
    out = year
    if month:
        out += " " + MONTHS.get(str(int(month)), month)
    if day:
        out += f" {int(day)}"
    return out


def _initials(names: list[str]) -> str:
    letters = []
    for name in names:
        plain = latex_to_text(name).strip(".")
        # Already written as initials: 'SY' or 'S.Y.'
        compact = plain.replace(".", "")
        if compact.isalpha() and compact.isupper() and len(compact) <= 3:
            letters.append(compact)
            continue
        for part in re.split(r"[-\s.]+", plain):
            if part:
                letters.append(part[0].upper())
    return "".join(letters)


class VancouverNameStyle(BaseNameStyle):
    """'Surname Initials' without periods: 'Häkkinen K', 'van der Berg J', 'King ML Jr'."""

    def format(self, person: Person, abbr: bool = True) -> Text:
        surname = " ".join(latex_to_text(part) for part in person.prelast_names + person.last_names)
        initials = _initials(person.first_names + person.middle_names)
        lineage = " ".join(latex_to_text(part) for part in person.lineage_names)
        pieces = [piece for piece in (surname, initials, lineage.rstrip(".")) if piece]
        return Text(" ".join(pieces))


def _is_others(person: Person) -> bool:
    return str(person).strip().lower() == "others"


@node
def author_list(children, context, role: str = "author", max_names: int = 6):  # type: ignore[no-untyped-def]
    """'A B, C D, ..., et al.' after ``max_names`` names (NLM lists six)."""
    if children:
        raise ValueError(children)
    entry = context["entry"]
    try:
        persons = list(entry.persons[role])
    except KeyError:
        raise FieldIsMissing(role, entry) from None
    et_al = bool(persons) and _is_others(persons[-1])
    persons = [p for p in persons if not _is_others(p)]
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
def text_field(children, context, name: str, convert: Callable[[str], str]):  # type: ignore[no-untyped-def]
    """A field as plain text, passed through ``convert``."""
    if children:
        raise ValueError(children)
    entry = context["entry"]
    try:
        value = entry._find_field(name, bib_data=context.get("bib_data"))
    except KeyError:
        raise FieldIsMissing(name, entry) from None
    return Text(convert(latex_to_text(value)))


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
    url = url_for(value)
    label = Text(prefix, value)
    return HRef(url, label) if url else label


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


def web_url(url: str) -> str | None:
    """Only http(s) URLs become links; anything else stays inert text.

    Characters that may not stand in a URL (quotes, angle brackets, spaces)
    are percent-encoded rather than trusted.
    """
    url = url.strip()
    if not re.match(r"https?://[^/\s]", url, flags=re.IGNORECASE):
        return None
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def _available_from() -> object:
    return join["Available from: ", identifier_link(name="url", prefix="", url_for=web_url)]


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

    def editors(self) -> object:
        return sentence[join[author_list(role="editor", max_names=self.max_authors), ", editors"]]

    def authors_or_editors(self) -> object:
        return first_of[optional[self.authors()], optional[self.editors()]]

    def title(self, name: str = "title", medium: str = "") -> object:
        suffix = f" [{medium}]" if medium else ""
        return optional[sentence[join[field(name), suffix]]]

    def date(self) -> object:
        return join(sep=" ")[field("year"), optional[text_field(name="month", convert=month_abbr)]]

    def edition(self) -> object:
        return optional[sentence(add_period=False)[text_field(name="edition", convert=edition_text)]]

    def place_publisher_year(self, publisher: str = "publisher") -> object:
        """'Baltimore (MD): Lippincott Williams & Wilkins; 1999.'"""
        return sentence[
            join(sep="; ")[
                join(sep=": ")[optional_field("address"), optional_field(publisher)],
                optional[self.date()],
            ]
        ]

    def pages(self, prefix: str = "p. ") -> object:
        return optional[sentence[join[prefix, text_field(name="pages", convert=nlm_pages)]]]

    def identifiers(self) -> object:
        """'doi:10.x/y. PMID: 123; PMCID: PMC456.' — each a link."""
        return join(sep=" ")[
            optional[sentence[identifier_link(name="doi", prefix="doi:", url_for=doi_url)]],
            optional[
                sentence[
                    join(sep="; ")[
                        optional[identifier_link(name="pmid", prefix="PMID: ", url_for=pubmed_url)],
                        optional[identifier_link(name="pmcid", prefix="PMCID: ", url_for=pmc_url)],
                    ]
                ]
            ],
        ]

    def url_if_no_doi(self, e: Entry) -> object:
        if "doi" in e.fields:
            return optional[""]
        return optional[_available_from()]

    # -- entry types ------------------------------------------------------------

    def get_article_template(self, e: Entry) -> object:
        volume_issue_pages = join[
            optional[join[";", field("volume"), optional["(", field("number"), ")"]]],
            optional[join[":", text_field(name="pages", convert=nlm_pages)]],
        ]
        return toplevel[
            optional[self.authors()],
            optional[self.title()],
            sentence[
                first_of[
                    optional_field("shortjournal"),
                    optional_field("journalabbr"),
                    optional_field("journal"),
                ]
            ],
            sentence[join[optional[self.date()], volume_issue_pages]],
            sentence[optional_field("note")],
            self.identifiers(),
            self.url_if_no_doi(e),
        ]

    def get_book_template(self, e: Entry) -> object:
        return toplevel[
            self.authors_or_editors(),
            self.title(),
            self.edition(),
            self.place_publisher_year(),
            sentence[optional_field("note")],
            self.identifiers(),
            self.url_if_no_doi(e),
        ]

    def get_incollection_template(self, e: Entry) -> object:
        return toplevel[
            optional[self.authors()],
            self.title(),
            optional[join(sep=" ")["In:", optional[self.editors()], sentence[field("booktitle")]]],
            self.edition(),
            self.place_publisher_year(),
            self.pages(),
            self.identifiers(),
            self.url_if_no_doi(e),
        ]

    def get_inbook_template(self, e: Entry) -> object:
        if "booktitle" in e.fields:
            return self.get_incollection_template(e)
        return toplevel[
            self.authors_or_editors(),
            self.title(),
            self.edition(),
            self.place_publisher_year(),
            optional[sentence[join["Chapter ", field("chapter")]]],
            self.pages(),
            self.identifiers(),
            self.url_if_no_doi(e),
        ]

    def get_inproceedings_template(self, e: Entry) -> object:
        return toplevel[
            optional[self.authors()],
            self.title(),
            optional[join(sep=" ")["In:", optional[self.editors()], sentence[field("booktitle")]]],
            self.place_publisher_year(),
            self.pages(),
            self.identifiers(),
            self.url_if_no_doi(e),
        ]

    def _thesis(self, e: Entry, kind: str) -> object:
        return toplevel[
            optional[self.authors()],
            self.title(medium=kind),
            self.place_publisher_year(publisher="school"),
            self.identifiers(),
            self.url_if_no_doi(e),
        ]

    def get_phdthesis_template(self, e: Entry) -> object:
        return self._thesis(e, "dissertation")

    def get_mastersthesis_template(self, e: Entry) -> object:
        return self._thesis(e, "master's thesis")

    def get_techreport_template(self, e: Entry) -> object:
        return toplevel[
            self.authors_or_editors(),
            self.title(),
            self.place_publisher_year(publisher="institution"),
            optional[sentence[join["Report No.: ", field("number")]]],
            self.identifiers(),
            self.url_if_no_doi(e),
        ]

    def get_online_template(self, e: Entry) -> object:
        cited = optional[join[" [cited ", text_field(name="urldate", convert=cited_date), "]"]]
        return toplevel[
            optional[self.authors()],
            self.title(medium="Internet"),
            sentence[
                join[
                    join(sep="; ")[
                        join(sep=": ")[optional_field("address"), optional_field("publisher")],
                        optional[self.date()],
                    ],
                    cited,
                ]
            ],
            self.identifiers(),
            optional[_available_from()],
        ]

    def get_misc_template(self, e: Entry) -> object:
        if "url" in e.fields and "howpublished" not in e.fields:
            return self.get_online_template(e)
        return toplevel[
            optional[self.authors()],
            self.title(),
            sentence[optional_field("howpublished")],
            sentence[optional[self.date()]],
            sentence[optional_field("note")],
            self.identifiers(),
            self.url_if_no_doi(e),
        ]

    def format_entry(self, label, entry, bib_data=None):  # type: ignore[no-untyped-def]
        kind = TYPE_ALIASES.get(entry.type, entry.type)
        if not hasattr(self, f"get_{kind}_template"):
            kind = "misc"
        original_type = entry.type
        entry.type = kind
        try:
            return super().format_entry(label, entry, bib_data=bib_data)
        finally:
            entry.type = original_type


def missing_fields(entry: Entry) -> list[str]:
    """The fields the Vancouver style needs that this entry lacks."""
    kind = TYPE_ALIASES.get(entry.type, entry.type)
    needed = REQUIRED_FIELDS.get(kind, REQUIRED_FIELDS["misc"])
    missing = []
    for spec in needed:
        options = spec.split("|")
        if not any(opt in entry.fields or opt in entry.persons for opt in options):
            missing.append(spec.replace("|", " or "))
    return missing


def is_known_type(entry_type: str) -> bool:
    kind = TYPE_ALIASES.get(entry_type, entry_type)
    return hasattr(VancouverStyle, f"get_{kind}_template")
