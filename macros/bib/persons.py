"""Names whose parts pybtex splits only when they are shown (imported on a cache miss only)."""

from __future__ import annotations

from pybtex.database import Person


class _SplitOnUse:
    """A name part of a DeferredPerson: reading it splits the name (once).

    Person.__init__ then stores every part on the instance, which hides
    this (non-data) descriptor from then on.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, person: DeferredPerson | None, owner: type | None = None) -> object:
        if person is None:
            return self
        Person.__init__(person, person.name_text)
        return person.__dict__[self.name]


class DeferredPerson(Person):
    """A pybtex ``Person`` whose name is split into its parts on first use.

    Splitting names is a third of the time a full parse of a large .bib file
    takes, and only the names of cited entries are ever shown. The one
    problem pybtex finds in a name (more than two commas) is looked for when
    the entry is read; such a name is split at once instead.
    """

    first_names = _SplitOnUse()
    middle_names = _SplitOnUse()
    prelast_names = _SplitOnUse()
    last_names = _SplitOnUse()
    lineage_names = _SplitOnUse()

    def __init__(self, string: str) -> None:  # pybtex splits the name on first use
        self.name_text = string
