"""Invariants of a built site's citations, checked from its HTML alone.

``verify_site(site_dir)`` reads every ``*.html`` file the build wrote (no
MkDocs, no .bib: only what a reader gets) and returns a list of problems,
each ``page: what is wrong``. An empty list means:

* every marker (``<sup|span class="citation" data-keys=...>``) links each of
  its numbers to a reference-list entry that exists (on its page, or on the
  page it points to), whose ``data-key`` is one of the marker's keys and whose
  number is the number shown; a marker's visible numbers are exactly the
  compressed numbers of its keys ("1–3,5"); no marker is broken ("?");
* every entry of a page's own list is cited on that page, and every key cited
  on a page is in its list (unless the page links to a full bibliography);
* every back-link (``a.citation-backref``) leads to a marker citing that key,
  and each entry has exactly one back-link per marker that cites it;
* with ``numbering="site"``: a key has one number on every page, in the full
  bibliography and in any combined print document; the full bibliography
  numbers 1..N without gaps and lists every key cited anywhere; with
  ``order`` (pages in reading order), numbers follow first appearance;
* with ``numbering="page"``: each page numbers 1..n in first-appearance order;
* ids are unique on every page, and in a combined print document (the PDF
  handout's HTML: ``<main class="chapters">`` with ``<section class="chapter">``).

Command line: ``python -m tools.verify_html SITE_DIR [--numbering page]
[--order URL ...] [--print-html FILE ...]``; exit status 1 when a problem is
found.
"""

from __future__ import annotations

import argparse
import posixpath
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from macros.pages.numbering import compress_text

VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "keygen",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
# Elements an end tag of which closes an open <p> / <li> implicitly.
_IMPLIED_END = {"p", "li", "dt", "dd", "option", "tr", "td", "th"}


class Node:
    """A light element tree: enough to walk, read attributes and text."""

    __slots__ = ("attrs", "children", "line", "parent", "tag")

    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None, line: int) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[Node | str] = []
        self.parent = parent
        self.line = line

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def iter(self) -> Iterator[Node]:
        """This node and every element below it, in document order."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed([c for c in node.children if isinstance(c, Node)]))

    def text(self, skip: str | None = None) -> str:
        """The text below this node; ``skip``: leave out elements of that class (a marker's pinpoints)."""
        out: list[str] = []
        stack: list[Node | str] = [self]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                out.append(item)
            elif skip is None or item is self or skip not in item.classes:
                stack.extend(reversed(item.children))
        return "".join(out)

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None, 1)
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        parent = self.stack[-1]
        if tag in ("p", "li") and parent.tag == tag:  # <p>a<p>b: the first one ends
            self.stack.pop()
            parent = self.stack[-1]
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, parent, self.getpos()[0])
        parent.children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        parent = self.stack[-1]
        parent.children.append(Node(tag, {k: (v if v is not None else "") for k, v in attrs}, parent, self.getpos()[0]))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return
            if self.stack[depth].tag not in _IMPLIED_END:
                return  # a stray end tag: ignored, as browsers do

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


# -- what the engine wrote ---------------------------------------------------------


@dataclass
class Marker:
    id: str
    keys: tuple[str, ...]  # lower case, as written
    shown: str  # the visible numbers: "1–3,5" ("?" for a broken citation)
    links: list[tuple[str, str]]  # (href, number shown)
    broken: bool
    line: int
    author_date: bool = False  # '(Kang et al., 2013)': its links are checked, it shows no numbers


@dataclass
class ListEntry:
    id: str
    key: str  # lower case
    number: int | None
    backrefs: list[str]
    numbered: bool  # in an <ol> or an author-date list (cited), not the <ul> of uncited entries
    line: int


@dataclass
class Page:
    path: str  # relative to the site folder, posix: "muscles/index.html"
    ids: Counter[str] = field(default_factory=Counter)
    elements: dict[str, Node] = field(default_factory=dict)  # id -> first element with it
    markers: list[Marker] = field(default_factory=list)
    lists: list[list[ListEntry]] = field(default_factory=list)
    is_print: bool = False

    @property
    def entries(self) -> list[ListEntry]:
        return [entry for items in self.lists for entry in items]

    @property
    def cited_keys(self) -> list[str]:
        """Keys in the order they are first cited on the page."""
        seen: dict[str, None] = {}
        for marker in self.markers:
            for key in marker.keys:
                seen.setdefault(key, None)
        return list(seen)

    def number_of(self, key: str) -> int | None:
        for entry in self.entries:
            if entry.key == key and entry.numbered:
                return entry.number
        return None


