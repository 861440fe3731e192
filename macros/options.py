"""The engine's settings: a plain dataclass, so the engine needs no MkDocs import.

Typed once: the plugin's ``CitationsConfig`` (config.py) takes its defaults
from here and validates mkdocs.yml; ``config.load_options`` is the one place
that turns the validated values into ``Options``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Options:
    """The engine's settings (the citations plugin's options in mkdocs.yml)."""

    bibliography: str = "references.bib"
    style: str = "vancouver"
    numbering: str = "site"
    marker: str = "superscript"
    max_authors: int = 6
    auto_references: bool = True
    references_title: str = "References"
    warn_uncited: bool = True
