"""Citation styles: the Vancouver style written here, plus pybtex's own.

``vancouver`` is registered as a pybtex formatting plugin, so pybtex tools
can find it by name like the built-in ``unsrt``, ``plain`` and ``alpha``.
"""

from __future__ import annotations

from pybtex.plugin import find_plugin, register_plugin
from pybtex.style.formatting import BaseStyle

from .names import VancouverNameStyle
from .pybtex_style import VancouverStyle

STYLE_NAMES = ("vancouver", "unsrt", "plain", "alpha")

register_plugin("pybtex.style.names", "vancouver", VancouverNameStyle)
register_plugin("pybtex.style.formatting", "vancouver", VancouverStyle)


def get_style(name: str, max_authors: int = 6) -> BaseStyle:
    """An instance of the named style (one of STYLE_NAMES)."""
    if name == "vancouver":
        return VancouverStyle(max_authors=max_authors)
    style_class = find_plugin("pybtex.style.formatting", name)
    return style_class()


__all__ = ["STYLE_NAMES", "VancouverStyle", "get_style"]
