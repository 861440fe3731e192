"""Property-based tests (Hypothesis): the engine holds up for any input.

* any text fed to the .bib reader, any field value (any Unicode), any entry
  type: nothing raises, problems carry real line numbers, and the HTML is
  well-formed with only the elements and attributes the engine writes;
* any citation sequence on pages read in any navigation order, rendered in
  any other order: numbers follow first appearance, one number per key,
  compression is right, and the built pages pass tools.verify_html.

Derandomized, so CI runs the same examples every time.
"""

from __future__ import annotations

import string
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macros.bib.reader import parse
from macros.html.format_entries import Formatter
from macros.html.markers import MarkerPart, render_marker
from macros.options import Options
from macros.pages.index import CitationIndex
from macros.pages.numbering import compress, compress_text
from macros.pages.renderer import PageRenderer
from macros.pages.scan import PageInfo
from tests.safe_html import html_problems
from tools.verify_html import verify_site

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

FIELDS = [
    "author",
    "editor",
    "title",
    "journal",
    "shortjournal",
    "booktitle",
    "publisher",
    "address",
    "year",
    "month",
    "volume",
    "number",
    "pages",
    "edition",
    "chapter",
    "school",
    "institution",
    "howpublished",
    "note",
    "url",
    "urldate",
    "doi",
    "pmid",
    "pmcid",
    "crossref",
]
TYPES = [
    "article",
    "book",
    "inbook",
    "incollection",
    "inproceedings",
    "conference",
    "phdthesis",
    "mastersthesis",
    "techreport",
    "online",
    "misc",
    "manual",
    "unpublished",
    "dataset",
    "patent",
]

#: Pieces that mean something to BibTeX, LaTeX, HTML, URLs or Jinja.
SPECIAL = [
    "{",
    "}",
    "\\",
    "%",
    "$",
    "#",
    "&",
    "~",
    "^",
    "_",
    '"',
    "'",
    "<",
    ">",
    "=",
    ",",
    "@",
    " and ",
    "others",
    "\\'",
    '\\"',
    "\\emph{",
    "{\\em ",
    "\\url{",
    "\\mbox{",
    "\\\\",
    "--",
    "$x^2$",
    "$\\alpha$",
    "\\$",
    "\\%",
    "{{ ",
    " }}",
    "{% ",
    " %}",
    "{#",
    "<script>",
    "</script>",
    "javascript:",
    "data:",
    "https://",
    "http://a.org/",
    "10.1000/",
    " onerror=",
    "\x00",
    "\ufeff",
    "é",
    "ß",
    "\u202e",
    "\n",
    "\t",
    "van der ",
    "Jr.",
    ", ",
]
field_text = st.lists(st.one_of(st.sampled_from(SPECIAL), st.text(max_size=6)), max_size=14).map("".join)


def balanced(text: str) -> str:
    """Drop the braces that do not pair up, so the text fits in a BibTeX {value}."""
    out, depth = [], 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            if not depth:
                continue
            depth -= 1
        out.append(char)
    text = "".join(out)
    while depth:  # close what is still open, innermost last
        text += "}"
        depth -= 1
    return text.replace("\\}", "\\ }")  # a backslash must not escape a closing brace


def check_entries(text: str) -> None:
    bib = parse(text, "refs.bib")
    lines = text.count("\n") + text.count("\r") + 2
    for problem in bib.problems:
        assert 0 <= problem.line <= lines, problem
        assert problem.message and "\n" not in problem.message, problem
    formatter = Formatter(bib)
    for entry in bib.entries.values():
        result = formatter.format(entry)
        assert html_problems(str(result.html)) == [], (entry.key, result.html)
        marker = render_marker(
            marker_id="cite-p-1",
            keys=[entry.key],
            parts=[MarkerPart(number="1", href="#ref-p-1", title=result.text)],
            loc=result.text[:20] or None,
            brackets=False,
            broken=False,
        )
        assert html_problems(str(marker)) == [], marker
    for problem in formatter.problems:
        assert problem.line >= 1 and "\n" not in problem.message, problem


