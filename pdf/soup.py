"""Small helpers for reading and editing the site's HTML (BeautifulSoup)."""

from __future__ import annotations

import json
import re

from bs4 import Tag


def text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def attr(tag: Tag, name: str) -> str:
    """An attribute as one string ("" when absent)."""
    value = tag.get(name)
    if value is None:
        return ""
    return value if isinstance(value, str) else " ".join(value)


def classes(tag: Tag) -> list[str]:
    return attr(tag, "class").split()


def add_class(tag: Tag, name: str) -> None:
    tag["class"] = " ".join([*classes(tag), name])


def is_citation_id(tag: Tag) -> bool:
    """Ids the citation engine wrote: already unique across the site."""
    if "citation" in classes(tag):
        return True
    parent = tag.parent
    return tag.name == "li" and parent is not None and parent.name in ("ol", "ul") and "references" in classes(parent)


def howto(article: Tag) -> tuple[str, str] | None:
    """The ``name`` and ``description`` of a schema.org HowTo in the page's JSON-LD, if it has one."""
    for script in article.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        if isinstance(data, dict) and data.get("@type") == "HowTo" and isinstance(data.get("name"), str):
            return str(data["name"]), str(data.get("description") or "")
    return None


def is_heading(tag: Tag) -> bool:
    return re.fullmatch(r"h[1-6]", tag.name or "") is not None


def section(heading: Tag) -> list[Tag]:
    """A heading and what follows it up to the next heading of its rank or higher."""
    rank = int(heading.name[1])
    found = [heading]
    for sibling in heading.find_next_siblings(True):
        if is_heading(sibling) and int(sibling.name[1]) <= rank:
            break
        found.append(sibling)
    return found


def drop_empty_headings(body: Tag) -> None:
    """A heading with nothing under it (its content moved to the card) goes too."""
    for heading in body.find_all(re.compile(r"^h[2-6]$")):
        if len(section(heading)) == 1:
            heading.decompose()
