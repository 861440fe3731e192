"""Combine the built site's pages into one print document (HTML, no layout).

Input: the HTML that ``mkdocs build`` wrote, so every citation number in the
handout is the one a reader sees on the web page. Output: one HTML string
with an exercise card first (the page someone props on the machine), the
pages in navigation order and a single References section at the end.

The card is made of the site's own pieces, moved out of their pages: the
figure, the numbered steps and the first warning after them from the page
that carries a schema.org HowTo (its ``name`` is the card's title), the home
page's "grid cards" (equipment, repetitions...) and the "not medical advice"
box. What has no use on paper goes: a section that only lists links to the
guide's own pages (the PDF has bookmarks), a section that explains how to
contribute (one line with the repository URL stands in for it), headings
left with nothing under them.

The citation engine's HTML contract (see macros/html/markers.py):

* a marker is ``<sup class="citation" id="cite-PAGE-N" data-keys="k1 k2">``
  holding one ``<a href="#ref-PAGE-NUM">NUM</a>`` per visible number;
* a reference list is ``<ol class="references" data-page="PAGE">`` with
  ``<li value="NUM" data-key="KEY" id="ref-PAGE-NUM">`` entries and
  ``<a class="citation-backref">`` links back to the markers;
* the bibliography page lists every source once, in number order.

In the handout each page's own list (and the heading just before it) is
dropped, markers point at the bibliography's entry for the same key, and the
bibliography's back-links point at the markers, which keep their ids.
"""

from __future__ import annotations

import posixpath
import re
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import jinja2
from bs4 import BeautifulSoup, Tag
from markupsafe import Markup

from . import card, typography, webonly
from .card import Card
from .project import NavPage, Project, ProjectError
from .soup import add_class as _add_class
from .soup import attr as _attr
from .soup import classes as _classes
from .soup import drop_empty_headings as _drop_empty_headings
from .soup import howto as _howto
from .soup import is_citation_id as _is_citation_id
from .soup import section as _section
from .soup import text as _text

HERE = Path(__file__).resolve().parent
TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

#: Where the page content is: Material for MkDocs, then MkDocs' own themes.
CONTENT = ("article.md-content__inner", '[role="main"]', "main")

#: Theme chrome inside the article that has no place on paper.
DROP = (
    "a.md-content__button",  # "Edit this page"
    "a.headerlink",  # the ¶ permalinks
    "script",
    "noscript",
    "style",
    "form",
    "aside.md-source-file",  # "Last update" footer of the git plugins
    ".md-source-file",
    ".md-feedback",
    "nav.md-tags",
)

#: Link texts that name their target well enough on paper: the URL is not printed.
IDENTIFIER = re.compile(r"(PMID|PMCID|arXiv|ISBN|ISSN|doi):?\s*\S+", re.I)

#: Output file names, so that links to the handout itself can be dropped.
HANDOUT_FILES = ("handout.pdf", "handout-letter.pdf")

