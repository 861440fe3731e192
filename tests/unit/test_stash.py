"""Engine HTML reaches the page through Markdown's stash, unchanged and in place."""

from __future__ import annotations

import markdown

from macros.html.stash import HtmlTokens

EXTENSIONS = ["abbr", "admonition", "attr_list", "footnotes", "md_in_html", "tables", "toc"]
MARKER = '<sup class="citation" id="cite-p-1"><a href="#ref-p-1" title="A *starred* title">1</a></sup>'
LIST = '\n<ol class="references">\n<li value="1" id="ref-p-1">A **not bold** entry</li>\n</ol>\n'


def convert(text: str, tokens: HtmlTokens | None = None) -> str:
    extensions: list[object] = list(EXTENSIONS)
    if tokens is not None:
        extensions.append(tokens.extension())
    html: str = markdown.Markdown(extensions=extensions).convert(text)
    return html


def page(marker: str, refs: str) -> str:
    return (
        f"# Title{marker}\n\nA claim{marker}.\n\n| a |\n| - |\n| b{marker} |\n\n"
        f"!!! note\n\n    Noted{marker}.\n\nFootnote[^1].\n\n[^1]: Its source{marker}.\n\n"
        f"## References\n{refs}\nAfter the list.\n"
    )


def test_tokens_give_the_same_html_as_writing_the_html() -> None:
    tokens = HtmlTokens()
    tokens.start("p.md")
    marker = tokens.token(MARKER)
    refs = tokens.token(LIST)
    assert "<" not in marker + refs
    assert convert(page(marker, refs), tokens) == convert(page(MARKER, LIST))
    assert tokens.start("next.md") is None  # everything was used


def test_html_that_never_reaches_markdown_is_noticed() -> None:
    tokens = HtmlTokens()
    tokens.start("p.md")
    tokens.token(MARKER)
    assert tokens.start("next.md") == "p.md"
    assert tokens.start("last.md") is None


def test_text_without_tokens_is_left_alone() -> None:
    tokens = HtmlTokens()
    tokens.start("p.md")
    tokens.token(MARKER)
    text = "Plain *text* with \ue000 a stray private-use character.\n"
    assert convert(text, tokens) == convert(text)
