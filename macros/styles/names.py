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
    if written and "," not in written and not given and surname[:-1] and written == written.lower():
        # 'sudhin jacob', typed all in lower case: BibTeX reads 'sudhin' as a particle, it is the given name
        given, surname = surname[:-1], surname[-1:]
    if written and "," not in written:
        while len(given) > 1 and latex_to_text(given[-1]).lower() in _PARTICLES:
            surname.insert(0, given.pop())
    return surname, given, lineage


_ROMAN_ORDINALS = {"ii": "2nd", "iii": "3rd", "iv": "4th", "v": "5th", "vi": "6th"}
# Words that name an organisation, never a person: an author 'Allameh Tabataba'i University'
# or 'Massachusetts General Hospital' written without braces is kept whole.
_CORPORATE_WORDS = frozenset(
    [
        "university",
        "universität",
        "université",
        "universidad",
        "universidade",
        "università",
        "hospital",
        "school",
        "college",
        "institute",
        "institut",
        "instituto",
        "council",
        "committee",
        "association",
        "society",
        "foundation",
        "agency",
        "department",
        "ministry",
        "organization",
        "organisation",
        "centre",
        "center",
        "group",
        "consortium",
        "collaboration",
        "team",
        "network",
        "laboratory",
        "laboratories",
        "board",
        "commission",
        "company",
        "corporation",
        "inc",
        "ltd",
        "gmbh",
        "federation",
        "academy",
    ]
)
# Lower-case words BibTeX takes for a particle ('von') that are English words of a name of an
# organisation ('American Rights at Work'), never part of a person's surname.
_ENGLISH_FUNCTION_WORDS = frozenset(["at", "of", "for", "the", "on", "in", "and", "to", "with"])


def lineage_text(value: str) -> str:
    """'Jr.' -> 'Jr', 'III' -> '3rd' (NLM writes generation numbers as ordinals)."""
    plain = latex_to_text(value).rstrip(".")
    return _ROMAN_ORDINALS.get(plain.lower(), plain) if plain.isupper() else plain


def corporate_name(person: Person) -> str | None:
    """The name as written if it names an organisation rather than a person; else None."""
    written = getattr(person, "name_text", "") or ""
    if not written or "," in written or " " not in written.strip():
        return None
    words = [latex_to_text(word) for word in written.split()]
    lowered = [word.lower().strip(".,;:()") for word in words]
    if any(word in _CORPORATE_WORDS for word in lowered):
        return " ".join(words)
    if any(word in _ENGLISH_FUNCTION_WORDS for word in lowered[1:-1]):
        return " ".join(words)
    return None


def vancouver_name(person: Person) -> str:
    """'Surname Initials Suffix' as plain text: 'Häkkinen K', 'van der Berg J', 'King ML Jr'.

    The same name written the same way is formatted once (remembered by its parts).
    """
    key = (
        getattr(person, "name_text", None),
        tuple(person.prelast_names),
        tuple(person.last_names),
        tuple(person.first_names),
        tuple(person.middle_names),
        tuple(person.lineage_names),
    )
    shown = _NAME_MEMO.get(key)
    if shown is None:
        shown = _format_name(person)
        if len(_NAME_MEMO) < 65536:
            _NAME_MEMO[key] = shown
    return shown


_NAME_MEMO: dict[tuple[object, ...], str] = {}


def _format_name(person: Person) -> str:
    corporate = corporate_name(person)
    if corporate is not None:
        return corporate
    surname_parts, given, lineage_parts = name_parts(person)
    surname = " ".join(latex_to_text(part) for part in surname_parts)
    initials = _initials(given)
    lineage = " ".join(lineage_text(part) for part in lineage_parts)
    return " ".join(piece for piece in (surname, initials, lineage) if piece)


class VancouverNameStyle(BaseNameStyle):
    """pybtex's name style plugin for ``vancouver_name``."""

    def format(self, person: Person, abbr: bool = True) -> Text:
        return Text(vancouver_name(person))
