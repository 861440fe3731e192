"""The guide's sourcing rule, checked on the built HTML.

Every sentence on the pages about the body and the exercise either carries a
citation marker, or sits in a block marked as the guide's own advice
(``!!! advice`` admonitions, or a list item that says "(the guide's advice)"),
or is an instruction (it starts with a verb telling the reader what to do), or
is one of the few kinds of sentence in ALLOWED: the guide speaking about
itself, a question, or a statement of what no study has shown (those are
listed, with the sources, on the References page).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

#: The pages whose sentences are about the body, the exercise or the evidence.
PAGES = ["index.html", "muscles/index.html", "exercise/index.html", "references/index.html"]

#: Words that open an instruction to the reader.
IMPERATIVES = {
    "add", "ask", "call", "check", "choose", "climb", "do", "give", "grip", "hold", "hook", "keep",
    "leave", "let", "lie", "lift", "lower", "move", "name", "open", "put", "raise", "repeat", "see",
    "set", "squeeze", "start", "stop",
}  # fmt: skip

#: A statement of what the evidence lacks: "No study ...", "neither study ...".
NO_EVIDENCE = r"\b([Nn]o|[Nn]either) (study|source|one)\b"

#: Sentences that need no source, by kind. Keep this short: a new kind needs a reason.
ALLOWED = [
    # the guide, a page or a list speaking about itself
    r"^(Tight Butt Blast|This page|The (guide|list|numbers|anatomy)|Every (fact|source)|Sources are|Each one)\b",
    r"^(The (muscles|exercise) page|The evidence note|All references|How strong is the evidence\?)\b",
    r"^(What each (one is|looked at)|What no source here has shown|Numbers are shared)\b",
    r"^(Now that you know|The numbers below)\b",
    # what the evidence lacks (the References page lists it, source by source)
    NO_EVIDENCE,
    # a question
    r"\?$",
    # what the machine is (equipment, not a claim about the body)
    r"^(In a reverse hyperextension your upper body lies still|A reverse hyperextension machine has|Behind the pad hangs|Plates loaded on the arm)",
]

CITE = "\u27e6cite\u27e7"  # stands for a citation marker in the text below


def sentences(text: str) -> list[str]:
    text = re.sub(r"\s+", " ", text).strip()
    parts = re.split(r"(?<=[.!?;:])\s+(?=[A-Z\[(])", text)
    return [p.strip() for p in parts if re.search(r"[A-Za-z]", p)]


def is_instruction(sentence: str) -> bool:
    """'Keep your knees straight.', 'Load: start with...', 'If your back hurts, ask a doctor...'."""
    body = re.sub(r"^[A-Z][\w ,'-]{0,30}:\s+", "", sentence)  # a bold label such as "Load:"
    if re.match(r"(If|When|Before|After|Once)\b", body) and ", " in body:
        body = body.split(", ", 1)[1]  # the instruction follows its condition
    first = re.match(r"[A-Za-z]+", body)
    return first is not None and first.group(0).lower() in IMPERATIVES


def unsourced(html: str) -> list[str]:
    """The sentences of the article that break the rule."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article")
    assert isinstance(article, Tag)
    for sup in article.select("sup.citation"):
        sup.replace_with(CITE)
    # the page that lists every source names them instead of citing them (the handout takes the
    # page that cites nothing as its list): a sentence naming a listed source's author is sourced
    authors = {
        re.split(r"[,.]| [A-Z]+[ ,.]", li.get_text().strip(), maxsplit=1)[0]
        for li in article.select("ol.references li[data-key]")
    }
    # not checked: the guide's advice, the how-to steps (instructions, numbered from the front
    # matter), figures (a table's caption cites it; tests/test_guide.py checks), the summary cards
    # (each links to its cited section, checked below), headings, the lists of references
    for selector in (
        ".admonition.advice",
        "figure",
        ".at-a-glance",
        "script",
        "ol.references",
        "h1, h2, h3, h4",
        ".md-source-file",
        ".hero-actions",
    ):
        for node in article.select(selector):
            node.decompose()
    for steps in article.select("ol"):
        if steps.find("strong") and steps.find_parent(class_="admonition") is None:
            steps.decompose()  # the numbered steps, rendered from the how-to front matter
    bad: list[str] = []
    for block in article.find_all(["p", "li"]):
        if block.find(["p", "li", "ul", "ol"]):
            continue  # judged through its own paragraphs and items
        text = block.get_text()
        if "(the guide's advice)" in text:
            continue
        first = block.contents[0] if block.contents else None
        if isinstance(first, Tag) and first.name == "a" and text[len(first.get_text()) :].startswith(":"):
            continue  # a table of contents entry: "[The muscles](muscles.md): what that page holds"
        if isinstance(first, Tag) and first.name == "strong":
            label = first.get_text()
            if any(label.startswith(a) for a in authors):
                continue  # a note on one listed source ("**Cuthbert and colleagues, 2021:** ...")
            text = text[len(label) :]  # a list item's bold label
        lead = block.find_parent(["ul", "ol"])
        if lead is not None:
            before = lead.find_previous_sibling()
            lead_text = before.get_text().strip() if before is not None and before.name == "p" else ""
            if re.search(f"{CITE}\\s*:$", lead_text):
                continue  # a list that a cited sentence introduces ("... the following[1]:")
            if lead_text.endswith(":") and re.search(NO_EVIDENCE, lead_text):
                continue  # the list of what no study has shown
        for sentence in sentences(text):
            if CITE in sentence or is_instruction(sentence) or any(a in sentence for a in authors):
                continue
            if any(re.search(pattern, sentence) for pattern in ALLOWED):
                continue
            bad.append(sentence)
    return bad


@pytest.mark.parametrize("page", PAGES)
def test_every_claim_is_cited_or_marked_as_the_guides_advice(guide_site: Path, page: str) -> None:
    bad = unsourced((guide_site / page).read_text())
    assert bad == [], f"{page}: sentences with no source and no 'guide's advice' mark:\n" + "\n".join(bad)


def test_the_advice_blocks_say_so(guide_site: Path) -> None:
    html = (guide_site / "exercise/index.html").read_text()
    soup = BeautifulSoup(html, "html.parser")
    blocks = soup.select(".admonition.advice")
    assert len(blocks) >= 5
    for block in blocks:
        title = block.select_one(".admonition-title")
        assert title is not None
        said = title.get_text() + " " + block.get_text()
        assert "guide's advice" in said or "guide's own advice" in said, block.get_text()[:80]
        assert block.select("sup.citation") == [], "advice cites nothing: a cited fact goes outside the box"


def test_summary_cards_link_to_their_sections(guide_site: Path) -> None:
    soup = BeautifulSoup((guide_site / "index.html").read_text(), "html.parser")
    cards = soup.select(".at-a-glance li")
    assert len(cards) == 4
    for card in cards:
        assert card.find("a", href=True), card.get_text()


def test_the_checker_catches_an_unsourced_claim() -> None:
    """The rule is not vacuous: an uncited claim, as the guide once had, is reported."""
    html = (
        '<article class="md-content__inner md-typeset"><p>'
        "They do real work every time you walk"
        '<sup class="citation"><a href="#r1">1</a></sup>.'
        " Aerobic exercise is often assumed to take care of them, but usually it does not."
        " Keep your knees straight.</p>"
        '<div class="admonition advice"><p class="admonition-title">The guide\'s advice</p>'
        "<p>Rest one to two minutes.</p></div></article>"
    )
    assert unsourced(html) == ["Aerobic exercise is often assumed to take care of them, but usually it does not."]
