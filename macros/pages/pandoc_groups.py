"""Pandoc's bracketed citations ``[see @a, p. 33; -@b]``: keys, items and locators."""

from __future__ import annotations

import re

from .syntax_model import CiteItem

# pandoc: a key starts with a letter, digit or _, and goes on with those and
# single internal punctuation characters; or it is written in braces.
_KEY = re.compile(
    r"[A-Za-z0-9_\u00c0-\uffff](?:[A-Za-z0-9_\u00c0-\uffff]|[:.#$%&\-+?<>~/](?=[A-Za-z0-9_\u00c0-\uffff]))*"
)
_BRACED_KEY = re.compile(r"\{([^{}\n]*)\}")


_PAGE_LABEL = re.compile(r"(?:p|pp|page|pages)\.?[ \u00a0]*(\d+(?:[ ]*[-\u2013\u2014]+[ ]*\d+)?)", re.IGNORECASE)


def _locator(suffix: str) -> str | None:
    """The pinpoint written after a key: ', p. 33' -> '33', ', pp. 33–35' -> '33–35', ', ch. 3' -> 'ch. 3'.

    A page or page range loses its label, as cite(loc="33") is written, so
    that the style prints it its own way (superscript ``p33``, brackets ``p. 33``).
    """
    text = suffix.strip().lstrip(",").strip()
    pages = _PAGE_LABEL.fullmatch(text)
    if pages:
        return pages.group(1)
    return text or None


def _parse_group(content: str) -> list[CiteItem] | None:
    """Pandoc's bracketed citation: items separated by ';', each [prefix] [-]@key [suffix]; else None."""
    items: list[CiteItem] = []
    for part in content.split(";"):
        at = _find_at(part)
        if at < 0:
            return None
        prefix = part[:at].rstrip()
        suppress = prefix.endswith("-") and (len(prefix) == 1 or prefix[-2].isspace())
        if suppress:
            prefix = prefix[:-1].rstrip()
        rest = part[at + 1 :]
        braced = _BRACED_KEY.match(rest)
        if braced:
            key, suffix = braced.group(1), rest[braced.end() :]
        else:
            match = _KEY.match(rest)
            if match is None:
                return None
            key, suffix = match.group(0), rest[match.end() :]
        if suffix and not (suffix[0] in ", \t\n\u00a0" or not suffix.strip()):
            return None
        items.append(CiteItem(key, _locator(suffix), prefix.strip()))
    return items or None


def _find_at(part: str) -> int:
    """The '@' that starts the item's key: at the start or after a space or '-'."""
    index = part.find("@")
    while index >= 0:
        before = part[index - 1] if index else " "
        if before.isspace() or before == "-" or before == "\u00a0":
            if before == "-" and index >= 2 and not part[index - 2].isspace():
                index = part.find("@", index + 1)
                continue
            return index
        index = part.find("@", index + 1)
    return -1
