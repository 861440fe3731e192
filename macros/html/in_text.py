"""The author's name an in-text citation (pandoc's ``@key``) writes before its number.

Vancouver is a numbered style, so ``@kang2013 showed`` reads "Kang et al.³
showed": the surnames of one or two authors, else the first author's and
"et al." (NLM's in-text form); editors when there is no author; an
organisation's name; the key when the entry names nobody. No MkDocs imports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..bib.latex_to_text import to_unicode

if TYPE_CHECKING:
    from pybtex.database import Entry


def _surname(person: object) -> str:
    parts = [*getattr(person, "prelast_names", ()), *getattr(person, "last_names", ())]
    return " ".join(to_unicode(part) for part in parts).strip()


def in_text_name(entry: Entry, key: str) -> str:
    """'Kang', 'Leimkuhler and Matthews', 'Tuckerman et al.', an organisation, or the key."""
    for role in ("author", "editor"):
        people = [name for name in (_surname(p) for p in entry.persons.get(role, ())) if name]
        if len(people) == 1:
            return people[0]
        if len(people) == 2:
            return f"{people[0]} and {people[1]}"
        if people:
            return f"{people[0]} et al."
    for field in ("organization", "institution", "publisher"):
        value = entry.fields.get(field)
        if value:
            return to_unicode(str(value)).strip("{} ")
    return key
