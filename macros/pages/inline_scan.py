"""Pass 2 of the page scan: the inline syntax (calls, pandoc citations, placeholders, leftovers), one linear sweep."""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .call_arguments import _clip, _describe, _key_ok, _parse_arguments, _Quoted
from .pandoc_groups import _BRACED_KEY, _KEY, _locator, _parse_group
from .syntax_model import CALL_NAMES, CiteItem, Found, Note

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
