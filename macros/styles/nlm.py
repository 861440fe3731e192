"""The Vancouver style written straight from the data model to safe HTML and plain text.

The NLM elements (the rules are in ``vancouver.py``) without building
pybtex's rich text for every entry (``pybtex_style.VancouverStyle`` gives
these same pieces to pybtex's tools as rich text): a reference is a list of pieces, each a string or
a link, joined the way pybtex's ``join``, ``sentence`` and ``optional`` join
them (an empty piece is left out; a sentence gets a period unless it ends in
'.', '?' or '!'). Field values are read through ``bib.latex_to_text``, which
decodes only values that hold LaTeX and remembers each distinct string.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from pybtex.database import Entry

from ..bib.latex_to_text import to_unicode
from .datamodel import normalized
from .names import vancouver_name
from .places import nlm_place
from .vancouver import (
    DATA_TYPES,
    TYPE_ALIASES,
    _people,
    arxiv_url,
    cited_date,
    doi_url,
    edition_text,
    event_date,
    is_internet,
    journal_text,
    month_text,
    nlm_pages,
    pmc_url,
    preprint_server,
    pubmed_url,
    shows_url,
    thesis_kind,
    version_text,
    web_url,
)

# A piece of a reference: plain strings and links (url or None, label), in order.
Link = tuple[str | None, str]
Piece = list[str | Link]

_SAFE_URL = re.compile(r"https?://[^\s<>\"'`]+$", re.IGNORECASE)


def plain(piece: Sequence[str | Link]) -> str:
    return "".join(part if isinstance(part, str) else part[1] for part in piece)


def to_html(piece: Sequence[str | Link]) -> str:
    """Escaped text; a link only to an http(s) address (as ``html.safe_backend.SafeHtmlBackend`` writes it)."""
    out = []
    for part in piece:
        if isinstance(part, str):
            out.append(html.escape(part, quote=False))
            continue
        url, label = part
        text = html.escape(label, quote=False)
        if url and text and _SAFE_URL.match(url):
            out.append(f'<a href="{html.escape(url, quote=True)}">{text}</a>')
        else:
            out.append(text)
    return "".join(out)


def _empty(piece: Sequence[str | Link]) -> bool:
    return not any(part if isinstance(part, str) else part[1] for part in piece)


def _last_char(piece: Sequence[str | Link]) -> str:
    for part in reversed(piece):
        text = part if isinstance(part, str) else part[1]
        if text:
            return text[-1]
    return ""


def join(sep: str, *pieces: Piece | str) -> Piece:
    """pybtex's ``join``: the non-empty pieces with ``sep`` between them."""
    out: Piece = []
    for piece in pieces:
        if isinstance(piece, str):
            piece = [piece] if piece else []
        if _empty(piece):
            continue
        if out and sep:
            out.append(sep)
        out.extend(piece)
    return out


def sentence(*pieces: Piece | str, sep: str = ", ", period: bool = True) -> Piece:
    """pybtex's ``sentence``: joined, with a period unless it ends in '.', '?' or '!'."""
    out = join(sep, *pieces)
    if period and out and _last_char(out) not in (".", "?", "!"):
        out.append(".")
    return out


def field(e: Entry, name: str, convert: Callable[[str], str] = str) -> Piece:
    """A field as plain text through ``convert``; [] when missing or empty (pybtex's ``optional``)."""
    value = e.fields.get(name)
    if value is None:
        return []
    shown = convert(to_unicode(value))
    return [shown] if shown else []


def identifier(e: Entry, name: str, prefix: str, url_for: Callable[[str], str | None]) -> Piece:
    """'doi:10.1/x' linked to its address (identifiers are verbatim: no LaTeX to decode)."""
    value = e.fields.get(name, "").strip()
    if not value:
        return []
    return [(url_for(value), prefix + value)]


