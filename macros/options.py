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

    bibliography: str | tuple[str, ...] = "references.bib"  # a file, a folder of them, or a list
    style: str = "vancouver"
    numbering: str = "site"
    marker: str = "superscript"
    max_authors: int = 6
    auto_references: bool = True
    references_title: str = ""  # "": in the site's language (theme.language), "References" in English
    warn_uncited: bool = False  # False: one INFO line with their number
    pandoc_citations: bool = True  # [@key], [@a; @b, p. 3], [-@key]
    in_text_citations: bool = True  # @key in the text, when key is in the .bib
    references_placeholder: str = "\\bibliography"  # mkdocs-bibtex's bib_command
    bibliography_placeholder: str = "\\full_bibliography"  # mkdocs-bibtex's full_bib_command
    language: str = "en"  # the theme's language (set by the plugin, not an option)


# Fields the plugin fills from the rest of mkdocs.yml, not options of its own.
FROM_THE_SITE = ("language",)
