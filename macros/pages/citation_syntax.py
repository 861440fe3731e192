"""Find the engine's own syntax in a page, and nothing else, in one linear pass.

What the engine reads in a page:

- its calls ``{{ cite("key") }}``, ``{{ references() }}``, ``{{ bibliography() }}``
  (a ``{{ … }}`` whose expression starts with one of these names);
- pandoc's citations: ``[@key]``, ``[@a; @b]``, ``[see @key, p. 33; also @b]``,
  ``[-@key]`` and the in-text ``@key`` (only when ``key`` is in the .bib);
- mkdocs-bibtex's placeholders ``\\bibliography`` and ``\\full_bibliography``
  (or the commands a site configured).

Everything else is left byte for byte: every other ``{{ … }}``, ``{% … %}``,
``{# … #}`` (math, another plugin's macros, text), and the syntax inside
code blocks and spans, math, HTML tags and comments, ``{% raw %}`` blocks,
URLs and link targets. Leftovers that look like a citation the engine does
not read (``\\cite{…}``, a ``[@…]`` that is not a citation) are reported.

The scan is linear in the page's length: every position is looked at a
bounded number of times (no regular expression here can backtrack over more
than the text it matches, brackets are matched with a stack, a code span's
closing run is found through per-length position lists). No MkDocs imports.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

# -- what is found ----------------------------------------------------------------

CALL_NAMES = ("cite", "references", "bibliography")


@dataclass
class CiteItem:
    """One source in a citation: its key and, when given, its pinpoint (``p. 33``) and prefix."""

    key: str
    loc: str | None = None
    prefix: str = ""


@dataclass
class Found:
    """One piece of the engine's syntax: [start, end) of the body it replaces."""

    kind: str  # "cite" | "references" | "bibliography"
    start: int
    end: int
    line: int
    syntax: str  # "jinja" | "pandoc" | "in-text" | "placeholder"
    items: list[CiteItem] = field(default_factory=list)
    author: bool = False  # an in-text citation: the author's name is written before the marker
    uncited: bool = False  # bibliography(uncited=True), \full_bibliography
    valid: bool = True  # False: the call has a mistake (reported); it renders as a broken marker
    where: str = ""  # "heading" or "link" when it sits where a citation must not

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)


@dataclass
class Heading:
    line: int
    level: int
    text: str
    start: int  # offset of the heading's first line
    end: int  # offset just after the heading's line (or its underline)


@dataclass
class Note:
    """A mistake or leftover found by the scan: line, message, severity."""

    line: int
    message: str
    severity: str = "error"
    kind: str = "page.syntax"


@dataclass
class PageSyntax:
    found: list[Found]
    notes: list[Note]
    headings: list[Heading]


# -- grammar ------------------------------------------------------------------------

# pandoc: a key starts with a letter, digit or _, and goes on with those and
# single internal punctuation characters; or it is written in braces.
_KEY = re.compile(
    r"[A-Za-z0-9_\u00c0-\uffff](?:[A-Za-z0-9_\u00c0-\uffff]|[:.#$%&\-+?<>~/](?=[A-Za-z0-9_\u00c0-\uffff]))*"
)
_BRACED_KEY = re.compile(r"\{([^{}\n]*)\}")
_WORD_BEFORE = re.compile(r"[A-Za-z0-9_@\\/.\-+&\u00c0-\uffff`]")
_CALL_START = re.compile(r"\{\{-?[ \t\r\n]*(cite|references|bibliography)[ \t]*\(")
_OTHER_CALL = re.compile(r"\{\{-?[ \t]*([A-Za-z_][A-Za-z0-9_]{0,40})[ \t]*\(")
_CALL_END = re.compile(r"[ \t\r\n]*-?\}\}")
_RAW_START = re.compile(r"\{%-?[ \t]*raw[ \t]*-?%\}")
_RAW_END = re.compile(r"\{%-?[ \t]*endraw[ \t]*-?%\}")
_LATEX_CITE = re.compile(
    r"\\(?:cite|citep|citet|citealp|citealt|citeauthor|citeyear|parencite|textcite|autocite|footcite|nocite)\*?"
    r"(?:\[[^\]\n]{0,200}\]){0,2}\{([^{}\n]{0,500})\}"
)
# A tag never reaches past the next '<', so trying one at every '<' stays linear.
_HTML_TAG = re.compile(
    r"</?[A-Za-z][A-Za-z0-9-]*(?:[ \t\r\n]+[^ \t\r\n\"'<>/=]+"
    r"(?:[ \t\r\n]*=[ \t\r\n]*(?:\"[^\"<]{0,2000}\"|'[^'<]{0,2000}'|[^ \t\r\n\"'=<>`]+))?)*[ \t\r\n]*/?>"
)
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^ \t\r\n<>]*|[^ \t\r\n<>@]+@[^ \t\r\n<>]+)>")
_URL = re.compile(r"(?:https?://|ftp://|mailto:|www\.)[^ \t\r\n<>\"'`]*")
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


