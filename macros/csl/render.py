"""HTML of an author-date marker: '(Kang et al., 2013a; Ono et al., 2011)', each source a link.

The same contract as the numbered marker (macros/README.md, "The HTML it
writes"): one element with ``class="citation"``, ``id="cite-PAGE-N"`` and
``data-keys``, one ``<a href="#ref-…" title="the reference as text">`` per
source; ``citation-author-date`` (and ``citation-narrative`` for an in-text
citation) tell it apart. The parts are citeproc-py's HTML, already made safe
by ``processor._safe``; keys, links and titles are escaped here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup

from .formatter import CitationParts


def render_author_date_marker(
    *,
    marker_id: str,
    keys: Sequence[str],
    citation: CitationParts,
    links: Mapping[str, tuple[str | None, str]],
    narrative: bool = False,
    broken: bool = False,
) -> Markup:
    """``links``: key -> (href or None, the reference as text for the tooltip)."""
    classes = "citation citation-author-date"
    if narrative:
        classes += " citation-narrative"
    if broken:
        classes += " citation-error"
    pieces: list[Markup] = []
    for key, part in citation.parts:
        href, title = links.get(key.lower(), (None, ""))
        inner = Markup(part)  # citeproc-py's output, checked tag by tag by processor._safe
        if href:
            pieces.append(Markup('<a href="{}" title="{}">{}</a>').format(href, title, inner))
        else:
            pieces.append(inner)
    if broken:
        pieces.append(Markup("?"))
    body = Markup(citation.delimiter).join(pieces)  # escaped by CitationParts' maker
    return Markup('<span class="{}" id="{}" data-keys="{}">{}{}{}</span>').format(
        classes,
        marker_id,
        " ".join(keys),
        Markup(citation.open),  # escaped by CitationParts' maker
        body,
        Markup(citation.close),  # escaped by CitationParts' maker
    )


__all__ = ["render_author_date_marker"]
