"""The handout's size on the site, measured from the PDF just written.

A page marks where the size goes with an empty
``<span data-handout-size="handout.pdf"></span>`` (docs/index.md's download
button: "Download the handout (PDF, 84 kB)"); after the PDFs are written,
``fill`` puts each one's size there in every built page. Nothing is typed by
hand, and a site built without the handout shows "(PDF)".
"""

from __future__ import annotations

import re
from pathlib import Path

_SPAN = re.compile(r'(<span data-handout-size="([^"<>]+)">)[^<]*(</span>)')


def shown_size(size: int) -> str:
    """84 321 bytes -> ', 84 kB' (SI kilobytes, as browsers show downloads)."""
    return f", {max(1, round(size / 1000))} kB"


def fill(site_dir: Path, pdfs: dict[str, Path]) -> list[Path]:
    """Write each PDF's size into the pages that mark its place; returns the pages changed."""
    sizes = {name: shown_size(path.stat().st_size) for name, path in pdfs.items() if path.is_file()}
    changed = []
    for page in sorted(site_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if "data-handout-size=" not in text:
            continue
        new = _SPAN.sub(lambda m: m.group(1) + sizes.get(m.group(2), "") + m.group(3), text)
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed.append(page)
    return changed
