"""Pass 1 of the page scan: block structure (code and math regions, headings, blank lines), line by line."""

from __future__ import annotations

import re

from .syntax_model import Heading

_FENCE = re.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*(`{3,}|~{3,})")
_CONTAINER = re.compile(r"(?:[-*+]|\d{1,9}[.)])[ \t]+|(?:!!!|\?\?\?\+?|===\+?)[ \t]|\[\^[^\]\n]{1,100}\]:")
_ATX = re.compile(r"(?:>[ \t]?)*[ ]{0,3}(#{1,6})(?=[ \t]|$)")
_SETEXT = re.compile(r"[ ]{0,3}(=+|-+)[ \t]*$")


def _indent(line: str) -> int:
    width = 0
    for char in line:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def heading_text(raw: str) -> str:
    """An ATX heading's text without its '#'s and closing '#'s, without a regular expression."""
    text = raw.strip()
    text = text.lstrip("#").strip()
    stripped = text.rstrip("#")
    if stripped != text and (not stripped or stripped[-1] in " \t"):
        text = stripped.strip()
    return text


# -- pass 1: blocks -----------------------------------------------------------------


def _blocks(body: str, starts: list[int]) -> tuple[list[tuple[int, int]], list[Heading], set[int], list[int]]:
    """(code and math regions as offset ranges, headings, heading line numbers, blank line offsets)."""
    lines = body.split("\n")
    skip: list[tuple[int, int]] = []
    headings: list[Heading] = []
    heading_lines: set[int] = set()
    blanks: list[int] = []
    fence: str | None = None
    math: str | None = None
    containers: list[int] = []
    prev_blank = True
    prev_code = False
    prev_text = False  # the previous line is paragraph text (a setext underline may follow)
    for number, line in enumerate(lines):
        start = starts[number]
        end = start + len(line) + 1
        text = line.rstrip("\r")
        if fence is not None:
            match = _FENCE.match(text)
            closing = match is not None and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence)
            if match is not None and closing and not text[match.end() :].strip():
                fence = None
            skip.append((start, end))
            prev_blank, prev_code, prev_text = False, False, False
            continue
        if math is not None:
            skip.append((start, end))
            if math in text:
                math = None
            prev_blank, prev_code, prev_text = False, False, False
            continue
        if not text.strip():
            blanks.append(start)
            prev_blank, prev_text = True, False
            continue
        indent = _indent(text)
        if prev_blank:
            while containers and indent < containers[-1]:
                containers.pop()
        base = containers[-1] if containers else 0
        if indent >= base + 4 and (prev_blank or prev_code) and not prev_text:
            skip.append((start, end))
            prev_blank, prev_code, prev_text = False, True, False
            continue
        prev_code = False
        match = _FENCE.match(text)
        if match:
            fence = match.group(1)
            skip.append((start, end))
            prev_blank, prev_text = False, False
            continue
        stripped = text.strip()
        if stripped.startswith("$$"):
            skip.append((start, end))
            if not (len(stripped) > 2 and stripped.endswith("$$")):
                math = "$$"
            prev_blank, prev_text = False, False
            continue
        if stripped.startswith("\\[") and not stripped.startswith("\\[@"):
            skip.append((start, end))
            if "\\]" not in stripped[2:]:
                math = "\\]"
            prev_blank, prev_text = False, False
            continue
        if stripped.startswith("\\begin{"):
            skip.append((start, end))
            if "\\end{" not in stripped:
                math = "\\end{"
            prev_blank, prev_text = False, False
            continue
        atx = _ATX.match(text)
        if atx:
            headings.append(Heading(number + 1, len(atx.group(1)), heading_text(text[atx.start(1) :]), start, end))
            heading_lines.add(number + 1)
            prev_blank, prev_text = False, False
            continue
        setext = _SETEXT.match(text)
        if setext and prev_text and number > 0:
            level = 1 if setext.group(1)[0] == "=" else 2
            headings.append(Heading(number, level, lines[number - 1].strip(), starts[number - 1], end))
            heading_lines.add(number)
            prev_blank, prev_text = False, False
            continue
        container = _CONTAINER.match(text, len(text) - len(text.lstrip()))
        if container:
            containers.append(indent + 4)
        prev_blank, prev_text = False, True
    return skip, headings, heading_lines, blanks