@SETTINGS
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["@article{", "@string{", "@comment{", "@preamble{", "key,", " = ", "\n"]),
            st.sampled_from(SPECIAL),
            st.text(max_size=5),
        ),
        max_size=40,
    ).map("".join)
)
def test_any_text_as_a_bib_file_never_crashes(text: str) -> None:
    check_entries(text)


@SETTINGS
@given(
    kind=st.one_of(st.sampled_from(TYPES), st.text(alphabet=string.ascii_letters, min_size=1, max_size=10)),
    key=st.text(alphabet=string.ascii_letters + string.digits + ":-_./+<>", min_size=1, max_size=12),
    fields=st.dictionaries(st.sampled_from(FIELDS), field_text, max_size=8),
)
def test_any_entry_formats_to_safe_html(kind: str, key: str, fields: dict[str, str]) -> None:
    body = ",\n".join(f"  {name} = {{{balanced(value)}}}" for name, value in fields.items())
    check_entries(f"@{kind}{{{key},\n{body}\n}}\n")


@SETTINGS
@given(st.text(), st.text(), st.text())
def test_any_marker_text_is_escaped(key: str, title: str, loc: str) -> None:
    html = render_marker(
        marker_id="cite-p-1",
        keys=key.split() or ["k"],
        parts=[MarkerPart(number="1", href="#ref-p-1", title=title)],
        loc=loc or None,
        brackets=bool(len(title) % 2),
        broken=False,
    )
    assert html_problems(str(html)) == []


# -- numbering ------------------------------------------------------------------------


def spec_runs(numbers: list[int]) -> list[tuple[int, int]]:
    """compress() written the slow, obvious way."""
    ordered = sorted(set(numbers))
    groups: list[list[int]] = []
    for number in ordered:
        if groups and number == groups[-1][-1] + 1:
            groups[-1].append(number)
        else:
            groups.append([number])
    runs: list[tuple[int, int]] = []
    for group in groups:
        if len(group) >= 3:
            runs.append((group[0], group[-1]))
        else:
            runs.extend((n, n) for n in group)
    return runs


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.integers(min_value=1, max_value=40), max_size=30))
def test_compression_matches_its_definition(numbers: list[int]) -> None:
    runs = compress(numbers)
    assert runs == spec_runs(numbers)
    covered = [n for first, last in runs for n in range(first, last + 1)]
    assert covered == sorted(set(numbers))  # every number once, in order, nothing else
    text = compress_text(numbers)
    assert text == ",".join(str(a) if a == b else f"{a}\u2013{b}" for a, b in runs)


KEYS = [f"k{n}" for n in range(12)]
BIB = "\n".join(
    f"@article{{{key},\n  author = {{Author{n}, A}},\n  title = {{Title {n}}},\n  journal = {{J}},\n  year = {{2000}},\n}}\n"
    for n, key in enumerate(KEYS)
)


@st.composite
def sites(draw: st.DrawFn) -> dict[str, object]:
    n_pages = draw(st.integers(min_value=1, max_value=5))
    pages = {
        f"p{i}.md": draw(
            st.lists(
                st.lists(st.sampled_from(KEYS + [k.upper() for k in KEYS[:3]]), min_size=1, max_size=5),
                max_size=8,
            )
        )
        for i in range(n_pages)
    }
    names = list(pages)
    with_bibliography = draw(st.booleans())
    if with_bibliography:
        names.append("refs.md")
    nav = draw(st.permutations(names))
    render = draw(st.permutations(names))
    return {
        "pages": pages,
        "nav": nav,
        "render": render,
        "numbering": draw(st.sampled_from(["site", "page"])),
        "marker": draw(st.sampled_from(["superscript", "brackets"])),
        "auto_references": draw(st.booleans()) or not with_bibliography,
    }


