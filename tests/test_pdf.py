"""The PDF handout, end to end: the real guide, real PDFs, read back with
pypdf, poppler (pdftotext, pdffonts, pdfimages, pdfinfo, pdftoppm), pdfium
(pypdfium2, the engine of Chrome's PDF viewer) and zbarimg.

The guide is built once per session (tests/conftest.py, ``guide_site``); the
handouts are built from it once, with a fixed SOURCE_DATE_EPOCH, and copied
with their build times and page counts to test-artifacts/pdf/. Every failure
prints the commands that rebuild what it looked at.
"""

from __future__ import annotations

import html
import itertools
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader
from pypdf.generic import ArrayObject

from pdf.webonly import WEB_ONLY
from pdf.webonly import parts as web_only_parts
from tests.conftest import ROOT, tool_env

SOURCE_DATE_EPOCH = 1700000000  # 2023-11-14T22:13:20Z
DATE_TEXT = "14 November 2023"
PDF_DATE = "D:20231114221320Z"
ARTIFACTS = ROOT / "test-artifacts" / "pdf"

PAPERS = {
    # name: (file, label printed by the builder, (width, height) in points)
    "a4": ("handout.pdf", "A4", (595.276, 841.890)),
    "letter": ("handout-letter.pdf", "US Letter", (612.0, 792.0)),
}
# The card and three pages (issue 27: at most 4): the rest of the exercise, the
# muscles in brief and the references; what serves the web reader stays on the
# site (pdf/webonly.py). Fewer than 3 means text went missing.
MIN_PAGES, MAX_PAGES = 3, 4

CONFIG = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
SITE_URL = CONFIG["site_url"]
NAV = [next(iter(item.values())) for item in CONFIG["nav"]]  # docs/ paths in nav order


def expected_version() -> str:
    """What the cover and footer must say: a git tag on HEAD, else extra.version."""
    tag = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--tags", "--exact-match", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    if tag:
        return tag[1:] if tag[:1] in "vV" and tag[1:2].isdigit() else tag
    return str(CONFIG["extra"]["version"])


VERSION = expected_version()


# -- building -------------------------------------------------------------------------


@dataclass
class PdfRun:
    command: list[str]
    shown: str
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    def report(self) -> str:
        return f"reproduce with:\n  {self.shown}\n--- stdout ---\n{self.stdout}\n--- stderr ---\n{self.stderr}"


def run_pdf(site: Path, *extra: str, env: dict[str, str] | None = None, pythonpath: str = "") -> PdfRun:
    command = [sys.executable, "-m", "pdf", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site), *extra]
    environment = tool_env()
    environment["SOURCE_DATE_EPOCH"] = str(SOURCE_DATE_EPOCH)
    environment.update(env or {})
    if pythonpath:
        environment["PYTHONPATH"] = pythonpath + os.pathsep + environment["PYTHONPATH"]
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)
    seconds = time.perf_counter() - start
    prefix = f"PYTHONPATH={pythonpath} " if pythonpath else ""
    date = "" if "SOURCE_DATE_EPOCH" in (env or {}) else f"SOURCE_DATE_EPOCH={SOURCE_DATE_EPOCH} "
    shown = (
        f"cd {ROOT} && .venv/bin/mkdocs build --strict -d {site} && "
        f"{prefix}{date}.venv/bin/python -m pdf -d {site} {' '.join(extra)}"
    ).strip()
    return PdfRun(command, shown, proc.returncode, proc.stdout, proc.stderr, seconds)


@dataclass
class Handout:
    run: PdfRun
    site: Path
    files: dict[str, Path]
    pages: dict[str, int]  # as the builder reported them
    seconds: dict[str, float]


@pytest.fixture(scope="session")
def handout(guide_site: Path) -> Handout:
    """Both handouts, built into the guide's site folder as `make build` does."""
    run = run_pdf(guide_site)
    assert run.returncode == 0, run.report()
    pages, seconds = {}, {}
    for name, (filename, label, _) in PAPERS.items():
        match = re.search(
            rf"wrote .*{re.escape(filename)} \({re.escape(label)}, (\d+) pages\) in ([\d.]+) s", run.stdout
        )
        assert match, f"the builder did not report {filename}\n{run.report()}"
        pages[name], seconds[name] = int(match.group(1)), float(match.group(2))
    files = {name: guide_site / filename for name, (filename, _, _) in PAPERS.items()}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for path in files.values():
        shutil.copy2(path, ARTIFACTS / path.name)
    record: dict[str, object] = {
        name: {"file": files[name].name, "pages": pages[name], "seconds": seconds[name]} for name in PAPERS
    }
    record["total_seconds"] = round(run.seconds, 2)
    (ARTIFACTS / "build.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"\nPDF handout: {json.dumps(record)}; copies in {ARTIFACTS}")
    return Handout(run, guide_site, files, pages, seconds)


# -- reading the PDFs back -----------------------------------------------------------------


def tool(*command: str) -> str:
    proc = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"{' '.join(command)} failed:\n{proc.stderr}"
    return proc.stdout


def squash(text: str) -> str:
    """Text without whitespace or hyphens: line breaks fall anywhere in print,
    and pdftotext joins a word broken after a hyphen without it."""
    text = text.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))  # typographic quotes in print
    return re.sub(r"[\s\-\u00ad\u200b]+", "", text)


@dataclass
class Link:
    page: int  # 1-based
    rect: tuple[float, float, float, float]  # PDF user space, y up
    dest: str | None = None
    uri: str | None = None


@dataclass
class Pdf:
    path: Path
    reader: PdfReader = field(init=False)

    def __post_init__(self) -> None:
        self.reader = PdfReader(self.path)

    @cached_property
    def page_texts(self) -> list[str]:
        return tool("pdftotext", "-enc", "UTF-8", str(self.path), "-").split("\f")[: len(self.reader.pages)]

    @cached_property
    def text(self) -> str:
        return "\n".join(self.page_texts)

    @cached_property
    def dests(self) -> dict[str, int]:
        """Named destination -> 1-based page."""
        return {str(name): page_number(self.reader, dest) for name, dest in self.reader.named_destinations.items()}

    @cached_property
    def links(self) -> list[Link]:
        found = []
        for number, page in enumerate(self.reader.pages, start=1):
            for annot in page.get("/Annots") or []:
                annot = annot.get_object()
                if annot.get("/Subtype") != "/Link":
                    continue
                rect = tuple(float(v) for v in annot["/Rect"])
                link = Link(number, rect)  # type: ignore[arg-type]
                action = annot.get("/A")
                dest = annot.get("/Dest")
                if action is not None:
                    action = action.get_object()
                    if action.get("/S") == "/URI":
                        link.uri = str(action["/URI"])
                    elif action.get("/S") == "/GoTo":
                        dest = action.get("/D")
                if dest is not None:
                    link.dest = "<explicit>" if isinstance(dest, ArrayObject) else str(dest)
                found.append(link)
        return found

    def text_in(self, link: Link) -> str:
        """The text under a link's rectangle (poppler, at 0.1 pt precision)."""
        height = float(self.reader.pages[link.page - 1].mediabox.height)
        x0, y0, x1, y1 = link.rect
        scale = 10
        top = height - max(y0, y1)
        return tool(
            "pdftotext",
            "-enc",
            "UTF-8",
            "-f",
            str(link.page),
            "-l",
            str(link.page),
            "-r",
            str(72 * scale),
            "-x",
            str(int(min(x0, x1) * scale)),
            "-y",
            str(int(top * scale)),
            "-W",
            str(int(abs(x1 - x0) * scale) + 1),
            "-H",
            str(int(abs(y1 - y0) * scale) + 1),
            str(self.path),
            "-",
        ).strip()

    def outline(self) -> list[tuple[int, str, int]]:
        """(level, title, 1-based page) of every bookmark, in order."""
        out: list[tuple[int, str, int]] = []

        def walk(items: list, level: int) -> None:  # type: ignore[type-arg]
            for item in items:
                if isinstance(item, list):
                    walk(item, level + 1)
                else:
                    out.append((level, str(item.title), page_number(self.reader, item)))

        walk(self.reader.outline, 1)
        return out


def page_number(reader: PdfReader, destination: Any) -> int:
    """The 1-based page of a destination or bookmark (it must have one)."""
    number = reader.get_destination_page_number(destination)
    assert number is not None and number >= 0, f"destination {destination} has no page"
    return number + 1


def _front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), f"{path} has no front matter"
    return dict(yaml.safe_load(text.split("---\n", 2)[1]))


#: The exercise as the guide's source gives it (docs/exercise.md front matter).
HOWTO = _front_matter(ROOT / "docs" / "exercise.md")["howto"]

