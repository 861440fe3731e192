"""Page 1, the exercise card: what someone at the machine needs, from the guide's own pages.

The exercise page (the one with a schema.org HowTo) has sections with fixed
ids (docs/exercise.md): ``#setup``, ``#steps``, ``#dose``,
``#stop-and-get-help``, ``#variants`` and ``#common-faults``. The card takes

* the figure and the numbered steps of ``#steps`` (they move: not printed twice),
  and the "Stop at parallel" box after them, whose title is the key rule;
* the first warning on the page ("Stop if it hurts": pain, numbness or
  tingling, and who should ask a clinician first), which moves too;
* a dose strip: the key numbers of ``#dose``, each checked against the
  page's text at build time and marked as the page marks it (a citation
  number, or "the guide's advice");
* one line each for ``#variants`` and ``#common-faults`` (their bold
  lead-ins), with a reference to where the sections print.

Everything the card writes itself is a frame ("How to do it", "Log"), never a
claim: the claims are the page's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from bs4 import Tag

from .soup import add_class, attr, classes, section, text


@dataclass(frozen=True)
class DoseItem:
    """One cell of the dose strip: ``big`` and ``small`` are shown; ``label`` finds
    the item of ``#dose`` (its bold lead-in) and every phrase in ``evidence``
    must be in that item's text, or the builder warns that the card is stale."""

    label: str
    big: str
    small: str
    evidence: tuple[str, ...]


#: The card's dose strip, read off docs/exercise.md#dose.
DOSE = (
    DoseItem("Sets and repetitions", "2–3 × 10–15", "sets × slow repetitions", ("2 or 3 sets of 10 to 15",)),
    DoseItem(
        "Tempo", "2 s up · 2–3 s down", "a short pause at parallel", ("two seconds up", "two to three seconds down")
    ),
    DoseItem("Rest", "1–2 min", "rest between sets", ("one to two minutes",)),
    DoseItem("How often", "2–3 days", "a week, a day between", ("2 to 3 days a week", "leave a day between")),
    DoseItem("Load", "No plates", "to start; add load slowly", ("start with no plates",)),
)


@dataclass
class DoseCell:
    big: str
    small: str
    source: str  # HTML: the item's citation markers, or "guide’s advice"


@dataclass
class Card:
    """Page 1, as HTML fragments of the site."""

    title: str
    figure: str = ""
    figure_src: str = ""  # the figure's image on the site (another page showing it prints it no more)
    steps: str = ""
    steps_id: str = "card-steps"
    rule_title: str = ""
    rule: str = ""  # the body of the "Stop at parallel" box
    rule_id: str = ""
    safety: str = ""  # the first warning's paragraphs
    safety_id: str = ""
    dose: list[DoseCell] = field(default_factory=list)
    dose_id: str = ""
    variants: list[str] = field(default_factory=list)
    variants_id: str = ""
    faults: list[str] = field(default_factory=list)
    faults_id: str = ""
    facts: str = ""  # only when the exercise page has no #dose (older guides)


def _heading(body: Tag, ids: dict[str, str], old: str) -> Tag | None:
    new = ids.get(old)
    return body.find(id=new) if new else None


def _lead_ins(tags: list[Tag]) -> list[str]:
    """The bold lead-ins of a section's items ("Bending your knees."), without the full stop."""
    found = []
    for tag in tags:
        for strong in tag.find_all("strong"):
            parent = strong.parent
            opening = parent.find(string=re.compile(r"\S")) if parent is not None else None
            if opening is not None and any(opening is node for node in strong.descendants):
                found.append(text(strong).rstrip(".:"))
    return found


def _lead_in(item: Tag) -> str:
    strong = item.find("strong")
    return text(strong).rstrip(":") if strong is not None else ""


def _inner(box: Tag) -> str:
    """An admonition's paragraphs, without its title."""
    return "".join(
        str(p) for p in box.find_all(["p", "ul", "ol"], recursive=False) if "admonition-title" not in classes(p)
    )


