"""Generate a synthetic site for the benchmark: N pages, M citations a page, a K-entry .bib.

The same seed gives the same files, byte for byte. The flavours share their
prose, navigation, theme and Markdown extensions; they differ only in how a
citation is written and what turns it into HTML:

``plain``   no citations at all: plain MkDocs + Material (the floor)
``limit``   the floor's pages plus exactly ours' citation HTML, put in place by a
            trivial hook (bench/limit_hook.py) from a JSON of one build of ours:
            what MkDocs + Material cost for ours' output with a zero-cost engine
``bibtex``  mkdocs-bibtex: ``text [@key].`` and ``[@a; @b]`` (the peer)
``macros``  this project's engine, the ``citations`` plugin: ``text{{ cite("key") }}.`` (ours)

The limit needs a built site of ours (``capture_citations``); ``python -m bench``
makes one, this command line writes the other three flavours.

Usage: ``python -m bench.generate OUT_DIR --size 200x10x2000 [--flavour macros]``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

FLAVOURS = ("plain", "limit", "bibtex", "macros")  # the order of the builds in a round
ALL_FLAVOURS = FLAVOURS
LIMIT_HOOK = Path(__file__).with_name("limit_hook.py")
LIMIT_JSON = "citations.json"  # next to the hook: {page src: {"markers": [html], "blocks": [html]}}
BIB_NAME = "refs.bib"
PAGES_PER_SECTION = 25
DEFAULT_SEED = 7


@dataclass(frozen=True)
class Size:
    pages: int  # N
    cites: int  # M: cite calls on every page (one in five names two keys)
    entries: int  # K

    @classmethod
    def parse(cls, text: str) -> Size:
        """'200x10x2000' (also '200,10,2000'; '2k' = 2000)."""
        parts = text.lower().replace(",", "x").replace(" ", "").split("x")
        if len(parts) != 3:
            raise ValueError(f"size {text!r} is not NxMxK, e.g. 200x10x2000")
        values = []
        for part in parts:
            scale = 1000 if part.endswith("k") else 1
            values.append(int(float(part.rstrip("k")) * scale))
        size = cls(*values)
        if size.pages < 1 or size.cites < 0 or size.entries < 1:
            raise ValueError(f"size {text!r}: need N >= 1, M >= 0, K >= 1")
        return size

    @property
    def tag(self) -> str:
        return f"n{self.pages}-m{self.cites}-k{self.entries}"

    def __str__(self) -> str:
        entries = f"{self.entries:,}".replace(",", "\u202f")  # 20 000
        return f"({self.pages}, {self.cites}, {entries})"


# -- vocabulary ---------------------------------------------------------------------

# (as written in the .bib, ASCII form for the key)
SURNAMES = [
    ("Smith", "smith"),
    ("Jones", "jones"),
    ("Nguyen", "nguyen"),
    ("Kim", "kim"),
    ("Park", "park"),
    ("Tanaka", "tanaka"),
    ("Sato", "sato"),
    ("Rossi", "rossi"),
    ("Bianchi", "bianchi"),
    ('M{\\"u}ller', "muller"),
    ('Schr{\\"o}der', "schroder"),
    ("Garc{\\'\\i}a", "garcia"),
    ("Mart{\\'\\i}nez", "martinez"),
    ("Nu{\\~n}ez", "nunez"),
    ("Fran{\\c{c}}a", "franca"),
    ("Dvo{\\v{r}}{\\'a}k", "dvorak"),
    ("Kowalczyk", "kowalczyk"),
    ("{\\L}ukasik", "lukasik"),
    ("Ha{\\ss}ler", "hassler"),
    ("Br{\\aa}then", "brathen"),
    ("Tikkanen", "tikkanen"),
    ('H{\\"a}kkinen', "hakkinen"),
    ("Andersen", "andersen"),
    ("{\\O}stergaard", "ostergaard"),
    ("Fern{\\'a}ndez", "fernandez"),
    ("Gon{\\c{c}}alves", "goncalves"),
    ("Okafor", "okafor"),
    ("Mensah", "mensah"),
    ("Cohen", "cohen"),
    ("Levi", "levi"),
    ("O'Brien", "obrien"),
    ("McGill", "mcgill"),
    ("Schoenfeld", "schoenfeld"),
    ("Contreras", "contreras"),
    ("Escamilla", "escamilla"),
    ("Andersson", "andersson"),
    ('Lindstr{\\"o}m', "lindstrom"),
    ("Johansson", "johansson"),
    ("Wang", "wang"),
    ("Li", "li"),
    ("Zhang", "zhang"),
    ("Chen", "chen"),
    ("Liu", "liu"),
    ("Yamamoto", "yamamoto"),
    ("Kang", "kang"),
    ("Choi", "choi"),
    ("Ono", "ono"),
    ("Dupont", "dupont"),
    ("Lef{\\`e}vre", "lefevre"),
    ("B{\\'e}langer", "belanger"),
    ("Bouchard", "bouchard"),
    ("Silva", "silva"),
    ("Santos", "santos"),
    ("Pereira", "pereira"),
    ("Costa", "costa"),
    ("Ivanov", "ivanov"),
    ("Petrovi{\\'c}", "petrovic"),
    ("Horvat", "horvat"),
    ("Nagy", "nagy"),
    ("Papadopoulos", "papadopoulos"),
    ("Yilmaz", "yilmaz"),
    ("{\\c{S}}ahin", "sahin"),
    ("Kaya", "kaya"),
    ("Singh", "singh"),
    ("Patel", "patel"),
    ("Sharma", "sharma"),
    ("Ahmed", "ahmed"),
    ("Hassan", "hassan"),
    ("Brown", "brown"),
    ("Taylor", "taylor"),
    ("Wilson", "wilson"),
    ("Evans", "evans"),
    ("Thomas", "thomas"),
    ("Roberts", "roberts"),
    ("Walker", "walker"),
    ("Wright", "wright"),
    ("Hughes", "hughes"),
    ("Green", "green"),
    ("Hall", "hall"),
    ("Wood", "wood"),
    ("Clarke", "clarke"),
    ("Jackson", "jackson"),
    ("White", "white"),
    ("Harris", "harris"),
    ("Martin", "martin"),
    ("Thompson", "thompson"),
    ("Moore", "moore"),
    ("Young", "young"),
    ("King", "king"),
    ("Lee", "lee"),
    ("Scott", "scott"),
    ("Adams", "adams"),
    ("Baker", "baker"),
    ("Nelson", "nelson"),
    ("Carter", "carter"),
    ("Mitchell", "mitchell"),
    ("Perez", "perez"),
    ("Turner", "turner"),
    ("Phillips", "phillips"),
    ("Campbell", "campbell"),
    ("Parker", "parker"),
    ("Collins", "collins"),
    ("Edwards", "edwards"),
    ("Stewart", "stewart"),
    ("Morris", "morris"),
    ("Rogers", "rogers"),
    ("Reed", "reed"),
    ("Cook", "cook"),
    ("Morgan", "morgan"),
    ("Bell", "bell"),
    ("Murphy", "murphy"),
    ("Bailey", "bailey"),
    ("Rivera", "rivera"),
    ("Cooper", "cooper"),
    ("Richardson", "richardson"),
    ("Howard", "howard"),
    ("Ward", "ward"),
    ("Torres", "torres"),
    ("Peterson", "peterson"),
    ("Gray", "gray"),
    ("Ramirez", "ramirez"),
    ("Watson", "watson"),
    ("Brooks", "brooks"),
    ("Kelly", "kelly"),
    ("Sanders", "sanders"),
    ("Bennett", "bennett"),
    ("van der Berg", "vanderberg"),
    ("de Souza", "desouza"),
    ("von Hagen", "vonhagen"),
    ("Øvretveit", "ovretveit"),
    ("Żukowski", "zukowski"),
    ("Gómez", "gomez"),
    ("Sørensen", "sorensen"),
]
GIVEN = [
    "J. A.",
    "Olli",
    "Marie-Claire",
    "Jos{\\'e}",
    'Bj{\\"o}rn',
    "S. Y.",
    "Ana",
    "K.",
    "Thomas",
    "Hiroshi",
    "Ji-Hoon",
    "Priya",
    "Chinedu",
    "Fran{\\c{c}}ois",
    'Zo{\\"e}',
    "Søren",
    "Ángel",
    "Arto J.",
    "Keijo",
    "Bret",
    "Stuart M.",
    "Rodney",
    "Paul W.",
    "Li",
    "Wei",
    "Mei",
    "R.",
    "H. S.",
    "Emma",
    "Lucas",
    "Sofia",
    "Mateus",
    "Oksana",
    "Dmitri",
    "Fatima",
    "Yusuf",
    "Chloé",
    "Andrzej",
    "Ingrid",
    "Hannah",
    "Daniel",
    "Aisha",
    "C. J.",
    "M.",
    "Elif",
    "Kenji",
]
JOURNAL_STRINGS = {
    "jscr": "Journal of Strength and Conditioning Research",
    "msse": "Medicine and Science in Sports and Exercise",
    "jbiomech": "Journal of Biomechanics",
    "jek": "Journal of Electromyography and Kinesiology",
    "bjsm": "British Journal of Sports Medicine",
    "ejap": "European Journal of Applied Physiology",
    "sportsmed": "Sports Medicine",
    "jospt": "Journal of Orthopaedic {\\&} Sports Physical Therapy",
}
JOURNALS = [
    "Spine",
    "Clinical Biomechanics",
    "Manual Therapy",
    "PLoS ONE",
    "Journal of Sports Sciences",
    "Scandinavian Journal of Medicine {\\&} Science in Sports",
    "Physical Therapy in Sport",
    "Gait {\\&} Posture",
    "Journal of Applied Physiology",
    "International Journal of Sports Physical Therapy",
    "Sports Health",
    "Journal of Human Kinetics",
    "Muscle {\\&} Nerve",
    "The Spine Journal",
]
PUBLISHERS = [
    ("Human Kinetics", "Champaign (IL)"),
    ("Lippincott Williams {\\&} Wilkins", "Philadelphia (PA)"),
    ("Elsevier", "Amsterdam"),
    ("Springer", "Cham"),
    ("Routledge", "London"),
    ("Thieme", "Stuttgart"),
    ("Churchill Livingstone", "Edinburgh"),
    ("Wiley-Blackwell", "Hoboken (NJ)"),
]
INTERVENTIONS = [
    "reverse hyperextension training",
    "hip thrust training",
    "eccentric hamstring exercise",
    "Nordic hamstring curls",
    "back extension exercise",
    "resistance training",
    "blood-flow restriction",
    "kettlebell swings",
    "Romanian deadlifts",
    "isometric hip extension",
    "plyometric training",
    "a 12-week strength programme",
    "lumbar stabilisation exercise",
    "stretching",
]
OUTCOMES = [
    "gluteus maximus activation",
    "hamstring strain injury rates",
    "low back pain",
    "hip extension torque",
    "muscle cross-sectional area",
    "sprint performance",
    "lumbar extensor endurance",
    "{EMG} amplitude",
    "muscle thickness measured by ultrasound",
    "jump height",
    "pelvic tilt",
    "trunk extensor strength",
    "perceived exertion",
    "{MRI}-measured muscle volume",
]
POPULATIONS = [
    "healthy young adults",
    "elite sprinters",
    "older women",
    "recreationally trained men",
    "patients with chronic low back pain",
    "soccer players",
    "adolescent athletes",
    "powerlifters",
    "sedentary office workers",
    "rugby players",
]
DESIGNS = [
    "a randomized controlled trial",
    "a systematic review and meta-analysis",
    "a cross-sectional study",
    "a cohort study",
    "a pilot study",
    "a case series",
    "a crossover trial",
    "a narrative review",
]
SUBJECTS = [
    "the gluteus maximus",
    "the long head of the biceps femoris",
    "the semitendinosus",
    "the semimembranosus",
    "the erector spinae",
    "the hamstring group",
    "the lumbar multifidus",
    "the gluteus medius",
    "the adductor magnus",
    "the hip extensors",
    "the posterior chain",
    "the thoracolumbar fascia",
]
ACTIONS = [
    "extends the hip",
    "resists anterior tilt of the pelvis",
    "controls the descent of the trunk",
    "steadies the pelvis",
    "works hardest near full hip extension",
    "shares the load with the hamstrings",
    "contributes most of the torque",
    "tires before the other extensors",
    "shortens across two joints",
    "stays active through the whole range",
    "lengthens under load",
    "limits flexion of the lumbar spine",
]
CONTEXTS = [
    "during a reverse hyperextension",
    "when the knees are bent",
    "in untrained adults",
    "in the last third of the lift",
    "with a slow lowering phase",
    "at moderate loads",
    "when the feet are turned out",
    "after a brief warm-up",
    "in a fatigued state",
    "with the ankles strapped to the pad",
    "on a standard bench",
    "at the top of each repetition",
]
EXERCISES = [
    "the hip thrust",
    "the Romanian deadlift",
    "the back extension",
    "the glute bridge",
    "the squat",
    "the kettlebell swing",
    "the good morning",
    "the Nordic curl",
    "the cable pull-through",
]
GOALS = [
    "build the glutes without loading the spine",
    "strengthen the lower back",
    "improve sprint speed",
    "reduce the risk of a hamstring strain",
    "practise hip hinging",
    "warm up before heavy pulls",
    "finish a lower-body session",
    "add volume without extra soreness",
]
CUES = [
    "your chest on the pad",
    "your neck neutral",
    "the swing controlled",
    "your hips against the pad",
    "a light grip on the handles",
    "your ribs down",
    "your legs nearly straight",
    "a steady tempo",
]
HEADINGS = [
    "Anatomy",
    "How the exercise loads it",
    "Technique",
    "Programming",
    "Common mistakes",
    "Progressions",
    "What the studies measured",
    "Safety",
    "Variations",
    "Equipment",
    "Warming up",
    "Recovery",
    "Who it suits",
    "Measuring progress",
]
TOPICS = [
    "Hip extension",
    "The hamstrings",
    "The erector spinae",
    "Set-up",
    "Tempo",
    "Load and volume",
    "Posture",
    "Breathing",
    "Range of motion",
    "Pairing exercises",
    "Injury risk",
    "Older lifters",
    "Beginners",
    "Athletes",
    "Home equipment",
    "Progress tracking",
]
TEMPLATES = [
    "{Subject} {action} {context}.",
    "In {population}, {subject} {action} {context}.",
    "Electromyography suggests that {subject} {action} {context}.",
    "Compared with {exercise}, the reverse hyperextension asks more of {subject} {context}.",
    "A set of {reps} repetitions is usually enough to {goal}.",
    "{Exercise} and the reverse hyperextension both load {subject}, but over different ranges of motion.",
    "Coaches often pair it with {exercise} to {goal}.",
    "Most studies of {population} measured {outcome} over {weeks} weeks.",
    "Keep {cue} {context}.",
    "If you want to {goal}, start with {reps} slow repetitions and add load only when the last one stays smooth.",
    "The effect on {outcome} was small in {population}, and larger in those who trained {days} days a week.",
    "Because {subject} {action}, it is worth checking your form {context}.",
    "There is less evidence on {outcome} than on strength, so treat claims about it with care.",
]


# -- prose ---------------------------------------------------------------------------


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def sentence(rng: random.Random) -> str:
    template = rng.choice(TEMPLATES)
    values = {
        "subject": rng.choice(SUBJECTS),
        "action": rng.choice(ACTIONS),
        "context": rng.choice(CONTEXTS),
        "population": rng.choice(POPULATIONS),
        "exercise": rng.choice(EXERCISES),
        "goal": rng.choice(GOALS),
        "outcome": rng.choice(OUTCOMES).replace("{", "").replace("}", ""),
        "cue": rng.choice(CUES),
        "reps": rng.choice(["eight", "ten", "twelve", "fifteen", "twenty"]),
        "weeks": rng.choice(["four", "six", "eight", "ten", "twelve"]),
        "days": rng.choice(["two", "three"]),
    }
    values.update({key.capitalize(): _cap(value) for key, value in list(values.items())})
    return _cap(template.format(**values))


# -- the .bib ------------------------------------------------------------------------


def _person(rng: random.Random) -> tuple[str, str]:
    last, ascii_last = rng.choice(SURNAMES)
    given = rng.choice(GIVEN)
    if rng.random() < 0.01:
        return f"{last}, Jr., {given}", ascii_last
    return f"{last}, {given}", ascii_last


def _authors(rng: random.Random, low: int, high: int) -> tuple[str, str]:
    people = [_person(rng) for _ in range(rng.randint(low, high))]
    return " and ".join(p[0] for p in people), people[0][1]


def _title(rng: random.Random) -> str:
    pattern = rng.randrange(5)
    outcome, population = rng.choice(OUTCOMES), rng.choice(POPULATIONS)
    if pattern == 0:
        title = f"Effects of {rng.choice(INTERVENTIONS)} on {outcome} in {population}"
    elif pattern == 1:
        title = f"{_cap(outcome)} during {rng.choice(EXERCISES)[4:]}: {rng.choice(DESIGNS)}"
    elif pattern == 2:
        a, b = rng.sample(EXERCISES, 2)
        title = f"A comparison of {a[4:]} and {b[4:]} for {outcome}"
    elif pattern == 3:
        title = f"Does {rng.choice(INTERVENTIONS)} change {outcome}? {_cap(rng.choice(DESIGNS))}"
    else:
        title = f"{_cap(rng.choice(SUBJECTS)[4:])} \\textit{{in vivo}}: {outcome} in {population}"
    return title


def _abstract(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))


def _pages(rng: random.Random) -> str:
    first = rng.randint(1, 3000)
    return f"{first}--{first + rng.randint(4, 18)}"


def _fmt_entry(kind: str, key: str, fields: list[tuple[str, str]]) -> str:
    width = max(len(name) for name, _ in fields)
    lines = [f"@{kind}{{{key},"]
    for name, value in fields:
        lines.append(f"  {name.ljust(width)} = {value},")
    lines.append("}")
    return "\n".join(lines)


def _entry(rng: random.Random, year: int) -> tuple[str, str, list[tuple[str, str]]]:
    """(type, ASCII first-author surname, fields) of one entry."""
    roll = rng.random()
    if roll < 0.75:
        authors, first = _authors(rng, 3, 8)
        # 40 % a @string macro (unquoted), else a braced name
        journal = rng.choice(list(JOURNAL_STRINGS)) if rng.random() < 0.4 else "{" + rng.choice(JOURNALS) + "}"
        title = _title(rng)
        fields = [
            ("author", "{" + authors + "}"),
            ("title", ("{{" + title + "}}") if rng.random() < 0.3 else "{" + title + "}"),
            ("journal", journal),
            ("year", "{" + str(year) + "}"),
        ]
        if rng.random() < 0.6:
            fields.append(
                (
                    "month",
                    rng.choice(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]),
                )
            )
        fields += [("volume", "{" + str(rng.randint(1, 60)) + "}"), ("number", "{" + str(rng.randint(1, 12)) + "}")]
        fields.append(("pages", "{" + (_pages(rng) if rng.random() < 0.85 else f"e{rng.randint(10000, 99999)}") + "}"))
        doi = f"10.{rng.randint(1000, 9999)}/{first}.{year}.{rng.randint(100, 99999)}"
        fields.append(("doi", "{" + doi + "}"))
        if rng.random() < 0.3:
            fields.append(("pmid", "{" + str(rng.randint(10_000_000, 39_999_999)) + "}"))
        if rng.random() < 0.2:
            fields.append(("url", "{https://doi.org/" + doi + "}"))
        if rng.random() < 0.5:
            fields.append(("abstract", "{" + _abstract(rng) + "}"))
        if rng.random() < 0.3:
            keywords = "; ".join(
                rng.sample(
                    [
                        "gluteus maximus",
                        "electromyography",
                        "hamstrings",
                        "low back pain",
                        "resistance training",
                        "biomechanics",
                        "hip extension",
                    ],
                    3,
                )
            )
            fields.append(("keywords", "{" + keywords + "}"))
        return "article", first, fields
    publisher, address = rng.choice(PUBLISHERS)
    if roll < 0.82:
        if rng.random() < 0.3:
            people, first = _authors(rng, 1, 3)
            fields = [("editor", "{" + people + "}")]
        else:
            people, first = _authors(rng, 1, 3)
            fields = [("author", "{" + people + "}")]
        fields += [
            (
                "title",
                "{"
                + _cap(rng.choice(OUTCOMES).replace("{", "").replace("}", ""))
                + ": "
                + rng.choice(["Theory and Practice", "A Clinical Guide", "Assessment and Training", "Principles"])
                + "}",
            ),
            ("edition", "{" + str(rng.randint(1, 6)) + "}"),
            ("publisher", "{" + publisher + "}"),
            ("address", "{" + address + "}"),
            ("year", "{" + str(year) + "}"),
            (
                "isbn",
                "{978-"
                + str(rng.randint(0, 9))
                + "-"
                + str(rng.randint(1000, 9999))
                + "-"
                + str(rng.randint(1000, 9999))
                + "-"
                + str(rng.randint(0, 9))
                + "}",
            ),
        ]
        return "book", first, fields
    if roll < 0.88:
        authors, first = _authors(rng, 1, 4)
        editors, _ = _authors(rng, 1, 3)
        return (
            "incollection",
            first,
            [
                ("author", "{" + authors + "}"),
                ("title", "{" + _title(rng) + "}"),
                ("booktitle", "{" + _cap(rng.choice(INTERVENTIONS)) + " in Sport and Rehabilitation}"),
                ("editor", "{" + editors + "}"),
                ("publisher", "{" + publisher + "}"),
                ("address", "{" + address + "}"),
                ("year", "{" + str(year) + "}"),
                ("pages", "{" + _pages(rng) + "}"),
            ],
        )
    if roll < 0.94:
        authors, first = _authors(rng, 2, 6)
        fields = [
            ("author", "{" + authors + "}"),
            ("title", "{" + _title(rng) + "}"),
            (
                "booktitle",
                "{Proceedings of the "
                + str(rng.randint(10, 45))
                + "th Congress of the International Society of Biomechanics}",
            ),
            ("year", "{" + str(year) + "}"),
            ("pages", "{" + _pages(rng) + "}"),
        ]
        if rng.random() < 0.5:
            fields.append(("abstract", "{" + _abstract(rng) + "}"))
        return "inproceedings", first, fields
    if roll < 0.96:
        authors, first = _authors(rng, 1, 1)
        return (
            "phdthesis",
            first,
            [
                ("author", "{" + authors + "}"),
                ("title", "{" + _title(rng) + "}"),
                (
                    "school",
                    "{University of "
                    + rng.choice(['Jyv{\\"a}skyl{\\"a}', "Waterloo", "Oslo", "Auckland", "Queensland", "Porto"])
                    + "}",
                ),
                ("year", "{" + str(year) + "}"),
            ],
        )
    if roll < 0.98:
        authors, first = _authors(rng, 1, 4)
        return (
            "techreport",
            first,
            [
                ("author", "{" + authors + "}"),
                ("title", "{" + _title(rng) + "}"),
                (
                    "institution",
                    "{"
                    + rng.choice(
                        [
                            "National Institute for Occupational Safety and Health",
                            "Norwegian School of Sport Sciences",
                            "Australian Institute of Sport",
                        ]
                    )
                    + "}",
                ),
                ("number", "{" + str(rng.randint(1, 400)) + "}"),
                ("year", "{" + str(year) + "}"),
            ],
        )
    authors, first = _authors(rng, 1, 2)
    return (
        "misc",
        first,
        [
            ("author", "{" + authors + "}"),
            ("title", "{" + _title(rng) + "}"),
            ("howpublished", "{\\url{https://example.org/" + first + "/" + str(year) + "}}"),
            ("year", "{" + str(year) + "}"),
            (
                "note",
                "{Accessed " + str(year + 1) + "-0" + str(rng.randint(1, 9)) + "-1" + str(rng.randint(0, 9)) + "}",
            ),
        ],
    )


def make_bib(entries: int, seed: int = DEFAULT_SEED) -> tuple[str, list[str]]:
    """(.bib text, keys in file order). Keys are unique, ignoring case."""
    rng = random.Random(f"bib-{seed}-{entries}")
    chunks = [
        f"% Synthetic bibliography for the build benchmark: {entries} entries, seed {seed}.",
        "% Shaped like a reference-manager export: string macros for journals, month macros,",
        "% LaTeX accents and UTF-8 names, DOIs, abstracts and keywords.",
        "",
        '@preamble{"\\newcommand{\\noopsort}[1]{}"}',
        "",
    ]
    for name, value in JOURNAL_STRINGS.items():
        chunks.append(f'@string{{{name} = "{value}"}}')
    chunks.append("")
    keys: list[str] = []
    used: dict[str, int] = {}
    for _ in range(entries):
        year = rng.randint(1980, 2024)
        kind, first, fields = _entry(rng, year)
        base = f"{first}{year}"
        count = used.get(base, 0)
        used[base] = count + 1
        key = base + (_suffix(count) if count else "")
        keys.append(key)
        chunks.append(_fmt_entry(kind, key, fields))
        chunks.append("")
    chunks.append("@comment{jabref-meta: databaseType:bibtex;}")
    return "\n".join(chunks) + "\n", keys


def _suffix(count: int) -> str:
    """1 -> 'a', 26 -> 'z', 27 -> 'aa' (the first entry of a name and year has none)."""
    letters = ""
    while count:
        count, rest = divmod(count - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


# -- the pages -----------------------------------------------------------------------


@dataclass
class Page:
    src: str  # relative to docs/
    title: str
    blocks: list[object] = field(default_factory=list)  # str (raw line) or list of sentences
    # sentence index (in reading order) -> cited keys
    cites: dict[int, tuple[str, ...]] = field(default_factory=dict)


def page_paths(pages: int) -> list[str]:
    paths = ["index.md"]
    for i in range(1, pages):
        section = (i - 1) // PAGES_PER_SECTION + 1
        paths.append(f"part-{section:02d}/page-{i:04d}.md")
    return paths


def make_pages(size: Size, keys: list[str], seed: int = DEFAULT_SEED) -> list[Page]:
    rng = random.Random(f"pages-{seed}-{size.pages}-{size.cites}")
    cite_rng = random.Random(f"cites-{seed}-{size.tag}")
    paths = page_paths(size.pages)
    pages = []
    for i, src in enumerate(paths):
        title = "Overview" if i == 0 else f"{rng.choice(TOPICS)}, note {i}"
        page = Page(src=src, title=title)
        prose: list[list[str]] = []
        page.blocks.append(f"# {title}")
        intro = [sentence(rng) for _ in range(rng.randint(2, 3))]
        page.blocks.append(intro)
        prose.append(intro)
        for heading in rng.sample(HEADINGS, 4):
            page.blocks.append(f"## {heading}")
            for _ in range(rng.randint(2, 3)):
                paragraph = [sentence(rng) for _ in range(rng.randint(3, 5))]
                page.blocks.append(paragraph)
                prose.append(paragraph)
            if heading == "Technique" or rng.random() < 0.15:
                page.blocks.append("\n".join(f"- {_cap(rng.choice(CUES))}." for _ in range(rng.randint(3, 5))))
            if rng.random() < 0.25:
                page.blocks.append('!!! note "Tip"\n\n    ' + sentence(rng))
        if i + 1 < len(paths):
            target = os.path.relpath(paths[i + 1], os.path.dirname(src) or ".").replace(os.sep, "/")
            page.blocks.append(f"Next: [the following note]({target}).")
        total = sum(len(p) for p in prose)
        while total < size.cites:  # more citations than sentences: add paragraphs
            paragraph = [sentence(rng) for _ in range(5)]
            page.blocks.insert(-1, paragraph)
            total += 5
        for index in sorted(cite_rng.sample(range(total), size.cites)):
            count = 2 if cite_rng.random() < 0.2 and len(keys) > 1 else 1
            page.cites[index] = tuple(cite_rng.sample(keys, count))
        pages.append(page)
    return pages


def marker(flavour: str, keys: tuple[str, ...], index: int = 0) -> str:
    """How the ``index``-th citation of a page (from 0) is written in this flavour."""
    if flavour == "plain":
        return ""
    if flavour == "limit":
        return f"ZQCITE{index}Q"  # bench/limit_hook.py puts ours' marker here
    if flavour == "bibtex":
        return " [" + "; ".join(f"@{key}" for key in keys) + "]"
    if flavour == "macros":
        return "{{ cite(" + ", ".join(f'"{key}"' for key in keys) + ") }}"
    raise ValueError(flavour)


def render_page(page: Page, flavour: str, references: list[tuple[str, int]] | None = None) -> str:
    """The page's Markdown; ``references`` (limit only): (heading, block count) lists to append, as ours does."""
    out = []
    index = 0
    cited = 0
    for block in page.blocks:
        if isinstance(block, str):
            out.append(block)
            continue
        lines = []
        for text in block:  # type: ignore[attr-defined]
            keys = page.cites.get(index)
            if keys:
                text = text[:-1] + marker(flavour, keys, cited) + text[-1]
                cited += 1
            lines.append(text)
            index += 1
        out.append("\n".join(lines))
    block = 0
    for heading, count in references or []:  # ours: "## References" and the list, after the last line
        out.append(f"## {heading}")
        out += [f"ZQREF{block + i}Q" for i in range(count)]
        block += count
    return "\n\n".join(out) + "\n"