Box = tuple[float, float, float, float, str]  # x0, y0, x1, y1 (points, y down), text


def page_words(pdf: Pdf, number: int) -> list[Box]:
    """Every word of a page with its box, from pdftotext -bbox."""
    bbox = tool("pdftotext", "-bbox", "-f", str(number), "-l", str(number), str(pdf.path), "-")
    return [
        (float(x0), float(y0), float(x1), float(y1), html.unescape(word))
        for x0, y0, x1, y1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', bbox
        )
    ]


def column_text(words: list[Box], width: float) -> str:
    """A page's words read column by column (left half, then right half), top to bottom.

    pdftotext interleaves the lines of two columns that sit side by side; a
    step set in one column is then whole in this text."""
    left = sorted((w for w in words if w[0] < width / 2), key=lambda w: (round(w[1]), w[0]))
    right = sorted((w for w in words if w[0] >= width / 2), key=lambda w: (round(w[1]), w[0]))
    return " ".join(w[4] for w in left + right)


def find_words(words: list[Box], phrase: str) -> tuple[float, float, float, float] | None:
    """The box around the first run of words that starts with ``phrase`` (punctuation may follow)."""
    wanted = squash(phrase)
    for start in range(len(words)):
        run, text = [], ""
        for word in words[start:]:
            run.append(word)
            text += squash(word[4])
            if len(text) >= len(wanted):
                break
        if text.startswith(wanted):
            return (min(w[0] for w in run), min(w[1] for w in run), max(w[2] for w in run), max(w[3] for w in run))
    return None


def structure_elements(pdf: Pdf) -> list[dict[str, Any]]:
    """Every element of the structure tree, depth first (reading order)."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
            return
        if not isinstance(node, dict):
            return
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        if kids is not None:
            walk(kids)

    root: Any = pdf.reader.trailer["/Root"]
    walk(root["/StructTreeRoot"])
    return found


def figure_boxes(pdf: Pdf) -> list[tuple[int, tuple[float, float, float, float], str]]:
    """(1-based page, box in points with y down, alt text) of every Figure.

    WeasyPrint 70 writes a Figure's /BBox in CSS pixels from the page's top
    left (0.75 pt each); the tests check that the figure's own labels fall
    inside the box, so a change of convention shows up as a failure.
    """
    pages: dict[int, int] = {}
    for number, page in enumerate(pdf.reader.pages, start=1):
        assert page.indirect_reference is not None
        pages[page.indirect_reference.idnum] = number
    boxes = []
    element: Any
    for element in structure_elements(pdf):
        if element["/S"] != "/Figure":
            continue
        x0, y0, x1, y1 = (float(v) * 0.75 for v in element["/A"]["/BBox"])
        boxes.append((pages[element.raw_get("/Pg").idnum], (x0, y0, x1, y1), str(element.get("/Alt", ""))))
    return boxes


def step_font_sizes(pdf: Pdf) -> list[float]:
    """The font size (points) of the steps' texts on page 1 (pypdf): the pieces of
    text that are a step's text or its bold name (other text on the card, such as
    the warning, repeats some of the steps' words)."""
    texts = {squash(step["text"]) for step in HOWTO["steps"]}
    names = {squash(step["name"] + ".") for step in HOWTO["steps"]}
    sizes: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        piece = squash(text)
        if piece in names or (len(piece) >= 30 and any(piece in step for step in texts)):
            scale = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
            sizes.append(round(size * scale, 2))

    pdf.reader.pages[0].extract_text(visitor_text=visit)
    return sizes


def heading_positions(pdf: Pdf) -> list[tuple[int, float, int, str]]:
    """(1-based page, top in points from the page top, level, title) of every bookmark."""
    found: list[tuple[int, float, int, str]] = []

    def walk(items: list, level: int) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                number = page_number(pdf.reader, item)
                height = float(pdf.reader.pages[number - 1].mediabox.height)
                found.append((number, height - float(item.top), level, str(item.title)))

    walk(pdf.reader.outline, 1)
    return found


def heading_lefts(pdf: Pdf) -> list[float]:
    """The x of every bookmark's destination, in the order of heading_positions."""
    found: list[float] = []

    def walk(items: list) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append(float(item.left))

    walk(pdf.reader.outline)
    return found


#: The running head and foot live in the page margins (pdf/handout.css).
TOP_MARGIN, BOTTOM_MARGIN = 13 / 25.4 * 72, 12 / 25.4 * 72


def running_head_and_first_line(pdf: Pdf, number: int) -> tuple[str, float]:
    """The running head's text (without the site address) and the top of the first line of text."""
    words = page_words(pdf, number)
    address = re.sub(r"^https?://", "", SITE_URL).rstrip("/")
    head = " ".join(word[4] for word in words if word[3] <= TOP_MARGIN and word[4] != address)
    first = min(word[1] for word in words if word[3] > TOP_MARGIN)
    return head, first


_PDFS: dict[Path, Pdf] = {}


@pytest.fixture(params=list(PAPERS), scope="session")
def pdf(request: pytest.FixtureRequest, handout: Handout) -> Pdf:
    path = handout.files[request.param]
    if path not in _PDFS:
        _PDFS[path] = Pdf(path)
    return _PDFS[path]


@pytest.fixture(autouse=True)
def how_to_reproduce(request: pytest.FixtureRequest) -> None:
    """Shown with any failure: the commands that rebuild the PDFs under test."""
    if "handout" in request.fixturenames:
        print(request.getfixturevalue("handout").run.report())


@pytest.fixture(scope="session")
def a4(handout: Handout) -> Pdf:
    path = handout.files["a4"]
    if path not in _PDFS:
        _PDFS[path] = Pdf(path)
    return _PDFS[path]


def paper_of(pdf: Pdf) -> str:
    return next(name for name, (filename, _, _) in PAPERS.items() if pdf.path.name == filename)


def test_the_home_page_shows_the_handouts_measured_size(handout: Handout, guide_site: Path) -> None:
    """python -m pdf writes each PDF's size where the site marks it (pdf/handout_size.py): never typed by hand."""
    home = (guide_site / "index.html").read_text(encoding="utf-8")
    size = max(1, round(handout.files["a4"].stat().st_size / 1000))
    assert f'<span data-handout-size="handout.pdf">, {size} kB</span>' in home


# -- what the web pages say ---------------------------------------------------------------


@dataclass
class WebPage:
    src: str
    slug: str
    soup: BeautifulSoup

    @property
    def article(self):  # type: ignore[no-untyped-def]
        return self.soup.select_one("article.md-content__inner")

    @property
    def title(self) -> str:
        h1 = self.article.find("h1")
        return " ".join(h1.get_text(" ", strip=True).replace("¶", "").split())


#: The pages the handout leaves to the web reader (pdf/webonly.py).
WEB_ONLY_PAGES = {src for src, part, _ in WEB_ONLY if part == "page"}


def web_pages(site: Path, printed: bool = False) -> list[WebPage]:
    """The site's pages in nav order; ``printed``: only what the handout prints of them
    (without the pages and parts pdf/webonly.py leaves to the web reader)."""
    pages = []
    for src in NAV:
        if printed and src in WEB_ONLY_PAGES:
            continue
        stem = src[: -len(".md")]
        dest = "index.html" if stem == "index" else f"{stem}/index.html"
        soup = BeautifulSoup((site / dest).read_text(encoding="utf-8"), "html.parser")
        page = WebPage(src, stem, soup)
        if printed:
            for where, part, _ in WEB_ONLY:
                if where in ("*", src) and part != "page":
                    for tag in web_only_parts(page.article, part):
                        tag.decompose()
        pages.append(page)
    return pages


def bibliography(site: Path) -> dict[int, tuple[str, str, list[str]]]:
    """number -> (key, entry text without back-links, external URLs) from the References page."""
    page = next(p for p in web_pages(site) if p.src == "references.md")
    entries = {}
    for li in page.article.select('ol.references[data-page="references"] > li'):
        for backrefs in li.select(".citation-backrefs"):
            backrefs.decompose()
        urls = [a["href"] for a in li.find_all("a", href=True)]
        entries[int(li["value"])] = (li["data-key"], " ".join(li.get_text(" ", strip=True).split()), urls)
    assert len(entries) >= 6, "the guide cites at least six sources"
    return entries


def printed_figures(site: Path) -> list[Any]:
    """The web pages' figures that the handout prints: a drawing shown on two pages
    (Home's hero and the exercise page) prints once, on the card."""
    seen: dict[str, Any] = {}
    for page in sorted(web_pages(site, printed=True), key=lambda p: p.src != "exercise.md"):  # the exercise's first
        for fig in page.article.select("figure:has(img)"):
            seen.setdefault(Path(fig.select_one("img")["src"]).name, fig)
    return list(seen.values())


