"""Hand the engine's HTML to Python-Markdown without Markdown reading it.

A citation marker or a reference list is finished HTML, but when it is
written into a page's Markdown, Markdown parses it again: the raw-HTML
block parser reads every tag of a reference list, and the inline
processors walk every marker. That costs more than making the HTML.

So the macros write a short token instead, ``U+E000 number U+E001`` (characters
from Unicode's private use area, which no text contains and which
Markdown leaves alone). A Markdown preprocessor that runs right after
whitespace normalisation swaps each token for a placeholder of
Markdown's own raw-HTML stash, the same mechanism Markdown uses for HTML
written in a page: the HTML comes out unchanged, in place. Headings, the
table of contents and the search index see exactly what they saw before.

Nothing here imports MkDocs; ``plugin.py`` adds the extension to the
build's ``markdown_extensions``.
"""

from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

OPEN, CLOSE = "\ue000", "\ue001"
TOKEN = re.compile(f"{OPEN}([0-9]+){CLOSE}")
# After normalize_whitespace (30), which would strip Markdown's own
# placeholder characters; before code blocks (25) and raw HTML (20).
PRIORITY = 29
_FIRST_TAG = re.compile(r"<([a-zA-Z][^\s>/]*)")
_BLANK_LINE = re.compile(r"([ ]*\n){2}")  # markdown.htmlparser.blank_line_re


class HtmlTokens:
    """The HTML of the page being rendered, by token."""

    def __init__(self) -> None:
        self.page = ""
        self.pending: dict[int, str] = {}
        self.used: set[int] = set()
        self._count = 0

    def token(self, html: str) -> str:
        """A token for ``html``; a block (a reference list) must stand on lines of its own."""
        self._count += 1
        core = html.strip()
        self.pending[self._count] = core
        # The line breaks around a block stay in the Markdown, where they were.
        start = html.index(core[0]) if core else 0
        return f"{html[:start]}{OPEN}{self._count}{CLOSE}{html[start + len(core) :]}"

    def start(self, page: str) -> str | None:
        """Begin a page; returns the previous page if some of its HTML never reached Markdown."""
        lost = self.page if set(self.pending) - self.used else None
        self.page = page
        self.pending = {}
        self.used = set()
        return lost

    def extension(self) -> Extension:
        return _TokenExtension(self)


class _TokenExtension(Extension):
    def __init__(self, tokens: HtmlTokens) -> None:
        super().__init__()
        self.tokens = tokens

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(_TokenPreprocessor(md, self.tokens), "citation_html", PRIORITY)


class _TokenPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, tokens: HtmlTokens) -> None:
        super().__init__(md)
        self.tokens = tokens

    def run(self, lines: list[str]) -> list[str]:
        if not self.tokens.pending:
            return lines
        text = "\n".join(lines)
        if OPEN not in text:
            return lines

        def stash(match: re.Match[str]) -> str:
            number = int(match.group(1))
            html = self.tokens.pending.get(number)
            if html is None:
                return match.group(0)
            self.tokens.used.add(number)
            tag = _FIRST_TAG.match(html)
            if tag and self.md.is_block_level(tag.group(1)) and _BLANK_LINE.match(text, match.end()):
                html += "\n"  # as Markdown keeps a raw HTML block that a blank line follows
            placeholder: str = self.md.htmlStash.store(html)
            return placeholder

        return TOKEN.sub(stash, text).split("\n")
