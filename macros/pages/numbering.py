"""Citation numbers: first appearance in reading order, and range compression."""

from __future__ import annotations

from collections.abc import Iterable


def compress(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted, de-duplicated runs; a run of three or more becomes (first, last).

    >>> compress([5, 1, 2, 3])
    [(1, 3), (5, 5)]
    >>> compress([2, 1])
    [(1, 1), (2, 2)]
    """
    ordered = sorted(set(numbers))
    runs: list[tuple[int, int]] = []
    start = prev = None
    for number in ordered:
        if prev is not None and number == prev + 1:
            prev = number
            continue
        if start is not None and prev is not None:
            runs.extend(_split(start, prev))
        start = prev = number
    if start is not None and prev is not None:
        runs.extend(_split(start, prev))
    return runs


def _split(first: int, last: int) -> list[tuple[int, int]]:
    if last - first >= 2:
        return [(first, last)]
    return [(n, n) for n in range(first, last + 1)]


def compress_text(numbers: Iterable[int]) -> str:
    """'1–3,5' for [1, 2, 3, 5] (en dash, no spaces)."""
    return ",".join(str(first) if first == last else f"{first}\u2013{last}" for first, last in compress(numbers))


class Numbering:
    """Assigns numbers to keys in the order they are first seen.

    ``mode="site"``: one sequence for the whole site, so a key has the same
    number on every page. ``mode="page"``: every page starts again at 1.
    Keys are compared case-insensitively, as BibTeX does.
    """

    def __init__(self, mode: str = "site") -> None:
        if mode not in ("site", "page"):
            raise ValueError(f"numbering mode must be 'site' or 'page', not {mode!r}")
        self.mode = mode
        self.site: dict[str, int] = {}
        self.pages: dict[str, dict[str, int]] = {}

    def see(self, page: str, key: str) -> int:
        """Record that ``page`` cites ``key``; return its number there."""
        lower = key.lower()
        if lower not in self.site:
            self.site[lower] = len(self.site) + 1
        local = self.pages.setdefault(page, {})
        if lower not in local:
            local[lower] = len(local) + 1
        return self.number(page, key)

    def number(self, page: str, key: str) -> int:
        lower = key.lower()
        if self.mode == "site":
            return self.site[lower]
        return self.pages[page][lower]

    def keys_in_order(self) -> list[str]:
        """Every key seen, in site-wide first-appearance order (lower case)."""
        return sorted(self.site, key=self.site.__getitem__)

    def page_keys(self, page: str) -> list[str]:
        """The keys cited on a page, in the order of their numbers there."""
        local = self.pages.get(page, {})
        return sorted(local, key=lambda k: self.number(page, k))
