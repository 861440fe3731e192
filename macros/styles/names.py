"""Personal names the NLM way: 'Surname Initials Suffix', as exports really write them.

BibTeX reads 'Mccall Jr., W D' with 'Jr.' in the surname and 'Long, J. D.,
2nd' with '2nd' as the given name; ``name_parts`` puts both back, and a
capitalised particle written before the surname ('Bruno De Santi') joins
it. Corporate authors in braces stay whole.
"""

from __future__ import annotations

import re

from pybtex.database import Person
from pybtex.richtext import Text
from pybtex.style.names import BaseNameStyle

from ..bib.latex_to_text import to_unicode as latex_to_text

_SUFFIX = re.compile(r"^(?:jr|sr|jnr|snr)\.?$|^(?:II|III|IV|V|VI)$|^\d+(?:st|nd|rd|th)$", re.IGNORECASE)
_SUFFIX_AS_GIVEN = re.compile(r"^(?:jr|sr|jnr|snr)\.?$|^(?:II|III|IV)$|^\d+(?:st|nd|rd|th)$", re.IGNORECASE)
# Capitalised particles that belong to the surname ("Bruno De Santi").
_PARTICLES = frozenset(
    [
        "de",
        "di",
        "da",
        "del",
        "della",
        "dei",
        "degli",
        "des",
        "du",
        "van",
        "von",
        "der",
        "den",
        "ter",
        "ten",
        "le",
        "la",
        "dos",
        "das",
        "do",
    ]
)


def _initials(names: list[str]) -> str:
    letters = []
    for name in names:
        plain = latex_to_text(name).strip(".")
        # Already written as initials: 'SY' or 'S.Y.'
        compact = plain.replace(".", "")
        if compact.isalpha() and compact.isupper() and len(compact) <= 3:
            letters.append(compact)
            continue
        for part in re.split(r"[-\s.]+", plain):
            part = part.lstrip("[({")
            if part:
                letters.append(part[0].upper())
    return "".join(letters)


def name_parts(person: Person) -> tuple[list[str], list[str], list[str]]:
    """(surname parts, given names, suffixes) as exports really write them.

    BibTeX reads 'Mccall Jr., W D' with 'Jr.' in the surname and
    'Long, J. D., 2nd' with '2nd' as the given name; both are put back, and
    a capitalised particle before the surname in 'Bruno De Santi' joins it.
    """
    surname = list(person.prelast_names) + list(person.last_names)
    given = list(person.first_names) + list(person.middle_names)
    lineage = list(person.lineage_names)
    while len(surname) > 1 and _SUFFIX.match(latex_to_text(surname[-1])):
        lineage.insert(0, surname.pop())
    if lineage and given and all(_SUFFIX_AS_GIVEN.match(latex_to_text(part)) for part in given):
        given, lineage = lineage, given
    written = getattr(person, "name_text", "")
    if written and "," not in written:
        while len(given) > 1 and latex_to_text(given[-1]).lower() in _PARTICLES:
            surname.insert(0, given.pop())
    return surname, given, lineage


class VancouverNameStyle(BaseNameStyle):
    """'Surname Initials' without periods: 'Häkkinen K', 'van der Berg J', 'King ML Jr'."""

    def format(self, person: Person, abbr: bool = True) -> Text:
        surname_parts, given, lineage_parts = name_parts(person)
        surname = " ".join(latex_to_text(part) for part in surname_parts)
        initials = _initials(given)
        lineage = " ".join(latex_to_text(part).rstrip(".") for part in lineage_parts)
        pieces = [piece for piece in (surname, initials, lineage) if piece]
        return Text(" ".join(pieces))