def web_markers(site: Path, printed: bool = False) -> list[tuple[str, int, str]]:
    """(page, number shown, key) for every citation number on the web pages, in reading order
    (``printed``: in the parts the handout prints)."""
    found = []
    for page in web_pages(site, printed):
        article = page.article
        for a in article.select("sup.citation a[href]"):
            target = a["href"].split("#", 1)[1]
            li = article.find("li", id=target)
            assert li is not None, f"{page.src}: {a['href']} has no list entry on the page"
            found.append((page.src, int(a.get_text(strip=True)), li["data-key"]))
    return found


def printed_entries(site: Path) -> dict[int, tuple[str, str, list[str]]]:
    """The References' entries that what the handout prints cites (the others stay on the site)."""
    keys = {key for _, _, key in web_markers(site, printed=True)}
    return {number: entry for number, entry in bibliography(site).items() if entry[0] in keys}


def chapter_titles(site: Path) -> list[str]:
    """The handout's chapters: the printed pages' h1 in nav order, the References last."""
    pages = web_pages(site, printed=True)
    return [p.title for p in pages if p.src != "references.md"] + [p.title for p in pages if p.src == "references.md"]


# -- the tests ----------------------------------------------------------------------------


def test_builder_writes_both_sizes_and_reports_them(handout: Handout) -> None:
    for name, path in handout.files.items():
        assert path.is_file() and path.stat().st_size > 10_000, handout.run.report()
        assert len(PdfReader(path).pages) == handout.pages[name], handout.run.report()
    assert f"handout: version {VERSION} (" in handout.run.stdout
    assert "(SOURCE_DATE_EPOCH)" in handout.run.stdout
    assert "Traceback" not in handout.run.stderr and "warning" not in handout.run.stderr.lower(), handout.run.report()
    assert "not installed" not in handout.run.stderr, f"a font fell back:\n{handout.run.report()}"


def test_page_size_and_count(pdf: Pdf) -> None:
    _, _, (width, height) = PAPERS[paper_of(pdf)]
    pages = pdf.reader.pages
    assert MIN_PAGES <= len(pages) <= MAX_PAGES, f"{len(pages)} pages"
    for number, page in enumerate(pages, start=1):
        box = page.mediabox
        assert abs(float(box.width) - width) < 0.5 and abs(float(box.height) - height) < 0.5, (
            f"page {number} is {float(box.width):.1f} x {float(box.height):.1f} pt"
        )


def test_nothing_is_cut_off_at_the_end(pdf: Pdf, guide_site: Path) -> None:
    """The last page ends the References, with the last source complete."""
    entries = printed_entries(guide_site)
    _, last_text, last_urls = entries[max(entries)]
    last_page = squash(pdf.page_texts[-1])
    assert squash(last_text.split(". ")[0]) in last_page
    assert squash(last_text.rstrip("/")[-40:]) in last_page, "the last source is cut short"  # an address: no last slash
    assert last_urls[-1] in {link.uri for link in pdf.links if link.page == len(pdf.reader.pages)}
    assert f"Page{len(pdf.reader.pages)}of{len(pdf.reader.pages)}" in last_page


def test_card_stands_alone_on_page_one(pdf: Pdf) -> None:
    """Page 1 is the exercise card: everything someone at the machine needs."""
    card = " ".join(pdf.page_texts[0].split())
    assert CONFIG["site_name"] in card
    assert HOWTO["name"] in card
    assert f"Version {VERSION} " in card
    assert DATE_TEXT in card
    assert SITE_URL.split("://", 1)[1].rstrip("/") in card  # an address to type: no scheme
    assert "not medical advice" in card.lower()
    assert "physiotherapist" in card  # the site's own disclaimer, from the About page
    assert "CC BY 4.0" in card and "Code MIT" not in card  # the code's licence is no use at the machine
    assert card.count("Not medical advice") == 1, "the footer says it once (not again in the licence line)"
    assert "Page 1 of" not in card  # no running foot on the card
    card_uris = {link.uri for link in pdf.links if link.page == 1}
    assert SITE_URL in card_uris
    # the five steps, in order, each whole, and nothing of them after page 1
    width = float(pdf.reader.pages[0].mediabox[2])
    squashed, rest = squash(column_text(page_words(pdf, 1), width)), squash("".join(pdf.page_texts[1:]))
    # (read column by column: pdftotext's own order across two columns is a
    # guess; the reading order is checked in the structure tree)
    missing = [step["name"] for step in HOWTO["steps"] if squash(step["name"] + ". " + step["text"]) not in squashed]
    assert len(HOWTO["steps"]) == 5 and not missing, f"steps not whole on page 1: {missing}"
    for step in HOWTO["steps"]:
        assert squash(step["text"]) not in rest, f"step {step['name']!r} is printed twice"
    assert squash("2–3 × 10–15") in squashed  # the dose strip: sets × repetitions


def test_card_holds_the_figure_steps_reps_and_warning_where_they_are(pdf: Pdf, guide_site: Path) -> None:
    """Positions, from the PDF: the figure, the steps, the reps and the
    stop-at-parallel warning with its citation number lie inside page 1."""
    width, height = (float(v) for v in pdf.reader.pages[0].mediabox[2:])
    words = page_words(pdf, 1)
    figure = figure_boxes(pdf)
    assert [page for page, _, _ in figure].count(1) >= 1, f"no figure on page 1: {figure}"
    _, (fx0, fy0, fx1, fy1), _alt = next(box for box in figure if box[0] == 1 and "Side view" in box[2])
    assert 0 <= fx0 < fx1 <= width and 0 <= fy0 < fy1 <= height, f"figure box {fx0, fy0, fx1, fy1} off the page"
    assert (fx1 - fx0) >= 90 / 25.4 * 72, "the card's figure is narrower than 90 mm"
    title_word = find_words(words, "No higher")  # a label of the figure itself
    assert title_word and fy0 <= title_word[1] <= fy1, "the figure's own title is not inside its box"
    for step in HOWTO["steps"]:
        assert find_words(words, step["name"] + "."), f"step {step['name']!r} is not on page 1"
    assert find_words(words, "2–3 × 10–15"), "the sets and repetitions are not on page 1"
    warning = find_words(words, "Stop at parallel")
    assert warning, "the stop-at-parallel warning is not on page 1"
    exercise = next(page for page in web_pages(guide_site) if page.src == "exercise.md")
    boxes = [
        box
        for box in exercise.article.select(".admonition")
        if box.select_one(".admonition-title").get_text(strip=True) == "Stop at parallel"
    ]
    assert len(boxes) == 1, "the web page has one stop-at-parallel warning"
    # the same citations as on the web page (none, while no cited source supports the limit)
    web_numbers = {a.get_text(strip=True) for a in boxes[0].select("sup.citation a")}
    cited = [link for link in pdf.links if link.page == 1 and (link.dest or "").startswith("ref-")]
    printed = {pdf.text_in(link) for link in cited}
    assert printed == web_numbers, f"the warning on the card cites {printed}, on the web page {web_numbers}"
    for link in cited:
        y_top = height - max(link.rect[1], link.rect[3])
        assert warning[1] <= y_top <= height, "a citation number on the card is not in the warning"
    for x0, y0, x1, y1, text in words:
        assert x0 > 0 and x1 < width and y0 > 0 and y1 < height, f"{text!r} is cut off page 1"
    # readable from the machine: the steps are set at 14 pt or more
    sizes = step_font_sizes(pdf)
    assert sizes and min(sizes) >= 14, f"steps set at {sorted(set(sizes))} pt"


def test_qr_code_decodes_to_the_site_url(pdf: Pdf, tmp_path: Path) -> None:
    png = tmp_path / "cover"
    tool("pdftoppm", "-f", "1", "-l", "1", "-r", "150", "-gray", "-png", "-singlefile", str(pdf.path), str(png))
    decoded = tool("zbarimg", "--quiet", "--raw", f"{png}.png").strip()
    assert decoded == SITE_URL, f"the QR code says {decoded!r}"


def test_text_has_every_page_title_the_version_and_the_url(pdf: Pdf, guide_site: Path) -> None:
    text = " ".join(pdf.text.split())
    for title in chapter_titles(guide_site):
        assert title in text, title
    assert f"version {VERSION}" in text
    assert SITE_URL.split("://", 1)[1].rstrip("/") in text
    for _, entry, _ in printed_entries(guide_site).values():
        assert squash(entry.split(". ")[0]) in squash(pdf.text), entry


