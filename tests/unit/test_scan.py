"""A page's citations before rendering: lines after front matter, the .bib deciding what @word cites, checks."""

from __future__ import annotations

from macros.pages.scan import PageInfo, Syntax, build_scan, raw_from_json, raw_to_json, read_page, slugify
from macros.problems import Problems

INFO = PageInfo(src="guide/page.md", abs_path="", path="docs/guide/page.md", url="guide/page/")
KEYS = {"kang2013": "kang2013", "ono2011": "ono2011", "doe99": "Doe99"}


DEFAULT = Syntax()


def scan(source: str, syntax: Syntax = DEFAULT):  # type: ignore[no-untyped-def]
    problems = Problems()
    page = build_scan(INFO, read_page(INFO, source, syntax), lambda k: KEYS.get(k.lower()), problems)
    return page, [str(p) for p in problems]


def test_citations_in_source_order_with_lines_after_front_matter() -> None:
    page, problems = scan(
        '---\ntitle: T\n---\n# Head\n\nA{{ cite("kang2013") }} B [@ono2011; @kang2013, p. 4]\n\n'
        "@Doe99 says [-@ono2011].\n\n\\bibliography\n"
    )
    assert problems == []
    assert [(c.keys, c.locs, c.line, c.index, c.author, c.syntax) for c in page.cites] == [
        (("kang2013",), (None,), 6, 1, False, "jinja"),
        (("ono2011", "kang2013"), (None, "4"), 6, 2, False, "pandoc"),
        (("Doe99",), (None,), 8, 3, True, "in-text"),
        (("ono2011",), (None,), 8, 4, False, "pandoc"),
    ]
    assert page.references_calls == [10] and page.title == "Head" and page.slug == "guide-page"
    assert page.cites[1].loc_of("KANG2013") == "4" and page.cites[1].loc is None


def test_an_at_word_cites_only_when_the_bib_has_it() -> None:
    page, problems = scan("Ask @someone, or read @kang2013.\n")
    assert [c.keys for c in page.cites] == [("kang2013",)] and problems == []


def test_render_macros_false_leaves_the_calls_but_reads_pandoc() -> None:
    page, problems = scan('---\nrender_macros: false\n---\n{{ cite( }} {{ cite("kang2013") }} [@ono2011]\n')
    assert problems == [] and [c.keys for c in page.cites] == [("ono2011",)]


def test_citations_in_headings_and_link_text_are_errors_in_every_syntax() -> None:
    _, problems = scan(
        '# Title{{ cite("kang2013") }}\n\n## Sub [@ono2011]\n\n[see [@kang2013]](https://example.org)\n'
        '<a href="x">{{ cite("ono2011") }}</a>\n'
    )
    heading = "in a heading: its number would become part of the heading's anchor and of the table of contents (move the citation after the heading, into the text below it)"
    link = "inside link text: the citation's own link would be nested in the link, which is invalid HTML (move the citation after the link)"
    assert problems == [
        f"docs/guide/page.md:1: cite() {heading}",
        f"docs/guide/page.md:3: [@ono2011] {heading}",
        f"docs/guide/page.md:5: [@kang2013] {link}",
        f"docs/guide/page.md:6: cite() {link}",
    ]


def test_notes_keep_their_kind_and_line() -> None:
    page, problems = scan("---\na: 1\n---\nText \\cite{kang2013}.\n")
    assert problems == [
        "docs/guide/page.md:4: \\cite{kang2013} is LaTeX, which is published as it is written: write [@kang2013] (pandoc's syntax) to cite"
    ]
    assert page.cites == []


def test_the_stored_form_gives_the_same_scan() -> None:
    source = '---\nreferences_title: Quellen\n---\n# H\n\n[see @kang2013, ch. 2] {{ cite("x y") }} @ono2011 [p. 3]\n\n## Quellen\n'
    raw = read_page(INFO, source, Syntax())
    again = raw_from_json(raw_to_json(raw))
    assert again == raw and again.meta_title == "Quellen"


def test_slugs() -> None:
    assert slugify("index.md") == "index"
    assert slugify("Guide/The Exercise.md") == "guide-the-exercise"
