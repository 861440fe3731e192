"""What the page scan finds: citations, headings, notes (the data, no scanning)."""

from __future__ import annotations

from dataclasses import dataclass, field

CALL_NAMES = ("cite", "references", "bibliography")


@dataclass
class CiteItem:
    """One source in a citation: its key and, when given, its pinpoint (``p. 33``) and prefix."""

    key: str
    loc: str | None = None
    prefix: str = ""


@dataclass
class Found:
    """One piece of the engine's syntax: [start, end) of the body it replaces."""

    kind: str  # "cite" | "references" | "bibliography"
    start: int
    end: int
    line: int
    syntax: str  # "jinja" | "pandoc" | "in-text" | "placeholder"
    items: list[CiteItem] = field(default_factory=list)
    author: bool = False  # an in-text citation: the author's name is written before the marker
    uncited: bool = False  # bibliography(uncited=True), \full_bibliography
    valid: bool = True  # False: the call has a mistake (reported); it renders as a broken marker
    where: str = ""  # "heading" or "link" when it sits where a citation must not

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)


@dataclass
class Heading:
    line: int
    level: int
    text: str
    start: int  # offset of the heading's first line
    end: int  # offset just after the heading's line (or its underline)


@dataclass
class Note:
    """A mistake or leftover found by the scan: line, message, severity."""

    line: int
    message: str
    severity: str = "error"
    kind: str = "page.syntax"


@dataclass
class PageSyntax:
    found: list[Found]
    notes: list[Note]
    headings: list[Heading]
