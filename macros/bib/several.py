"""Several .bib files read as one: ``bibliography: [a.bib, b.bib]`` or a folder of them.

Each file is read, cached and validated on its own (bib/load.py), so a
change to one leaves the others' caches alone. Keys are looked up in file
order and the first definition wins, as biber does; a key defined in two
files is reported once, naming both places: at INFO when both entries say
the same (merged exports often repeat an entry), else as a warning.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from ..problems import Problem, Problems
from .reader import BibEntry, Bibliography


class _Entries(Mapping[str, BibEntry]):
    """The entries of all files by lower-case key, each from the first file that has it."""

    def __init__(self, owner: dict[str, Bibliography]) -> None:
        self._owner = owner

    def __getitem__(self, lower: str) -> BibEntry:
        return self._owner[lower].entries[lower]

    def __iter__(self) -> Iterator[str]:
        return iter(self._owner)

    def __len__(self) -> int:
        return len(self._owner)


@dataclass
class BibSet(Bibliography):
    """The files of ``bibliography:`` as one Bibliography; ``owner`` says which file holds a key."""

    files: list[Bibliography] = field(default_factory=list)
    owner: dict[str, Bibliography] = field(default_factory=dict)

    def follow_up(self, problem: Problem) -> bool:
        return any(file.follow_up(problem) for file in self.files)

    def file_of(self, key: str) -> Bibliography:
        return self.owner.get(key.lower(), self.files[0])

    def all_keys(self) -> list[str]:
        return [entry.key for entry in self.entries.values()]


def _same(a: BibEntry, b: BibEntry) -> bool:
    return " ".join(a.text.split()).lower() == " ".join(b.text.split()).lower()


def combine(files: list[Bibliography]) -> Bibliography:
    """One Bibliography for the build: the file itself when there is one, else a BibSet."""
    if len(files) == 1:
        return files[0]
    owner: dict[str, Bibliography] = {}
    problems = Problems()
    for file in files:
        problems.extend(file.problems)
    for file in files:
        for lower in file.entries:
            first = owner.get(lower)
            if first is None:
                owner[lower] = file
                continue
            old, new = first.entries[lower], file.entries[lower]
            if _same(old, new):
                message = (
                    f"entry '{new.key}' is also in {first.path}:{old.line}, the same entry; "
                    f"the first ({first.path}) is used"
                )
                problems.info(file.path, new.line, message, kind="bib.duplicate-key-across-files")
            else:
                message = (
                    f"entry '{new.key}' is also defined, differently, at {first.path}:{old.line}, "
                    "which is the one used (remove one, or give this one another key)"
                )
                problems.warning(file.path, new.line, message, kind="bib.duplicate-key-across-files")
    return BibSet(
        path=files[0].path,
        entries=_Entries(owner),  # type: ignore[arg-type]
        problems=problems,
        files=files,
        owner=owner,
    )
