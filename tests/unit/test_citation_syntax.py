"""The page scan: the engine's own syntax found, everything else left alone, in linear time."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from macros.pages.citation_syntax import PageSyntax, render, scan_syntax

KEYS = {k.lower(): k for k in ("kang2013", "ono2011", "Doe99", "smith:2000", "2x", "media", "jdoe", "a")}
PLACEHOLDERS = {"\\bibliography": ("references", False), "\\full_bibliography": ("bibliography", True)}


def spelled(key: str) -> str | None:
    return KEYS.get(key.lower())


def scan(body: str, **options: object) -> PageSyntax:
    return scan_syntax(body, spelled, placeholders=PLACEHOLDERS, **options)  # type: ignore[arg-type]


def cites(body: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """(the text each citation replaces, [(key, pinpoint)])."""
    return [(body[f.start : f.end], [(i.key, i.loc) for i in f.items]) for f in scan(body).found if f.kind == "cite"]


def messages(body: str) -> list[tuple[int, str, str]]:
    return [(n.line, n.severity, n.message) for n in scan(body).notes]


def test_pandoc_bracketed_citations() -> None:
    body = (
        "A [@kang2013]. B [@kang2013; @ono2011]. C [@kang2013, p. 33]. "
        "D [see @kang2013, pp. 33–35, fig. 2; also @ono2011]. E [-@Doe99]. F [@{smith:2000}, ch. 3]."
    )
    assert cites(body) == [
        ("[@kang2013]", [("kang2013", None)]),
        ("[@kang2013; @ono2011]", [("kang2013", None), ("ono2011", None)]),
        ("[@kang2013, p. 33]", [("kang2013", "33")]),
        ("[see @kang2013, pp. 33–35, fig. 2; also @ono2011]", [("kang2013", "pp. 33–35, fig. 2"), ("ono2011", None)]),
        ("[-@Doe99]", [("Doe99", None)]),
        ("[@{smith:2000}, ch. 3]", [("smith:2000", "ch. 3")]),
    ]
    found = scan(body).found
    assert [i.prefix for i in found[3].items] == ["see", "also"]
    assert not any(f.author for f in found)


def test_in_text_citations_only_for_keys() -> None:
    body = "@kang2013 showed it, and @Doe99 [p. 4] agreed. @property is a decorator, @someone a handle, @ a sign."
    assert cites(body) == [("@kang2013", [("kang2013", None)]), ("@Doe99 [p. 4]", [("Doe99", "4")])]
    assert all(f.author for f in scan(body).found)
    # the key in another case is still found, so that the engine can say how it is spelled
    assert cites("As @KANG2013 says.") == [("@KANG2013", [("KANG2013", None)])]
    # switched off: no in-text citation at all
    assert scan("@kang2013 says", in_text=False).found == []


LOOK_ALIKES = [
    "mail kang2013@example.org or <kang2013@example.org>",
    "![logo](img/logo@2x.png) and <img src='a@2x.png' alt='[@2x] @media'>",
    "[@jdoe](https://social.example/@jdoe) https://medium.example/@jdoe/post <https://x.example/@media>",
    '`[@kang2013]` ``{{ cite("kang2013") }}`` `\\cite{kang2013}` `\\bibliography`',
    "```\n@media print {}\n[@kang2013]\n```",
    "~~~python\n@dataclass\n{{ cite('kang2013') }}\n~~~",
    "Text.\n\n    [@kang2013] indented code\n    @jdoe",
    "$x [@kang2013]$ and \\( @jdoe \\) and $$ {{ cite('a') }} $$",
    "$$\n\\newcommand{\\polar}{{\\color{red}n}}\n[@kang2013]\n$$",
    "\\[\n{{a}} [@kang2013]\n\\]",
    "<!-- [@kang2013] {{ cite('a') }} \\cite{a} -->",
    "{% raw %}{{ cite('a') }} [@kang2013]{% endraw %}",
    'Para {: .lead data-x="@media" } and ## Heading {#jdoe}',
    '[text](https://example.org/a@b "title [@2x]") and [ref]: https://x.example/@jdoe',
    "{{ page.title }} {% if x %}{% endif %} {# {{ cite('a') }} #} {{ other('a') }} {%",
    "\\@kang2013 and \\[@kang2013\\]",
]


@pytest.mark.parametrize("body", LOOK_ALIKES)
def test_look_alikes_are_not_syntax(body: str) -> None:
    result = scan(body)
    assert result.found == [] and result.notes == []
    assert render(body, result.found, lambda f: "X") == body


def test_the_engines_calls() -> None:
    body = (
        '{{ cite("kang2013") }} {{- cite( "kang2013", "ono2011" ) -}} {{ cite("kang2013", loc="12–14") }}\n'
        '{{ cite("kang2013", "ono2011", locs={"ono2011": "5"}) }} {{ references() }} {{ bibliography(uncited=True) }}'
    )
    found = scan(body).found
    assert [(f.kind, f.syntax, [(i.key, i.loc) for i in f.items]) for f in found] == [
        ("cite", "jinja", [("kang2013", None)]),
        ("cite", "jinja", [("kang2013", None), ("ono2011", None)]),
        ("cite", "jinja", [("kang2013", "12–14")]),
        ("cite", "jinja", [("kang2013", None), ("ono2011", "5")]),
        ("references", "jinja", []),
        ("bibliography", "jinja", []),
    ]
    assert found[-1].uncited and [f.line for f in found] == [1, 1, 1, 2, 2, 2]
    assert scan(body).notes == []


def test_mistakes_in_calls_are_reported_at_their_line() -> None:
    body = '{{ cite(“kang2013”) }}\n{{ cite("kang2013, ono2011") }}\n{{ references() }}\n{{ references() }}\n{{ cite() }}\n{{ cite(kang) }}\n{{ cite("a", page=2) }}\n{{ cite("a", "b", loc="1") }}\n'
    assert messages(body) == [
        (
            1,
            "error",
            "cite(“kang2013”) is written with typographic quotes, which Python and Jinja do not read: "
            'write straight quotes, cite("kang2013") (an editor\'s "smart quotes" setting changes them)',
        ),
        (2, "error", 'cite("kang2013, ono2011") names several keys in one string: write cite("kang2013", "ono2011")'),
        (
            4,
            "error",
            "a second reference list on the page (the first is on line 3): a page has one references() "
            "or \\bibliography; remove this one",
        ),
        (5, "error", 'cite() needs at least one citation key, e.g. cite("kang2013")'),
        (6, "error", 'cite() takes citation keys in quotes, like cite("kang2013"), not the variable kang'),
        (
            7,
            "error",
            "cite() has no option 'page'; its options are loc=\"pages\" (one key) and "
            'locs={"key": "pages", …} (a pinpoint for each key)',
        ),
        (
            8,
            "error",
            'cite(loc=...) goes with a single key; for several keys give each its own: cite("a", "b", '
            'locs={"a": "12"}), or write [@a, p. 12; @b]',
        ),
    ]
    assert [f.valid for f in scan(body).found] == [False, False, True, False, False, False, False, False]


def test_leftovers_are_warnings_with_the_form_to_use() -> None:
    body = "As shown \\cite{kang2013, ono2011}.\nAnd \\citep[p. 3]{Doe99}.\nBroken [@] and [@ kang2013].\n"
    assert messages(body) == [
        (
            1,
            "warning",
            "\\cite{kang2013, ono2011} is LaTeX, which is published as it is written: write [@kang2013; @ono2011] (pandoc's syntax) to cite",
        ),
        (
            2,
            "warning",
            "\\citep[p. 3]{Doe99} is LaTeX, which is published as it is written: write [@Doe99] (pandoc's syntax) to cite",
        ),
        (
            3,
            "warning",
            "[@] is not a citation the engine can read, so it is published as written: write [@key], [@key, p. 33] or [@a; @b] (keys of letters, digits and _ : . - /)",
        ),
        (
            3,
            "warning",
            "[@ kang2013] is not a citation the engine can read, so it is published as written: write [@key], [@key, p. 33] or [@a; @b] (keys of letters, digits and _ : . - /)",
        ),
    ]
    assert all(n.kind == "page.leftover" for n in scan(body).notes)


def test_placeholders() -> None:
    body = "## References\n\n\\bibliography\n\n\\full_bibliography\n\\bibliographystyle{plain}\n"
    found = scan(body).found
    assert [(f.kind, f.syntax, f.uncited, f.line) for f in found] == [
        ("references", "placeholder", False, 3),
        ("bibliography", "placeholder", True, 5),
    ]
    custom = scan_syntax("\\printbibliography\n", spelled, placeholders={"\\printbibliography": ("bibliography", True)})
    assert [f.kind for f in custom.found] == ["bibliography"]


def test_citations_in_headings_and_link_text_are_marked() -> None:
    body = "# Title [@kang2013]\n\nSetext {{ cite('ono2011') }}\n---\n\n[see [@kang2013]](https://x.example) <a href='x'>@kang2013 [@ono2011]</a>"
    # the @kang2013 of the <a>'s text is the link's text, like a handle
    assert [(f.line, f.where, f.syntax) for f in scan(body).found] == [
        (1, "heading", "pandoc"),
        (3, "heading", "jinja"),
        (6, "link", "pandoc"),
        (6, "link", "pandoc"),
    ]


def test_headings_are_listed() -> None:
    body = "# Page\n\ntext\n\n## References {#refs}\n\nSetext\n======\n\n```\n# not a heading\n```\n"
    assert [(h.line, h.level, h.text) for h in scan(body).headings] == [
        (1, 1, "Page"),
        (5, 2, "References {#refs}"),
        (7, 1, "Setext"),
    ]


def test_containers_are_not_code() -> None:
    body = '!!! note\n    In a note [@kang2013].\n\n- item\n\n    more [@ono2011]\n\n=== "Tab"\n\n    {{ cite("Doe99") }}\n'
    assert [f.keys for f in scan(body).found] == [("kang2013",), ("ono2011",), ("Doe99",)]


def test_render_changes_only_what_was_found() -> None:
    body = "x {{ other }} [@kang2013] {% y %} @ono2011 {#z#} \\bibliography end"
    result = scan(body)
    assert (
        render(body, result.found, lambda f: f"<{f.kind}>")
        == "x {{ other }} <cite> {% y %} <cite> {#z#} <references> end"
    )


# -- linear time ----------------------------------------------------------------------

PATHOLOGICAL: dict[str, Callable[[int], str]] = {
    "many citations on one line": lambda n: "[@kang2013; @ono2011, p. 3] " * n,
    "many in-text citations": lambda n: "@kang2013 [p. 1] " * n,
    "heading with a long run of spaces": lambda n: "# Heading" + " " * (20 * n) + "x\n",
    "{{ runs in a raw block": lambda n: "{% raw %}" + "{{" * (10 * n) + "{% endraw %}",
    "unclosed {#": lambda n: "{#" + " x" * (10 * n),
    "braces in a row": lambda n: "{" * (20 * n),
    "{{ then parentheses": lambda n: "{{" + "(" * (20 * n),
    "cite( then parentheses": lambda n: "{{ cite(" + "(" * (20 * n),
    "unclosed brackets": lambda n: "[" * (10 * n) + "@kang2013",
    "nested brackets": lambda n: "[" * (5 * n) + "@kang2013" + "]" * (5 * n),
    "unclosed tags": lambda n: '<a x="' * (5 * n),
    "unclosed link targets": lambda n: "[x](" * (5 * n),
    "backtick runs": lambda n: "".join("`" * (i % 7 + 1) + " a " for i in range(5 * n)),
    "unclosed calls": lambda n: '{{ cite("a", ' * (2 * n),
}


def _best_times(small: str, large: str) -> tuple[float, float]:
    """The shortest of five scans of each, taken in turn, in CPU time (a busy machine's other
    processes do not count; what is left slows both sizes alike)."""
    best = [float("inf"), float("inf")]
    for _ in range(5):
        for which, body in enumerate((small, large)):
            start = time.process_time()
            scan(body)
            best[which] = min(best[which], time.process_time() - start)
    return best[0], best[1]


def _sized(make: Callable[[int], str], chars: int) -> str:
    """The input of about ``chars`` characters."""
    per_unit = max(1.0, len(make(100)) / 100)
    return make(max(1, round(chars / per_unit)))


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_scan_is_linear(name: str) -> None:
    """Ten times the input takes about ten times as long (a quadratic scan: a hundred; the limit is 50).

    Sizes of 20 000 and 200 000 characters: large enough that caches and the
    interpreter's start-up costs no longer bend the ratio.
    """
    make = PATHOLOGICAL[name]
    scan(_sized(make, 2_000))  # warm up
    small, large = _best_times(_sized(make, 20_000), _sized(make, 200_000))
    ratio = large / max(small, 1e-4)
    assert ratio < 50, f"{name}: {small * 1000:.1f} ms, then {large * 1000:.1f} ms at 10× the size (×{ratio:.0f})"