def fill(card: Card, body: Tag, ids: dict[str, str], warnings: list[str], src: str, site_dir: Path) -> None:
    """Move or copy the card's pieces out of the exercise page's body.

    ``ids`` maps the page's own ids to the handout's (``setup`` ->
    ``exercise--setup``). A figure with a black-and-white print variant in the
    site (``NAME-print.svg`` beside ``NAME.svg``) is printed as that."""
    first_warning = next(
        (box for box in body.select(".admonition") if {"warning", "caution", "attention"} & set(classes(box))), None
    )
    steps_heading = _heading(body, ids, "steps")
    steps_section = section(steps_heading) if steps_heading is not None else list(body.children)
    lists = [ol for tag in steps_section if isinstance(tag, Tag) for ol in ([tag] if tag.name == "ol" else tag("ol"))]
    steps = next((ol for ol in lists if "references" not in classes(ol)), None)
    if steps is not None:
        figure = steps.find_previous_sibling("figure")
        rule = next((box for box in steps.find_next_siblings("div") if "admonition" in classes(box)), None)
        add_class(steps, "steps")
        card.steps = str(steps.extract())
        if figure is not None:
            for img in figure.find_all("img", src=True):
                card.figure_src = attr(img, "src")
                src_path = PurePosixPath(attr(img, "src"))
                variant = src_path.with_name(f"{src_path.stem}-print{src_path.suffix}")
                if (
                    src_path.suffix == ".svg"
                    and not src_path.stem.endswith("-print")
                    and (site_dir / variant).is_file()
                ):
                    img["src"] = str(variant)
            card.figure = str(figure.extract())
        if rule is not None:
            title = rule.find(class_="admonition-title")
            card.rule_title = text(title) if title else ""
            card.rule_id = attr(rule, "id") or (ids.get("steps", "") + "--rule")
            rule["id"] = card.rule_id
            card.rule = _inner(rule)
            rule.extract()
        if steps_heading is not None and all(
            not isinstance(tag, Tag) or tag is steps_heading or tag.parent is None for tag in steps_section
        ):
            card.steps_id = attr(steps_heading, "id")  # links to the steps now go to the card's
            steps_heading.decompose()
    if first_warning is not None:
        card.safety_id = attr(first_warning, "id") or "card-safety"
        card.safety = _inner(first_warning)
        first_warning.extract()

    dose_heading = _heading(body, ids, "dose")
    if dose_heading is not None:
        card.dose_id = attr(dose_heading, "id")
        items = [li for tag in section(dose_heading)[1:] for li in tag.find_all("li")]
        for wanted in DOSE:
            item = next((li for li in items if _lead_in(li) == wanted.label), None)
            said = " ".join(text(item).split()) if item is not None else ""
            missing = [phrase for phrase in wanted.evidence if phrase not in said]
            if item is None or missing:
                warnings.append(
                    f"{src}#dose: the card's dose strip says {wanted.big!r} for {wanted.label!r}, and the page "
                    f"{'has no such item' if item is None else 'no longer says ' + repr(missing[0])}: "
                    "update DOSE in pdf/card.py"
                )
                continue
            markers = item.select("sup.citation")
            if markers:
                seen: dict[str, str] = {}
                for sup in markers:
                    for number in sup.find_all("a"):
                        seen.setdefault(text(number), "")
                # The numbers, not links: the marker stays in the chapter and
                # links from there; a second link would count a citation twice.
                numbers = ", ".join(sorted(seen, key=lambda n: int(n) if n.isdigit() else 0))
                source = f"source{'s' if len(seen) > 1 else ''} {numbers}"
            elif "guide's advice" in said or "guide’s advice" in said:
                source = "guide’s advice"
            else:
                source = ""
            card.dose.append(DoseCell(wanted.big, wanted.small, source))

    for old, target in (("variants", "variants"), ("common-faults", "faults")):
        heading = _heading(body, ids, old)
        if heading is None:
            continue
        setattr(card, f"{target}_id", attr(heading, "id"))
        setattr(card, target, _lead_ins(section(heading)[1:]))
