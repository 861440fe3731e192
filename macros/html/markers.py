"""HTML for markers and reference lists, built by string joins with every value escaped."""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape


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


_PAGE = re.compile(r"\d+")
_PAGE_RANGE = re.compile(r"\d+\s*[-\u2013\u2014]+\s*\d+")
_DASHES = re.compile(r"\s*[-\u2013\u2014]+\s*")


def format_locator(loc: str, brackets: bool) -> str:
    """'467–474' -> 'pp467–474' (AMA superscript) or 'pp. 467–474' (brackets)."""
    loc = loc.strip()
    if _PAGE.fullmatch(loc):
        prefix = "p"
    elif _PAGE_RANGE.fullmatch(loc):
        prefix = "pp"
        loc = _DASHES.sub("\u2013", loc)
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
    but shown on screen only in the tooltip (and beside its back-link in the list).

    Built by string joins, every value through ``escape``: a marker is rendered
    once per citation, and a template render cost a third of a warm build's
    excess over the limit (bench/RESULTS.md). ``data-search-exclude``:
    Material's search leaves the marker out of its index, so a search result
    never reads "attach2(pp563-571)". The locator sits in span.citation-loc:
    printed, read aloud, and on screen shown only in the tooltip and beside
    the back-link (citations.css).
    """
    tag = "span" if brackets else "sup"
    cited = f" Cited here: {format_locator(loc, brackets=True)}." if loc else ""
    out = [
        f'<{tag} class="citation',
        " citation-brackets" if brackets else "",
        " citation-error" if broken else "",
        f'" id="{escape(marker_id)}" data-keys="{escape(" ".join(keys))}" data-search-exclude>',
        "[" if brackets else "",
    ]
    # [@a, p. 5; @b]: each number with its own pinpoint; brackets separate them with ';'
    own = not loc and any(p.loc for p in parts)
    for part in parts:
        title, sep, shown_here = part.title + cited, part.sep, None
        if own:
            if part.loc:
                title = f"{part.title} Cited here: {format_locator(part.loc, brackets=True)}."
                shown_here = format_locator(part.loc, brackets)
            if brackets and sep == ",":
                sep = "; "
        if sep:
            out.append(escape(sep))
        if part.href:
            out.append(f'<a href="{escape(part.href)}" title="{escape(title)}">{escape(part.number)}</a>')
        else:
            out.append(escape(part.number))
        if shown_here:
            shown_here = escape(shown_here)
            out.append(f'<span class="citation-loc">{", " + shown_here if brackets else "(" + shown_here + ")"}</span>')
    if loc and (shown := escape(format_locator(loc, brackets))):  # (a blank locator shows nothing)
        out.append(f'<span class="citation-loc">{", " + shown if brackets else "(" + shown + ")"}</span>')
    out.append(f"]</{tag}>" if brackets else f"</{tag}>")
    return Markup("".join(out))


def _backrefs(groups: list[BackRefGroup]) -> str:
    """The back-links of one list entry, Wikipedia's way: "^" for a lone citation,
    else "^ a b c", grouped by page on the bibliography ("Muscles: a b · The exercise: a").

    All of it sits in one span.citation-backrefs, one a.citation-backref per
    citing place; a letter and the pages it cites are one
    span.citation-backref-item (kept on one line by citations.css).
    data-search-exclude: Material's search indexes the entry (authors, title)
    without its back-links.
    """
    out = [' <span class="citation-backrefs" data-search-exclude>']
    first = groups[0]
    if first.refs[0].text == "^":
        ref = first.refs[0]
        out.append(f'<a class="citation-backref" href="{escape(ref.href)}" aria-label="{escape(ref.label)}">^</a>')
        if first.page:
            out.append(f' <span class="citation-backref-page">{escape(first.page)}</span>')
        if ref.loc:
            out.append(f' <span class="citation-backref-loc">{escape(ref.loc)}</span>')
    else:
        out.append('<span class="citation-caret" aria-hidden="true">^</span>')
        for position, group in enumerate(groups):
            if position:
                out.append(' <span class="citation-backref-sep" aria-hidden="true">\u00b7</span>')
            if group.page:
                out.append(f' <span class="citation-backref-page">{escape(group.page)}:</span>')
            for ref in group.refs:
                out.append(
                    f' <span class="citation-backref-item"><a class="citation-backref" href="{escape(ref.href)}"'
                    f' aria-label="{escape(ref.label)}">{escape(ref.text)}</a>'
                )
                if ref.loc:
                    out.append(f' <span class="citation-backref-loc">{escape(ref.loc)}</span>')
                out.append("</span>")
    out.append("</span>")
    return "".join(out)


def render_list(
    slug: str, items: list[ListItem], uncited: list[ListItem] | None = None, author_date: bool = False
) -> Markup:
    """A page's reference list: the entries cited on it, numbered as in the text.

    ``author_date``: a ul.references-author-date without numbers (items in the
    style's order). ``uncited``: a ul.references-uncited after it.
    Built by string joins, every value through ``escape`` (see ``render_marker``).
    """
    slug = escape(slug)
    tag = "ul" if author_date else "ol"
    classes = "references references-author-date" if author_date else "references"
    out = [f'\n\n<{tag} class="{classes}" data-page="{slug}">\n']
    for item in items:
        number = "" if author_date else f' value="{escape(item.number)}"'
        out.append(f'<li{number} data-key="{escape(item.key)}" id="{escape(item.id)}">{escape(item.html)}')
        if item.backrefs:
            out.append(_backrefs(item.backrefs))
        out.append("</li>\n")
    out.append(f"</{tag}>")
    if uncited:
        out.append(f'\n<ul class="references references-uncited" data-page="{slug}">\n')
        for item in uncited:
            out.append(f'<li data-key="{escape(item.key)}" id="{escape(item.id)}">{escape(item.html)}</li>\n')
        out.append("</ul>")
    out.append("\n\n")
    return Markup("".join(out))