# -- pass 2: inline -----------------------------------------------------------------


@dataclass
class _Bracket:
    start: int
    line: int
    paragraph_end: int
    nested: bool = False
    parent: _Bracket | None = None
    link: bool = False
    inner: list[Found] = field(default_factory=list)  # citations found inside, decided at ']'

    def inner_calls(self) -> bool:
        """Does it hold one of the engine's calls (then it is no pandoc citation)?"""
        return any(found.syntax == "jinja" for found in self.inner)


_SPECIAL = re.compile(r"`+|<|\{\{|\{%|\{[:#.]|\\|\$|\[|\]|@|https?://|ftp://|mailto:|www\.|!\[")


class _Scanner:
    def __init__(
        self,
        body: str,
        keys: Callable[[str], str | None] | None,
        placeholders: dict[str, tuple[str, bool]],
        in_text: bool,
        pandoc: bool,
        calls: bool = True,
    ) -> None:
        self.body = body
        # key as written -> the .bib's spelling (case-insensitive), or None; without it
        # every in-text @word that could be a key is found, and the engine sorts them
        self.keys = keys
        self.calls = calls
        self.placeholders = placeholders
        self.in_text = in_text
        self.pandoc = pandoc
        self.starts = [0, *(m.end() for m in re.finditer("\n", body))]
        self.found: list[Found] = []
        self.notes: list[Note] = []
        self.brackets: list[_Bracket] = []
        self.links: list[tuple[int, int]] = []  # <a>…</a> text
        self._ticks: dict[int, list[int]] = {}
        self._tick_next: dict[int, int] = {}
        for match in re.finditer(r"`+", body):
            self._ticks.setdefault(len(match.group(0)), []).append(match.start())
        self.special = self._special_pattern()

    def _special_pattern(self) -> re.Pattern[str]:
        commands = sorted(self.placeholders, key=len, reverse=True)
        alternatives = [re.escape(c) for c in commands]
        return re.compile("|".join([*alternatives, _SPECIAL.pattern])) if alternatives else _SPECIAL

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def note(self, offset: int, message: str, severity: str = "error", kind: str = "page.syntax") -> None:
        self.notes.append(Note(self.line(offset), message, severity, kind))

    # each handler returns the offset to go on from
    def run(self, regions: list[tuple[int, int]], blanks: list[int]) -> None:
        body = self.body
        self.blanks = blanks
        for begin, stop in regions:
            pos = begin
            self.brackets = []
            self._a_open: int | None = None
            while pos < stop:
                match = self.special.search(body, pos, stop)
                if match is None:
                    break
                at = match.start()
                token = match.group(0)
                if self.brackets and at >= self.brackets[-1].paragraph_end:
                    self._close_paragraph()  # a bracket never spans paragraphs
                pos = self._handle(token, at, stop)
            self._close_paragraph()

    def _paragraph_end(self, at: int, stop: int) -> int:
        index = bisect.bisect_right(self.blanks, at)
        return min(self.blanks[index], stop) if index < len(self.blanks) else stop

    def _handle(self, token: str, at: int, stop: int) -> int:
        body = self.body
        if token in self.placeholders:
            kind, uncited = self.placeholders[token]
            end = at + len(token)
            if token[-1:].isalpha() and end < len(body) and body[end].isalpha():
                return end  # \bibliographystyle: another command
            braced = _BRACED_KEY.match(body, end) if token.startswith("\\") else None
            if braced is not None:
                end = braced.end()  # \bibliography{refs}: LaTeX's argument goes with it
            self._add(Found(kind, at, end, self.line(at), "placeholder", uncited=uncited))
            return end
        if token[0] == "`":
            return self._code_span(at, len(token), stop)
        if token == "<":
            return self._angle(at, stop)
        if token == "{{":
            return self._call(at, stop) if self.calls else at + 2
        if token[0] == "{" and token[1] in ":#.":
            # an attribute list, {: .lead data-x="@media" } or {#anchor}: Markdown's, to its '}'
            close = body.find("}", at + 2, min(stop, self._line_end(at)))
            return close + 1 if close >= 0 else at + 2
        if token == "{%":
            raw = _RAW_START.match(body, at)
            if raw is None:
                return at + 2
            endraw = _RAW_END.search(body, raw.end())
            return endraw.end() if endraw else stop
        if token == "\\":
            return self._backslash(at, stop)
        if token == "$":
            return self._dollar(at, stop)
        if token in ("[", "!["):
            start = at + len(token) - 1
            parent = self.brackets[-1] if self.brackets else None
            if parent is not None:
                parent.nested = True
            self.brackets.append(_Bracket(start, self.line(start), self._paragraph_end(start, stop), parent=parent))
            if len(self.brackets) > 1000:  # nobody nests brackets that deep: forget the outermost
                self.brackets.pop(0)
            return start + 1
        if token == "]":
            return self._close_bracket(at, stop)
        if token == "@":
            return self._at(at, stop)
        # a bare URL: its '@' and '[' are the URL's
        url = _URL.match(body, at, stop)
        if url is None or (at > 0 and body[at - 1].isalnum()):
            return at + len(token)
        end = url.end()
        while end > at and body[end - 1] in ".,;:!?)]":
            end -= 1
        return max(end, at + 1)

    # -- regions skipped --------------------------------------------------------------

    def _code_span(self, at: int, length: int, stop: int) -> int:
        if at > 0 and self.body[at - 1] == "\\":
            return at + length  # escaped: a literal backtick
        positions = self._ticks.get(length, [])
        index = self._tick_next.get(length, 0)
        while index < len(positions) and positions[index] <= at:
            index += 1
        self._tick_next[length] = index
        end = self._paragraph_end(at, stop)
        if index < len(positions) and positions[index] < end:
            return positions[index] + length
        return at + length

    def _angle(self, at: int, stop: int) -> int:
        body = self.body
        if body.startswith("<!--", at):
            close = body.find("-->", at + 4, stop)
            end = close + 3 if close >= 0 else stop
            return end
        auto = _AUTOLINK.match(body, at, stop)
        if auto:
            return auto.end()
        tag = _HTML_TAG.match(body, at, stop)
        if tag is None:
            return at + 1
        name = re.match(r"</?([A-Za-z0-9-]+)", tag.group(0))
        if name and name.group(1).lower() == "a":
            if tag.group(0).startswith("</"):
                if self._a_open is not None:
                    self.links.append((self._a_open, at))
                    self._a_open = None
            else:
                self._a_open = tag.end()
        return tag.end()

    def _backslash(self, at: int, stop: int) -> int:
        body = self.body
        nxt = body[at + 1 : at + 2]
        if nxt == "(":
            close = body.find("\\)", at + 2, self._paragraph_end(at, stop))
            return close + 2 if close >= 0 else at + 2
        if nxt == "[":
            close = body.find("\\]", at + 2, self._paragraph_end(at, stop))
            return close + 2 if close >= 0 else at + 2
        if nxt.isalpha():
            latex = _LATEX_CITE.match(body, at, stop)
            if latex:
                keys = [k.strip() for k in latex.group(1).split(",") if k.strip()]
                form = "[" + "; ".join(f"@{k}" for k in keys) + "]" if keys else "[@key]"
                self.note(
                    at,
                    f"{latex.group(0)} is LaTeX, which is published as it is written: write {form} "
                    "(pandoc's syntax) to cite",
                    "warning",
                    "page.leftover",
                )
                return latex.end()
            word = re.match(r"\\[A-Za-z]+", body[at : at + 40])
            return at + (len(word.group(0)) if word else 1)
        return at + 2  # an escaped character: never syntax

    def _dollar(self, at: int, stop: int) -> int:
        body = self.body
        if at > 0 and body[at - 1] == "\\":
            return at + 1
        end = self._paragraph_end(at, stop)
        if body.startswith("$$", at):
            close = body.find("$$", at + 2, end)
            return close + 2 if close >= 0 else at + 2
        nxt = body[at + 1 : at + 2]
        if not nxt or nxt.isspace():
            return at + 1
        close = body.find("$", at + 1, end)
        while close >= 0 and body[close - 1] == "\\":
            close = body.find("$", close + 1, end)
        if close < 0 or body[close - 1].isspace():
            return at + 1
        return close + 1

    # -- the engine's calls ---------------------------------------------------------------

    def _call(self, at: int, stop: int) -> int:
        body = self.body
        start = _CALL_START.match(body, at)
        if start is None:
            other = _OTHER_CALL.match(body, at)
            if other is not None:
                meant = difflib.get_close_matches(other.group(1), CALL_NAMES, n=1, cutoff=0.75)
                if meant and other.group(1) not in CALL_NAMES:
                    self.note(
                        at,
                        f"{other.group(1)}() is not one of the engine's calls, so it is published as written "
                        f"(did you mean {meant[0]}()?)",
                        "warning",
                        "page.leftover",
                    )
            return at + 2
        name = start.group(1)
        parsed = _parse_arguments(body, start.end(), min(len(body), self._paragraph_end(at, stop)))
        if isinstance(parsed, str):
            self.note(at, f"{name}() could not be read: {parsed}", kind="page.cite-arguments")
            return start.end()
        args, kwargs, close = parsed
        end = _CALL_END.match(body, close)
        if end is None:
            self.note(
                at, f"{name}(...) must be followed by }}}} (write {{{{ {name}(...) }}}})", kind="page.cite-arguments"
            )
            return close
        begin, finish = at, end.end()
        # Jinja's whitespace control, {{- and -}}: the spaces and line breaks on that side go too
        if body.startswith("{{-", at):
            while begin > 0 and body[begin - 1] in " \t\r\n" and not self._taken(begin - 1):
                begin -= 1
        if end.group(0).rstrip().endswith("-}}"):
            while finish < len(body) and body[finish] in " \t\r\n":
                finish += 1
        found = Found(name, begin, finish, self.line(at), "jinja")
        self._check_call(found, args, kwargs)
        if self.brackets:
            self.brackets[-1].inner.append(found)  # in link text? decided at its ']'
        else:
            self._add(found)
        return finish

    def _check_call(self, found: Found, args: list[object], kwargs: dict[str, object]) -> None:
        at = found.start
        name = found.kind
        if name == "cite":
            loc = kwargs.pop("loc", None)
            locs = kwargs.pop("locs", None)
            if isinstance(loc, _Quoted):
                loc = loc.value
            for key in kwargs:
                self.note(
                    at,
                    f'cite() has no option {key!r}; its options are loc="pages" (one key) and '
                    'locs={"key": "pages", …} (a pinpoint for each key)',
                    kind="page.cite-arguments",
                )
                found.valid = False
            if not args:
                self.note(
                    at, 'cite() needs at least one citation key, e.g. cite("kang2013")', kind="page.cite-arguments"
                )
                found.valid = False
            keys: list[str] = []
            for arg in args:
                if isinstance(arg, _Quoted):
                    if self._check_key_text(at, arg):
                        keys.append(arg.value)
                    else:
                        found.valid = False
                else:
                    self.note(
                        at,
                        f'cite() takes citation keys in quotes, like cite("kang2013"), not {_describe(arg)}',
                        kind="page.cite-arguments",
                    )
                    found.valid = False
            if loc is not None and not isinstance(loc, (str, int)):
                self.note(
                    at,
                    f"cite(loc=...) takes a page or range in quotes, not {_describe(loc)}",
                    kind="page.cite-arguments",
                )
                found.valid = False
                loc = None
            if loc is not None and len(keys) > 1:
                self.note(
                    at,
                    "cite(loc=...) goes with a single key; for several keys give each its own: "
                    'cite("a", "b", locs={"a": "12"}), or write [@a, p. 12; @b]',
                    kind="page.cite-arguments",
                )
                found.valid = False
            per_key: dict[str, str] = {}
            if locs is not None:
                if not isinstance(locs, dict):
                    self.note(
                        at, 'cite(locs=...) takes a mapping like locs={"kang2013": "12–14"}', kind="page.cite-arguments"
                    )
                    found.valid = False
                else:
                    for key, value in locs.items():
                        if key not in keys:
                            self.note(
                                at,
                                f"cite(locs=...) names {key!r}, which this cite() does not cite",
                                kind="page.cite-arguments",
                            )
                            found.valid = False
                        per_key[key] = str(value)
            if found.valid:
                single = str(loc) if loc is not None else None
                found.items = [CiteItem(k, per_key.get(k, single)) for k in keys]
        elif name == "references":
            if args or kwargs:
                self.note(at, "references() takes no arguments", kind="page.list-arguments")
        else:
            uncited = kwargs.pop("uncited", False)
            if args or kwargs or not isinstance(uncited, bool):
                self.note(at, "bibliography() takes only uncited=True or uncited=False", kind="page.list-arguments")
            found.uncited = uncited is True

    def _check_key_text(self, at: int, arg: _Quoted) -> bool:
        """Is the quoted text one key? Each mistake is reported once."""
        text = arg.value
        if arg.smart:
            self.note(
                at,
                f"cite(“{text}”) is written with typographic quotes, which Python and Jinja do not read: "
                f'write straight quotes, cite("{text}") (an editor\'s "smart quotes" setting changes them)',
                kind="page.invalid-key",
            )
            return False
        if "," in text or ";" in text:
            parts = [p.strip() for p in re.split(r"[,;]", text) if p.strip()]
            shown = ", ".join(f'"{p}"' for p in parts)
            self.note(
                at, f'cite("{text}") names several keys in one string: write cite({shown})', kind="page.invalid-key"
            )
            return False
        if not _key_ok(text):
            self.note(
                at,
                f"{text!r} is not a valid citation key (no spaces or punctuation like , {{ }})",
                kind="page.invalid-key",
            )
            return False
        return True

    # -- brackets and pandoc citations -----------------------------------------------------

    def _close_bracket(self, at: int, stop: int) -> int:
        body = self.body
        if not self.brackets or (at > 0 and body[at - 1] == "\\"):
            return at + 1
        bracket = self.brackets.pop()
        after = body[at + 1 : at + 2]
        content = body[bracket.start + 1 : at]
        if after in ("(", "[") or (after == ":" and self._line_start(bracket.start)):
            bracket.link = True
            self._mark_link(bracket)
            if after == "(":
                return self._link_target(at + 1, stop)
            if after == ":":
                return self._line_end(at)  # [label]: url "title" — a reference definition
            return at + 1
        if content.startswith("^"):
            return at + 1  # a footnote reference
        if self.pandoc and not bracket.nested and "@" in content and not bracket.inner_calls():
            group = _parse_group(content)
            if group is not None:
                found = Found("cite", bracket.start, at + 1, bracket.line, "pandoc", items=group)
                bracket.inner = []  # the '@'s inside are this citation's, not in-text ones
                if self.brackets:
                    self.brackets[-1].inner.append(found)
                else:
                    self._add(found)
                return at + 1
            stripped = content.lstrip()
            if stripped.startswith(("@", "-@")) and "{{" not in content and "{%" not in content:
                self.note(
                    bracket.start,
                    f"[{_clip(content)}] is not a citation the engine can read, so it is published as "
                    "written: write [@key], [@key, p. 33] or [@a; @b] (keys of letters, digits and _ : . - /)",
                    "warning",
                    "page.leftover",
                )
        self._release(bracket)
        return at + 1

    def _release(self, bracket: _Bracket) -> None:
        """A closed bracket that is neither a link nor a citation: what it held goes up a level."""
        if bracket.inner:
            if self.brackets and not bracket.link:
                self.brackets[-1].inner.extend(bracket.inner)
                bracket.inner = []
            else:
                for found in bracket.inner:
                    self._add(found)
                bracket.inner = []

    def _mark_link(self, bracket: _Bracket) -> None:
        """Link text: a bracketed citation there is a mistake (reported); an '@name' is the link's text.

        ``[@jdoe](https://social.example/@jdoe)`` is a handle, even when a key is called jdoe.
        """
        bracket.inner = [found for found in bracket.inner if found.syntax != "in-text"]
        for found in bracket.inner:
            found.where = found.where or "link"
        self._release(bracket)

    def _close_paragraph(self) -> None:
        while self.brackets:
            bracket = self.brackets.pop()
            for found in bracket.inner:
                self._add(found)
        self.brackets = []

    def _line_start(self, offset: int) -> bool:
        line_start = self.starts[self.line(offset) - 1]
        return not self.body[line_start:offset].strip()

    def _line_end(self, offset: int) -> int:
        end = self.body.find("\n", offset)
        return len(self.body) if end < 0 else end

    def _link_target(self, at: int, stop: int) -> int:
        """Skip ``(url "title")`` from its '(' (nested parentheses counted, up to the paragraph's end).

        A target is looked for in the next 2 000 characters only, so a line of
        unclosed ``[x](`` stays linear.
        """
        body = self.body
        end = min(self._paragraph_end(at, stop), at + 2000)
        depth = 1
        pos = at + 1
        while True:
            close = body.find(")", pos, end)
            if close < 0:
                return at + 1
            depth += body.count("(", pos, close) - 1
            if depth == 0:
                return close + 1
            pos = close + 1

    # -- in-text citations ------------------------------------------------------------------

    def _at(self, at: int, stop: int) -> int:
        body = self.body
        if at > 0 and _WORD_BEFORE.match(body, at - 1):
            return at + 1  # an e-mail address, image@2x.png, a handle in a path
        if not (self.in_text and self.pandoc):
            return at + 1
        match = _KEY.match(body, at + 1, stop)
        if match is None:
            return at + 1
        key = match.group(0)
        if self.keys is not None and self.keys(key) is None:
            return match.end()  # an @word that is not a key: text
        end = match.end()
        items = [CiteItem(key)]
        # @key [p. 33]: pandoc's in-text citation with a pinpoint
        loc = re.match(r"[ ]?\[([^\[\]@\n]{1,200})\](?![(\[:])", body[end : end + 205])
        if loc:
            items[0].loc = _locator(loc.group(1).strip())
            end += loc.end()
        found = Found("cite", at, end, self.line(at), "in-text", items=items, author=True)
        if self.brackets:
            self.brackets[-1].inner.append(found)
        else:
            self._add(found)
        return end

    def _add(self, found: Found) -> None:
        self.found.append(found)

    def _taken(self, offset: int) -> bool:
        """Is ``offset`` inside the last piece found (whitespace control never reaches into it)?"""
        return bool(self.found) and self.found[-1].end > offset