def test_bookmarks_are_the_card_and_the_chapters_in_nav_order(pdf: Pdf, guide_site: Path) -> None:
    outline = pdf.outline()
    top = [(title, page) for level, title, page in outline if level == 1]
    assert [title for title, _ in top] == [HOWTO["name"], *chapter_titles(guide_site)]
    pages = [page for _, page in top]
    assert pages == sorted(pages) and pages[0] == 1
    for _level, title, page in outline:
        shown = " ".join(pdf.page_texts[page - 1].split()).lower()  # the card sets some titles in capitals
        assert title.lower() in shown, f"bookmark {title!r} -> page {page}"
    assert "Contents" not in pdf.page_texts[1], "a contents page for four pages"


def test_running_head_names_the_content_of_each_page(pdf: Pdf) -> None:
    """The head names the first heading that starts on the page, "Chapter ·
    Section" or the chapter alone; on a page that starts none, the section in
    force (the last heading before it)."""
    total = len(pdf.reader.pages)
    headings = [(page, level, title) for page, _, level, title in heading_positions(pdf) if level <= 2]
    assert len(headings) >= 10
    for number in range(2, total + 1):
        lines = [line.strip() for line in pdf.page_texts[number - 1].splitlines() if line.strip()]
        footer = f"Page {number} of {total} · version {VERSION}"
        assert footer in lines, f"page {number} has no footer {footer!r}"
        head, _ = running_head_and_first_line(pdf, number)
        chapter = section = None
        for page, level, title in headings:
            if page > number:
                break
            if level == 1:
                chapter, section = title, None
            else:
                section = title
            if page == number:
                break  # the first heading on this page names it
        expected = f"{chapter} · {section}" if section else chapter
        assert head == expected, f"page {number}: running head {head!r}, expected {expected!r}"


def test_chapters_flow_and_headings_are_not_numbered(pdf: Pdf) -> None:
    """Short pages share paper, and no heading gets a number a reader could
    take for a citation number: each heading is a line of its own, as titled."""
    outline = pdf.outline()
    mid_page = []
    for level, title, page in outline:
        lines = [line.strip() for line in pdf.page_texts[page - 1].splitlines() if line.strip()]
        at = [index for index, line in enumerate(lines) if line == title]  # the header may be one too
        if level == 1 and at and max(at) > 2:  # below the running header and other text
            mid_page.append(title)
    assert mid_page, f"every chapter starts on a new page: {outline}"
    for _level, title, page in outline:
        assert not re.match(r"\d", title), title
        lines = [line.strip() for line in pdf.page_texts[page - 1].splitlines() if line.strip()]
        pairs = [" ".join(lines[i : i + 2]) for i in range(len(lines) - 1)]  # a title set on two lines
        run_in = page == 1 and any(line.startswith(title + " ") for line in lines)  # the card's safety box
        assert title in lines or title in pairs or run_in, f"p. {page}: no line is exactly the heading {title!r}"


def test_one_reference_list_at_the_end(pdf: Pdf, guide_site: Path) -> None:
    outline = [(title, page) for level, title, page in pdf.outline() if level == 1]
    assert outline[-1][0] == "References"
    first_page = outline[-1][1]
    body, references = (
        squash("".join(pdf.page_texts[: first_page - 1])),
        squash("".join(pdf.page_texts[first_page - 1 :])),
    )
    printed = printed_entries(guide_site)
    left = sorted(set(bibliography(guide_site)) - set(printed))
    assert left, "the site cites sources in parts that stay on the web (Home, the back-pain study)"
    for number in left:  # not printed, and said so after the list, by number
        entry = bibliography(guide_site)[number][1]
        assert squash(entry.rstrip("/")[-30:]) not in squash(pdf.text), (
            f"{number} is printed but cited nowhere in print"
        )
    names = ", ".join(str(n) for n in left[:-1]) + (" and " if len(left) > 1 else "") + str(left[-1])
    assert squash(f"{names} {'are' if len(left) > 1 else 'is'} cited in the online guide only") in references
    for _, entry, _ in printed.values():
        # an entry's end (its DOI, PMID or URL): its authors may be named in the text too,
        # as the American College of Sports Medicine is
        tail = squash(entry.rstrip("/")[-30:])  # an address prints without its last slash
        assert tail not in body, f"a per-page reference list survived: {entry[:40]}"
        assert squash(pdf.text).count(tail) == 1, entry
        assert squash(entry.split(". ")[0]) in references


def test_citation_numbers_and_keys_match_the_web_pages(pdf: Pdf, guide_site: Path) -> None:
    entries = bibliography(guide_site)
    key_of = {number: key for number, (key, _, _) in entries.items()}
    web = web_markers(guide_site)
    number_to_key: dict[int, str] = {}
    for src, number, key in web:
        assert number_to_key.setdefault(number, key) == key, f"{src}: {number} stands for two keys"
        assert key_of[number] == key, f"{src}: web marker {number} is {key}, References say {key_of[number]}"

    printed = []
    references_start, references_top = next(
        (page, top) for page, top, _, title in heading_positions(pdf) if title == "References"
    )
    for link in pdf.links:
        if not (link.dest or "").startswith("ref-"):
            continue
        height = float(pdf.reader.pages[link.page - 1].mediabox.height)
        top = height - max(link.rect[1], link.rect[3])
        assert (link.page, top) < (references_start, references_top), (
            f"citation link on p. {link.page}, in the References"
        )
        shown = re.match(r"\D*(\d+)", pdf.text_in(link))
        assert shown, f"p. {link.page}: no number under the citation link to {link.dest}"
        number = int(shown.group(1))
        assert link.dest == f"ref-references-{number}", f"p. {link.page}: {number} links to {link.dest}"
        assert number_to_key[number] == key_of[number]
        assert pdf.dests[link.dest] >= references_start
        printed.append(number)
    # every marker of what prints, and no other (the site's numbers, left out with their text)
    expected = Counter(number for _, number, _ in web_markers(guide_site, printed=True))
    assert Counter(printed) == expected, "citation numbers lost or added"

    # the printed list: "N. <entry>" with the entry the web page gives number N
    references = " ".join(" ".join(pdf.page_texts[references_start - 1 :]).split())
    for number, (_, entry, _) in printed_entries(guide_site).items():
        first_words = " ".join(entry.split()[:3])
        assert re.search(rf"\b{number}\. {re.escape(first_words)}", references), f"{number}. {first_words}"
    assert set(printed) <= set(entries)


def test_dois_and_urls_are_printed_in_full_and_clickable(pdf: Pdf, guide_site: Path) -> None:
    text = squash(pdf.text)
    uris = {link.uri for link in pdf.links if link.uri}
    urls = [url for _, _, entry_urls in printed_entries(guide_site).values() for url in entry_urls]
    assert any(url.startswith("https://doi.org/") for url in urls)
    for url in urls:
        assert url in uris, f"{url} is not a link"
        if "pubmed" in url or "/pmc/" in url or "pmc.ncbi" in url:
            assert squash(url) not in text, f"{url} is printed: the PMID or PMCID says it all"
        elif url.startswith("https://doi.org/"):  # as on the site: doi:10.…
            assert squash("doi:" + url[len("https://doi.org/") :]) in text, f"{url} is not printed as doi:…"
        else:  # an address to type: no scheme (each piece: two columns interleave in pdftotext)
            assert "https://" + squash(url.split("://", 1)[1]) not in text
            for piece in re.sub(r"^https?://", "", url).rstrip("/").split("/"):
                assert squash(piece) in text, f"{url} is not printed ({piece!r} missing)"
    for _, entry, _ in printed_entries(guide_site).values():
        for identifier in re.findall(r"PMC?ID: \w+", entry):
            assert squash(identifier) in text, f"{identifier} is not printed"


def test_internal_links_resolve_and_no_uri_is_relative(pdf: Pdf) -> None:
    internal = [link for link in pdf.links if link.dest]
    assert len(internal) > 20  # citation numbers, back-links, cross-references
    for link in internal:
        assert link.dest != "<explicit>" and link.dest in pdf.dests, f"p. {link.page}: link to missing {link.dest}"
    for link in pdf.links:
        if link.uri is not None:
            parts = urlsplit(link.uri)
            assert parts.scheme in ("http", "https", "mailto") and (parts.netloc or parts.scheme == "mailto"), (
                f"p. {link.page}: relative or odd URI {link.uri!r}"
            )
        else:
            assert link.dest, f"p. {link.page}: a link that goes nowhere"
    assert not any("handout" in (link.uri or "") for link in pdf.links)


