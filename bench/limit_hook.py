"""MkDocs hook of the benchmark's *limit* flavour: ours' citation HTML at no engine cost.

The limit's pages are the floor's with a placeholder word where ours has a
citation marker (``textZQCITE3Q.``) and, where ours appends a reference list,
its heading and a placeholder paragraph (``ZQREF0Q``). ``citations.json``,
written by the bench from one build of ours, holds the HTML ours produced for
each page; this hook puts it in place of the placeholders once Markdown has
made the page's HTML, so MkDocs, Material's theme and its search index get
exactly what they get from ours, without any engine. bench/generate.py
copies this file into each limit site; it imports nothing from the project.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

_HTML: dict[str, dict[str, list[str]]] = json.loads(
    Path(__file__).with_name("citations.json").read_text(encoding="utf-8")
)
_TOKEN = re.compile(r"<p>ZQREF([0-9]+)Q</p>|ZQCITE([0-9]+)Q")


def on_page_content(html: str, /, *, page: Any, **_: Any) -> str:
    chunks = _HTML.get(page.file.src_uri)
    if chunks is None:
        return html
    markers, blocks = chunks["markers"], chunks["blocks"]
    return _TOKEN.sub(lambda m: blocks[int(m[1])] if m[1] is not None else markers[int(m[2])], html)
