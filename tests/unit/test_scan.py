"""Finding cite() calls before rendering, with their line numbers."""

from __future__ import annotations

from macros.pages.scan import PageInfo, scan_page, slugify
from macros.pages.templating import NAMES, environment, protect_code, restore_code
from macros.problems import Problems


def scan(source: str, known: tuple[str, ...] | None = None):  # type: ignore[no-untyped-def]
    problems = Problems()
    info = PageInfo(src="guide/page.md", abs_path="", path="docs/guide/page.md", url="guide/page/")
    return scan_page(info, source, environment(), problems, known), [str(p) for p in problems]


def test_calls_in_source_order_with_lines_after_front_matter() -> None:
    page, problems = scan(
        '---\ntitle: T\n---\n# Head\n\nA{{ cite("a") }} B{{ cite("b", "c") }}\n\n{{ cite("d", loc="12–14") }}\n'
    )
    assert problems == []
    assert [(c.keys, c.line, c.index, c.loc) for c in page.cites] == [
        (("a",), 6, 1, None),
        (("b", "c"), 6, 2, None),
        (("d",), 8, 3, "12–14"),
    ]
    assert page.title == "Head"
    assert page.slug == "guide-page"


def test_calls_inside_blocks_raw_and_comments() -> None:
    source = (
        '!!! note\n    Inside{{ cite("a") }}\n\n'
        '| x |\n|---|\n| {{ cite("b") }} |\n\n'
        '{% raw %}{{ cite("shown-literally") }}{% endraw %}\n'
        '{## cite("commented") ##}\n'
        "{% if true %}{{ cite('c') }}{% endif %}\n"
    )
    page, problems = scan(source)
    assert problems == []
    assert [c.keys for c in page.cites] == [("a",), ("b",), ("c",)]


def test_bad_calls_are_errors_with_lines() -> None:
    page, problems = scan(
        '{{ cite() }}\n{{ cite(3) }}\n{{ cite(None) }}\n{{ cite("a b") }}\n{{ cite("a", "b", loc="1") }}\n{{ cite("a", page=2) }}\n{{ references(1) }}\n'
    )
    assert problems == [
        'docs/guide/page.md:1: cite() needs at least one citation key, e.g. cite("kang2013")',
        'docs/guide/page.md:2: cite() takes citation keys in quotes, like cite("kang2013"), not 3',
        'docs/guide/page.md:3: cite() takes citation keys in quotes, like cite("kang2013"), not None',
        "docs/guide/page.md:4: 'a b' is not a valid citation key (no spaces or punctuation like , { })",
        "docs/guide/page.md:5: cite(loc=...) goes with a single key; split the citation in two",
        "docs/guide/page.md:6: cite() has no option 'page'; the only option is loc=\"pages\"",
        "docs/guide/page.md:7: references() takes no arguments",
    ]
    assert all(call.keys == () for call in page.cites)


def test_render_macros_false_is_not_scanned() -> None:
    page, problems = scan("---\nrender_macros: false\n---\n{{ cite( }}\n")
    assert problems == [] and page.cites == [] and not page.renders_macros


def test_syntax_error_line_counts_front_matter() -> None:
    _, problems = scan("---\na: 1\n---\n\nok\n{{ cite('x' }}\n")
    assert problems == ["docs/guide/page.md:6: Jinja syntax error: unexpected '}', expected ')'"]


def test_slugs() -> None:
    assert slugify("index.md") == "index"
    assert slugify("Guide/My Page.md") == "guide-my-page"


# -- plans: pages rendered without Jinja ----------------------------------------


def test_a_page_of_text_and_citations_has_a_plan_with_every_argument() -> None:
    page, problems = scan(
        '# T\n\nA{{ cite("a") }} and {{- cite("b", "c") }}.\n{## gone ##}'
        '{% raw %}{{ kept }}{% endraw %}\n{{ cite("d", loc=12) }}\n\n{{ references() }}\n'
    )
    assert problems == []
    assert page.plan == [
        "# T\n\nA",
        ["cite", ["a"], {}],
        " and",
        ["cite", ["b", "c"], {}],
        ".\n",
        "{{ kept }}",
        "\n",
        ["cite", ["d"], {"loc": 12}],
        "\n\n",
        ["references", [], {}],
        "\n",  # the page's last line break stays
    ]


