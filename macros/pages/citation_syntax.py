"""Find the engine's own syntax in a page, and nothing else, in one linear pass.

What the engine reads in a page:

- its calls ``{{ cite("key") }}``, ``{{ references() }}``, ``{{ bibliography() }}``
  (a ``{{ … }}`` whose expression starts with one of these names);
- pandoc's citations: ``[@key]``, ``[@a; @b]``, ``[see @key, p. 33; also @b]``,
  ``[-@key]`` and the in-text ``@key`` (only when ``key`` is in the .bib);
- mkdocs-bibtex's placeholders ``\\bibliography`` and ``\\full_bibliography``
  (or the commands a site configured).

Everything else is left byte for byte: every other ``{{ … }}``, ``{% … %}``,
``{# … #}`` (math, another plugin's macros, text), and the syntax inside
code blocks and spans, math, HTML tags and comments, ``{% raw %}`` blocks,
URLs and link targets. Leftovers that look like a citation the engine does
not read (``\\cite{…}``, a ``[@…]`` that is not a citation) are reported.

The scan is linear in the page's length: every position is looked at a
bounded number of times (no regular expression here can backtrack over more
than the text it matches, brackets are matched with a stack, a code span's
closing run is found through per-length position lists). No MkDocs imports.

The work is in passes, each in its own module: ``blocks`` (pass 1: code,
math, headings) and ``inline_scan`` (pass 2: the inline syntax), which reads
call arguments with ``call_arguments`` and bracketed citations with
``pandoc_groups``; the data is in ``syntax_model``. This module is the entry:
``scan_syntax`` and ``render``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from .blocks import _blocks
from .inline_scan import _Scanner
from .syntax_model import CALL_NAMES, CiteItem, Found, Heading, Note, PageSyntax

__all__ = ["CALL_NAMES", "CiteItem", "Found", "Heading", "Note", "PageSyntax", "render", "scan_syntax"]


# -- the whole page -------------------------------------------------------------------


def scan_syntax(
    body: str,
    keys: Callable[[str], str | None] | None,
    *,
    placeholders: dict[str, tuple[str, bool]] | None = None,
    in_text: bool = True,
    pandoc: bool = True,
    calls: bool = True,
) -> PageSyntax:
    """Every piece of the engine's syntax in ``body`` (a page without its front matter).

    ``keys``: the .bib's spelling of a key written in any case, or None (None:
    every in-text ``@word`` that could be a key is found; the caller sorts them).
    ``placeholders``: command -> (kind, uncited), e.g. ``{"\\\\bibliography": ("references", False)}``.
    ``calls``: read ``{{ cite() }}`` and the other calls (False: ``render_macros: false``).
    """
    scanner = _Scanner(body, keys, placeholders or {}, in_text, pandoc, calls)
    skip, headings, heading_lines, blanks = _blocks(body, scanner.starts)
    regions: list[tuple[int, int]] = []
    pos = 0
    for start, end in _merge(skip):
        if start > pos:
            regions.append((pos, start))
        pos = max(pos, end)
    if pos < len(body):
        regions.append((pos, len(body)))
    scanner.run(regions, blanks)
    found = sorted(scanner.found, key=lambda f: f.start)
    found = _places(found, scanner, heading_lines)
    lists = [f for f in found if f.kind == "references"]
    for extra in lists[1:]:
        scanner.note(
            extra.start,
            f"a second reference list on the page (the first is on line {lists[0].line}): "
            "a page has one references() or \\bibliography; remove this one",
            kind="page.list-arguments",
        )
        extra.valid = False
    notes = sorted(scanner.notes, key=lambda n: n.line)
    return PageSyntax(found, notes, headings)


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in ranges:
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _places(found: list[Found], scanner: _Scanner, heading_lines: set[int]) -> list[Found]:
    """Mark citations in a heading or in <a> link text (one sweep over both, in order).

    An in-text ``@name`` in link text is the link's text (a handle), not a citation.
    """
    links = sorted(scanner.links)
    li = 0
    kept = []
    for item in found:
        if item.kind == "cite":
            while li < len(links) and links[li][1] <= item.start:
                li += 1
            if item.line in heading_lines:
                item.where = "heading"
            elif li < len(links) and links[li][0] <= item.start:
                if item.syntax == "in-text":
                    continue
                item.where = item.where or "link"
        kept.append(item)
    return kept


def render(body: str, found: Collection[Found], replace: Callable[[Found], str]) -> str:
    """``body`` with every found piece replaced by ``replace(piece)``, the rest byte for byte."""
    parts: list[str] = []
    pos = 0
    for item in found:
        parts.append(body[pos : item.start])
        parts.append(replace(item))
        pos = item.end
    parts.append(body[pos:])
    return "".join(parts)
