"""Drive the citation engine (``CitationIndex`` and ``PageRenderer`` of ``macros.pages``) as one build does, without MkDocs.

``run`` writes a .bib and one page citing some keys into a project folder,
scans, validates and renders the page and a bibliography page as the MkDocs
adapter does, saves the cache and returns the HTML and the messages. Each
call is a separate build: without the in-process memo of ``mkdocs serve``,
a warm build reads only what ``.cache/citations/`` holds.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from macros.options import Options
from macros.pages.index import CitationIndex
from macros.pages.renderer import PageRenderer
from macros.pages.scan import KEY_PATTERN, PageInfo


@dataclass
class Result:
    html: str
    messages: list[str]
    index: CitationIndex

    @property
    def errors(self) -> list[str]:
        return [m for m in self.messages if m.startswith("error: ")]

    @property
    def warnings(self) -> list[str]:
        return [m for m in self.messages if m.startswith("warning: ")]


def jinja_string(key: str) -> str:
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def citable(key: str) -> bool:
    return KEY_PATTERN.fullmatch(key) is not None


def run(project: Path, bib: str | bytes, cited: list[str], style: str = "vancouver", cold: bool = False) -> Result:
    """One build of a project whose page cites ``cited`` (one cite() each)."""
    if cold:
        shutil.rmtree(project / ".cache", ignore_errors=True)
    docs = project / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    raw = bib.encode("utf-8") if isinstance(bib, str) else bib
    bib_path = project / "references.bib"
    if not bib_path.exists() or bib_path.read_bytes() != raw:
        bib_path.write_bytes(raw)
    lines = ["# Page", ""] + [f"Claim {{{{ cite({jinja_string(key)}) }}}}." for key in cited if citable(key)]
    (docs / "page.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (docs / "refs.md").write_text("# All\n\n{{ bibliography() }}\n", encoding="utf-8")
    infos = [
        PageInfo(src=name, abs_path=str(docs / name), path=f"docs/{name}", url=name[:-3] + "/", title=name)
        for name in ("page.md", "refs.md")
    ]
    index = CitationIndex(Options(style=style, warn_uncited=True), str(project), infos)
    index.validate()
    parts: list[str] = []
    for info in infos:
        page = PageRenderer(index, info.src)
        parts.extend(str(page.marker(call.keys, call.loc)) for call in page.page.cites)
        page.end()
        if info.src == "refs.md":
            parts.append(str(page.bibliography()))
        elif page.needs_auto_references():
            parts.append(str(page.references()))
    index.finish()
    messages = [f"{p.severity}: {p}" for p in index.problems]
    return Result("\n".join(parts), messages, index)
