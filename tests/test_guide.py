"""The real guide: content, citations, figures and privacy, read from the built HTML."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from tests.conftest import ROOT, Build, elements
from tests.unit.test_vancouver import GUIDE

PAGES = {
    "index.html": "A guide to the reverse hyperextension",
    "muscles/index.html": "The muscles",
    "exercise/index.html": "The exercise: reverse hyperextension",
    "references/index.html": "References",
    "about/index.html": "About this guide",
}


def text_of(html: str) -> str:
    """Visible text of the article, tags removed and whitespace folded."""
    article = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', html, re.S)
    assert article, "no Material article element"
    body = re.sub(r"<script.*?</script>", " ", article.group(1), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).replace(" .", ".")


def test_builds_strict_without_warnings(guide_build: Build) -> None:
    assert guide_build.log_lines("WARNING") == []
    assert guide_build.log_lines("ERROR") == []


@pytest.mark.parametrize(("page", "title"), PAGES.items())
def test_every_page_has_its_title_in_nav_order(guide_site: Path, page: str, title: str) -> None:
    html = (guide_site / page).read_text()
    h1 = re.search(r"<h1[^>]*>(.*?)<a class=\"headerlink\"|<h1[^>]*>(.*?)</h1>", html, re.S)
    assert h1 and re.sub(r"<[^>]+>", "", h1.group(1) or h1.group(2)).strip() == title
    links = re.findall(
        r'<a href="([^"#]*)" class="md-nav__link[^"]*">\s*<span class="md-ellipsis">\s*([^<]+?)\s*</span>', html
    )
    assert [label for _, label in links] == ["Home", "Muscles", "The exercise", "References", "About"]


@pytest.mark.parametrize(
    ("page", "facts"),
    [
        (
            "index.html",
            [
                "Start reading",
                "stairs",
                "10–15",
                "parallel to the floor",
                "high Roman chair",
                "handout.pdf",
                "84 adults",
            ],
        ),
        (
            "muscles/index.html",
            [
                "largest",
                "sacrum",
                "iliotibial band",
                "fascia lata",
                "ischial tuberosity",
                "semitendinosus",
                "semimembranosus",
                "biceps femoris",
                "fibula",
                "medial condyle",
                "iliocostalis",
                "longissimus",
                "spinalis",
                "iliac crest",
                "spinous processes",
                "six young men",
                "10 young adults",
            ],
        ),
        (
            "exercise/index.html",
            [
                "top pad",
                "roller",
                "two pads",
                "high Roman chair",
                "sturdy, high bench",
                "10 to 15 repetitions",
                "parallel to the floor",
                "2 or 3 sets",
                "2 to 3 days a week",
                "2 to 10 %",
                "one to two minutes",
                "Warm-up",
                "Bending your knees",
                "Swinging",
                "numbness around or under your genitals",
                "pain that spreads down a leg",
                "Stop if it hurts",
            ],
        ),
        (
            "about/index.html",
            [
                "not medical advice",
                "physiotherapist",
                "CC BY 4.0",
                "MIT",
                "editors",
                "no advertising",
                "Report a mistake",
                "Tight Butt Blast contributors",
                "June 2027",
                "content correction form",
            ],
        ),
    ],
)
def test_key_facts_are_in_the_built_pages(guide_site: Path, page: str, facts: list[str]) -> None:
    html = (guide_site / page).read_text()
    text = text_of(html)
    for fact in facts:
        assert fact.lower() in text.lower() or fact in html, f"{page} lacks {fact!r}"


def test_source_errors_are_not_repeated(guide_site: Path) -> None:
    everything = " ".join(p.read_text() for p in guide_site.rglob("*.html"))
    for wrong in ("Orientated", "orientated", "Lippinot", "hypertensions", "intevertebral"):
        assert wrong not in everything


def test_every_citation_resolves_and_every_reference_is_cited(guide_site: Path) -> None:
    cited: set[str] = set()
    for page in PAGES:
        html = (guide_site / page).read_text()
        page_ids = {a["id"] for _, a in elements(html) if a.get("id")}
        for target in re.findall(r'<sup class="citation"[^>]*>(.*?)</sup>', html):
            for href in re.findall(r'href="#([^"]+)"', target):
                assert href in page_ids, f"{page}: marker links to missing #{href}"
        for key in re.findall(r'data-keys="([^"]+)"', html):
            cited.update(key.split())
        assert "citation-error" not in html
    bib_keys = {m.lower() for m in re.findall(r"@\w+\{([^,]+),", (ROOT / "references.bib").read_text())}
    assert cited == bib_keys == set(GUIDE)


def test_bibliography_page_renders_the_eight_references_in_vancouver(guide_site: Path) -> None:
    html = (guide_site / "references/index.html").read_text()
    items = re.findall(r'<li value="(\d+)" data-key="([^"]+)"[^>]*>(.*?)<span class="citation-backrefs"', html, re.S)
    assert [int(n) for n, _, _ in items] == [1, 2, 3, 4, 5, 6, 7, 8]
    for _, key, body in items:
        rendered = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", body)).strip().replace("&amp;", "&")
        assert rendered == GUIDE[key]
    # links back to where each is cited, on the other pages
    assert re.search(r'class="citation-backref" href="\.\./muscles/#cite-muscles-\d+"', html)


def test_figures_have_alt_text_and_captions_and_valid_svg(guide_site: Path) -> None:
    figures = 0
    for page in PAGES:
        html = (guide_site / page).read_text()
        for figure in re.findall(r"<figure.*?</figure>", html, re.S):
            if "table-figure" in figure.split(">", 1)[0]:
                # a table's caption names it and cites its source, once for the whole table
                caption = re.search(r"<figcaption>(.*?)</figcaption>\s*<table>", figure, re.S)
                assert caption and '<sup class="citation"' in caption.group(1), figure
                assert '<sup class="citation"' not in figure.split("</figcaption>", 1)[1], figure
                continue
            figures += 1
            imgs = [a for t, a in elements(figure) if t == "img"]
            assert len(imgs) == 1 and len((imgs[0].get("alt") or "").strip()) > 20, figure
            caption = re.search(r"<figcaption>(.*?)</figcaption>", figure, re.S)
            assert caption and caption.group(1).strip()
    assert figures == 3  # the exercise on Home and on its page, the muscles
    for svg in (ROOT / "docs/images").glob("*.svg"):
        root = ET.parse(svg).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.find("{http://www.w3.org/2000/svg}title") is not None
        text = svg.read_text()
        assert "<script" not in text and "<image" not in text
        assert not re.search(r"(?:href|src)=\"(?:https?:)?//", text)


def test_no_request_to_another_host(guide_site: Path) -> None:
    """Scripts, styles, images, fonts, iframes: only from the site itself."""
    for path in guide_site.rglob("*.html"):
        for tag, attrs in elements(path.read_text()):
            url = None
            if tag in ("script", "img", "iframe", "source", "audio", "video", "embed"):
                url = attrs.get("src")
            elif tag == "link" and set((attrs.get("rel") or "").split()) & {
                "stylesheet",
                "preload",
                "icon",
                "modulepreload",
                "preconnect",
                "dns-prefetch",
            }:
                url = attrs.get("href")
            if url:
                assert not urlparse(url).netloc and not url.startswith("//"), f"{path}: {tag} loads {url}"
    for css in guide_site.rglob("*.css"):
        assert not re.search(r"@import\s+url\(\s*['\"]?https?:|url\(\s*['\"]?https?://", css.read_text()), css


def test_glossary_terms_are_explained_at_their_first_use_only(guide_site: Path) -> None:
    muscles = (guide_site / "muscles/index.html").read_text()
    assert re.search(r'<abbr title="[^"]+">[Ii]schial tuberosity</abbr>', muscles)
    assert re.search(r'<abbr title="[^"]+">fascia lata</abbr>', muscles)
    exercise = (guide_site / "exercise/index.html").read_text()
    assert re.search(r'<abbr title="[^"]+">erector spinae</abbr>', exercise)
    for page in PAGES:
        content = (guide_site / page).read_text().split('<article class="md-content__inner', 1)[1]
        terms = [t.lower() for t in re.findall(r"<abbr [^>]*>([^<]+)</abbr>", content)]
        assert len(terms) == len(set(terms)), f"{page}: a term is marked more than once: {sorted(terms)}"
    # later uses are plain text: "ischial tuberosity" is used three times, marked once
    assert text_of(muscles).lower().count("ischial tuberosity") >= 3


def test_howto_json_ld_matches_the_steps_on_the_page(guide_site: Path) -> None:
    html = (guide_site / "exercise/index.html").read_text()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1
    data = json.loads(scripts[0])
    front = yaml.safe_load((ROOT / "docs/exercise.md").read_text().split("---")[1])["howto"]
    assert data["@type"] == "HowTo" and data["name"] == front["name"]
    assert [s["text"] for s in data["step"]] == [s["text"] for s in front["steps"]]
    assert [t["name"] for t in data["tool"]] == front["tools"]
    # the same five steps are the page's numbered list
    items = re.findall(r"<li>\s*<p>\s*<strong>([^<]+)\.</strong>", html)
    assert items == [s["name"] for s in front["steps"]]


def test_safety_notice_and_limit_on_the_exercise_page(guide_site: Path) -> None:
    html = (guide_site / "exercise/index.html").read_text()
    article = html.split('<article class="md-content__inner', 1)[1]
    # the short safety notice comes before the first section, and points to the full list
    notice = re.search(r'<div class="admonition warning">(.*?)</div>', article, re.S)
    assert notice and "Stop if it hurts" in notice.group(1) and "back pain" in notice.group(1)
    assert 'href="#stop-and-get-help"' in notice.group(1)
    assert article.index('class="admonition warning"') < article.index("<h2")
    # the limit at parallel is the guide's own advice: no source here supports it
    limit = re.search(r'<div class="admonition danger advice" id="stop-at-parallel">(.*?)</div>', article, re.S)
    assert limit and "parallel" in limit.group(1) and "own advice" in limit.group(1)
    assert 'class="citation"' not in limit.group(1)
    # the sections the handout and the figures refer to, in the agreed order
    ids = ["setup", "steps", "stop-at-parallel", "dose", "stop-and-get-help", "variants", "common-faults"]
    at = [article.index(f'id="{i}"') for i in ids]
    assert at == sorted(at)
    # the emergency signs come from a public health service's page, cited where they are listed
    help_section = article.split('id="stop-and-get-help"', 1)[1].split("<h2", 1)[0]
    assert 'data-keys="northerntrust"' in help_section
    # Arab 2011 (EMG of prone hip extension, women with and without low back pain) is cited
    # only in the section about back pain
    section = article.split('id="if-you-have-back-pain"', 1)[1].split("<h2", 1)[0]
    assert 'data-keys="arab2011"' in section
    assert article.count('data-keys="arab2011"') == section.count('data-keys="arab2011"')


def test_every_page_has_its_own_description(guide_site: Path) -> None:
    descriptions = []
    for page in PAGES:
        html = (guide_site / page).read_text()
        found = re.findall(r'<meta name="description" content="([^"]+)"', html)
        assert len(found) == 1, page
        descriptions.append(found[0])
    assert len(set(descriptions)) == len(PAGES)


def test_page_reference_lists_explain_their_numbers(guide_site: Path) -> None:
    for page in ("index.html", "muscles/index.html", "exercise/index.html"):
        html = (guide_site / page).read_text()
        after = html.split('<h2 id="references"', 1)[1]
        # right after the page's own list (the handout drops the heading and the list with it)
        assert after.index('<ol class="references"') < after.index('<div class="references-note">'), page
        note = after.split('<div class="references-note">', 1)[1].split("</div>", 1)[0]
        assert "shared by the whole guide" in note and re.search(r'href="(\.\./)?references/"', note), page


def test_pages_show_when_they_were_updated_and_reviewed(guide_site: Path) -> None:
    for page in PAGES:
        html = (guide_site / page).read_text()
        source = (
            ROOT / "docs" / ("index.md" if page == "index.html" else page.replace("/index.html", ".md"))
        ).read_text()
        reviewed = re.search(r"^reviewed: (\d{4}-\d{2}-\d{2})$", source, re.M)
        assert reviewed, f"{page}: no reviewed: date in the front matter"
        assert "Last updated:" in text_of(html), page
        assert f'Last reviewed: <time datetime="{reviewed.group(1)}">' in html, page
