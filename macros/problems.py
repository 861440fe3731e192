"""Problems found in the .bib or in pages, reported as ``path:line: message``.

Nothing here raises: problems are collected so that one run reports all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass
class Problems:
    """An ordered collection of problems, without duplicates."""

    items: list[Problem] = field(default_factory=list)

    def error(self, path: str, line: int, message: str) -> None:
        self.add(Problem(path, line, message, "error"))

    def warning(self, path: str, line: int, message: str) -> None:
        self.add(Problem(path, line, message, "warning"))

    def add(self, problem: Problem) -> None:
        if problem not in self.items:
            self.items.append(problem)

    def extend(self, problems: Problems | list[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]