_NUMBERS = re.compile(r"[0-9?][0-9?,\u2013]*")


def _is_marker(node: Node) -> bool:
    return node.tag in ("sup", "span") and "citation" in node.classes and "data-keys" in node.attrs


def read_page(text: str, path: str) -> Page:
    root = parse_html(text)
    page = Page(path=path)
    for node in root.iter():
        ident = node.attrs.get("id")
        if ident:
            page.ids[ident] += 1
            page.elements.setdefault(ident, node)
        if node.tag == "main" and "chapters" in node.classes:
            page.is_print = True
        if _is_marker(node):
            links = [(a.attrs.get("href", ""), a.text().strip()) for a in node.iter() if a.tag == "a" and a is not node]
            visible = node.text(skip="citation-loc").strip().lstrip("[")
            match = _NUMBERS.match(visible)
            author_date = "citation-author-date" in node.classes
            page.markers.append(
                Marker(
                    id=ident or "",
                    keys=tuple(k.lower() for k in node.attrs["data-keys"].split()),
                    shown=visible if author_date else match.group(0).rstrip(",") if match else "",
                    links=links,
                    broken="citation-error" in node.classes
                    or (not author_date and "?" in (match.group(0) if match else "?")),
                    line=node.line,
                    author_date=author_date,
                )
            )
        if node.tag in ("ol", "ul") and "references" in node.classes:
            items = []
            for li in node.children:
                if not (isinstance(li, Node) and li.tag == "li" and "data-key" in li.attrs):
                    continue
                value = li.attrs.get("value", "")
                author_date = "references-author-date" in node.classes
                if author_date:  # no number shown: the site number is in the id, ref-PAGE-N
                    value = li.attrs.get("id", "").rsplit("-", 1)[-1]
                items.append(
                    ListEntry(
                        id=li.attrs.get("id", ""),
                        key=li.attrs["data-key"].lower(),
                        number=int(value) if value.isdigit() else None,
                        backrefs=[
                            a.attrs.get("href", "")
                            for a in li.iter()
                            if a.tag == "a" and "citation-backref" in a.classes
                        ],
                        numbered=node.tag == "ol" or author_date,
                        line=li.line,
                    )
                )
            page.lists.append(items)
    return page


# -- checking -----------------------------------------------------------------------