@dataclass
class _Quoted:
    value: str
    smart: bool = False


def _describe(value: object) -> str:
    if isinstance(value, _Name):
        return f"the variable {value.name}"
    if isinstance(value, _Quoted):
        return repr(value.value)
    return repr(value)


@dataclass
class _Name:
    name: str


_SMART_QUOTES = {"\u201c": "\u201d", "\u201d": "\u201d", "\u2018": "\u2019", "\u2019": "\u2019", "\u201e": "\u201c"}
_ARG_TOKEN = re.compile(
    r"[ \t\r\n]*(?:"
    r"(?P<dq>\"(?:[^\"\\\n]|\\.){0,2000}\")|(?P<sq>'(?:[^'\\\n]|\\.){0,2000}')"
    r"|(?P<smart>[\u201c\u201d\u2018\u2019\u201e][^\u201c\u201d\u2018\u2019\u201e\n]{0,2000}[\u201c\u201d\u2018\u2019])"
    r"|(?P<num>-?\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<punct>[(),=:{}\[\]])"
    r")"
)


def _parse_arguments(body: str, pos: int, limit: int) -> tuple[list[object], dict[str, object], int] | str:
    """The arguments of a call from just after its '(' to its ')': (args, kwargs, offset after ')').

    Only literals: strings, numbers, True/False/None, a {"key": "value"} mapping.
    Returns a message when the call is not written that way.
    """
    args: list[object] = []
    kwargs: dict[str, object] = {}

    def value_at(p: int) -> tuple[object, int] | str:
        token = _ARG_TOKEN.match(body, p, limit)
        if token is None:
            return "an argument is not a string in quotes"
        kind = token.lastgroup
        text = token.group(kind or "")
        if kind in ("dq", "sq"):
            return _Quoted(_unescape(text[1:-1])), token.end()
        if kind == "smart":
            return _Quoted(text[1:-1], smart=True), token.end()
        if kind == "num":
            return (float(text) if "." in text else int(text)), token.end()
        if kind == "name":
            return {"True": True, "False": False, "None": None}.get(text, _Name(text)), token.end()
        if text == "{":
            mapping: dict[str, object] = {}
            q = token.end()
            while True:
                nxt = _ARG_TOKEN.match(body, q, limit)
                if nxt is None:
                    return "a mapping is not closed with }"
                if nxt.group("punct") == "}":
                    return mapping, nxt.end()
                if nxt.group("punct") == ",":
                    q = nxt.end()
                    continue
                key = value_at(q)
                if isinstance(key, str):
                    return key
                colon = _ARG_TOKEN.match(body, key[1], limit)
                if colon is None or colon.group("punct") != ":":
                    return 'a mapping is written {"key": "pages"}'
                value = value_at(colon.end())
                if isinstance(value, str):
                    return value
                k = key[0].value if isinstance(key[0], _Quoted) else str(key[0])
                v = value[0].value if isinstance(value[0], _Quoted) else value[0]
                mapping[k] = v
                q = value[1]
        return f"{text!r} is not a value it can read (keys are written in quotes)", token.end()

    p = pos
    expect_value = True
    while True:
        token = _ARG_TOKEN.match(body, p, limit)
        if token is None:
            rest = body[p : min(limit, p + 200)].lstrip()
            if not rest:
                return "the call is not closed with ) on its paragraph"
            if rest[0] == "*":
                return "it takes its keys written out, not *args or **kwargs"
            return f"{rest[0]!r} cannot start an argument (keys are written in quotes)"
        if token.group("punct") == ")":
            return args, kwargs, token.end()
        if token.group("punct") == "}":
            return "its ')' is missing before '}}'"
        if token.group("punct") == "," and not expect_value:
            expect_value = True
            p = token.end()
            continue
        if token.group("name") and not expect_value:
            return "a ',' is missing between two arguments"
        # keyword argument?
        if token.group("name"):
            eq = _ARG_TOKEN.match(body, token.end(), limit)
            if eq is not None and eq.group("punct") == "=":
                value = value_at(eq.end())
                if isinstance(value, str):
                    return value
                if isinstance(value[0], str):
                    return value[0]
                kwargs[token.group("name")] = value[0]
                p = value[1]
                expect_value = False
                continue
        value = value_at(p)
        if isinstance(value, str):
            return value
        item, p = value
        if isinstance(item, str):  # a message about this value
            return item
        if not expect_value:
            return "a ',' is missing between two arguments"
        args.append(item)
        expect_value = False


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text) if "\\" in text else text


