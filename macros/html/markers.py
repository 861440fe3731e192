"""HTML for markers and reference lists, through autoescaping Jinja templates."""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent.parent / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)


@dataclass
class MarkerPart:
    number: str
    href: str | None
    title: str
    sep: str = ""
    loc: str | None = None  # this number's own pinpoint, when a marker cites several sources with pinpoints


@dataclass
class BackRef:
    """One link back to one citing place: "^" when it is the only one, else a letter."""

    href: str
    text: str
    label: str
    loc: str | None = None  # the pinpoint, shown after the last letter of a run citing it


@dataclass
class BackRefGroup:
    """The back-links to one page; ``page`` is its title on the bibliography, else None."""

    page: str | None
    refs: list[BackRef]


@dataclass
class ListItem:
    key: str
    id: str
    html: Markup
    number: int | None = None
    backrefs: list[BackRefGroup] = field(default_factory=list)


# What Python-Markdown reads as syntax in a line of text (its backslash escapes).
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


def markdown_text(text: str) -> str:
    """Text (an option, a title) as Markdown that shows it as written, on one line.

    Line breaks become spaces (a line break would end the heading the text
    is put in), ``&``, ``<`` and ``>`` are HTML-escaped (no tag, comment or
    entity of the text's own reaches the page) and every character Markdown
    reads as syntax is backslash-escaped (no link, emphasis or ``{: …}``
    attribute list is made of it).
    """
    one_line = " ".join(text.split())
    return _MARKDOWN_SYNTAX.sub(r"\\\1", html.escape(one_line, quote=False))


def relative_url(target: str, base: str) -> str:
    """The link from the page at site URL ``base`` to the one at ``target``.

    Both are MkDocs page URLs relative to the site root ("", "muscles/",
    "guide/page.html"). The same page gives "".
    """
    if target == base:
        return ""
    base_dir = base.rsplit("/", 1)[0] if "/" in base else ""
    rel = posixpath.relpath("/" + target, "/" + base_dir)
    if target == "" or target.endswith("/"):
        rel = rel.rstrip("/") + "/"
        if rel == "./":
            rel = "./"
    return rel


def format_locator(loc: str, brackets: bool) -> str:
    """'467–474' -> 'pp467–474' (AMA superscript) or 'pp. 467–474' (brackets)."""
    loc = loc.strip()
    if re.fullmatch(r"\d+", loc):
        prefix = "p"
    elif re.fullmatch(r"\d+\s*[-\u2013\u2014]+\s*\d+", loc):
        prefix = "pp"
        loc = re.sub(r"\s*[-\u2013\u2014]+\s*", "\u2013", loc)
    else:
        return loc
    return f"{prefix}. {loc}" if brackets else f"{prefix}{loc}"


def letter(index: int) -> str:
    """0 -> "a", 25 -> "z", 26 -> "aa", 27 -> "ab", as Wikipedia letters its back-links."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(ord("a") + rest) + text
    return text


def backref_group(page: str | None, places: list[tuple[str, str | None]], lone: bool) -> BackRefGroup:
    """The back-links to the citing ``places`` (href, raw locator) on one page.

    The only place that cites an entry (``lone``) is "^"; otherwise each place is a letter.
    A locator is shown once, after the last letter of a run of places that
    cite the same pages.
    """
    where = f" in {page}" if page else ""
    refs: list[BackRef] = []
    for index, (href, loc) in enumerate(places):
        shown = format_locator(loc, brackets=True) if loc else None
        if lone:
            text, label = "^", f"Back to the citation{where or ' in the text'}"
        else:
            text = letter(index)
            label = f"{text}: citation {index + 1} of {len(places)}{where}"
        if shown:
            label += f", {shown}"
        if refs and refs[-1].loc == shown:
            refs[-1].loc = None
        refs.append(BackRef(href=href, text=text, label=label, loc=shown))
    return BackRefGroup(page=page, refs=refs)


def render_marker(
    *,
    marker_id: str,
    keys: list[str],
    parts: list[MarkerPart],
    loc: str | None,
    brackets: bool,
    broken: bool,
) -> Markup:
    """A marker; its locator is kept in the text (for print and screen readers)
    but shown on screen only in the tooltip (and beside its back-link in the list)."""
    if loc:
        cited = f" Cited here: {format_locator(loc, brackets=True)}."
        parts = [MarkerPart(p.number, p.href, p.title + cited, p.sep) for p in parts]
    elif any(p.loc for p in parts):
        # [@a, p. 5; @b]: each number with its own pinpoint; brackets separate them with ';'
        parts = [
            MarkerPart(
                p.number,
                p.href,
                p.title + (f" Cited here: {format_locator(p.loc, brackets=True)}." if p.loc else ""),
                "; " if brackets and p.sep == "," else p.sep,
                format_locator(p.loc, brackets) if p.loc else None,
            )
            for p in parts
        ]
    html = _TEMPLATES.get_template("marker.html").render(
        tag="span" if brackets else "sup",
        id=marker_id,
        keys=keys,
        parts=parts,
        loc=format_locator(loc, brackets) if loc else None,
        brackets=brackets,
        broken=broken,
    )
    return Markup(html.strip())


def render_list(
    slug: str, items: list[ListItem], uncited: list[ListItem] | None = None, author_date: bool = False
) -> Markup:
    """``author_date``: a ul.references-author-date without numbers (items in the style's order)."""
    html = _TEMPLATES.get_template("references.html").render(
        slug=slug, items=items, uncited=uncited or [], author_date=author_date
    )
    return Markup("\n\n" + html.strip() + "\n\n")