class _Site:
    def __init__(self, pages: dict[str, Page]) -> None:
        self.pages = pages
        self.problems: list[str] = []

    def problem(self, page: Page, line: int, message: str) -> None:
        self.problems.append(f"{page.path}:{line}: {message}" if line else f"{page.path}: {message}")

    def resolve(self, page: Page, href: str) -> tuple[Page | None, str]:
        """The page and the id an href on ``page`` points to."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return None, ""
        fragment = unquote(parts.fragment)
        if not parts.path:
            return page, fragment
        base = posixpath.dirname(page.path)
        target = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
        if parts.path.endswith("/") or target == ".":
            target = posixpath.join(target, "index.html") if target != "." else "index.html"
        candidates = [target, posixpath.join(target, "index.html")]
        for candidate in candidates:
            if candidate in self.pages:
                return self.pages[candidate], fragment
        return None, fragment

    @staticmethod
    def entry_by_id(page: Page) -> dict[str, ListEntry]:
        return {entry.id: entry for entry in page.entries if entry.id}


def _full_bibliography(page: Page) -> list[ListEntry] | None:
    """The page's list of every source, if it has one: a list whose back-links
    lead to other pages, or a list on a page that cites nothing itself."""
    for items in page.lists:
        numbered = [e for e in items if e.numbered]
        if not numbered:
            continue
        if not page.markers or any(urlsplit(h).path for e in numbered for h in e.backrefs):
            return items
    return None


def verify_site(
    site_dir: str | Path,
    *,
    numbering: str = "site",
    order: Iterable[str] | None = None,
    print_html: Iterable[str | Path] = (),
) -> list[str]:
    """Every broken citation invariant of a built site (an empty list if none).

    ``order``: page URLs or files in reading order ("", "muscles/" or
    "muscles/index.html"), to check that numbers follow first appearance.
    ``print_html``: combined print documents (the PDF handout's HTML) to check
    too; any such document inside ``site_dir`` is found by itself.
    """
    if numbering not in ("site", "page"):
        raise ValueError(f"numbering must be 'site' or 'page', not {numbering!r}")
    root = Path(site_dir)
    if not root.is_dir():
        return [f"{site_dir}: not a folder (build the site first)"]
    pages: dict[str, Page] = {}
    prints: list[Page] = []
    for file in sorted(root.rglob("*.html")):
        rel = file.relative_to(root).as_posix()
        page = read_page(file.read_text(encoding="utf-8", errors="replace"), rel)
        if page.is_print:
            prints.append(page)
        else:
            pages[rel] = page
    for extra in print_html:
        path = Path(extra)
        page = read_page(path.read_text(encoding="utf-8", errors="replace"), str(path))
        page.is_print = True
        prints.append(page)

    site = _Site(pages)
    for page in pages.values():
        _check_ids(site, page)
        _check_markers(site, page)
        _check_lists(site, page)
    if numbering == "site":
        _check_site_numbers(site, order)
    else:
        for page in pages.values():
            _check_page_numbers(site, page)
    for page in prints:
        _check_print(site, page, numbering)
    return site.problems


def _check_ids(site: _Site, page: Page) -> None:
    for ident, count in page.ids.items():
        if count > 1:
            site.problem(page, page.elements[ident].line, f"the id '{ident}' is used {count} times")


def _check_markers(site: _Site, page: Page) -> None:
    for marker in page.markers:
        where = f"marker #{marker.id}" if marker.id else "a marker without an id"
        if not marker.id:
            site.problem(page, marker.line, f"{where} cites {' '.join(marker.keys)} (back-links need an id)")
        if marker.broken:
            site.problem(page, marker.line, f"{where} is a broken citation ('?'): {' '.join(marker.keys) or 'no key'}")
            continue
        if not marker.keys:
            site.problem(page, marker.line, f"{where} cites no key")
            continue
        numbers: dict[str, int] = {}
        for href, shown in marker.links:
            target_page, ident = site.resolve(page, href)
            entry = site.entry_by_id(target_page).get(ident) if target_page is not None else None
            if entry is None:
                site.problem(
                    page, marker.line, f"{where}: the number {shown} links to {href}, which is no reference-list entry"
                )
                continue
            if entry.key not in marker.keys:
                site.problem(
                    page,
                    marker.line,
                    f"{where}: the number {shown} links to the entry of '{entry.key}', which it does not cite",
                )
            if not marker.author_date and str(entry.number) != shown:
                site.problem(
                    page,
                    marker.line,
                    f"{where} shows {shown} for '{entry.key}', but its entry is number {entry.number}",
                )
            if entry.number is not None:
                numbers[entry.key] = entry.number
        if not marker.links:
            site.problem(page, marker.line, f"{where} ({marker.shown}) links to no reference list")
            continue
        if marker.author_date:
            unlinked = [k for k in marker.keys if k not in numbers]
            if unlinked:
                site.problem(page, marker.line, f"{where}: no link to the entry of {', '.join(unlinked)}")
            continue
        # A range shows its two ends only: the keys in between are found by number.
        known = {k: n for k, n in _numbers_for(site, page, marker).items()}
        missing = [k for k in marker.keys if k not in known]
        if missing:
            site.problem(page, marker.line, f"{where}: no reference-list entry for {', '.join(missing)}")
            continue
        expected = compress_text(known.values())
        if marker.shown != expected:
            site.problem(page, marker.line, f"{where} shows '{marker.shown}', but its keys are numbered '{expected}'")


def _numbers_for(site: _Site, page: Page, marker: Marker) -> dict[str, int]:
    """Each of the marker's keys -> its number in the list its links lead to."""
    targets: list[Page] = []
    for href, _ in marker.links:
        target_page, _ident = site.resolve(page, href)
        if target_page is not None and target_page not in targets:
            targets.append(target_page)
    out: dict[str, int] = {}
    for key in marker.keys:
        for target in targets:
            number = target.number_of(key)
            if number is not None:
                out[key] = number
                break
    return out


def _check_lists(site: _Site, page: Page) -> None:
    if not page.lists:
        return
    full = _full_bibliography(page)
    cited = Counter(key for marker in page.markers for key in set(marker.keys))
    for items in page.lists:
        keys = Counter(entry.key for entry in items)
        for key, count in keys.items():
            if count > 1:
                site.problem(page, 0, f"the reference list has '{key}' {count} times")
        for entry in items:
            if entry.numbered and entry.number is None:
                site.problem(page, entry.line, f"the entry of '{entry.key}' has no number")
            _check_backrefs(site, page, entry, local=items is not full)
        if items is full:
            continue
        for entry in items:
            if entry.numbered and entry.key not in cited:
                site.problem(
                    page, entry.line, f"'{entry.key}' is in the page's reference list but cited nowhere on the page"
                )
    if full is None:
        listed = {entry.key for entry in page.entries if entry.numbered}
        for marker in page.markers:
            for key in marker.keys:
                if key not in listed and not marker.broken:
                    site.problem(
                        page, marker.line, f"marker #{marker.id} cites '{key}', which the page's reference list lacks"
                    )


def _check_backrefs(site: _Site, page: Page, entry: ListEntry, local: bool) -> None:
    if not entry.numbered:
        if entry.backrefs:
            site.problem(page, entry.line, f"the uncited entry '{entry.key}' has back-links")
        return
    if not entry.backrefs:
        site.problem(page, entry.line, f"the entry of '{entry.key}' has no back-link to a citation")
    seen: set[tuple[str, str]] = set()
    for href in entry.backrefs:
        target_page, ident = site.resolve(page, href)
        node = target_page.elements.get(ident) if target_page is not None else None
        marker = next((m for m in target_page.markers if m.id == ident), None) if target_page else None
        if target_page is None or node is None or marker is None:
            site.problem(page, entry.line, f"the back-link {href} of '{entry.key}' leads to no citation marker")
            continue
        if entry.key not in marker.keys:
            site.problem(
                page,
                entry.line,
                f"the back-link {href} of '{entry.key}' leads to a marker citing {' '.join(marker.keys)}",
            )
        if local and target_page is not page:
            site.problem(page, entry.line, f"the back-link {href} of '{entry.key}' leaves the page")
        place = (target_page.path, ident)
        if place in seen:
            site.problem(page, entry.line, f"the back-link {href} of '{entry.key}' is there twice")
        seen.add(place)
    if local:
        expected = sum(1 for m in page.markers if entry.key in m.keys)
    else:
        expected = sum(1 for p in site.pages.values() for m in p.markers if entry.key in m.keys)
    if len(entry.backrefs) != expected:
        site.problem(
            page, entry.line, f"'{entry.key}' has {len(entry.backrefs)} back-links, but is cited {expected} times"
        )


def _site_numbers(site: _Site) -> tuple[dict[str, int], dict[str, tuple[int, str]]]:
    """(key -> number, key -> (number, where first seen)), reporting disagreements."""
    numbers: dict[str, int] = {}
    first: dict[str, tuple[int, str]] = {}
    for page in site.pages.values():
        for entry in page.entries:
            if not entry.numbered or entry.number is None:
                continue
            if entry.key in first and first[entry.key][0] != entry.number:
                number, where = first[entry.key]
                site.problem(page, entry.line, f"'{entry.key}' is number {entry.number} here but {number} on {where}")
                continue
            first.setdefault(entry.key, (entry.number, page.path))
            numbers[entry.key] = entry.number
    return numbers, first


def _check_site_numbers(site: _Site, order: Iterable[str] | None) -> None:
    numbers, first = _site_numbers(site)
    by_number: dict[int, list[str]] = defaultdict(list)
    for key, number in numbers.items():
        by_number[number].append(key)
    for number, keys in sorted(by_number.items()):
        if len(keys) > 1:
            site.problems.append(f"number {number} is given to {len(keys)} keys: {', '.join(sorted(keys))}")
    cited = {key for page in site.pages.values() for m in page.markers for key in m.keys}
    for page in site.pages.values():
        full = _full_bibliography(page)
        if full is None:
            continue
        listed = [e.number for e in full if e.numbered]
        if sorted(n for n in listed if n is not None) != list(range(1, len(listed) + 1)):
            site.problem(page, 0, f"the full bibliography is not numbered 1 to {len(listed)} without gaps")
        missing = sorted(cited - {e.key for e in full if e.numbered})
        if missing:
            site.problem(page, 0, f"the full bibliography lacks {', '.join(missing)}, cited elsewhere")
    if order is not None:
        sequence: list[str] = []
        for url in order:
            ordered = site.pages.get(_page_file(url))
            if ordered is None:
                site.problems.append(f"{url}: no such page in the site (check the reading order given)")
                continue
            sequence.extend(key for marker in ordered.markers for key in marker.keys)
        expected: dict[str, int] = {}
        for key in sequence:
            expected.setdefault(key, len(expected) + 1)
        for key, number in expected.items():
            if key in numbers and numbers[key] != number:
                site.problems.append(
                    f"'{key}' is number {numbers[key]} ({first[key][1]}), but it is the "
                    f"{number}. source a reader meets in reading order"
                )


def _page_file(url: str) -> str:
    url = url.lstrip("/")
    if url.endswith(".html"):
        return url
    if not url or url.endswith("/"):
        return url + "index.html"
    return url + "/index.html"


def _check_page_numbers(site: _Site, page: Page) -> None:
    expected = {key: n for n, key in enumerate(page.cited_keys, start=1)}
    for entry in page.entries:
        if entry.numbered and entry.key in expected and entry.number != expected[entry.key]:
            site.problem(
                page,
                entry.line,
                f"'{entry.key}' is number {entry.number}, "
                f"but it is the {expected[entry.key]}. source cited on the page",
            )


def _check_print(site: _Site, doc: Page, numbering: str) -> None:
    """The combined print document: unique ids, and the site's numbers."""
    _check_ids(site, doc)
    entries = {e.id: e for e in doc.entries if e.id}
    doc_numbers = {e.key: e.number for e in doc.entries if e.numbered}
    web_numbers, _ = _site_numbers(_Site(site.pages)) if numbering == "site" else ({}, {})
    for key, number in doc_numbers.items():
        if key in web_numbers and web_numbers[key] != number:
            site.problem(doc, 0, f"'{key}' is number {number} in the print document but {web_numbers[key]} on the site")
    for marker in doc.markers:
        where = f"marker #{marker.id}"
        if marker.broken:
            site.problem(doc, marker.line, f"{where} is a broken citation ('?')")
            continue
        for href, shown in marker.links:
            parts = urlsplit(href)
            entry = entries.get(unquote(parts.fragment)) if not parts.path and not parts.scheme else None
            if entry is None:
                site.problem(
                    doc, marker.line, f"{where}: the number {shown} links to {href}, which is no entry of the document"
                )
                continue
            if entry.key not in marker.keys:
                site.problem(
                    doc,
                    marker.line,
                    f"{where}: the number {shown} links to the entry of '{entry.key}', which it does not cite",
                )
            if numbering == "site" and not marker.author_date and str(entry.number) != shown:
                site.problem(
                    doc,
                    marker.line,
                    f"{where} shows {shown} for '{entry.key}', but the document lists it as {entry.number}",
                )
        if numbering == "site" and not marker.author_date:
            known = {k: web_numbers.get(k, doc_numbers.get(k)) for k in marker.keys}
            if None not in known.values():
                expected = compress_text(n for n in known.values() if n is not None)
                if marker.shown != expected:
                    site.problem(
                        doc, marker.line, f"{where} shows '{marker.shown}', but its keys are numbered '{expected}'"
                    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.verify_html",
        description="Check the citations of a built site: markers, lists, back-links, numbers, ids.",
    )
    parser.add_argument("site_dir", help="the folder mkdocs build wrote (site/)")
    parser.add_argument(
        "--numbering",
        choices=("site", "page"),
        default="site",
        help="plugins.citations.numbering of the site (default: site)",
    )
    parser.add_argument(
        "--order", nargs="+", metavar="URL", help="page URLs in reading order, to check first-appearance numbering"
    )
    parser.add_argument(
        "--print-html", nargs="+", default=[], metavar="FILE", help="combined print documents to check too"
    )
    args = parser.parse_args(argv)
    problems = verify_site(args.site_dir, numbering=args.numbering, order=args.order, print_html=args.print_html)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"verify: {len(problems)} problem{'s' * (len(problems) != 1)}", file=sys.stderr)
        return 1
    print(f"verify: {args.site_dir}: citations consistent", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