def test_cited_on_page_numbers_point_at_the_citations(pdf: Pdf) -> None:
    references_start = next(page for level, title, page in pdf.outline() if title == "References")
    backrefs = [(link, link.dest) for link in pdf.links if link.dest and link.dest.startswith("cite-")]
    assert len(backrefs) >= 6
    for link, dest in backrefs:
        assert link.page >= references_start
        assert pdf.text_in(link).strip(" ,") == str(pdf.dests[dest]), f"{dest} is on p. {pdf.dests[dest]}"


def test_all_fonts_are_embedded(pdf: Pdf) -> None:
    rows = tool("pdffonts", str(pdf.path)).splitlines()[2:]
    assert rows, "no fonts at all"
    for row in rows:
        columns = row.split()
        emb = columns[-5]
        assert emb == "yes", f"not embedded: {row}"


def test_figures_are_vector_with_their_captions(pdf: Pdf, guide_site: Path) -> None:
    images = tool("pdfimages", "-list", str(pdf.path)).splitlines()[2:]
    assert images == [], f"raster images in the handout: {images}"
    text = squash(pdf.text)
    captions = [fig.select_one("figcaption").get_text(" ", strip=True) for fig in printed_figures(guide_site)]
    assert len(captions) == 2  # the exercise (Home shows the same drawing) and the muscles; tables have their own
    for caption in captions:
        assert squash(caption) in text
    # the figures' own labels are text (vector), not pixels; the muscles' print
    # variant has no subtitle (it said what the caption says)
    for label in ("Erector spinae", "Gluteus maximus", "Semimembranosus", "Hamstrings"):
        assert squash(label) in text, label
    assert "Rearview:lowerback,hipsandthighs" not in text
    assert "Nohigher" in text and "Finish" in text  # the machine figure's labels


def test_admonitions_are_whole_and_nothing_leaves_the_text_block(pdf: Pdf, guide_site: Path) -> None:
    # without the page numbers that print adds after cross-references
    pages = [squash(re.sub(r"\s\(p\.\s\d+\)", "", text)) for text in pdf.page_texts]
    boxes = [box for page in web_pages(guide_site, printed=True) for box in page.article.select(".admonition")]
    assert boxes
    for box in boxes:
        title = box.select_one(".admonition-title").get_text(" ", strip=True)
        parts = [squash(p.get_text(" ", strip=True)) for p in box.find_all(["p", "li"]) if p.find("p") is None][1:]
        holding = [
            n
            for n, text in enumerate(pages, start=1)
            if squash(title).lower() in text.lower() and all(part in text for part in parts)
        ]
        assert holding, f"the box {title!r} is split or missing"
    # tables: every cell is printed
    text = squash(pdf.text)
    for page in web_pages(guide_site, printed=True):
        for cell in page.article.select("td, th"):
            for sup in cell.select("sup"):
                sup.decompose()
            words = cell.get_text(" ", strip=True).split()
            for word in words:
                assert squash(word) in text, f"{page.src}: table word {word!r} missing"
    # every word lies within the page's text block (15 mm margins; the card 12 mm)
    bbox = tool("pdftotext", "-bbox", str(pdf.path), "-")
    for number, (width, body) in enumerate(
        re.findall(r'<page width="([\d.]+)"[^>]*>(.*?)</page>', bbox, re.S), start=1
    ):
        margin = (12 if number == 1 else 15) / 25.4 * 72 - 1.5
        for x0, x1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', body
        ):
            assert float(x0) >= margin and float(x1) <= float(width) - margin, (
                f"p. {number}: {word!r} runs into the margin ({x0}-{x1} of {width})"
            )


def metadata(pdf: Pdf) -> dict[str, str]:
    info = pdf.reader.metadata
    assert info is not None, f"{pdf.path} has no document information"
    return {str(key): str(value) for key, value in info.items()}


def test_metadata_dates_come_from_source_date_epoch(pdf: Pdf) -> None:
    info = metadata(pdf)
    assert info.get("/CreationDate") == PDF_DATE and info.get("/ModDate") == PDF_DATE
    assert info.get("/Title", "").startswith(HOWTO["name"])


def test_same_source_date_epoch_gives_the_same_pdf(handout: Handout, a4: Pdf, tmp_path: Path) -> None:
    again = run_pdf(handout.site, "--paper", "a4", "-o", str(tmp_path))
    assert again.returncode == 0, again.report()
    second = Pdf(tmp_path / "handout.pdf")
    assert second.text == a4.text, again.report()
    for key in ("/CreationDate", "/ModDate"):
        assert metadata(second)[key] == metadata(a4)[key] == PDF_DATE
    assert second.path.read_bytes() == a4.path.read_bytes(), "same sources, same date, different bytes"


def test_a_missing_system_library_is_an_install_hint(handout: Handout, tmp_path: Path) -> None:
    """No Pango: exit 2 with the Debian package names, not a traceback."""
    (tmp_path / "sitecustomize.py").write_text(
        "import ctypes\n"
        "_load = ctypes.CDLL.__init__\n"
        "def _no_pango(self, name, *args, **kwargs):\n"
        "    if name and 'pango' in str(name):\n"
        "        raise OSError(f'{name}: cannot open shared object file: No such file or directory')\n"
        "    _load(self, name, *args, **kwargs)\n"
        "ctypes.CDLL.__init__ = _no_pango\n",
        encoding="utf-8",
    )
    run = run_pdf(handout.site, "-o", str(tmp_path / "out"), pythonpath=str(tmp_path))
    assert run.returncode == 2, run.report()
    assert "Traceback" not in run.stderr, run.report()
    assert "Pango" in run.stderr and "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in run.stderr, run.report()
    assert not (tmp_path / "out").exists()


def test_the_builder_never_fetches_from_the_network(handout: Handout, tmp_path: Path) -> None:
    """Only the built site's files: a remote image stops the build, with its URL."""
    from pdf.render import PAPERS as RENDER_PAPERS
    from pdf.render import Renderer, RenderError

    renderer = Renderer(handout.site, SITE_URL, "0")
    page = '<p>Figure: <img src="images/posterior-muscles.svg" alt=""></p>'
    assert renderer.render(page, RENDER_PAPERS["a4"], tmp_path).pages == 1
    for url in ("https://example.org/figure.png", "http://127.0.0.1:9/x.css"):
        remote = f'<link rel="stylesheet" href="{url}"><p><img src="{url}" alt=""></p>'
        with pytest.raises(RenderError, match=re.escape(url)):
            renderer.render(remote, RENDER_PAPERS["a4"], tmp_path / "remote")
    assert not (tmp_path / "remote").exists()
    with pytest.raises(RenderError, match="missing file"):
        renderer.render('<img src="images/no-such-figure.svg" alt="">', RENDER_PAPERS["a4"], tmp_path / "missing")
    assert not (tmp_path / "missing").exists()


# -- layout: fill, headings, blocks that stay whole ----------------------------------------


def body_words(pdf: Pdf, number: int) -> list[Box]:
    """The words of a page between the running head and the running foot."""
    height = float(pdf.reader.pages[number - 1].mediabox.height)
    return [w for w in page_words(pdf, number) if w[3] > TOP_MARGIN and w[1] < height - BOTTOM_MARGIN]


def test_no_page_is_less_than_half_full_except_the_last(pdf: Pdf) -> None:
    total = len(pdf.reader.pages)
    for number in range(1, total):
        height = float(pdf.reader.pages[number - 1].mediabox.height)
        lowest = max(w[3] for w in body_words(pdf, number))
        filled = (lowest - TOP_MARGIN) / (height - TOP_MARGIN - BOTTOM_MARGIN)
        assert filled >= 0.5, f"page {number} of {total} is {filled:.0%} full"


def test_headings_never_end_a_page(pdf: Pdf) -> None:
    """Every heading has at least two lines of its section under it, on its page."""
    for page, top, _level, title in heading_positions(pdf):
        words = body_words(pdf, page)
        below = [w for w in words if w[3] > top]
        heading = find_words(below, title)
        assert heading, f"p. {page}: heading {title!r} not found under its bookmark"
        lines = {round(w[1]) for w in words if w[1] > heading[3]}
        assert len(lines) >= 2, f"p. {page}: the heading {title!r} ends the page"


def _cell_text(cell: Any) -> str:
    for sup in cell.select("sup"):
        sup.decompose()
    return squash(cell.get_text(" ", strip=True))