def _key_ok(key: str) -> bool:
    return bool(key) and re.fullmatch(r"[^\s,{}()=\"'#%~]+", key) is not None


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_PAGE_LABEL = re.compile(r"(?:p|pp|page|pages)\.?[ \u00a0]*(\d+(?:[ ]*[-\u2013\u2014]+[ ]*\d+)?)", re.IGNORECASE)


def _locator(suffix: str) -> str | None:
    """The pinpoint written after a key: ', p. 33' -> '33', ', pp. 33–35' -> '33–35', ', ch. 3' -> 'ch. 3'.

    A page or page range loses its label, as cite(loc="33") is written, so
    that the style prints it its own way (superscript ``p33``, brackets ``p. 33``).
    """
    text = suffix.strip().lstrip(",").strip()
    pages = _PAGE_LABEL.fullmatch(text)
    if pages:
        return pages.group(1)
    return text or None


def _parse_group(content: str) -> list[CiteItem] | None:
    """Pandoc's bracketed citation: items separated by ';', each [prefix] [-]@key [suffix]; else None."""
    items: list[CiteItem] = []
    for part in content.split(";"):
        at = _find_at(part)
        if at < 0:
            return None
        prefix = part[:at].rstrip()
        suppress = prefix.endswith("-") and (len(prefix) == 1 or prefix[-2].isspace())
        if suppress:
            prefix = prefix[:-1].rstrip()
        rest = part[at + 1 :]
        braced = _BRACED_KEY.match(rest)
        if braced:
            key, suffix = braced.group(1), rest[braced.end() :]
        else:
            match = _KEY.match(rest)
            if match is None:
                return None
            key, suffix = match.group(0), rest[match.end() :]
        if suffix and not (suffix[0] in ", \t\n\u00a0" or not suffix.strip()):
            return None
        items.append(CiteItem(key, _locator(suffix), prefix.strip()))
    return items or None


