"""Find every citation in the pages before any page is rendered.

Numbers follow reading order (nav order, then top to bottom), but MkDocs
renders pages in file order. So the pages are read first: the linear scan of
``citation_syntax`` finds the engine's own syntax in each page (its calls,
pandoc's citations, mkdocs-bibtex's placeholders) with its line, and nothing
else; every other ``{{ … }}`` or ``{% … %}`` is another plugin's or the
text's. No MkDocs imports here.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import yaml

from ..problems import Problem, Problems, Severity
from .citation_syntax import CiteItem, Found, Heading, Note, scan_syntax
from .front_matter import FRONT_MATTER, check_front_matter

# What cite() accepts as one key (pandoc's own grammar is citation_syntax._KEY).
KEY_PATTERN = re.compile(r"[^\s,{}()=\"'#%~]+")


@dataclass(frozen=True)
class PageInfo:
    """What the scanner needs to know of a page, from whatever builds the site."""

    src: str  # relative to docs_dir, with forward slashes: "guide/exercise.md"
    abs_path: str
    path: str  # as shown in messages, relative to the project: "docs/exercise.md"
    url: str  # the site URL of the page, relative to the site root: "exercise/"
    title: str | None = None


@dataclass(frozen=True)
class Syntax:
    """What the scan reads besides the engine's calls (the plugin's options)."""

    pandoc: bool = True
    in_text: bool = True
    references_placeholder: str = "\\bibliography"
    bibliography_placeholder: str = "\\full_bibliography"

    def placeholders(self) -> dict[str, tuple[str, bool]]:
        out: dict[str, tuple[str, bool]] = {}
        if self.references_placeholder:
            out[self.references_placeholder] = ("references", False)
        if self.bibliography_placeholder:
            out[self.bibliography_placeholder] = ("bibliography", True)
        return out


@dataclass
class CiteCall:
    """One citation as written: its keys (empty when it has a mistake), each key's pinpoint, its line."""

    keys: tuple[str, ...]
    locs: tuple[str | None, ...]
    line: int
    index: int  # 1-based, in source order among this page's citations
    author: bool = False  # pandoc's in-text @key: the author's name is written before the number
    syntax: str = "jinja"  # how it is written: "jinja", "pandoc" or "in-text"

    @property
    def loc(self) -> str | None:
        """The pinpoint of a citation of one key."""
        return self.locs[0] if len(self.locs) == 1 else None

    def loc_of(self, key: str) -> str | None:
        lower = key.lower()
        for written, loc in zip(self.keys, self.locs, strict=False):
            if written.lower() == lower:
                return loc
        return None


@dataclass
class PageScan:
    info: PageInfo
    title: str
    slug: str
    cites: list[CiteCall] = field(default_factory=list)
    references_calls: list[int] = field(default_factory=list)
    bibliography_calls: list[int] = field(default_factory=list)
    renders_macros: bool = True  # False: render_macros: false, the {{ … }} calls are left as written
    found: list[Found] = field(default_factory=list)  # the syntax in the page's Markdown body, in order
    headings: list[Heading] = field(default_factory=list)
    body_digest: str = ""
    line_offset: int = 0  # lines of front matter before the Markdown body
    references_title: str | None = None  # the page's own title for its list (front matter)
    readable: bool = True  # False: its front matter is broken (reported); the page is left as it is

    @property
    def has_list(self) -> bool:
        return bool(self.references_calls or self.bibliography_calls)


@dataclass
class RawScan:
    """What the scan of a page's text finds, before the .bib is known (what the cache keeps)."""

    title: str
    meta_title: str | None
    renders_macros: bool
    found: list[Found]
    notes: list[Note]
    headings: list[Heading]
    body_digest: str
    line_offset: int
    front_matter: list[Note] = field(default_factory=list)  # its problems, at lines of the whole file
    readable: bool = True  # False: MkDocs publishes the front matter as text; the page is left alone


def slugify(src: str) -> str:
    stem = re.sub(r"\.(md|markdown)$", "", src, flags=re.IGNORECASE)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-").lower()
    return slug or "page"


def split_front_matter(source: str) -> tuple[dict[str, object], str, int]:
    """(meta, body, number of lines the front matter took)."""
    match = FRONT_MATTER.match(source)
    if not match:
        return {}, source, 0
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError:
        meta = {}
    if not isinstance(meta, dict):
        meta = {}
    # MkDocs also drops the blank lines after the front matter.
    body = source[match.end() :]
    stripped = body.lstrip("\n")
    return meta, stripped, match.group(0).count("\n") + len(body) - len(stripped)