def test_tables_figures_and_steps_are_not_split(pdf: Pdf, guide_site: Path) -> None:
    pages = [squash(text) for text in pdf.page_texts]

    def page_of(text: str) -> int:
        found = [number for number, page in enumerate(pages, start=1) if text in page]
        assert found, f"not printed: {text[:60]}"
        return found[0]

    tables = [table for page in web_pages(guide_site, printed=True) for table in page.article.select("table")]
    assert len(tables) >= 1  # the hamstrings' attachments
    for table in tables:
        rows = table.select("tbody tr")
        # the first 16 letters of each row's longest cell: its first line, as printed
        first = max((_cell_text(td) for td in rows[0].select("td")), key=len)[:16]
        last = max((_cell_text(td) for td in rows[-1].select("td")), key=len)[:16]
        assert page_of(first) == page_of(last), f"a table is split across pages: {first[:40]} / {last[:40]}"
    # a figure and its caption: the figure's box and the caption on one page
    captions = {
        fig.select_one("img")["alt"]: squash(fig.select_one("figcaption").get_text(" ", strip=True))
        for fig in printed_figures(guide_site)
        if fig.select_one("figcaption") is not None
    }
    for page, _, alt in figure_boxes(pdf):
        if alt in captions:
            assert page_of(captions[alt]) == page, f"the caption of {alt[:40]!r} is not on its figure's page"
    # the steps: the heading and all five on page 1 (read column by column)
    card = squash(column_text(page_words(pdf, 1), float(pdf.reader.pages[0].mediabox[2])))
    for step in HOWTO["steps"]:
        assert squash(step["text"]) in card, f"step {step['name']!r} is not whole on page 1"
    assert "Howtodoit" in pages[0]


# -- accessibility: PDF/UA ----------------------------------------------------------------


def test_pdf_ua_identification_and_structure(pdf: Pdf, guide_site: Path) -> None:
    meta = tool("pdfinfo", "-meta", str(pdf.path))
    assert re.search(r'pdfuaid:part="1"|<pdfuaid:part>1</pdfuaid:part>', meta), meta
    assert '<rdf:li xml:lang="x-default">' + HOWTO["name"] in meta
    info = tool("pdfinfo", str(pdf.path))
    assert re.search(r"^Tagged:\s+yes$", info, re.M) and re.search(r"^PDF version:\s+1\.7$", info, re.M), info
    struct = tool("pdfinfo", "-struct", str(pdf.path))
    kinds = Counter(line.split()[0].rstrip(":") for line in struct.splitlines() if line.strip())
    for kind in ("H1", "H2", "P", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "Figure", "Caption", "Link"):
        assert kinds[kind] > 0, f"no {kind} in the structure tree:\n{struct[:2000]}"
    assert kinds["H1"] == len(chapter_titles(guide_site)) + 1  # the card and every chapter
    root: Any = pdf.reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    document = metadata(pdf)
    assert HOWTO["name"] in document["/Title"] and CONFIG["site_name"] in document["/Title"], document["/Title"]
    # the Subject says what the document is, not a slogan, with a typographic apostrophe
    assert document["/Subject"] == HOWTO["description"].replace("'", "\u2019"), document["/Subject"]
    assert "'" not in document["/Subject"] + document["/Title"]
    assert document["/Author"] == f"{CONFIG['site_name']} contributors", "no invented person"
    # every figure has its alternative text: the web page's alt, or the QR code's title
    alts = [alt for _, _, alt in figure_boxes(pdf)]
    web_alts = {fig.select_one("img")["alt"] for fig in printed_figures(guide_site)}
    assert len(alts) == len(web_alts) + 1, alts
    assert web_alts <= set(alts)
    assert any(alt.startswith("QR code") and SITE_URL in alt for alt in alts), alts
    assert all(alt.strip() for alt in alts)


# -- rendering: poppler and pdfium ---------------------------------------------------------


def render_both(pdf: Pdf, number: int, tmp_path: Path, dpi: int) -> dict[str, Any]:
    """Page ``number`` in greyscale, rasterised by poppler (pdftoppm) and by pdfium."""
    import pypdfium2
    from PIL import Image

    out = tmp_path / f"{pdf.path.stem}-{number}-{dpi}-poppler"
    tool("pdftoppm", "-r", str(dpi), "-f", str(number), "-l", str(number), "-gray", "-png", "-singlefile",
         str(pdf.path), str(out))  # fmt: skip
    poppler = Image.open(f"{out}.png").convert("L")
    document = pypdfium2.PdfDocument(str(pdf.path))
    try:
        pdfium = document[number - 1].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        document.close()
    size = (min(poppler.width, pdfium.width), min(poppler.height, pdfium.height))
    return {"poppler": poppler.crop((0, 0, *size)), "pdfium": pdfium.crop((0, 0, *size))}


def drawn_figures(pdf: Pdf) -> list[tuple[int, tuple[float, float, float, float], str]]:
    return [box for box in figure_boxes(pdf) if not box[2].startswith("QR code")]


#: Windows inside each hatched or filled area of the two figures, in the SVG's
#: user units: (x, y, half width, half height). The muscles are those of the
#: viewer's left side.
FILLS = {
    "Rear view": {
        "erector spinae": (326, 200, 8, 30),
        "gluteus maximus": (300, 440, 15, 15),
        "biceps femoris": (275, 600, 8, 8),
        "semitendinosus": (313, 600, 4, 30),
        "semimembranosus": (335, 600, 5, 30),
    },
    # the card's black-and-white machine figure (reverse-hyperextension-print.svg)
    "Side view": {"no-go zone": (518, 152, 6, 5), "machine base": (390, 524, 80, 3)},
}
#: Seams are one device pixel wide whatever the resolution, the hatching scales:
#: at 200 and 300 dpi they stand out from the fills' own light colour.
RENDER_DPIS = (200, 400)


def fill_samples(pdf: Pdf, tmp_path: Path, dpi: int) -> dict[tuple[str, str], dict[str, list[int]]]:
    """(figure, fill) -> engine -> the grey values of the fill's window."""
    samples: dict[tuple[str, str], dict[str, list[int]]] = {}
    for page, (x0, y0, x1, _), alt in drawn_figures(pdf):
        figure = next(name for name in FILLS if name in alt)
        images = render_both(pdf, page, tmp_path, dpi=dpi)
        scale = dpi / 72
        unit = (x1 - x0) / 800 * scale  # the figures are 800 units wide
        for fill, (u, v, half_width, half_height) in FILLS[figure].items():
            cx, cy, w, h = x0 * scale + u * unit, y0 * scale + v * unit, half_width * unit, half_height * unit
            box = (round(cx - w), round(cy - h), round(cx + w), round(cy + h))
            samples[(figure, fill)] = {name: list(image.crop(box).tobytes()) for name, image in images.items()}
    return samples


def test_figures_render_alike_in_poppler_and_pdfium_without_seams(pdf: Pdf, tmp_path: Path) -> None:
    """Tile seams are thin light lines across a hatched fill: white basket-weave
    in pdfium and a cross-hatch in poppler with the old rotated tiles. In both
    engines, at two resolutions, each fill has no pixel far lighter than its
    own light colour, and the two engines give it the same mean grey."""
    assert len(drawn_figures(pdf)) == 2  # the exercise on the card (Home's copy is not printed again), the muscles
    problems = []
    for dpi in RENDER_DPIS:
        for (figure, fill), engines in fill_samples(pdf, tmp_path, dpi).items():
            means = {}
            for engine, values in engines.items():
                ordered = sorted(values)
                light = ordered[int(len(ordered) * 0.9)]  # the fill's own light colour
                seams = sum(1 for value in values if value > light + 30) / len(values)
                if seams >= 0.002:
                    problems.append(f"{dpi} dpi, {engine}: {fill} ({figure}) has {seams:.1%} seam pixels")
                means[engine] = sum(values) / len(values)
            # hairlines (the semimembranosus grid) come out darker in pdfium where
            # they are under a pixel wide (300 dpi at a column's width): compare at 400
            if dpi >= 400 and abs(means["poppler"] - means["pdfium"]) >= 6:
                problems.append(
                    f"{dpi} dpi: {fill} ({figure}) is grey {means['poppler']:.0f} in poppler, "
                    f"{means['pdfium']:.0f} in pdfium: the engines draw its pattern differently"
                )
    assert not problems, "\n".join(problems)


def test_every_muscle_has_its_own_grey(pdf: Pdf, tmp_path: Path) -> None:
    """In greyscale, in both engines, the five muscles' fills differ by 15 or more grey levels."""
    samples = fill_samples(pdf, tmp_path, 150)
    for engine in ("poppler", "pdfium"):
        greys = {
            fill: sum(values[engine]) / len(values[engine])
            for (figure, fill), values in samples.items()
            if figure == "Rear view"
        }
        assert len(greys) == 5
        ordered = sorted(greys.items(), key=lambda item: item[1])
        for (dark, a), (light, b) in itertools.pairwise(ordered):
            assert b - a >= 15, f"{engine}: {dark} ({a:.0f}) and {light} ({b:.0f}) look alike in grey: {greys}"


