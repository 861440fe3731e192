"""``vancouver`` as a pybtex formatting style: the direct formatter's pieces as pybtex rich text.

Kept apart from ``vancouver.py`` (the NLM rules) and ``nlm.py`` (the direct
formatter, written with those rules) so that imports run one way:
vancouver -> nlm -> pybtex_style.
"""

from __future__ import annotations

from pybtex.richtext import HRef, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting.unsrt import Style as UnsrtStyle

from .nlm import NlmFormatter


class VancouverStyle(UnsrtStyle):
    """NLM / ICMJE numbered references, first-cited order, as a pybtex style plugin.

    The references are written by the direct formatter (``nlm.NlmFormatter``);
    this class gives its pieces to pybtex as rich text (a link as ``HRef``),
    for pybtex's tools and for the formatter's fallback when one of pybtex's
    own styles cannot format an entry.
    """

    default_name_style = "vancouver"
    default_sorting_style = "none"
    default_label_style = "number"

    def __init__(self, max_authors: int = 6, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.max_authors = max_authors
        self.direct = NlmFormatter(max_authors)

    def format_entry(self, label, entry, bib_data=None):  # type: ignore[no-untyped-def]
        pieces = self.direct.format(entry, bib_data)
        parts = [part if isinstance(part, str) else HRef(part[0], part[1]) if part[0] else part[1] for part in pieces]
        return FormattedEntry(entry.key, Text(*parts), label)