def body_digest(body: str) -> str:
    """Identifies the Markdown a page's scan was made from."""
    return hashlib.blake2b(body.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def read_page(info: PageInfo, source: str, syntax: Syntax) -> RawScan:
    """The page's syntax, found in its text alone (the .bib decides later which @words are citations)."""
    meta, body, offset = split_front_matter(source.lstrip("\ufeff"))
    # What is wrong with the front matter, at its own lines (kept with the scan, as notes of line 0 offset)
    checked = Problems()
    readable = check_front_matter(source.lstrip("\ufeff"), info.path, checked)
    front = [Note(p.line, p.message, p.severity, p.kind) for p in checked]
    if not readable:  # MkDocs publishes it as text: nothing of the page is read (that error says it all)
        body = ""
    renders = meta.get("render_macros") is not False
    result = scan_syntax(
        body,
        None,
        placeholders=syntax.placeholders(),
        in_text=syntax.in_text,
        pandoc=syntax.pandoc,
        calls=renders,
    )
    first = next((h.text for h in result.headings if h.level == 1), None)
    title = info.title or first or slugify(info.src).replace("-", " ").title()
    own = meta.get("references_title")
    return RawScan(
        title=title,
        meta_title=own if isinstance(own, str) and own.strip() else None,
        renders_macros=renders,
        found=result.found,
        notes=result.notes,
        headings=result.headings,
        body_digest=body_digest(body),
        line_offset=offset,
        front_matter=front,
        readable=readable,
    )


def resolve(found: list[Found], spelled: Callable[[str], str | None]) -> list[Found]:
    """The citations of a scan once the .bib is known: an in-text @word that is no key is text."""
    return [f for f in found if f.syntax != "in-text" or spelled(f.items[0].key) is not None]


_IN_MARKUP = {
    "heading": "{what} in a heading: its number would become part of the heading's anchor and of the "
    "table of contents (move the citation after the heading, into the text below it)",
    "link": "{what} inside link text: the citation's own link would be nested in the link, which is "
    "invalid HTML (move the citation after the link)",
}


def _what(found: Found) -> str:
    if found.syntax == "jinja":
        return "cite()"
    if found.syntax == "in-text":
        return f"the in-text citation @{found.items[0].key}"
    return "[@" + "; @".join(found.keys) + "]"


def _severity(name: str) -> Severity:
    return "warning" if name == "warning" else "info" if name == "info" else "error"


def build_scan(info: PageInfo, raw: RawScan, spelled: Callable[[str], str | None], problems: Problems) -> PageScan:
    """The page's citations, numbered in order, with every problem of the page at its line."""
    offset = raw.line_offset
    page = PageScan(
        info=info,
        title=raw.title,
        slug=slugify(info.src),
        renders_macros=raw.renders_macros,
        headings=raw.headings,
        body_digest=raw.body_digest,
        line_offset=offset,
        references_title=raw.meta_title,
        readable=raw.readable,
    )
    for note in raw.front_matter:  # kinds: front_matter.py's
        problems.add(Problem(info.path, note.line, note.message, _severity(note.severity), note.kind))
    for note in raw.notes:  # kinds: citation_syntax.py's notes
        problems.add(Problem(info.path, note.line + offset, note.message, _severity(note.severity), note.kind))
    page.found = resolve(raw.found, spelled)
    for found in page.found:
        line = found.line + offset
        if found.kind == "cite":
            keys = found.keys if found.valid else ()
            locs = tuple(item.loc for item in found.items) if found.valid else ()
            page.cites.append(CiteCall(keys, locs, line, len(page.cites) + 1, found.author, found.syntax))
            if found.where in _IN_MARKUP:
                problems.error(
                    info.path, line, _IN_MARKUP[found.where].format(what=_what(found)), kind="page.cite-in-markup"
                )
        elif found.kind == "references" and found.valid:
            page.references_calls.append(line)
        elif found.kind == "bibliography":
            page.bibliography_calls.append(line)
    return page


def unique_slugs(pages: list[PageScan]) -> None:
    """Make page slugs unique, so ids stay unique on one combined print page."""
    seen: dict[str, int] = {}
    for page in pages:
        base = page.slug
        count = seen.get(base, 0)
        seen[base] = count + 1
        if count:
            page.slug = f"{base}-{count + 1}"


# -- the cache's form of a scan ---------------------------------------------------------


def raw_to_json(raw: RawScan) -> dict[str, object]:
    return {
        "title": raw.title,
        "meta_title": raw.meta_title,
        "renders_macros": raw.renders_macros,
        "found": [
            [
                f.kind,
                f.start,
                f.end,
                f.line,
                f.syntax,
                [[i.key, i.loc, i.prefix] for i in f.items],
                f.author,
                f.uncited,
                f.valid,
                f.where,
            ]
            for f in raw.found
        ],
        "notes": [[n.line, n.message, n.severity, n.kind] for n in raw.notes],
        "front_matter": [[n.line, n.message, n.severity, n.kind] for n in raw.front_matter],
        "readable": raw.readable,
        "headings": [[h.line, h.level, h.text, h.start, h.end] for h in raw.headings],
        "body_digest": raw.body_digest,
        "line_offset": raw.line_offset,
    }


def raw_from_json(data: object) -> RawScan:
    """A stored scan, checked field by field (ValueError, KeyError or TypeError when it is of another shape)."""
    if not isinstance(data, dict):
        raise ValueError("not a scan")
    found = []
    for row in data["found"]:
        kind, start, end, line, syntax, items, author, uncited, valid, where = row
        found.append(
            Found(
                str(kind),
                int(start),
                int(end),
                int(line),
                str(syntax),
                [CiteItem(str(k), None if loc is None else str(loc), str(prefix)) for k, loc, prefix in items],
                bool(author),
                bool(uncited),
                bool(valid),
                str(where),
            )
        )
    notes = [Note(int(line), str(message), str(severity), str(kind)) for line, message, severity, kind in data["notes"]]
    headings = [Heading(int(a), int(b), str(c), int(d), int(e)) for a, b, c, d, e in data["headings"]]
    front = [Note(int(line), str(m), str(sev), str(kind)) for line, m, sev, kind in data["front_matter"]]
    meta_title = data["meta_title"]
    return RawScan(
        title=str(data["title"]),
        meta_title=None if meta_title is None else str(meta_title),
        renders_macros=bool(data["renders_macros"]),
        found=found,
        notes=notes,
        headings=headings,
        body_digest=str(data["body_digest"]),
        line_offset=int(data["line_offset"]),
        front_matter=front,
        readable=bool(data["readable"]),
    )
