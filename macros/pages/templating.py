"""The Jinja a page may hold, and how Markdown code is kept out of it.

Pages are Markdown first: a ``{{ … }}`` or ``{% … %}`` written inside a
fenced code block or an inline code span is shown as it is written, so a
page can show the citation syntax without ``{% raw %}``. Before Jinja reads
a page, every code region that holds Jinja-like text is swapped for a short
token (two characters from Unicode's private use area around a number), and
swapped back after rendering. Lines keep their numbers.

Jinja comments are written ``{## … ##}``: ``{#`` is left to Markdown, where
attribute lists use it (``## Heading {#my-id}``). A comment in the form
pages written for mkdocs-macros use, ``{#`` then a space or ``-``, up to
the next ``#}``, is still a comment: an attribute list never has a space
right after ``{#``, and never ends in ``#}``.

No MkDocs imports here.
"""

from __future__ import annotations

import re
import traceback

import jinja2

COMMENT_START, COMMENT_END = "{##", "##}"
# What a page can read besides its own front matter; anything else is an error.
CITATION_MACROS = ("cite", "references", "bibliography")
NAMES = ("page", "config", "extra", *CITATION_MACROS, "howto_jsonld")
TEMPLATE_NAME = "<page>"

_OPEN, _CLOSE = "\ue002", "\ue003"
_CODE_TOKEN = re.compile(f"{_OPEN}([0-9]+){_CLOSE}")
_JINJA_LIKE = re.compile(r"\{[{%]|\{#[#\s-]")
_OLD_COMMENT = re.compile(r"\{#([\s-].*?)#\}", re.S)
_FENCE = re.compile(r"^[ \t]*(?:>[ \t]*)*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")


def environment() -> jinja2.Environment:
    """The one Jinja environment pages are parsed and rendered with."""
    return jinja2.Environment(
        comment_start_string=COMMENT_START,
        comment_end_string=COMMENT_END,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # the page is Markdown; the macros escape what they write
    )


def has_jinja(text: str) -> bool:
    return _JINJA_LIKE.search(text) is not None


def protect_code(body: str) -> tuple[str, list[str]]:
    """(``body`` with its Jinja-like code swapped for tokens, the code by token number)."""
    if not has_jinja(body):
        return body, []
    codes: list[str] = []

    def token(text: str) -> str:
        if not has_jinja(text):
            return text
        codes.append(text)
        return f"{_OPEN}{len(codes) - 1}{_CLOSE}"

    out: list[str] = []
    fence: str | None = None
    for line in body.splitlines(keepends=True):
        text = line.rstrip("\r\n")
        end = line[len(text) :]
        match = _FENCE.match(text)
        if fence is None and match:
            fence = match.group(1)
            out.append(token(text) + end)
        elif fence is not None:
            closing = (
                match is not None
                and match.group(1)[0] == fence[0]
                and len(match.group(1)) >= len(fence)
                and not text.strip().lstrip(">").strip().strip(fence[0])
            )
            if closing:
                fence = None
            out.append(token(text) + end)
        elif "`" in text:
            out.append(_CODE_SPAN.sub(lambda m: token(m.group(0)), text) + end)
        else:
            out.append(line)
    return _OLD_COMMENT.sub(lambda m: f"{COMMENT_START}{m.group(1)}{COMMENT_END}", "".join(out)), codes


def restore_code(text: str, codes: list[str]) -> str:
    if not codes:
        return text
    return _CODE_TOKEN.sub(lambda m: codes[int(m.group(1))], text)


def error_line(error: BaseException) -> int:
    """The page line a rendering error happened on (Jinja puts it in the traceback), else 0."""
    lineno = getattr(error, "lineno", None)
    if isinstance(lineno, int) and lineno > 0:
        return lineno
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename == TEMPLATE_NAME and frame.lineno:
            return frame.lineno
    return 0
