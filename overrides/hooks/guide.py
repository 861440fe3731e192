"""The guide's own checks and fixes in every build (a MkDocs hook: mkdocs.yml, ``hooks:``).

- An image without alt text is a warning at its line, so ``mkdocs build
  --strict`` fails on it as ``make check``'s Markdown linter does (MD045):
  readers who cannot see the image get nothing from it.
- A page's ``description`` and ``author`` (its front matter) go into
  ``<meta>`` tags and link previews, which the theme writes without
  escaping: they are HTML-escaped here, so a quote in them cannot end
  the attribute (``description: 'The "reverse hyper"'``).
"""

from __future__ import annotations

import logging
import os
import re
from typing import Any

from markupsafe import escape

log = logging.getLogger("mkdocs.hooks.guide")

# Parts of a page that show Markdown as written: an image there is no image.
_NOT_MARKDOWN = re.compile(
    r"^(?P<fence>[ \t]*(?:```|~~~)).*?^(?P=fence)[ \t]*$|<!--.*?-->|`[^`\n]+`",
    re.DOTALL | re.MULTILINE,
)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*\n", re.DOTALL)
_MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\]\n]*)\]\((?P<src>[^)\s]*)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ALT = re.compile(r"\salt\s*=", re.IGNORECASE)
META_IN_TAGS = ("description", "author")


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def images_without_alt(text: str) -> list[tuple[int, str]]:
    """(line, what to write) for each image of a page's Markdown that has no alt text."""
    text = _FRONT_MATTER.sub(_blank, text)
    text = _NOT_MARKDOWN.sub(_blank, text)
    found = []
    for match in _MARKDOWN_IMAGE.finditer(text):
        if not match.group("alt").strip():
            src = match.group("src") or "file.svg"
            found.append((text.count("\n", 0, match.start()) + 1, f"![what it shows]({src})"))
    for match in _HTML_IMAGE.finditer(text):
        if not _ALT.search(match.group(0)):
            found.append((text.count("\n", 0, match.start()) + 1, '<img ... alt="what it shows">'))
    return sorted(found)


def on_page_markdown(markdown: str, /, *, page: Any, config: Any, files: Any) -> str:
    source = page.file.abs_src_path
    if source and os.path.isfile(source):
        with open(source, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        shown = os.path.relpath(source, os.path.dirname(os.path.abspath(config.config_file_path)))
        for line, write in images_without_alt(text):
            log.warning(
                f"{shown.replace(os.sep, '/')}:{line}: an image without alt text: readers who cannot see it "
                f"get nothing (describe it: {write})"
            )
    for name in META_IN_TAGS:
        value = page.meta.get(name)
        if isinstance(value, str):
            page.meta[name] = escape(value)
    return markdown
