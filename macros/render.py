"""HTML for markers and reference lists, through autoescaping Jinja templates."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
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


@dataclass
class BackRef:
    href: str
    text: str
    label: str


@dataclass
class ListItem:
    key: str
    id: str
    html: Markup
    number: int | None = None
    backrefs: list[BackRef] = field(default_factory=list)


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


def render_marker(
    *,
    marker_id: str,
    keys: list[str],
    parts: list[MarkerPart],
    loc: str | None,
    brackets: bool,
    broken: bool,
) -> Markup:
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


def render_list(slug: str, items: list[ListItem], uncited: list[ListItem] | None = None) -> Markup:
    html = _TEMPLATES.get_template("references.html").render(slug=slug, items=items, uncited=uncited or [])
    return Markup("\n\n" + html.strip() + "\n\n")