def build(spec: dict[str, object], root: Path) -> tuple[CitationIndex, dict[str, list[str]]]:
    """Scan and render the pages as the MkDocs adapter does; write site/ as HTML."""
    pages: dict[str, list[list[str]]] = spec["pages"]  # type: ignore[assignment]
    docs = root / "docs"
    docs.mkdir()
    (root / "references.bib").write_text(BIB, encoding="utf-8")
    for name, calls in pages.items():
        lines = [f"# {name}", ""] + ["Claim{{ cite(" + ", ".join(f'"{k}"' for k in keys) + ") }}." for keys in calls]
        (docs / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    if "refs.md" in spec["nav"]:  # type: ignore[operator]
        (docs / "refs.md").write_text("# References\n\n{{ bibliography() }}\n", encoding="utf-8")
    infos = [
        PageInfo(src=name, abs_path=str(docs / name), path=f"docs/{name}", url=name[:-3] + "/", title=name)
        for name in spec["nav"]  # type: ignore[attr-defined]
    ]
    options = Options(
        numbering=spec["numbering"],  # type: ignore[arg-type]
        marker=spec["marker"],  # type: ignore[arg-type]
        auto_references=spec["auto_references"],  # type: ignore[arg-type]
        warn_uncited=False,
    )
    site = CitationIndex(options, str(root), infos)
    site.validate()
    if spec["numbering"] == "page" and not spec["auto_references"] and any(pages.values()):
        # a page number cannot point into the site-wide bibliography: refused
        assert any("numbering: page needs" in p.message for p in site.problems.errors)
        return site, {}
    # A key in another case than the .bib's is found (BibTeX keys ignore case),
    # numbered like the .bib's spelling, and reported as misspelled: nothing else.
    miswritten = {
        (f"docs/{name}", line, key)
        for name, calls in pages.items()
        for line, keys in enumerate(calls, start=3)
        for key in keys
        if key != key.lower()
    }
    assert {(p.path, p.line, p.message.split("'")[1]) for p in site.problems.errors} == miswritten, [
        str(p) for p in site.problems
    ]
    assert all("is written" in p.message for p in site.problems.errors)
    markers: dict[str, list[str]] = {}
    for name in spec["render"]:  # type: ignore[attr-defined]
        page = PageRenderer(site, name)
        parts = [str(page.marker(tuple(keys))) for keys in pages.get(name, [])]
        markers[name] = list(parts)
        page.end()
        if name == "refs.md":
            parts.append(str(page.bibliography()))
        elif page.needs_auto_references():
            parts.append(str(page.references()))
        out = root / "site" / name[:-3] / "index.html"
        out.parent.mkdir(parents=True)
        out.write_text(
            "<!DOCTYPE html><html><body><article>\n" + "\n".join(parts) + "\n</article></body></html>", encoding="utf-8"
        )
    assert all("is written" in p.message for p in site.problems.errors), [str(p) for p in site.problems]
    return site, markers


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(sites())
def test_numbering_invariants_for_any_citations_and_nav_order(spec: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        site, markers = build(spec, root)
        if not markers:
            return
        pages: dict[str, list[list[str]]] = spec["pages"]  # type: ignore[assignment]
        nav: list[str] = spec["nav"]  # type: ignore[assignment]

        # first appearance, in reading order; one number per key (case-insensitive)
        sequence = [k.lower() for name in nav for keys in pages.get(name, []) for k in keys]
        expected_site: dict[str, int] = {}
        for key in sequence:
            expected_site.setdefault(key, len(expected_site) + 1)
        assert site.numbering.site == expected_site
        for name in nav:
            local: dict[str, int] = {}
            for keys in pages.get(name, []):
                for key in keys:
                    local.setdefault(key.lower(), len(local) + 1)
            for key, number in local.items():
                want = expected_site[key] if spec["numbering"] == "site" else number
                assert site.numbering.number(name, key) == want

        # every marker shows exactly the compressed numbers of its keys
        for name, rendered in markers.items():
            for keys, html in zip(pages.get(name, []), rendered, strict=True):
                numbers = [site.numbering.number(name, k) for k in keys]
                assert ">" + compress_text(numbers).split(",")[0].split("\u2013")[0] + "<" in html
                assert html_problems(html) == [], html

        # and the pages, read back as a reader gets them, pass every invariant
        urls = [name[:-3] + "/" for name in nav]
        problems = verify_site(
            root / "site",
            numbering=spec["numbering"],  # type: ignore[arg-type]
            order=urls if spec["numbering"] == "site" else None,
        )
        assert problems == []