# -- mkdocs.yml ----------------------------------------------------------------------


def mkdocs_yml(flavour: str, pages: list[Page]) -> str:
    q = json.dumps  # a JSON string is a valid YAML scalar
    lines = [
        f"# Benchmark site, flavour '{flavour}' (generated by bench/generate.py; do not edit)",
        "site_name: Synthetic guide",
        "site_url: https://example.invalid/guide/",
        "theme:",
        "  name: material",
        "  font: false",
        "nav:",
        f"  - {q(pages[0].title)}: {q(pages[0].src)}",
    ]
    section = None
    for page in pages[1:]:
        folder = page.src.split("/")[0]
        if folder != section:
            section = folder
            lines.append(f"  - {q('Part ' + str(int(folder.split('-')[1])))}:")
        lines.append(f"      - {q(page.title)}: {q(page.src)}")
    if flavour == "limit":
        lines.append(f"hooks: [{LIMIT_HOOK.name}]")
    lines += ["plugins:", "  - search"]
    if flavour == "bibtex":
        lines += ["  - bibtex:", f"      bib_file: {BIB_NAME}"]
    elif flavour == "macros":
        lines += ["  - citations:", f"      bibliography: {BIB_NAME}"]
    lines += [
        "markdown_extensions:",
        "  - abbr",
        "  - admonition",
        "  - attr_list",
        "  - footnotes",
        "  - md_in_html",
        "  - tables",
        "  - toc:",
        "      permalink: true",
    ]
    return "\n".join(lines) + "\n"


