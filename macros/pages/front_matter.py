"""Checks of a page's front matter (the YAML between the two '---' lines at its top).

MkDocs drops front matter that is not valid YAML without a word: the YAML
is published as text at the top of the page, and the page's metadata (its
description, review date, HowTo steps) is lost. Nor does MkDocs render
anything in it: a ``cite()`` there is published as written, in the page's
``<meta name="description">`` and link previews. Both are errors here, at
the YAML's own line and column, in plain words and with the fix.
"""

from __future__ import annotations

import re

import yaml

from ..problems import Problems

# The same front-matter pattern MkDocs uses (mkdocs.utils.meta).
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_JINJA = re.compile(r"\{\{|\{%")
_CITE = re.compile(r"\b(?:cite|references|bibliography)\s*\(")
FIX = 'put the whole value in quotes: description: "..." (a quote inside it as \\", or use single quotes outside)'


def _plain(error: yaml.MarkedYAMLError, line_text: str) -> str:
    """What YAML's message means, in words a writer uses."""
    problem = error.problem or ""
    if "mapping values are not allowed" in problem:
        return f"the ': ' in this value makes YAML read a new 'name: value' here ({FIX})"
    if "expected <block end>" in problem and '"' in line_text:
        return f"a '\"' inside this quoted value ends it early, and YAML cannot read the rest ({FIX})"
    if "'\\t'" in problem:
        return "a tab: YAML indents with spaces only (replace the tab with spaces)"
    if "flow sequence" in (error.context or "") or "flow mapping" in (error.context or ""):
        return f"a value starting with '[' or '{{' is a list or mapping in YAML, and this one is never closed ({FIX})"
    if "cannot start any token" in problem:
        return f"{problem} ({FIX})"
    if "found duplicate anchor" in problem or "found undefined alias" in problem:
        return f"'&' and '*' at the start of a value are YAML syntax ({FIX})"
    return f"YAML cannot read it: {problem} ({FIX})"


def check_front_matter(source: str, path: str, problems: Problems) -> bool:
    """Report what is wrong with the page's front matter; False when MkDocs would drop it."""
    match = FRONT_MATTER.match(source)
    if not match:
        return True
    text = match.group(1)
    lines = text.split("\n")
    try:
        meta = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        if mark is not None and "flow" in (error.context or "") and error.context_mark is not None:
            mark = error.context_mark  # where the '[' or '{' opens, not the end of the file
        row = min(mark.line, len(lines) - 1) if mark is not None else 0
        column = (mark.column + 1) if mark is not None else 1
        line_text = lines[row] if lines else ""
        jinja = next((n for n, line in enumerate(lines[: row + 1]) if _JINJA.search(line)), None)
        if jinja is not None:
            problems.error(path, jinja + 2, _jinja_message(lines[jinja]), kind="page.front-matter-citation")
            return False
        problems.error(
            path,
            row + 2,
            f"the front matter is not valid YAML at column {column}: {_plain(error, line_text)}; "
            "as it is, MkDocs would publish it as text at the top of the page and lose the page's metadata",
            kind="page.front-matter",
        )
        return False
    except yaml.YAMLError as error:
        problems.error(path, 2, f"the front matter is not valid YAML: {error}", kind="page.front-matter")
        return False
    if meta is not None and not isinstance(meta, dict):
        problems.error(
            path,
            2,
            "the front matter is not a list of 'name: value' lines, so MkDocs would publish it as text "
            "at the top of the page (write name: value on each line, or remove the '---' lines)",
            kind="page.front-matter",
        )
        return False
    for row, line in enumerate(lines):
        if _JINJA.search(line):
            problems.error(path, row + 2, _jinja_message(line), kind="page.front-matter-citation")
    return True


def _jinja_message(line: str) -> str:
    if _CITE.search(line):
        return (
            "a citation in the front matter is not rendered: it would be published as written, in the page's "
            "description and link previews (cite in the page's text instead, and leave the description plain)"
        )
    return (
        "'{{' or '{%' in the front matter is not rendered: it would be published as written "
        "(write the value as plain text)"
    )
