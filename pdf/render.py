"""Lay out the print document with WeasyPrint and write the PDFs.

WeasyPrint needs Pango, HarfBuzz, fontconfig and GObject, which are system
libraries, not Python packages. They are checked before WeasyPrint is
imported, so a missing one is reported as an install hint, not a traceback.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import logging
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from bs4 import BeautifulSoup

from .tagging import finish_structure

HERE = Path(__file__).resolve().parent
STYLESHEET = HERE / "handout.css"
#: The guide's design tokens (typefaces, colours) in the built site: the
#: handout wears the site's face (docs/stylesheets/tokens.css).
TOKENS = Path("stylesheets") / "tokens.css"


class MissingLibrary(Exception):
    """A system library WeasyPrint needs is not installed."""


class RenderError(Exception):
    """The handout could not be laid out as asked (a missing image, a network URL...)."""


@dataclass(frozen=True)
class Paper:
    name: str  # CLI name
    css_size: str
    width_mm: float
    height_mm: float
    filename: str
    label: str
    #: rules for this paper only
    css: str = ""


#: The PDF flavour the handout is written as: accessible (ISO 14289-1).
PDF_VARIANT = "pdf/ua-1"

PAPERS = {
    "a4": Paper("a4", "A4", 210, 297, "handout.pdf", "A4"),
    # Letter is 18 mm shorter than A4: the card's figure is narrower and the
    # log grid of sessions stays off.
    "letter": Paper(
        "letter",
        "letter",
        215.9,
        279.4,
        "handout-letter.pdf",
        "US Letter",
        ".card-figure { width: 91mm; } .card-dose { margin-left: 96mm; } .card-log { display: none; }",
    ),
}

#: (what it is, the names WeasyPrint tries, Debian/Ubuntu package, required)
LIBRARIES = [
    ("GObject", ("libgobject-2.0.so.0", "libgobject-2.0.0.dylib", "libgobject-2.0-0.dll"), "libglib2.0-0", True),
    ("Pango", ("libpango-1.0.so.0", "libpango-1.0.dylib", "libpango-1.0-0.dll"), "libpango-1.0-0", True),
    ("PangoFT2", ("libpangoft2-1.0.so.0", "libpangoft2-1.0.dylib", "libpangoft2-1.0-0.dll"), "libpangoft2-1.0-0", True),
    ("HarfBuzz", ("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll"), "libharfbuzz0b", True),
    ("fontconfig", ("libfontconfig.so.1", "libfontconfig.1.dylib", "libfontconfig-1.dll"), "libfontconfig1", True),
    (
        "HarfBuzz subset",
        ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll"),
        "libharfbuzz-subset0",
        False,
    ),
]

#: Fonts handout.css asks for first, and the Debian package that has them.
#: Without them fontconfig picks the next family in the CSS (DejaVu).
FONTS = {"Noto Serif": "fonts-noto-core", "Noto Sans": "fonts-noto-core", "Noto Sans Mono": "fonts-noto-mono"}

ALL_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-noto-mono fonts-dejavu-core"


def _loadable(names: tuple[str, ...]) -> bool:
    for name in names:
        try:
            ctypes.CDLL(name)
            return True
        except OSError:
            continue
    return False


def missing_libraries() -> list[tuple[str, str, bool]]:
    return [(what, package, required) for what, names, package, required in LIBRARIES if not _loadable(names)]


def matched_family(family: str) -> str | None:
    """The family fontconfig gives for a requested one (None if it cannot say)."""
    try:
        fc = ctypes.CDLL("libfontconfig.so.1")
    except OSError:
        return None
    fc.FcNameParse.restype = ctypes.c_void_p
    fc.FcNameParse.argtypes = [ctypes.c_char_p]
    fc.FcConfigSubstitute.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int]
    fc.FcDefaultSubstitute.argtypes = [ctypes.c_void_p]
    fc.FcFontMatch.restype = ctypes.c_void_p
    fc.FcFontMatch.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
    fc.FcPatternGetString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]
    fc.FcPatternDestroy.argtypes = [ctypes.c_void_p]
    pattern = fc.FcNameParse(family.encode())
    if not pattern:
        return None
    fc.FcConfigSubstitute(None, pattern, 0)  # FcMatchPattern
    fc.FcDefaultSubstitute(pattern)
    result = ctypes.c_int()
    match = fc.FcFontMatch(None, pattern, ctypes.byref(result))
    fc.FcPatternDestroy(pattern)
    if not match:
        return None
    value = ctypes.c_char_p()
    found = fc.FcPatternGetString(match, b"family", 0, ctypes.byref(value))
    name = value.value.decode("utf-8", "replace") if found == 0 and value.value else None
    fc.FcPatternDestroy(match)
    return name


def font_notes() -> list[str]:
    """One note per missing font package (the stylesheet then falls back to DejaVu)."""
    missing: dict[str, list[str]] = {}
    for family, package in FONTS.items():
        got = matched_family(family)
        if got is not None and got.lower() != family.lower():
            missing.setdefault(package, []).append(family)
    return [
        f"note: {', '.join(families)} {'is' if len(families) == 1 else 'are'} not installed, so the handout "
        f"uses the next fonts in pdf/handout.css (DejaVu). For the intended look, on Debian/Ubuntu: "
        f"sudo apt-get install {package}"
        for package, families in missing.items()
    ]


_weasyprint: ModuleType | None = None


def import_weasyprint() -> ModuleType:
    """``import weasyprint``, or MissingLibrary with what to install."""
    global _weasyprint
    if _weasyprint is not None:
        return _weasyprint
    missing = missing_libraries()
    required = [(what, package) for what, package, needed in missing if needed]
    if required:
        names = ", ".join(what for what, _ in required)
        packages = " ".join(package for _, package in required)
        raise MissingLibrary(
            f"the PDF handout needs {names} (system librar{'y' if len(required) == 1 else 'ies'}, "
            "not Python packages), and "
            f"{'it is' if len(required) == 1 else 'they are'} not installed.\n"
            f"  On Debian/Ubuntu: sudo apt-get install {packages}\n"
            f"  Everything the handout uses: sudo apt-get install {ALL_PACKAGES}\n"
            "  Other systems: https://doc.courtbouillon.org/weasyprint/stable/first_steps.html\n"
            "  To build the site without the PDF: make build SKIP_PDF=1"
        )
    for what, package, _ in missing:
        print(
            f"note: {what} is not installed; fonts are subset more slowly. "
            f"On Debian/Ubuntu: sudo apt-get install {package}",
            file=sys.stderr,
        )
    for note in font_notes():
        print(note, file=sys.stderr)
    chatter = io.StringIO()
    try:
        with contextlib.redirect_stdout(chatter):  # WeasyPrint prints its own hints
            import weasyprint
    except OSError as exc:
        raise MissingLibrary(
            f"WeasyPrint could not load a system library: {exc}\n"
            f"  On Debian/Ubuntu: sudo apt-get install {ALL_PACKAGES}"
        ) from None
    module: ModuleType = weasyprint
    _weasyprint = module
    return module


def _numbered(html_doc: str) -> list[str]:
    """The ids whose page the document prints: citations (back-links), cross-references and their targets."""
    soup = BeautifulSoup(html_doc, "html.parser")
    names = [str(tag["id"]) for tag in soup.select("sup.citation[id], a.xref[id]")]
    names += [str(a["href"])[1:] for a in soup.select("a.xref[href^='#']")]
    return names


class _LogCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append((record.levelno, record.getMessage()))


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_css(paper: Paper, site_url: str, version: str) -> str:
    """The rules that depend on the paper and the project."""
    return f"""