@dataclass
class Site:
    root: Path
    flavour: str
    size: Size
    pages: list[Page]
    cited_keys: int  # distinct keys cited on the whole site
    cite_calls: int

    @property
    def config(self) -> Path:
        return self.root / "mkdocs.yml"


class Generator:
    """Makes the .bib and the pages of one size once, writes any flavour of them."""

    def __init__(self, size: Size, seed: int = DEFAULT_SEED) -> None:
        self.size = size
        self.seed = seed
        self.bib_text, self.keys = make_bib(size.entries, seed)
        self.pages = make_pages(size, self.keys, seed)

    def write(self, root: Path, flavour: str, citations: Citations | None = None) -> Site:
        """Write one flavour; the limit needs ``citations``, ours' HTML (``capture_citations``)."""
        if flavour not in ALL_FLAVOURS:
            raise ValueError(f"unknown flavour {flavour!r}; one of {', '.join(ALL_FLAVOURS)}")
        if (flavour == "limit") != (citations is not None):
            raise ValueError("the limit flavour, and only it, is written from ours' citation HTML")
        docs = root / "docs"
        docs.mkdir(parents=True, exist_ok=True)
        (root / "mkdocs.yml").write_text(mkdocs_yml(flavour, self.pages), encoding="utf-8")
        if flavour in ("bibtex", "macros"):
            (root / BIB_NAME).write_text(self.bib_text, encoding="utf-8")
        if citations is not None:
            shutil.copyfile(LIMIT_HOOK, root / LIMIT_HOOK.name)
            data = {src: {"markers": c.markers, "blocks": [b for _, b in c.blocks]} for src, c in citations.items()}
            (root / LIMIT_JSON).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        for page in self.pages:
            path = docs / page.src
            path.parent.mkdir(parents=True, exist_ok=True)
            refs = None
            if citations is not None:
                found = citations[page.src]
                if len(found.markers) != len(page.cites):
                    raise ValueError(
                        f"ours' {page.src} has {len(found.markers)} citation markers, the page {len(page.cites)} calls"
                    )
                refs = [(heading, 1) for heading, _ in found.blocks]
            path.write_text(render_page(page, flavour, refs), encoding="utf-8")
        cited = {key.lower() for page in self.pages for keys in page.cites.values() for key in keys}
        calls = sum(len(page.cites) for page in self.pages)
        return Site(root, flavour, self.size, self.pages, len(cited), calls)