def test_rendering_the_plan_gives_what_jinja_renders() -> None:
    source = (
        "---\ntitle: T\n---\n\n\n# Head\n\n"
        '- one{{ cite("a") }}\n    - two {{- cite("b") -}} !\n\n'
        "{%- raw %} {{ x }} {% endraw -%}\n\n{{ bibliography(uncited=True) }}\n"
    )
    page, problems = scan(source)
    assert problems == [] and page.plan is not None

    def call(name: str, *args: object, **kwargs: object) -> str:
        return f"<{name} {args} {sorted(kwargs.items())}>"

    env = environment()
    body = source.split("---\n", 2)[2].lstrip("\n")
    expected = env.from_string(body).render(
        cite=lambda *a, **k: call("cite", *a, **k),
        bibliography=lambda *a, **k: call("bibliography", *a, **k),
    )
    planned = "".join(item if isinstance(item, str) else call(item[0], *item[1], **item[2]) for item in page.plan)
    assert planned == expected


def test_the_digest_is_of_the_markdown_mkdocs_hands_to_plugins() -> None:
    from mkdocs.utils.meta import get_data

    from macros.pages.scan import body_digest

    for source in ('---\ntitle: T\n---\n\n\nText{{ cite("a") }}\n', 'Text{{ cite("a") }}\n', "---\n---\nA\n"):
        page, _ = scan(source)
        markdown, _meta = get_data(source)
        assert page.body_digest == body_digest(markdown), source


def test_any_other_jinja_means_no_plan() -> None:
    for source in (
        "{{ page.title }}{{ cite('a') }}",
        "{{ cite('a') | upper }}",
        "{% if true %}{{ cite('a') }}{% endif %}",
        "{{ 'text' }}{{ cite('a') }}",
        "{% set x = 1 %}{{ cite('a') }}",
        "{{ howto_jsonld() }}",
        "{{ cite(*keys) }}",
    ):
        page, _ = scan(source)
        assert page.plan is None, source


def test_a_page_with_a_problem_or_not_rendered_has_no_plan() -> None:
    page, problems = scan('{{ cite("a", page=2) }}\n')
    assert problems and page.plan is None
    page, problems = scan('---\nrender_macros: false\n---\n{{ cite("a") }}\n')
    assert page.plan is None


# -- Markdown first: code and attribute lists are not Jinja ---------------------


def test_jinja_in_code_is_text_and_no_citation() -> None:
    source = (
        "# Cite a source {#how}\n\n"
        'Write `{{ cite("key") }}` after the claim{{ cite("a") }}.\n\n'
        '```jinja\n{{ cite("in-fence") }} {% if x %}\n```\n\n'
        "~~~~\n{{ bibliography() }}\n~~~~\n\n"
        "> ```\n> {{ cite('quoted') }}\n> ```\n"
        "## Heading {: #other .wide }\n"
    )
    page, problems = scan(source, NAMES)
    assert problems == []
    assert [(c.keys, c.line) for c in page.cites] == [(("a",), 3)]
    assert page.bibliography_calls == []
    assert page.plan is not None
    text = "".join(item for item in page.plan if isinstance(item, str))
    assert '`{{ cite("key") }}`' in text and '{{ cite("in-fence") }} {% if x %}' in text
    assert "{{ bibliography() }}" in text and "{#how}" in text and "{: #other .wide }" in text


def test_protected_code_keeps_lines_and_comes_back_unchanged() -> None:
    source = 'a `{{ x }}` b\n```\n{% y %}\n\n{{ z }}\n```\n{{ cite("k") }} `plain` ``{{ two }}``\n'
    protected, codes = protect_code(source)
    assert protected.count("\n") == source.count("\n")
    assert "{{ x }}" not in protected and "{% y %}" not in protected and "{{ two }}" not in protected
    assert '{{ cite("k") }}' in protected and "`plain`" in protected
    assert restore_code(protected, codes) == source