def _find_at(part: str) -> int:
    """The '@' that starts the item's key: at the start or after a space or '-'."""
    index = part.find("@")
    while index >= 0:
        before = part[index - 1] if index else " "
        if before.isspace() or before == "-" or before == "\u00a0":
            if before == "-" and index >= 2 and not part[index - 2].isspace():
                index = part.find("@", index + 1)
                continue
            return index
        index = part.find("@", index + 1)
    return -1


# -- the whole page -------------------------------------------------------------------


def scan_syntax(
    body: str,
    keys: Callable[[str], str | None] | None,
    *,
    placeholders: dict[str, tuple[str, bool]] | None = None,
    in_text: bool = True,
    pandoc: bool = True,
    calls: bool = True,
) -> PageSyntax:
    """Every piece of the engine's syntax in ``body`` (a page without its front matter).

    ``keys``: the .bib's spelling of a key written in any case, or None (None:
    every in-text ``@word`` that could be a key is found; the caller sorts them).
    ``placeholders``: command -> (kind, uncited), e.g. ``{"\\\\bibliography": ("references", False)}``.
    ``calls``: read ``{{ cite() }}`` and the other calls (False: ``render_macros: false``).
    """
    scanner = _Scanner(body, keys, placeholders or {}, in_text, pandoc, calls)
    skip, headings, heading_lines, blanks = _blocks(body, scanner.starts)
    regions: list[tuple[int, int]] = []
    pos = 0
    for start, end in _merge(skip):
        if start > pos:
            regions.append((pos, start))
        pos = max(pos, end)
    if pos < len(body):
        regions.append((pos, len(body)))
    scanner.run(regions, blanks)
    found = sorted(scanner.found, key=lambda f: f.start)
    found = _places(found, scanner, heading_lines)
    lists = [f for f in found if f.kind == "references"]
    for extra in lists[1:]:
        scanner.note(
            extra.start,
            f"a second reference list on the page (the first is on line {lists[0].line}): "
            "a page has one references() or \\bibliography; remove this one",
            kind="page.list-arguments",
        )
        extra.valid = False
    notes = sorted(scanner.notes, key=lambda n: n.line)
    return PageSyntax(found, notes, headings)


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in ranges:
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _places(found: list[Found], scanner: _Scanner, heading_lines: set[int]) -> list[Found]:
    """Mark citations in a heading or in <a> link text (one sweep over both, in order).

    An in-text ``@name`` in link text is the link's text (a handle), not a citation.
    """
    links = sorted(scanner.links)
    li = 0
    kept = []
    for item in found:
        if item.kind == "cite":
            while li < len(links) and links[li][1] <= item.start:
                li += 1
            if item.line in heading_lines:
                item.where = "heading"
            elif li < len(links) and links[li][0] <= item.start:
                if item.syntax == "in-text":
                    continue
                item.where = item.where or "link"
        kept.append(item)
    return kept


def render(body: str, found: Collection[Found], replace: Callable[[Found], str]) -> str:
    """``body`` with every found piece replaced by ``replace(piece)``, the rest byte for byte."""
    parts: list[str] = []
    pos = 0
    for item in found:
        parts.append(body[pos : item.start])
        parts.append(replace(item))
        pos = item.end
    parts.append(body[pos:])
    return "".join(parts)