class NlmFormatter:
    """NLM / ICMJE references, ``format(entry, bib_data)`` -> pieces (see ``plain`` and ``to_html``)."""

    def __init__(self, max_authors: int = 6) -> None:
        self.max_authors = max_authors
        # one form per type in vancouver.FORMATTED_TYPES; any other type is formatted like @misc
        self.templates: dict[str, Callable[[Entry], Piece]] = {
            "article": self._article,
            "book": self._book,
            "incollection": self._incollection,
            "inbook": self._inbook,
            "inproceedings": self._inproceedings,
            "phdthesis": self._thesis,
            "mastersthesis": self._thesis,
            "techreport": self._techreport,
            "online": self._online,
            "misc": self._misc,
        }

    def format(self, entry: Entry, bib_data: object = None) -> Piece:
        flat = normalized(entry, bib_data)
        kind = TYPE_ALIASES.get(entry.type, entry.type)
        template = self.templates.get(kind)
        if template is None:
            template = self._misc
        result: Piece = template(flat)
        return result

    # -- shared parts -------------------------------------------------------------

    def _names(self, e: Entry, role: str) -> Piece:
        persons, et_al = _people(e, role)
        if not persons:
            return []
        if len(persons) > self.max_authors:
            persons = persons[: self.max_authors]
            et_al = True
        names = [vancouver_name(person) for person in persons]
        if et_al:
            names.append("et al")
        return [", ".join(names)]

    def authors(self, e: Entry) -> Piece:
        return sentence(self._names(e, "author"))

    def editors(self, e: Entry) -> Piece:
        names = self._names(e, "editor")
        if not names:
            return []
        persons, et_al = _people(e, "editor")
        word = "editors" if len(persons) > 1 or et_al else "editor"
        return sentence([*names, ", " + word])

    def authors_or_editors(self, e: Entry) -> Piece:
        return self.authors(e) or self.editors(e)

    def title(self, e: Entry, name: str = "title", medium: str = "") -> Piece:
        text = field(e, name)
        return sentence([*text, f" [{medium}]"]) if text and medium else sentence(text)

    def date(self, e: Entry, full: bool = True) -> Piece:
        """'2018' or, with ``full``, '2018 Mar' / '2013 Oct 22'; 'Forthcoming 2020' for an accepted item."""
        year = to_unicode(e.fields.get("year", "")).strip()
        if e.fields.get("forthcoming"):
            return [f"Forthcoming {year}".strip()]
        if not year:
            return []
        if not full or not e.fields.get("month"):
            return [year]
        month = month_text(to_unicode(e.fields["month"]))
        day = to_unicode(e.fields.get("day", "")).strip()
        if day.isdigit() and " " not in month and "-" not in month:
            month += f" {int(day)}"
        return [f"{year} {month}"]

    def cited(self, e: Entry, internet: bool) -> Piece:
        if not internet:
            return []
        when = field(e, "urldate", cited_date)
        return ["[cited ", *when, "]"] if when else []

    def edition(self, e: Entry) -> Piece:
        return field(e, "edition", edition_text)

    def version(self, e: Entry) -> Piece:
        title = to_unicode(e.fields.get("title", ""))
        return field(e, "version", lambda value: version_text(value, title))

    def place_publisher_date(
        self, e: Entry, publisher: str = "publisher", full: bool = False, internet: bool = False
    ) -> Piece:
        where = join(": ", field(e, "address", nlm_place), field(e, publisher))
        return sentence(join(" ", join("; ", where, self.date(e, full)), self.cited(e, internet)))

    def pages(self, e: Entry, prefix: str = "p. ") -> Piece:
        pages = field(e, "pages", nlm_pages)
        return sentence([prefix, *pages]) if pages else []

    def identifiers(self, e: Entry, arxiv: bool = True) -> Piece:
        """'doi:10.x/y. PMID: 123; PMCID: PMC456.' — each a link."""
        return join(
            " ",
            sentence(identifier(e, "doi", "doi:", doi_url)),
            sentence(identifier(e, "arxiv", "arXiv:", arxiv_url)) if arxiv else [],
            sentence(
                join("; ", identifier(e, "pmid", "PMID: ", pubmed_url), identifier(e, "pmcid", "PMCID: ", pmc_url))
            ),
        )

    def available_from(self, e: Entry) -> Piece:
        if not shows_url(e):
            return []
        link = identifier(e, "url", "", web_url)
        return ["Available from: ", *link] if link else []

    def closing(self, e: Entry, arxiv: bool = True) -> list[Piece]:
        """What every reference ends with: identifiers, URL, then the note (NLM's Notes come last)."""
        return [self.identifiers(e, arxiv), self.available_from(e), sentence(field(e, "note"))]

    @staticmethod
    def reference(*pieces: Piece) -> Piece:
        return join(" ", *pieces)

    # -- entry types --------------------------------------------------------------

    def _article(self, e: Entry) -> Piece:
        if preprint_server(e) is not None:
            return self.preprint(e)
        if not any(e.fields.get(name, "").strip() for name in ("journal", "shortjournal", "journalabbr")) and not any(
            e.fields.get(name, "").strip() for name in ("volume", "number", "issue", "pages")
        ):
            return self._misc(e)  # no journal, nothing of one: what it has, as @misc shows it
        internet = is_internet(e, "article")
        journal = (
            field(e, "shortjournal", journal_text)
            or field(e, "journalabbr", journal_text)
            or field(e, "journal", journal_text)
        )
        return self.reference(
            self.authors(e),
            self.title(e),
            sentence(join("", journal, " [Internet]" if internet else "")),
            sentence(join("", join(" ", self.date(e), self.cited(e, internet)), self.volume_issue_pages(e))),
            *self.closing(e),
        )

    @staticmethod
    def volume_issue_pages(e: Entry) -> Piece:
        """';18(4):303-7', ';(6):e37099', or ':325-33' with neither volume nor issue (NLM)."""
        fields = e.fields
        volume = to_unicode(fields.get("volume", "")).strip()
        issue = to_unicode(fields.get("number", "") or fields.get("issue", "")).strip()
        pages = nlm_pages(to_unicode(fields.get("pages", "")))
        out = volume + (f"({issue})" if issue else "")
        if pages:
            out += f":{pages}"
        if not out:
            return []
        return [out if out.startswith(":") else ";" + out]

    def _book(self, e: Entry) -> Piece:
        internet = is_internet(e, "book")
        secondary = self.editors(e) if "author" in e.persons and "editor" in e.persons else []
        return self.reference(
            self.authors_or_editors(e),
            self.title(e, medium="Internet" if internet else ""),
            self.edition(e),
            secondary,
            self.place_publisher_date(e, internet=internet),
            *self.closing(e),
        )

    def _in_book(self, e: Entry, internet: bool, details: Sequence[Piece | str]) -> Piece:
        """'In: Editor A, editor. Book title [details].' — nothing without the book's title."""
        booktitle = field(e, "booktitle")
        if not booktitle:
            return []
        medium = " [Internet]" if internet else ""
        return join(" ", "In:", self.editors(e), sentence(join("; ", join("", booktitle, medium), *details)))

    def _incollection(self, e: Entry) -> Piece:
        internet = is_internet(e, "incollection")
        return self.reference(
            self.authors(e),
            self.title(e),
            self._in_book(e, internet, ()),
            self.edition(e),
            self.place_publisher_date(e, internet=internet),
            self.pages(e),
            *self.closing(e),
        )

    def _inbook(self, e: Entry) -> Piece:
        if "booktitle" in e.fields:
            return self._incollection(e)
        internet = is_internet(e, "inbook")
        part = to_unicode(e.fields.get("type", "")).strip() or "Chapter"
        chapter = field(e, "chapter")
        pages = field(e, "pages", nlm_pages)
        return self.reference(
            self.authors_or_editors(e),
            self.title(e, medium="Internet" if internet else ""),
            self.edition(e),
            self.place_publisher_date(e, internet=internet),
            sentence(
                join("; ", [part + " ", *chapter] if chapter else [], ["p. ", *pages] if pages else []),
            ),
            *self.closing(e),
        )

    def _inproceedings(self, e: Entry) -> Piece:
        internet = is_internet(e, "inproceedings")
        details = (field(e, "eventdate", event_date), field(e, "venue"))
        return self.reference(
            self.authors(e),
            self.title(e),
            self._in_book(e, internet, details),
            self.place_publisher_date(e, internet=internet),
            self.pages(e),
            *self.closing(e),
        )

    def _thesis(self, e: Entry) -> Piece:
        internet = is_internet(e, "thesis")
        kind = thesis_kind(e.type, e.fields.get("type", ""))  # the flat entry keeps the type as written
        if internet:
            kind += " on the Internet"
        return self.reference(
            self.authors(e),
            self.title(e, medium=kind),
            self.place_publisher_date(e, publisher="school", internet=internet),
            *self.closing(e),
        )

    def _techreport(self, e: Entry) -> Piece:
        if preprint_server(e) is not None:
            return self.preprint(e)
        internet = is_internet(e, "techreport")
        publisher = "institution" if "institution" in e.fields else "publisher"
        number = field(e, "number")
        return self.reference(
            self.authors_or_editors(e),
            self.title(e, medium="Internet" if internet else ""),
            self.place_publisher_date(e, publisher=publisher, full=True, internet=internet),
            sentence(["Report No.: ", *number]) if number else [],
            *self.closing(e),
        )

    def _online(self, e: Entry) -> Piece:
        return self.reference(
            self.authors(e),
            self.title(e, medium="Internet"),
            self.version(e),
            self.place_publisher_date(e, full=True, internet=shows_url(e)),
            *self.closing(e),
        )

    def preprint(self, e: Entry) -> Piece:
        """'Title. medRxiv [Preprint]. 2020 Apr 4 [cited ...]. Available from: URL' (NLM's preprints)."""
        server = preprint_server(e) or ""
        arxiv = e.fields.get("arxiv", "")
        # the URL shown is the arXiv page: the identifier once
        arxiv_shown = not (arxiv and shows_url(e) and arxiv in e.fields.get("url", ""))
        internet = shows_url(e) and bool(e.fields.get("urldate", "").strip())
        date = self.date(e)
        return self.reference(
            self.authors(e),
            self.title(e),
            sentence(f"{server} [Preprint]".strip()),
            # 'arXiv [Preprint]. 2020 Apr 22:arXiv:2004.10706.' (as PubMed cites preprints) when a location is given
            sentence(join("", join(" ", date, self.cited(e, internet)), self.volume_issue_pages(e))) if date else [],
            *self.closing(e, arxiv_shown),
        )

    def _misc(self, e: Entry) -> Piece:
        if preprint_server(e) is not None:
            return self.preprint(e)
        if shows_url(e) and ("howpublished" not in e.fields or e.fields.get("urldate")):
            return self._online(e)
        is_data = e.fields.get("medium") == "dataset" or e.type in DATA_TYPES
        if "publisher" in e.fields or "address" in e.fields:
            published = self.place_publisher_date(e, full=True)
        else:
            published = sentence(self.date(e))
        return self.reference(
            self.authors(e),
            self.title(e, medium="dataset" if is_data else ""),
            self.version(e),
            sentence(field(e, "howpublished")),
            published,
            *self.closing(e),
        )