def test_a_jinja_comment_uses_double_hashes() -> None:
    page, problems = scan('A {## a note ##} B{{ cite("a") }}\n', NAMES)
    assert problems == [] and page.plan == ["A ", " B", ["cite", ["a"], {}], "\n"]
    _, problems = scan("A {## never closed\n", NAMES)
    assert problems == [
        "docs/guide/page.md:1: Jinja syntax error: Missing end of comment tag "
        "('{##' opens a Jinja comment, closed by '##}')"
    ]


def test_undefined_names_are_errors_but_page_config_extra_and_front_matter_are_known() -> None:
    _, problems = scan(
        "---\nsubject: glutes\n---\n{{ page.title }} {{ config.site_name }} {{ extra.x }} {{ subject }}\n{{ nope }}\n",
        NAMES,
    )
    assert problems == [
        "docs/guide/page.md:5: 'nope' is not defined (to show {{ or {% as text, put it in a code span or a code block)"
    ]


def test_comments_written_for_mkdocs_macros_stay_comments() -> None:
    page, problems = scan(
        '# T {#top}\n\nA{{ cite("a") }}. {# cite("hidden") #}\n{#- an old\nnote -#}B{{ cite("b") }}\n'
        "`{# shown #}` and {#id} stay.\n",
        NAMES,
    )
    assert problems == []
    assert [c.keys for c in page.cites] == [("a",), ("b",)]
    assert page.plan is not None
    text = "".join(item for item in page.plan if isinstance(item, str))
    assert "hidden" not in text and "an old" not in text
    assert "{#top}" in text and "`{# shown #}` and {#id} stay." in text
    assert [(c.keys, c.line) for c in page.cites] == [(("a",), 3), (("b",), 5)]


HEADING = (
    "cite() in a heading: its number would become part of the heading's anchor and of the table of contents "
    "(move the citation after the heading, into the text below it)"
)
LINK = (
    "cite() inside link text: the citation's own link would be nested in the link, which is invalid HTML "
    "(move the citation after the link)"
)


def test_citations_in_headings_and_link_text_are_errors_with_lines() -> None:
    page, problems = scan(
        '# Title{{ cite("a") }}\n\n'  # 1
        'Setext{{ cite("b") }}\n======\n\n'  # 3
        '#Tight{{ cite("c") }}\n\n'  # 6: Python-Markdown needs no space after '#'
        '[text{{ cite("d") }}](https://x.org) and ![alt{{ cite("e") }}](i.png)\n'  # 8
        '[nested [brackets]{{ cite("f") }}][ref]\n'  # 9
        '<A HREF="x">html{{ cite("g") }}</a>\n'  # 10
    )
    assert problems == [
        f"docs/guide/page.md:1: {HEADING}",
        f"docs/guide/page.md:3: {HEADING}",
        f"docs/guide/page.md:6: {HEADING}",
        f"docs/guide/page.md:8: {LINK}",
        f"docs/guide/page.md:9: {LINK}",
        f"docs/guide/page.md:10: {LINK}",
    ]
    # the keys stay: the citation is misplaced, its source is still cited
    assert [c.keys for c in page.cites] == [(k,) for k in "abcdefg"]


def test_citations_next_to_headings_and_links_are_fine() -> None:
    page, problems = scan(
        "## Equipment\n\n"
        'Under it{{ cite("a") }}.\n'
        "Text\n\n"
        '---\n\nAfter a rule{{ cite("b") }}.\n'
        '[the book](https://x.org){{ cite("c") }}, [a footnote][^1]{{ cite("d") }}, [just brackets]{{ cite("e") }}\n'
        '<a href="x">link</a>{{ cite("f") }} \\[escaped{{ cite("g") }}](not a link)\n'
        '\n```\n# code{{ cite("h") }}\n```\n'
    )
    assert problems == []  # the call in code is shown as written, not a citation
    assert len(page.cites) == 7