def test_page_one_pictures_are_saved(pdf: Pdf) -> None:
    """PNGs of the card for people to look at (test-artifacts/, not committed)."""
    out = ROOT / "test-artifacts" / f"page1-{paper_of(pdf)}"
    tool("pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf.path), str(out))
    assert Path(f"{out}.png").stat().st_size > 10_000


# -- the date and the version -------------------------------------------------------------


def test_date_falls_back_to_the_last_commit_then_the_config_mtime(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from pdf.project import source_date

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    commit = int(tool("git", "-C", str(ROOT), "log", "-1", "--format=%ct").strip())
    date, source = source_date(ROOT, ROOT / "mkdocs.yml")
    assert (int(date.timestamp()), source) == (commit, "last commit")

    config = tmp_path / "mkdocs.yml"  # not a git work tree
    config.write_text("site_name: x\n")
    os.utime(config, (1234567890, 1234567890))
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    date, source = source_date(tmp_path, config)
    assert int(date.timestamp()) == 1234567890 and "mkdocs.yml" in source

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    date, source = source_date(tmp_path, config)
    assert (date.isoformat(), source) == ("1970-01-02T00:00:00+00:00", "SOURCE_DATE_EPOCH")


def test_a_git_tag_on_the_commit_wins_over_extra_version(tmp_path: Path) -> None:
    from pdf.project import project_version

    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True, env=env)

    git("init", "-q")
    (tmp_path / "f").write_text("1")
    git("add", "f")
    git("commit", "-q", "-m", "one")
    assert project_version(tmp_path, "1.0.0") == ("1.0.0", "extra.version")
    git("tag", "v2.1.0")
    assert project_version(tmp_path, "1.0.0") == ("2.1.0", "git tag")
    (tmp_path / "f").write_text("2")
    git("commit", "-q", "-am", "two")  # past the tag: the configured version again
    assert project_version(tmp_path, "1.0.0") == ("1.0.0", "extra.version")


# -- issue 27: sizes, measure, cross-references, wording, pictures --------------------------


def text_sizes(pdf: Pdf, number: int) -> list[tuple[str, float]]:
    """Every piece of text on a page with its size in points (pypdf: font size × text and user matrices)."""
    found: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            scale = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
            found.append((" ".join(text.split()), round(size * scale, 2)))

    pdf.reader.pages[number - 1].extract_text(visitor_text=visit)
    return found


def size_of(pieces: list[tuple[str, float]], phrase: str) -> float:
    sizes = [size for text, size in pieces if squash(text) == squash(phrase)]
    sizes = sizes or [size for text, size in pieces if squash(phrase).lower() in squash(text).lower()]
    assert sizes, f"{phrase!r} not found among {[text for text, _ in pieces][:40]}"
    return min(sizes)


def test_card_sizes_read_back_from_the_pdf(pdf: Pdf) -> None:
    """Page 1 from a metre away: steps >= 14 pt, the key numbers and the rule
    18-24 pt, the dose labels and safety text >= 10 pt, the footer >= 8 pt."""
    pieces = text_sizes(pdf, 1)
    measured = {
        "rule": size_of(pieces, "parallel"),  # the title's second line ("Stop at / parallel")
        "sets × reps": size_of(pieces, "2–3 × 10–15"),
        "rest": size_of(pieces, "1–2 min"),
        "safety": size_of(pieces, "Stop the exercise if you feel pain"),
        "footer": size_of(pieces, "general information"),
        "steps": min(step_font_sizes(pdf)),
    }
    print(f"{paper_of(pdf)} card sizes (pt): {measured}")
    assert measured["steps"] >= 14
    for key in ("rule", "sets × reps", "rest"):
        assert 18 <= measured[key] <= 24, f"{key}: {measured[key]} pt"
    assert measured["safety"] >= 10
    assert measured["footer"] >= 8


def test_card_figure_labels_are_10_pt_or_more(pdf: Pdf) -> None:
    """The machine figure's own labels (text in the SVG) and its step badges, read back in points."""
    # pypdf gives the SVG's own font size (in its 800-unit viewBox: WeasyPrint draws
    # the figure as a form whose matrix the visitor does not see); the figure's
    # box on the page gives the scale
    _, (x0, _, x1, _), _ = next(box for box in figure_boxes(pdf) if box[0] == 1 and "Side view" in box[2])
    scale = (x1 - x0) / 800
    pieces = text_sizes(pdf, 1)
    labels = {
        text: round(size * scale, 1)
        for text, size in pieces
        if text in ("Start", "Finish", "No higher", "1", "2", "3", "4", "5")
    }
    # a cross-check from the words' boxes (poppler): ascent to descent, a little over the size
    words = {w[4]: (w[3] - w[1]) for w in page_words(pdf, 1) if w[4] in ("Start", "Finish")}
    assert words and all(height >= 10 for height in words.values()), words
    print(f"{paper_of(pdf)} figure labels (pt): {labels}")
    assert {"Start", "Finish", "No higher"} <= set(labels), labels
    assert min(labels.values()) >= 10, labels


def test_muscle_figure_labels_are_8_pt_or_more(pdf: Pdf) -> None:
    """The muscles' figure prints its print variant (posterior-muscles-print.svg), whose
    labels, read back in points at the figure's printed width, are 8 pt or more."""
    page, (x0, _, x1, _), _ = next(box for box in figure_boxes(pdf) if "Rear view" in box[2])
    assert page > 1
    scale = (x1 - x0) / 800  # the drawing is 800 units wide (see the card's labels)
    names = ("Erector spinae", "Gluteus", "maximus", "Biceps femoris", "(long head)", "Semitendinosus",
             "Semimembranosus", "Hamstrings")  # fmt: skip
    labels = {text.strip(): round(size * scale, 1) for text, size in text_sizes(pdf, page) if text.strip() in names}
    assert set(labels) == set(names), labels
    # pypdf gives the first label of a text group its true size (Erector spinae, and
    # Hamstrings, set apart); for the others it misses the group's matrix. Poppler's
    # word boxes (ascent to descent) show that every label has one and the same size.
    true = {name: labels[name] for name in ("Erector spinae", "Hamstrings")}
    (left, top, right, bottom) = next(box for box in figure_boxes(pdf) if "Rear view" in box[2])[1]
    heights = {
        w[4]: round(min(w[3] - w[1], w[2] - w[0]), 2)  # Hamstrings is set on its side
        for w in page_words(pdf, page)
        if left <= w[0] <= right and top <= w[1] <= bottom and w[4] in " ".join(names).split()
    }
    print(f"{paper_of(pdf)} muscle figure labels: {true} pt; word boxes {heights}")
    assert min(true.values()) >= 8, true
    assert len(heights) >= 8 and max(heights.values()) - min(heights.values()) < 0.1, heights


def first_heading_of_each_page(pdf: Pdf) -> list[str]:
    """The first heading (bookmark) that starts on each page, or "" for a page that starts none."""
    firsts = [""] * len(pdf.reader.pages)
    for page, _, _, title in sorted(heading_positions(pdf), key=lambda h: (h[0], h[1])):
        firsts[page - 1] = firsts[page - 1] or title
    return firsts


def test_a4_and_letter_break_alike(handout: Handout) -> None:
    """The same number of pages, each starting the same heading: the two sizes are one handout."""
    a4, letter = (_PDFS.setdefault(handout.files[name], Pdf(handout.files[name])) for name in ("a4", "letter"))
    assert len(a4.reader.pages) == len(letter.reader.pages) <= MAX_PAGES
    assert first_heading_of_each_page(a4) == first_heading_of_each_page(letter)
    heads = [running_head_and_first_line(pdf, n)[0] for pdf in (a4, letter) for n in range(2, len(a4.reader.pages) + 1)]
    half = len(heads) // 2
    assert heads[:half] == heads[half:], heads


def body_lines(pdf: Pdf, number: int) -> list[tuple[float, float, str]]:
    """(x of the line's start, top, text) of each line of running text on a page, column by column."""
    width = float(pdf.reader.pages[number - 1].mediabox.width)
    lines: dict[tuple[int, int], list[Box]] = {}
    for word in body_words(pdf, number):
        column = 0 if word[0] < width / 2 else 1
        lines.setdefault((column, round(word[1])), []).append(word)
    return [
        (min(w[0] for w in words), min(w[1] for w in words), " ".join(w[4] for w in sorted(words)))
        for words in lines.values()
    ]


def test_pages_after_the_card_have_a_readable_measure(pdf: Pdf, guide_site: Path) -> None:
    """Body text 10.5-11 pt at 75 characters a line or fewer; tables 9 pt or more."""
    longest = 0
    for number in range(2, len(pdf.reader.pages) + 1):
        for _, _, line in body_lines(pdf, number):
            longest = max(longest, len(line))
            assert len(line) <= 75, f"p. {number}: {len(line)} characters: {line!r}"
    print(f"{paper_of(pdf)}: longest line {longest} characters")
    # the running text of each chapter (the About page is small print, the References 9 pt)
    for phrase in body_phrases(guide_site):
        where = [n for n in range(2, len(pdf.reader.pages) + 1) if squash(phrase) in squash(pdf.page_texts[n - 1])]
        assert where, f"{phrase!r} is not printed"
        size = size_of(text_sizes(pdf, where[0]), phrase)
        assert 10.5 <= size <= 11, f"p. {where[0]}: {phrase!r} at {size} pt"


def body_phrases(site: Path) -> list[str]:
    """The first words of each page's first paragraph of running text (not About, not References)."""
    found = []
    for page in web_pages(site, printed=True):
        if page.src == "references.md":
            continue
        for p in page.article.find_all("p", recursive=False):
            words = p.get_text(" ", strip=True).split()
            if len(words) >= 12:
                found.append(" ".join(words[:5]))
                break
    assert len(found) >= 2, found  # the muscles and the exercise
    return found


def test_tables_and_locators_are_big_enough(pdf: Pdf) -> None:
    for number in range(2, len(pdf.reader.pages) + 1):
        pieces = text_sizes(pdf, number)
        for text, size in pieces:
            if re.fullmatch(r"\d+(\(pp?\d+[–-]?\d*\))?|\(pp?\d+[–-]\d+\)|pp?\d+[–-]\d+", squash(text)):
                assert size >= 7, f"p. {number}: citation {text!r} at {size} pt"
        for cell in ("Ischial tuberosity", "Iliocostalis"):
            found = [size for text, size in pieces if cell in text]
            for size in found:
                assert size >= 9, f"p. {number}: table text {cell!r} at {size} pt"


def words_after(pdf: Pdf, link: Link, count: int = 4) -> str:
    """The words just after a link's rectangle in reading order ("(p. 4)" may wrap onto the next line)."""
    height = float(pdf.reader.pages[link.page - 1].mediabox.height)
    x0, y0, x1, y1 = link.rect
    top, bottom = height - max(y0, y1), height - min(y0, y1)
    words = page_words(pdf, link.page)
    inside = [i for i, w in enumerate(words) if w[0] >= min(x0, x1) - 1 and w[2] <= max(x0, x1) + 1
              and w[1] >= top - 1 and w[3] <= bottom + 1]  # fmt: skip
    if not inside:
        return ""
    return " ".join(w[4] for w in words[max(inside) + 1 : max(inside) + 1 + count])


def test_cross_references_name_the_page_their_target_landed_on(pdf: Pdf) -> None:
    """Every internal link that is not a citation: "(p. N)" after it is the
    page of its target, never its own page; without "(p. N)", the target is on
    the link's page."""
    checked = 0
    for link in pdf.links:
        if link.dest is None or link.dest.startswith(("ref-", "cite-")) or link.dest == "<explicit>":
            continue
        if abs(link.rect[2] - link.rect[0]) < 1:
            continue  # an empty piece of a link broken across lines
        target = pdf.dests.get(link.dest)
        assert target is not None, f"p. {link.page}: link to {link.dest}, which is nowhere"
        shown = pdf.text_in(link) + " " + words_after(pdf, link)
        match = re.match(r"[^(]*\(p\.\s*(\d+)\)", shown)
        if match:
            assert int(match.group(1)) == target, f"p. {link.page}: {shown!r} goes to p. {target}"
            assert target != link.page, f"p. {link.page}: {shown!r} names its own page"
        else:
            assert target == link.page, f"p. {link.page}: {shown!r} goes to p. {target} and does not say so"
        checked += 1
    assert checked >= 5, checked


def test_print_wording_has_no_web_or_developer_leftovers(pdf: Pdf) -> None:
    text = " ".join(pdf.text.split())
    for phrase in ("read it here or print", "references.bib", "https://", "http://", "last updated"):
        assert phrase.lower() not in text.lower(), f"{phrase!r} is printed"
    assert text.count("Corrections: ") <= 1
    assert "'" not in text.replace("’", ""), "a straight apostrophe"
    assert '"' not in text, "straight quotes"


def test_no_word_alone_on_a_paragraph_s_last_line(pdf: Pdf) -> None:
    """A line of one short word under a full line in the same column is a runt."""
    for number in range(2, len(pdf.reader.pages) + 1):
        lines = sorted(body_lines(pdf, number), key=lambda line: (line[0] > 300, line[1]))
        for (x0, top0, above), (x1, top1, line) in itertools.pairwise(lines):
            if len(line.split()) == 1 and 0 < top1 - top0 < 16 and abs(x1 - x0) < 2 and len(above) > 35:
                # a paragraph's last line ends a sentence
                assert not re.fullmatch(r"[a-z][\w’]*[.!?:;)]", line), f"p. {number}: {line!r} alone under {above!r}"


def test_pictures_of_every_page_are_saved(pdf: Pdf) -> None:
    """PNGs for people to look at: every page at 100 dpi, page 1 at half size (test-artifacts/)."""
    out = ROOT / "test-artifacts" / "pages"
    out.mkdir(parents=True, exist_ok=True)
    name = paper_of(pdf)
    for old in out.glob(f"{name}-*.png"):
        old.unlink()
    tool("pdftoppm", "-r", "100", "-png", str(pdf.path), str(out / f"{name}"))
    tool(
        "pdftoppm",
        "-r",
        "36",
        "-f",
        "1",
        "-l",
        "1",
        "-png",
        "-singlefile",
        str(pdf.path),
        str(out / f"{name}-card-half"),
    )
    pngs = sorted(out.glob(f"{name}-*.png"))
    assert len(pngs) == len(pdf.reader.pages) + 1, pngs


def test_structure_tree_is_complete_for_pdf_ua(pdf: Pdf) -> None:
    """What veraPDF's PDF/UA-1 rules look at and WeasyPrint leaves out (pdf/tagging.py):
    an /IDTree for the header cells' IDs, a /Scope on every header cell, no
    NonStruct, no link inside a link, and every heading in the bookmarks."""
    elements = structure_elements(pdf)
    kinds = Counter(str(element["/S"]) for element in elements)
    assert kinds["/NonStruct"] == 0, kinds
    root: Any = pdf.reader.trailer["/Root"]
    root = root["/StructTreeRoot"]
    names = root["/IDTree"]["/Names"]
    tree_ids = {str(names[i]): names[i + 1].get_object() for i in range(0, len(names), 2)}
    headers = [element for element in elements if element["/S"] == "/TH"]
    assert headers
    for header in headers:
        assert str(header["/ID"]) in tree_ids, f"{header['/ID']} is not in the IDTree"
        assert header["/A"]["/Scope"] in ("/Column", "/Row", "/Both"), header["/A"]
    for element in elements:
        if element["/S"] == "/TD" and "/A" in element and "/Headers" in element["/A"]:
            for name in element["/A"]["/Headers"]:
                assert str(name) in tree_ids, f"a data cell names {name}, which no header has"

    def nested(node: Any, inside: bool) -> int:
        node = node.get_object()
        count = 0
        for kid in node.get("/K") if isinstance(node.get("/K"), list) else [node.get("/K")]:
            if kid is None or isinstance(kid, int):
                continue
            kid = kid.get_object()
            if isinstance(kid, dict) and "/S" in kid:
                is_link = kid["/S"] == "/Link"
                count += int(is_link and inside) + nested(kid, inside or is_link)
        return count

    assert nested(root, False) == 0, "a link inside a link"
    headings = sum(kinds[f"/H{level}"] for level in range(1, 7))
    assert len(pdf.outline()) == headings, f"{len(pdf.outline())} bookmarks for {headings} headings: {kinds}"


VERAPDF = ROOT / ".cache" / "verapdf"


def test_verapdf_finds_the_handout_pdf_ua_1_compliant(pdf: Pdf) -> None:
    """veraPDF's PDF/UA-1 profile (``make verapdf`` installs it from Maven Central)."""
    jars = sorted(VERAPDF.glob("*.jar"))
    if not jars or shutil.which("java") is None:
        pytest.skip(f"veraPDF is not installed in {VERAPDF} (make verapdf; needs Maven Central and Java 17)")
    classpath = os.pathsep.join(str(jar) for jar in jars)
    proc = subprocess.run(
        ["java", "-cp", classpath, "org.verapdf.apps.GreenfieldCliWrapper", "--flavour", "ua1", "--format", "text",
         str(pdf.path)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.stdout.startswith("PASS"), f"veraPDF:\n{proc.stdout}\n{proc.stderr}"
