"""Text made for paper: typographic quotes, no word alone on a last line, web wording out.

These work on the assembled print document (BeautifulSoup), after the
citation engine's HTML has been retargeted, and never touch code, URLs or
the engine's markers.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

#: Where text is literal: code, addresses, the engine's numbers.
LITERAL = ("code", "pre", "kbd", "samp", "script", "style", "svg")
LITERAL_CLASSES = ("url", "citation")

#: Blocks whose last line must not hold one word alone.
BLOCKS = ("p", "li", "figcaption", "dd", "td", "th", "blockquote")

#: Two words bound by a no-break space stay this short, so that a narrow
#: column can still take them on one line.
MAX_BOUND = 22

NBSP = "\u00a0"


def _literal(node: NavigableString) -> bool:
    for parent in node.parents:
        if not isinstance(parent, Tag):
            continue
        if parent.name in LITERAL:
            return True
        names = str(parent.get("class") or "")
        if isinstance(parent.get("class"), list):
            names = " ".join(parent.get("class") or [])
        if any(name in names.split() for name in LITERAL_CLASSES):
            return True
    return False


_DOUBLE_OPEN = re.compile(r'(^|[\s(\[{\u2014\u2013/])"')
_SINGLE_OPEN = re.compile(r"(^|[\s(\[{\u2014\u2013/])'")


def curl(text: str, after: str = "") -> str:
    """Straight quotes to typographic ones; ``after`` is the text just before, for context."""
    if "'" not in text and '"' not in text:
        return text
    joined = after[-1:] + text
    joined = _DOUBLE_OPEN.sub(lambda m: m.group(1) + "\u201c", joined)
    joined = joined.replace('"', "\u201d")
    joined = _SINGLE_OPEN.sub(lambda m: m.group(1) + "\u2018", joined)
    joined = joined.replace("'", "\u2019")  # apostrophes and closing quotes
    return joined[len(after[-1:]) :]


#: A number and its unit share a line ("150 %", "2 s").
_NUMBER_UNIT = re.compile(r"(?<=\d) (?=(%|s|kg|min)\b|%)")


def bind_units(root: Tag) -> None:
    for node in list(root.find_all(string=True)):
        if type(node) is NavigableString and not _literal(node):
            text = str(node)
            new = _NUMBER_UNIT.sub(NBSP, text)
            if new != text:
                node.replace_with(new)


def typographic_quotes(root: Tag) -> None:
    previous = ""
    for node in list(root.find_all(string=True)):
        if not isinstance(node, NavigableString) or type(node) is not NavigableString or _literal(node):
            previous = str(node)[-1:] if isinstance(node, NavigableString) else previous
            continue
        text = str(node)
        new = curl(text, previous)
        if new != text:
            node.replace_with(new)
        previous = text[-1:] or previous


def _texts(block: Tag) -> list[NavigableString]:
    return [
        node
        for node in block.find_all(string=True)
        if type(node) is NavigableString and not _literal(node) and node.find_parent(BLOCKS) is block
    ]


def bind_last_words(root: Tag) -> None:
    """The last two words of each block share a line: a no-break space between them.

    (WeasyPrint has widows and orphans for lines across pages, but nothing
    against a single short word on a paragraph's last line.)"""
    for block in root.find_all(BLOCKS):
        texts = _texts(block)
        tail = ""  # the text after the space being replaced: what it binds
        for node in reversed(texts):
            text = str(node)
            stripped = text.rstrip()
            if not stripped:
                tail = text + tail
                continue
            index = max(stripped.rfind(" "), stripped.rfind("\n"))
            if index < 0:
                tail = text + tail
                continue
            before = stripped[:index].rstrip()
            last_word = before.split()[-1] if before.split() else ""
            if len(last_word) + len((text[index + 1 :] + tail).split(" ")[0]) <= MAX_BOUND:
                node.replace_with(stripped[:index] + NBSP + text[index + 1 :])
            break


def drop_web_only(soup: BeautifulSoup) -> list[str]:
    """Remove what the site marks as web-only (class ``web-only``); return their texts."""
    dropped = []
    for tag in soup.select(".web-only"):
        dropped.append(" ".join(tag.get_text(" ", strip=True).split()))
        tag.decompose()
    return dropped


#: Web and developer wording that the guide's pages use and that is untrue or
#: of no use on paper: (what it matches, what prints instead). Each must match
#: the pages (the builder warns when one no longer does, so none rots unseen);
#: a ``web-only`` class on the page does the same job without a pattern.
#: (None now: the parts of the site that were for the web reader leave the
#: handout whole, by pdf/webonly.py.)
WEB_WORDING: tuple[tuple[str, str], ...] = ()

#: Whole list items or paragraphs that only make sense on the web.
WEB_ONLY_BLOCKS: tuple[str, ...] = ()


def replace_web_wording(root: Tag) -> list[str]:
    """Apply WEB_WORDING and WEB_ONLY_BLOCKS; return the patterns that matched nothing."""
    unused = []
    for pattern, replacement in WEB_WORDING:
        regex = re.compile(pattern)
        found = False
        for block in root.find_all(["p", "li"]):
            text = block.get_text("", strip=False)
            if not regex.search(" ".join(text.split()) if "\n" in text else text):
                continue
            # rewrite the block's text nodes one by one (inline markup stays)
            for node in list(block.find_all(string=True)):
                if type(node) is not NavigableString:
                    continue
                new = regex.sub(replacement, " ".join(str(node).split("\n")))
                if new != " ".join(str(node).split("\n")):
                    node.replace_with(new)
                    found = True
            if not found:
                # the wording runs across inline markup (code, links): flatten it
                flat = regex.sub(replacement, " ".join(block.get_text("", strip=False).split()))
                if flat != " ".join(block.get_text("", strip=False).split()):
                    block.clear()
                    block.append(flat)
                    found = True
        if not found:
            unused.append(pattern)
    for pattern in WEB_ONLY_BLOCKS:
        regex = re.compile(pattern)
        found = False
        for block in root.find_all(["p", "li"]):
            text = " ".join(block.get_text(" ", strip=True).split())
            if regex.search(text):
                found = True
                sentences = re.split(r"(?<=[.!?])\s+", text)
                if len(sentences) > 1 and block.name == "p" and not block.find(True):
                    block.string = " ".join(s for s in sentences if not regex.search(s))
                else:
                    block.decompose()
        if not found:
            unused.append(pattern)
    return unused


def breakable_url(text: str) -> str:
    """An address shown on paper: no scheme, breakable only after its slashes and dots.

    The breaks are zero-width spaces, which a reader's copy drops with the rest
    of the layout; the link itself keeps the full address."""
    short = re.sub(r"^https?://", "", text).rstrip("/")
    return re.sub(r"(?<=[/.])(?=[^/.])", "\u200b", short)