@page {{
  size: {paper.css_size};
  @top-right {{ content: {_css_string(re.sub(r"^https?://", "", site_url).rstrip("/"))}; }}
  @bottom-center {{
    content: "Page " counter(page) " of " counter(pages) " \\00B7  " {_css_string("version " + version)};
  }}
}}
{paper.css}
"""


def fill_backrefs(html_doc: str, anchor_pages: dict[str, int]) -> str:
    """Turn each reference's back-links into "Cited on pp. 4, 5, 7", linked.

    ``anchor_pages`` comes from a first layout; each page number links to the
    first citation of that entry on that page.
    """
    soup = BeautifulSoup(html_doc, "html.parser")
    for span in soup.select(".citation-backrefs[data-targets]"):
        first_on_page: dict[int, str] = {}
        for target in str(span.get("data-targets") or "").split():
            page = anchor_pages.get(target)
            if page is not None:
                first_on_page.setdefault(page, target)
        span.clear()
        if not first_on_page:
            continue
        numbers = sorted(first_on_page)
        span.append("Cited on p.\u00a0" if len(numbers) == 1 else "Cited on pp.\u00a0")
        for index, number in enumerate(numbers):
            if index:
                span.append(" and " if index == len(numbers) - 1 else ", ")
            link = soup.new_tag("a", attrs={"class": "citation-backref", "href": f"#{first_on_page[number]}"})
            link.string = str(number)
            span.append(link)
    return str(soup)


def fill_xrefs(html_doc: str, anchor_pages: dict[str, int]) -> str:
    """Each cross-reference says where its target landed: " (p. N)" when that is
    another page, nothing when it is on the same page (the reader sees it).

    ``anchor_pages`` comes from a layout: the link's own id (``xref-N``,
    assemble.py) and its target's id give the two pages."""
    soup = BeautifulSoup(html_doc, "html.parser")
    for a in soup.select("a.xref[id]"):
        for old in a.select(".xref-page"):
            old.decompose()
        here = anchor_pages.get(str(a["id"]))
        there = anchor_pages.get(str(a.get("href", ""))[1:])
        if here is None or there is None or here == there:
            continue
        span = soup.new_tag("span", attrs={"class": "xref-page"})
        span.string = f" (p.\u00a0{there})"
        a.append(span)
    return str(soup)


