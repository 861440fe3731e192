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
_NAME_VALUE = re.compile(r"^(\s*(?:-\s+)?[^\s:#][^:]*?):[ \t]+(.*?)\s*$")


def _quoted(line_text: str) -> str:
    """The fix for a value YAML cannot read: the line with its whole value in quotes."""
    match = _NAME_VALUE.match(line_text)
    if match is None:
        return 'put the whole value in quotes: name: "..."'
    name, value = match.group(1).strip(), match.group(2)
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    if len(value) > 50:
        value = value[:47] + "..."
    if '"' in value:
        return "put the whole value in single quotes: " + name + ": '" + value.replace("'", "''") + "'"
    return f'put the whole value in quotes: {name}: "{value}"'


def _plain(error: yaml.MarkedYAMLError, line_text: str) -> str:
    """What YAML's message means, in words a writer uses."""
    problem = error.problem or ""
    if "mapping values are not allowed" in problem:
        return "the ': ' in this value makes YAML read a new 'name: value' in it"
    if "expected <block end>" in problem and '"' in line_text:
        return "a '\"' inside this quoted value ends it early, and YAML cannot read the rest"
    if "flow sequence" in (error.context or "") or "flow mapping" in (error.context or ""):
        return "a value starting with '[' or '{' is a list or mapping in YAML, and this one is never closed"
    if "found duplicate anchor" in problem or "found undefined alias" in problem:
        return "'&' and '*' at the start of a value are YAML syntax"
    return f"YAML cannot read it ({problem})"


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
        if "'\\t'" in (error.problem or ""):
            what, fix = "a tab, and YAML indents with spaces only", "replace the tab with spaces"
        else:
            what, fix = _plain(error, line_text), _quoted(line_text)
        problems.error(
            path,
            row + 2,
            f"the front matter is not valid YAML at column {column}: {what}, so MkDocs would publish it "
            f"as text at the top of the page and lose the page's metadata ({fix})",
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