MONTHS = (  # English, whatever the locale: the guide is in English
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass
class Chapter:
    page: NavPage
    slug: str
    title: str
    body: Tag
    is_bibliography: bool = False
    #: the page about the guide (licences, the repository line): set small, as a colophon
    is_colophon: bool = False


@dataclass
class Assembled:
    """The print document, plus what the renderer and the tests need to know."""

    html: str
    card: Card
    chapters: list[Chapter]
    #: key -> id of its entry in the consolidated list ("ref-references-3")
    entry_ids: dict[str, str]
    warnings: list[str]


def page_slug(url: str) -> str:
    """The citation engine's page slug: "" -> "index", "guide/setup/" -> "guide-setup"."""
    path = url.strip("/")
    if path.endswith(".html"):
        path = path[: -len(".html")]
    if path.endswith("/index") or path == "index" or not path:
        path = path[: -len("index")].rstrip("/")
    return re.sub(r"[^A-Za-z0-9_-]+", "-", path).strip("-") or "index"


class Assembler:
    def __init__(self, project: Project, site_dir: Path) -> None:
        self.project = project
        self.site_dir = site_dir.resolve()
        self.warnings: list[str] = []
        self.chapters: list[Chapter] = []
        self.by_url: dict[str, Chapter] = {}
        # (page url, id on the web page) -> id in the handout
        self.ids: dict[tuple[str, str], str] = {}
        # (page url, id of a reference-list entry) -> bibliography key
        self.entry_keys: dict[tuple[str, str], str] = {}
        self.entry_ids: dict[str, str] = {}  # key -> id in the consolidated list
        self.entry_numbers: dict[str, str] = {}  # key -> number in the consolidated list
        self.howto: tuple[str, str] | None = None  # (page url, HowTo name) of the exercise page
        self.howto_description = ""
        self.card = Card(title=project.site_name)

    # -- reading ------------------------------------------------------------------

    def read(self) -> None:
        for page in self.project.pages:
            path = self.site_dir / page.dest
            if not path.is_file():
                raise ProjectError(
                    f"{path}: not found. Build the site first (mkdocs build), and give the same folder with --site-dir"
                )
            soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            article = next((found for selector in CONTENT if (found := soup.select_one(selector))), None)
            if article is None:
                raise ProjectError(
                    f"{path}: the page content was not found (looked for {', '.join(CONTENT)}); "
                    "is the theme Material for MkDocs?"
                )
            slug = page_slug(page.url)
            howto = _howto(soup)  # the JSON-LD is in the page's head (overrides/partials/howto-jsonld.html)
            if howto and self.howto is None:
                self.howto = (page.url, howto[0])
                self.howto_description = howto[1]
            article.name = "div"
            article.attrs = {"class": "chapter-body"}
            for selector in DROP:
                for tag in article.select(selector):
                    tag.decompose()
            h1 = article.find("h1")
            title = _text(h1) if h1 else page.title
            chapter = Chapter(page=page, slug=slug, title=title, body=article)
            self.chapters.append(chapter)
            self.by_url[page.url] = chapter

        self._find_bibliography()
        for chapter in self.chapters:
            self._collect_lists(chapter)
        for chapter in self.chapters:
            self._rename_ids(chapter)
        self._card_facts()

    def _find_bibliography(self) -> None:
        """The page that lists every source: it has a list and cites nothing itself."""
        best: tuple[int, int] | None = None
        for index, chapter in enumerate(self.chapters):
            lists = chapter.body.select("ol.references")
            if not lists or chapter.body.select(".citation[data-keys]"):
                continue
            size = sum(len(ol.select("li[data-key]")) for ol in lists)
            if best is None or size >= best[0]:
                best = (size, index)
        if best is None:
            if any(c.body.select(".citation[data-keys]") for c in self.chapters):
                self.warnings.append(
                    "no page lists every source ({{ bibliography() }}); each page keeps its own reference list"
                )
            return
        self.chapters[best[1]].is_bibliography = True

    def _collect_lists(self, chapter: Chapter) -> None:
        """Remember which key every list entry stands for; drop the per-page lists."""
        consolidate = any(c.is_bibliography for c in self.chapters)
        for ol in chapter.body.select("ol.references, ul.references"):
            for li in ol.find_all("li", recursive=False):
                key, ident = _attr(li, "data-key"), _attr(li, "id")
                if key and ident:
                    self.entry_keys[(chapter.page.url, ident)] = key
                    if chapter.is_bibliography and ol.name == "ol":
                        self.entry_ids[key.lower()] = ident
                        self.entry_numbers[key.lower()] = _attr(li, "value")
            if chapter.is_bibliography or not consolidate:
                continue
            heading = ol.find_previous_sibling(True)
            if heading is not None and re.fullmatch(r"h[2-6]", heading.name or ""):
                heading.decompose()
            ol.decompose()

    def _rename_ids(self, chapter: Chapter) -> None:
        """Give every id a page prefix, except the citation engine's own (already unique)."""
        for tag in chapter.body.find_all(id=True):
            old = _attr(tag, "id")
            new = old if _is_citation_id(tag) else f"{chapter.slug}--{old}"
            tag["id"] = new
            self.ids[(chapter.page.url, old)] = new

    # -- links --------------------------------------------------------------------

    def _resolve(self, chapter: Chapter, href: str) -> tuple[str, str | None]:
        """("internal", "#id"), ("external", url) or ("drop", None) for a link on a page."""
        parts = urlsplit(href)
        if parts.scheme or href.startswith("//"):
            return "external", href
        base = "https://handout.invalid/" + chapter.page.url
        target = urlsplit(urljoin(base, href))
        path = unquote(target.path.lstrip("/"))
        fragment = unquote(target.fragment)
        url = self._page_url(path)
        if url is not None:
            if fragment:
                new = self.ids.get((url, fragment))
                if new is None:
                    self.warnings.append(f"{chapter.page.src}: link to a missing anchor: {href}")
                    return "internal", f"#page-{self.by_url[url].slug}"
                return "internal", f"#{new}"
            return "internal", f"#page-{self.by_url[url].slug}"
        if posixpath.basename(path) in HANDOUT_FILES:
            return "drop", None
        # Any other file of the site (an image, a download): the published copy.
        return "external", urljoin(self.project.site_url, target.path.lstrip("/")) + (
            f"#{target.fragment}" if target.fragment else ""
        )

    def _page_url(self, path: str) -> str | None:
        candidates = [path]
        if path.endswith("index.html"):
            candidates.append(path[: -len("index.html")])
        elif path and not path.endswith("/"):
            candidates.append(path + "/")
        for candidate in candidates:
            if candidate in self.by_url:
                return candidate
        return None

    def rewrite_links(self) -> None:
        for chapter in self.chapters:
            for a in chapter.body.find_all("a", href=True):
                if "citation-backref" in _classes(a) or a.find_parent(class_="citation-backrefs") is not None:
                    continue  # back-links: handled with the list below, whatever they look like
                parent = a.parent
                if parent is not None and "citation" in _classes(parent):
                    self._rewrite_marker(chapter, a)
                    continue
                kind, target = self._resolve(chapter, _attr(a, "href"))
                if kind == "drop" or target is None:
                    container = a.parent
                    a.decompose()
                    if container is not None and container.name == "p" and not _text(container):
                        container.decompose()
                    continue
                a["href"] = target
                if kind == "external":
                    self._print_url(a)
                elif not target.startswith(("#ref-", "#cite-")):
                    _add_class(a, "xref")  # prints "(p. N)" after the link
            for img in chapter.body.find_all(["img", "source"], src=True):
                img["src"] = self._print_variant(self._site_file(chapter, _attr(img, "src")))
            # A <picture>'s <source srcset> picks a figure's phone variant on screen;
            # paper gets the <img> itself, so the alternatives go.
            for source in chapter.body.select("picture > source[srcset]"):
                source.decompose()
            if chapter.is_bibliography:
                self._rewrite_backrefs(chapter)

    def _rewrite_marker(self, chapter: Chapter, a: Tag) -> None:
        """Point a citation number at the consolidated list, by key."""
        href = _attr(a, "href")
        target = urlsplit(urljoin("https://handout.invalid/" + chapter.page.url, href))
        url = self._page_url(unquote(target.path.lstrip("/")))
        key = self.entry_keys.get((url if url is not None else chapter.page.url, unquote(target.fragment)))
        if key is None:
            self.warnings.append(f"{chapter.page.src}: citation link to an unknown entry: {href}")
            return
        new = self.entry_ids.get(key.lower())
        if new is None:  # no consolidated list: the page kept its own
            a["href"] = "#" + self.ids.get((chapter.page.url, unquote(target.fragment)), target.fragment)
            return
        a["href"] = f"#{new}"
        a["data-key"] = key
        shown = a.get_text(strip=True)
        if shown != self.entry_numbers.get(key.lower()):
            self.warnings.append(
                f"{chapter.page.src}: citation {shown} ({key}) is number "
                f"{self.entry_numbers.get(key.lower())} in the References; the handout "
                "shows page numbering as on the web page (plugins.citations.numbering: page?)"
            )

    def _rewrite_backrefs(self, chapter: Chapter) -> None:
        for span in chapter.body.select(".citation-backrefs"):
            targets = []
            # every link in the span, however the site presents them ("Home",
            # or Wikipedia-style "^ a b"): the span is what marks back-links
            for a in span.select("a[href]"):
                kind, target = self._resolve(chapter, _attr(a, "href"))
                if kind == "internal" and target:
                    targets.append(target[1:])
            # The renderer turns these into "Cited on pages 4, 5" after a first layout.
            span.clear()
            span["data-targets"] = " ".join(targets)

    def _print_variant(self, src: str) -> str:
        """A drawing's print variant when the site has one (``NAME-print.svg`` beside
        ``NAME.svg``: black and white, labels large enough for paper)."""
        path = PurePosixPath(src)
        variant = path.with_name(f"{path.stem}-print{path.suffix}")
        if path.suffix == ".svg" and not path.stem.endswith("-print") and (self.site_dir / variant).is_file():
            return str(variant)
        return src

    def _site_file(self, chapter: Chapter, src: str) -> str:
        """Image sources relative to the site root (the document's base URL)."""
        if urlsplit(src).scheme:
            return src
        path = urlsplit(urljoin("https://handout.invalid/" + chapter.page.url, src)).path
        return unquote(path.lstrip("/"))

    @staticmethod
    def _print_url(a: Tag) -> None:
        """Show an external link's address on paper, short (no scheme) and breakable only at its slashes."""
        href = _attr(a, "href")
        if not href.startswith(("http://", "https://")):
            return
        shown = a.get_text(strip=True)
        if shown.rstrip("/") == href.rstrip("/"):
            a.clear()
            a.append(typography.breakable_url(href))
            _add_class(a, "url")
            return
        if IDENTIFIER.fullmatch(shown):
            return  # "PMID: 23349681", "doi:10.1371/..." name their target, as on the site
        span = BeautifulSoup("", "html.parser").new_tag("span", attrs={"class": "url"})
        span.string = typography.breakable_url(href)
        a.append(" ")
        a.append(span)

    # -- the card and what paper does not need ------------------------------------

    def make_card(self) -> None:
        """Move the exercise's pieces to the card (pdf/card.py); the home page's facts go."""
        if self.howto is not None:
            url, self.card.title = self.howto
            chapter = self.by_url[url]
            ids = {old: new for (page, old), new in self.ids.items() if page == url}
            card.fill(self.card, chapter.body, ids, self.warnings, chapter.page.src, self.site_dir)
        for chapter in self.chapters:
            for img in chapter.body.select("figure img[src]"):
                figure = img.find_parent("figure")
                if self.card.figure_src and _attr(img, "src") == self.card.figure_src and figure is not None:
                    figure.decompose()  # the same drawing as the card's: once is enough on paper
        for chapter in self.chapters:
            cards = chapter.body.select_one(".grid.cards")
            if cards is not None:
                if self.card.dose:
                    cards.decompose()  # the card's dose strip and rule say it all
                else:
                    self.card.facts = str(cards.extract())
                break
        for chapter in self.chapters:
            _drop_empty_headings(chapter.body)

    def trim(self) -> None:
        """Drop what has no use on paper; the repository gets one line."""
        left_out, unused = webonly.mark([(c.page.src, c.body) for c in self.chapters])
        for row in unused:
            self.warnings.append(f"web-only part {row!r} no longer matches its page (pdf/webonly.py)")
        self.chapters = [c for c in self.chapters if c.page.src not in left_out]
        repo = self.project.repo_url.rstrip("/")
        for chapter in self.chapters:
            body = chapter.body
            for box in body.select(".admonition"):
                if "medical advice" in _text(box).lower():
                    box.decompose()  # it is on the card
            for heading in body.find_all("h2"):
                section = _section(heading)
                rest = section[1:]
                links = [a for tag in rest for a in tag.find_all("a", href=True)]
                if (
                    len(rest) == 1
                    and rest[0].name == "ul"
                    and all(li.find("a", class_="xref") for li in rest[0].find_all("li", recursive=False))
                ):  # the guide's own table of contents: the PDF has bookmarks
                    for tag in section:
                        tag.decompose()
                elif repo and any(_attr(a, "href").startswith(repo + "/") for a in links):
                    # how to contribute (it links to files of the repository):
                    # one line with the repository's address stands in for it
                    soup = BeautifulSoup("", "html.parser")
                    line = soup.new_tag("p", attrs={"class": "repo-line"})
                    line.append(f"{heading.get_text(' ', strip=True)}: ")
                    link = soup.new_tag("a", attrs={"class": "url", "href": self.project.repo_url})
                    link.string = typography.breakable_url(self.project.repo_url)
                    line.append(link)
                    section[-1].insert_after(line)
                    for tag in section:
                        tag.decompose()
                    chapter.is_colophon = True

    # -- output -------------------------------------------------------------------

    def ordered(self) -> list[Chapter]:
        """Nav order, with the bibliography moved to the end."""
        body = [c for c in self.chapters if not c.is_bibliography]
        return body + [c for c in self.chapters if c.is_bibliography]

    def _card_facts(self) -> None:
        """The site's own "not medical advice" text, for the card.

        Read before the links are rewritten, from the pages as published.
        """
        self.disclaimer: str | None = None
        for chapter in self.chapters:
            for box in chapter.body.select(".admonition"):
                if self.disclaimer is None and "medical advice" in _text(box).lower():
                    paragraphs = [p for p in box.find_all("p") if "admonition-title" not in _classes(p)]
                    self.disclaimer = " ".join(_text(p) for p in paragraphs) or None

    def _finish(self, html_doc: str) -> str:
        """The whole document's last touches: links, cross-references, wording, typography."""
        soup = BeautifulSoup(html_doc, "html.parser")
        _retarget_dangling_links(soup)
        for number, a in enumerate(soup.select("a.xref"), start=1):
            a["id"] = f"xref-{number}"  # where the link lands decides what it prints (render.py)
        for chapter in soup.select("section.chapter"):
            h1 = chapter.find("h1")
            for h2 in chapter.find_all("h2"):  # the running head: "Chapter · Section" (handout.css)
                h2["data-chapter"] = _text(h1) if h1 is not None else ""
        main = soup.select_one("main.chapters")
        if main is not None:
            typography.drop_web_only(soup)
            webonly.drop_uncited(soup)
            for pattern in typography.replace_web_wording(main):
                self.warnings.append(f"print wording: {pattern!r} no longer matches any page (pdf/typography.py)")
        typography.typographic_quotes(soup.body or soup)
        typography.bind_last_words(soup.body or soup)
        typography.bind_units(soup.body or soup)
        return str(soup)

    def document(self, qr_svg: str) -> str:
        project = self.project
        chapters = self.ordered()
        sections = []
        for chapter in chapters:
            classes = " ".join(
                ["chapter"] + ["bibliography"] * chapter.is_bibliography + ["colophon"] * chapter.is_colophon
            )
            h1 = chapter.body.find("h1", recursive=False)
            title = str(h1.extract()) if isinstance(h1, Tag) else ""
            sections.append(
                f'<section class="{classes}" id="page-{chapter.slug}">{title}'
                f'<div class="chapter-columns">{chapter.body.decode_contents()}</div></section>'
            )
        licence = " · ".join(
            part
            for part in re.split(r"\s+·\s+", project.copyright or "")
            if part and not re.search(r"\bcode\b|medical advice", part, re.I)  # said elsewhere on the card
        )
        html_doc = TEMPLATES.get_template("handout.html").render(
            project=project,
            title=f"{self.card.title}: exercise card and guide ({project.site_name})"
            if self.card.title != project.site_name
            else project.site_name,
            subject=typography.curl(self.howto_description or project.site_description),  # the PDF's /Subject
            author=f"{project.site_name} contributors",
            licence=licence,
            short_url=short_url,
            date_iso=project.date.strftime("%Y-%m-%dT%H:%M:%SZ"),
            date_text=f"{project.date.day} {MONTHS[project.date.month - 1]} {project.date.year}",
            qr_svg=Markup(qr_svg),
            disclaimer=self.disclaimer or "This guide offers general information only, and it is not medical advice.",
            card=self.card,
            markup=Markup,
            body=Markup("\n".join(sections)),
        )
        return self._finish(html_doc)


def qr_code_svg(url: str) -> str:
    """The site URL as a QR code: inline SVG (vector), with its quiet zone."""
    import segno

    qr = segno.make(url, error="m", micro=False)
    return str(
        qr.svg_inline(
            scale=1,
            border=4,
            dark="#000",
            light="#fff",
            omitsize=True,
            svgclass="qr",
            lineclass=None,
            title=f"QR code of the online guide: {url}",  # the figure's alternative text
        )
    )


def short_url(url: str) -> str:
    """An address to type: no scheme, no trailing slash."""
    return re.sub(r"^https?://", "", url).rstrip("/")


def _retarget_dangling_links(soup: BeautifulSoup) -> None:
    """A link to a part the handout moved or left out goes to the start of its page's chapter.

    The card takes the exercise's steps, and sections with no use on paper go:
    a link to them ("why" on the home page, to the steps) would point nowhere.
    With no chapter to go to, the link becomes its text.
    """
    ids = {str(tag["id"]) for tag in soup.find_all(id=True)}
    for a in soup.find_all("a", href=True):
        href = _attr(a, "href")
        if not href.startswith("#") or href[1:] in ids:
            continue
        chapter = "page-" + href[1:].split("--", 1)[0]
        if chapter in ids:
            a["href"] = "#" + chapter
        else:
            a.unwrap()


def assemble(project: Project, site_dir: Path) -> Assembled:
    assembler = Assembler(project, site_dir)
    assembler.read()
    assembler.rewrite_links()
    assembler.make_card()
    assembler.trim()
    html_doc = assembler.document(qr_code_svg(project.site_url))
    for warning in assembler.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return Assembled(
        html=html_doc,
        card=assembler.card,
        chapters=assembler.ordered(),
        entry_ids=dict(assembler.entry_ids),
        warnings=list(assembler.warnings),
    )


__all__ = ["Assembled", "Card", "assemble", "page_slug", "qr_code_svg"]