@dataclass
class Output:
    paper: Paper
    path: Path
    pages: int
    seconds: float


class Renderer:
    def __init__(self, site_dir: Path, site_url: str, version: str) -> None:
        self.weasyprint = import_weasyprint()
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import FatalURLFetchingError, URLFetcher

        self.site_dir = site_dir.resolve()
        self.site_url = site_url
        self.version = version
        self.font_config = FontConfiguration()
        self.fetch_errors: list[str] = []
        site_url = self.site_dir.as_uri() + "/"
        errors = self.fetch_errors

        class SiteOnlyFetcher(URLFetcher):
            """Files of the built site and data: URLs; never the network."""

            def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
                if url.startswith("data:"):
                    return super().fetch(url, headers)
                if url.startswith(site_url):
                    path = Path(url2pathname(urlsplit(url).path))
                    if path.is_file():
                        return super().fetch(url, headers)
                    errors.append(f"missing file: {path}")
                    raise FileNotFoundError(path)
                errors.append(f"refused to fetch {url} (the handout uses the built site's files only)")
                raise FatalURLFetchingError(f"refused to fetch {url}")

        self.fetcher = SiteOnlyFetcher()

    def _layout(self, html_doc: str, paper: Paper) -> Any:  # a weasyprint.Document
        HTML, CSS = self.weasyprint.HTML, self.weasyprint.CSS
        tokens = self.site_dir / TOKENS
        sheets = []
        if tokens.is_file():
            sheets.append(CSS(filename=str(tokens), url_fetcher=self.fetcher, font_config=self.font_config))
        document = HTML(string=html_doc, base_url=self.site_dir.as_uri() + "/", url_fetcher=self.fetcher).render(
            stylesheets=[
                *sheets,
                CSS(filename=str(STYLESHEET), font_config=self.font_config),
                CSS(string=page_css(paper, self.site_url, self.version)),
            ],
            font_config=self.font_config,
        )
        return document

    @staticmethod
    def _anchor_pages(document: Any) -> dict[str, int]:
        """Where each id landed: id -> 1-based page number."""
        where: dict[str, int] = {}
        for number, page in enumerate(document.pages, start=1):
            for name in page.anchors:
                where.setdefault(name, number)
        return where

    def render(self, html_doc: str, paper: Paper, out_dir: Path) -> Output:
        """Lay out twice (the second time with "Cited on pp." filled in), then write."""
        from weasyprint.urls import FatalURLFetchingError

        logger = logging.getLogger("weasyprint")
        collector = _LogCollector()
        logger.addHandler(collector)
        propagate, logger.propagate = logger.propagate, False
        self.fetch_errors.clear()
        start = time.perf_counter()
        try:
            # Lay out, write the page numbers in, lay out again: until the
            # numbers are where they say (the second pass, nearly always).
            anchors = self._anchor_pages(self._layout(html_doc, paper))
            for _ in range(3):
                filled = fill_xrefs(fill_backrefs(html_doc, anchors), anchors)
                document = self._layout(filled, paper)
                settled = self._anchor_pages(document)
                if all(settled.get(name) == anchors.get(name) for name in _numbered(filled)):
                    break
                anchors = settled
        except FatalURLFetchingError as exc:
            raise RenderError(str(exc)) from None
        finally:
            logger.removeHandler(collector)
            logger.propagate = propagate
        for level, message in collector.messages:
            if level < logging.ERROR:
                print(f"warning: weasyprint: {message}", file=sys.stderr)
        problems = [message for level, message in collector.messages if level >= logging.ERROR]
        problems += self.fetch_errors
        if problems:
            raise RenderError("; ".join(dict.fromkeys(problems)))
        moved = [name for name in _numbered(filled) if settled.get(name) != anchors.get(name)]
        if moved:  # the page numbers printed would be wrong: say so rather than print them
            raise RenderError(f"page references did not settle after three layouts: {', '.join(moved[:5])}")
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / paper.filename
        # PDF/UA-1: tagged (headings, lists, tables, figures with their alternative
        # text), /Lang and /Title, and XMP metadata that says pdfuaid:part 1.
        # WeasyPrint writes one variant's identification per file, so not
        # PDF/A as well (see pdf/README.md).
        document.write_pdf(path, pdf_identifier=True, pdf_variant=PDF_VARIANT, finisher=finish_structure)
        seconds = time.perf_counter() - start
        return Output(paper=paper, path=path, pages=len(document.pages), seconds=seconds)