@dataclass
class PageCitations:
    """The citation HTML of one page of ours, in reading order."""

    markers: list[str]  # each cite() marker
    blocks: list[tuple[str, str]]  # (heading, HTML) of each appended reference list


Citations = dict[str, PageCitations]  # by page src

_MARKER = re.compile(r'<(sup|span) class="citation[^"]*" id="cite-[^"]*"[^>]*>.*?</\1>', re.S)
# An appended list: its heading (toc's permalink after the text), then the
# list; a page's uncited entries would follow in a <ul>.
_REFERENCES = re.compile(
    r'<h2 id="[^"]*">([^<]*)<a class="headerlink"[^>]*>[^<]*</a></h2>\s*'
    r'(<ol class="references".*?</ol>(?:\s*<ul class="references references-uncited".*?</ul>)?)',
    re.S,
)


def html_path(site_dir: Path, src: str) -> Path:
    """Where MkDocs (use_directory_urls) writes the page ``src``."""
    return site_dir / ("index.html" if src == "index.md" else src[:-3] + "/index.html")


def capture_citations(site: Site) -> Citations:
    """Ours' citation HTML, page by page, read back from a build of ours (site.root/site)."""
    if site.flavour != "macros":
        raise ValueError("the citation HTML is read from a build of ours")
    out: Citations = {}
    for page in site.pages:
        html = html_path(site.root / "site", page.src).read_text(encoding="utf-8")
        blocks = [(m.group(1), m.group(2)) for m in _REFERENCES.finditer(html)]
        if html.count('<ol class="references"') != len(blocks):
            raise ValueError(f"{page.src}: a reference list of ours without the heading the limit expects")
        out[page.src] = PageCitations([m.group(0) for m in _MARKER.finditer(html)], blocks)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write (one sub-folder per flavour)")
    parser.add_argument("--size", type=Size.parse, default=Size(20, 10, 200), help="NxMxK, e.g. 200x10x2000")
    parser.add_argument(
        "--flavour",
        action="append",
        choices=[f for f in FLAVOURS if f != "limit"],
        help="default: plain, bibtex, macros (the limit needs a build of ours: python -m bench makes it)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    generator = Generator(args.size, args.seed)
    for flavour in args.flavour or [f for f in FLAVOURS if f != "limit"]:
        site = generator.write(args.out / flavour, flavour)
        print(f"{site.root}: {len(site.pages)} pages, {site.cite_calls} citations of {site.cited_keys} keys")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
