"""pybtex's HTML backend made safe (imported on a cache miss only, with pybtex)."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import ClassVar

from pybtex.backends.html import Backend as PybtexHtmlBackend

_SAFE_TAGS = {"em", "strong", "i", "b", "sup", "sub", "span"}
_SAFE_URL = re.compile(r"https?://[^\s<>\"'`]+$", re.IGNORECASE)


class SafeHtmlBackend(PybtexHtmlBackend):
    """pybtex's HTML backend, with attributes escaped and only http(s) links.

    pybtex writes ``href`` values as they are; a .bib field must never reach
    the page as markup, so every URL is checked and attribute-escaped here.
    """

    symbols: ClassVar[Mapping[str, str]] = {**PybtexHtmlBackend.symbols, "newblock": " "}

    def format_str(self, text: str) -> str:
        return html.escape(text, quote=False)

    def format_protected(self, text: str) -> str:
        return text

    def format_tag(self, tag: str, text: str) -> str:
        if not text:
            return ""
        return f"<{tag}>{text}</{tag}>" if tag in _SAFE_TAGS else text

    @staticmethod
    def format_href(url: str, text: str, external: bool = False) -> str:
        if not text:
            return ""
        if not _SAFE_URL.match(url):
            return text
        return f'<a href="{html.escape(url, quote=True)}">{text}</a>'
