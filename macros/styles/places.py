"""Places of publication the NLM way: 'Reading, Massachusetts' -> 'Reading (MA)'.

*Citing Medicine* follows a US city with the two-letter postal code of its
state, and a Canadian city with that of its province, in parentheses. Only a
place written "City, State" (with the state spelled out, in the postal code,
or in the old abbreviation such as "Mass.") is changed; a trailing "USA" goes.
Everything else is kept as written.
"""

from __future__ import annotations

import re

_CODES = {
    "AL": ("alabama", "ala"),
    "AK": ("alaska",),
    "AZ": ("arizona", "ariz"),
    "AR": ("arkansas", "ark"),
    "CA": ("california", "calif", "cal"),
    "CO": ("colorado", "colo"),
    "CT": ("connecticut", "conn"),
    "DE": ("delaware", "del"),
    "DC": ("district of columbia", "d.c", "dc"),
    "FL": ("florida", "fla"),
    "GA": ("georgia",),
    "HI": ("hawaii",),
    "ID": ("idaho",),
    "IL": ("illinois", "ill"),
    "IN": ("indiana", "ind"),
    "IA": ("iowa",),
    "KS": ("kansas", "kans", "kan"),
    "KY": ("kentucky",),
    "LA": ("louisiana",),
    "ME": ("maine",),
    "MD": ("maryland",),
    "MA": ("massachusetts", "mass"),
    "MI": ("michigan", "mich"),
    "MN": ("minnesota", "minn"),
    "MS": ("mississippi", "miss"),
    "MO": ("missouri",),
    "MT": ("montana", "mont"),
    "NE": ("nebraska", "nebr", "neb"),
    "NV": ("nevada", "nev"),
    "NH": ("new hampshire", "n.h"),
    "NJ": ("new jersey", "n.j"),
    "NM": ("new mexico", "n.m", "n. mex"),
    "NY": ("new york", "n.y"),
    "NC": ("north carolina", "n.c"),
    "ND": ("north dakota", "n.d", "n. dak"),
    "OH": ("ohio",),
    "OK": ("oklahoma", "okla"),
    "OR": ("oregon", "ore", "oreg"),
    "PA": ("pennsylvania", "penn", "penna"),
    "RI": ("rhode island", "r.i"),
    "SC": ("south carolina", "s.c"),
    "SD": ("south dakota", "s.d", "s. dak"),
    "TN": ("tennessee", "tenn"),
    "TX": ("texas", "tex"),
    "UT": ("utah",),
    "VT": ("vermont",),
    "VA": ("virginia",),
    "WA": ("washington", "wash"),
    "WV": ("west virginia", "w.va", "w. va"),
    "WI": ("wisconsin", "wis", "wisc"),
    "WY": ("wyoming", "wyo"),
    # Canada
    "AB": ("alberta", "alta"),
    "BC": ("british columbia", "b.c"),
    "MB": ("manitoba", "man"),
    "NB": ("new brunswick", "n.b"),
    "NL": ("newfoundland and labrador", "newfoundland"),
    "NS": ("nova scotia", "n.s"),
    "ON": ("ontario", "ont"),
    "PE": ("prince edward island", "p.e.i"),
    "QC": ("quebec", "québec", "que"),
    "SK": ("saskatchewan", "sask"),
}
STATES = {alias: code for code, aliases in _CODES.items() for alias in (*aliases, code.lower())}
# Two-letter codes that are also ordinary words or other countries' abbreviations
# are only taken in capitals ("Reading, MA", not "Berlin, de").
_COUNTRY_TAIL = re.compile(r",\s*(?:USA|U\.S\.A\.?|US|U\.S\.|United States(?: of America)?|Canada)\s*$")


# Countries as exports write them after a city ("Nijmegen, Netherlands"): NLM puts the country in
# parentheses, "Nijmegen (Netherlands)", as it does a US state's code.
_ONE_WORD_COUNTRIES = (
    "Argentina Australia Austria Belgium Brazil Bulgaria Chile China Colombia Croatia Cuba Cyprus "
    "Czechia Denmark Egypt England Estonia Finland France Germany Greece Hungary Iceland India "
    "Indonesia Iran Ireland Israel Italy Japan Kenya Korea Latvia Lithuania Luxembourg Malaysia Mexico "
    "Netherlands Nigeria Norway Pakistan Peru Philippines Poland Portugal Romania Russia Scotland Serbia "
    "Singapore Slovakia Slovenia Spain Sweden Switzerland Taiwan Thailand Turkey Ukraine UK Wales"
)
COUNTRIES = frozenset(_ONE_WORD_COUNTRIES.lower().split()) | frozenset(
    [
        "united kingdom",
        "new zealand",
        "south africa",
        "south korea",
        "czech republic",
        "the netherlands",
        "hong kong",
        "saudi arabia",
        "united arab emirates",
    ]
)


def nlm_place(value: str) -> str:
    """'New York, NY, USA' -> 'New York (NY)', 'Nijmegen, Netherlands' -> 'Nijmegen (Netherlands)';
    'Berlin, Heidelberg' stays."""
    written = value.strip()
    place = _COUNTRY_TAIL.sub("", written)
    city, comma, state = place.rpartition(",")
    city, state = city.strip(), state.strip()
    code = STATES.get(state.lower().rstrip(".").strip())
    if comma and city and "," not in city and "(" not in place and code is None and state.lower() in COUNTRIES:
        return f"{city} ({state})"
    if not comma or not city or code is None or "(" in place:
        return written
    if len(state) == 2 and state != state.upper():  # "Berlin, de" is not Delaware
        return written
    return f"{city} ({code})"
