"""Problems found in the .bib or in pages, reported as ``path:line: message``.

Nothing here raises: problems are collected so that one run reports all of them.
Every problem the engine reports has a ``kind`` (``bib.duplicate-key``,
``page.unknown-key``, ...; macros/README.md lists them): ``check`` groups
warnings by it and follow-ups are recognised by it, never by their wording.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    severity: Severity = "error"
    kind: str = field(default="", compare=False)  # what went wrong, e.g. "bib.duplicate-key"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class Problems:
    """An ordered collection of problems, without duplicates (each looked up in a set).

    ``ignore``: a test for problems that are only the follow-up of one
    already reported (they are left out).
    """

    def __init__(self, items: Iterable[Problem] = (), ignore: Callable[[Problem], bool] | None = None) -> None:
        self.items: list[Problem] = []
        self._seen: set[Problem] = set()
        self._ignore = ignore
        self.extend(items)

    def error(self, path: str, line: int, message: str, kind: str = "") -> None:
        self.add(Problem(path, line, message, "error", kind))

    def warning(self, path: str, line: int, message: str, kind: str = "") -> None:
        self.add(Problem(path, line, message, "warning", kind))

    def info(self, path: str, line: int, message: str, kind: str = "") -> None:
        """Worth saying, not a problem: logged at INFO, so --strict passes."""
        self.add(Problem(path, line, message, "info", kind))

    def add(self, problem: Problem) -> None:
        if problem in self._seen or (self._ignore is not None and self._ignore(problem)):
            return
        self._seen.add(problem)
        self.items.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]
