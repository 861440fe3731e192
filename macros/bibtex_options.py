"""mkdocs-bibtex's options, read by the citations plugin.

A site moves from mkdocs-bibtex by changing ``- bibtex:`` to ``- citations:``
in mkdocs.yml. Its options are either understood (read as the citations
option that does the same thing, with a note at INFO level naming the new
name) or answered with what to write instead. No MkDocs imports here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Note:
    option: str
    severity: str  # "info", "warning" or "error"
    message: str


# mkdocs-bibtex name -> the citations option that does the same
RENAMED = {
    "bib_file": "bibliography",
    "bib_dir": "bibliography",
    "bib_by_default": "auto_references",
    "bib_command": "references_placeholder",
    "full_bib_command": "bibliography_placeholder",
    "enable_inline_citations": "in_text_citations",
    "csl_file": "style",  # a .csl file is a style here (macros/csl/)
}

# options that have no meaning here, and why
IGNORED = {
    "footnote_format": "citations are numbered markers with their own ids, not footnotes",
    "csl_file_encoding": "CSL files are read as UTF-8",
    "cite_inline": "markers are always in the text",
    "unescape_for_arithmatex": "the engine never changes maths",
    "cite_style": "pandoc's syntax is always read",
}

BIBTEX_OPTIONS = frozenset({*RENAMED, *IGNORED})


def is_url(value: object) -> bool:
    return isinstance(value, str) and value.strip().lower().startswith(("http://", "https://", "ftp://"))


def translate(raw: Mapping[str, object]) -> tuple[dict[str, object], list[Note]]:
    """(the options with mkdocs-bibtex's names read as the citations plugin's, what to say about each)."""
    out = {key: value for key, value in raw.items() if key not in BIBTEX_OPTIONS}
    notes: list[Note] = []
    files: list[object] = []
    for name in ("bib_file", "bib_dir"):
        if name in raw:
            value = raw[name]
            if "bibliography" in raw:
                notes.append(Note(name, "error", "mkdocs-bibtex's name for bibliography, which is also set: keep one"))
                continue
            files.append(value)
            notes.append(Note(name, "info", "mkdocs-bibtex's name, read as bibliography (rename it when convenient)"))
    if files:
        out["bibliography"] = files[0] if len(files) == 1 else files
    for name, new in RENAMED.items():
        if name in ("bib_file", "bib_dir") or name not in raw:
            continue
        if new in raw:
            notes.append(Note(name, "error", f"mkdocs-bibtex's name for {new}, which is also set: keep one"))
            continue
        out[new] = raw[name]
        notes.append(Note(name, "info", f"mkdocs-bibtex's name, read as {new} (rename it when convenient)"))
    for name, why in IGNORED.items():
        if name in raw:
            notes.append(Note(name, "info", f"mkdocs-bibtex's option, not needed here ({why}); remove it"))
    return out, notes
