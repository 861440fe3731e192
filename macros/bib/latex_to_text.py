"""The LaTeX that real .bib files carry, as plain Unicode text for a reference list.

``convert(value)`` reads a field value the way LaTeX would print it:
accents (``\\'e``, ``\\={P}``, ``\\c{c}``, ``\\'{\\i}``), letters (``\\ss``,
``\\o``, ``\\aa``), logos and symbols (``\\TeX``, ``\\ldots``,
``\\textendash``), font and box commands (``\\emph``, ``\\mbox``) whose text
is kept, ``\\url`` and ``\\href`` (their text, and the address for a link),
``\\noopsort`` (a sort key that prints nothing), ties, dashes and quotes, and
simple inline math (``$\\alpha$``, ``$^{2}$``, ``$\\pm$``, ``$P_4$``). Braces
disappear. A command it does not know is left out, its arguments kept as
text, and named in ``Converted.unknown`` so that the caller can warn about
it: the text never shows a backslash or a brace.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from .latex_tables import (
    ACCENTS,
    CASE,
    DROP_ARGUMENT,
    ESCAPES,
    KEEP_ARGUMENT,
    MATH_SYMBOLS,
    OPERATORS,
    QUOTE_ARGUMENT,
    SECOND_ARGUMENT,
    SUBSCRIPTS,
    SUPERSCRIPTS,
    SWITCHES,
    SYMBOLS,
)

_DIMENSION = re.compile(r"\s*[-+]?(?:\d+\.?\d*|\.\d+)\s*(?:em|ex|pt|mm|cm|in|mu|bp|sp|pc|dd|cc) ?")
_MAY_BE_LATEX = re.compile(r"[\\{}$~`]|--|''|[^\S ]|\s\s")
_SPACES = re.compile(r"\s+")


def ordinal(number: int) -> str:
    """1 -> '1st', 12 -> '12th', 22 -> '22nd'."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


@dataclass(frozen=True)
class Converted:
    text: str
    unknown: tuple[str, ...] = ()  # what could not be converted, as written ("\\foo", "$x^{ab}$")
    urls: tuple[str, ...] = ()  # addresses given with \url or \href


class _Reader:
    """A recursive reader over one value; ``pos`` moves through ``source``."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0
        self.unknown: list[str] = []
        self.urls: list[str] = []

    # -- low level ------------------------------------------------------------

    def peek(self) -> str:
        return self.source[self.pos] if self.pos < len(self.source) else ""

    def skip_spaces(self) -> None:
        while self.pos < len(self.source) and self.source[self.pos] in " \t\n":
            self.pos += 1

    def command_name(self) -> str:
        """After a backslash: a run of letters, or one other character."""
        start = self.pos
        while self.pos < len(self.source) and self.source[self.pos].isascii() and self.source[self.pos].isalpha():
            self.pos += 1
        if self.pos == start and self.pos < len(self.source):
            self.pos += 1
            return self.source[start]
        name = self.source[start : self.pos]
        if name:
            self.skip_spaces()
        return name

    def raw_group(self) -> str | None:
        """The source text of the next ``{...}`` group, unconverted (for URLs)."""
        self.skip_spaces()
        if self.peek() != "{":
            return None
        depth, start = 0, self.pos
        while self.pos < len(self.source):
            char = self.source[self.pos]
            if char == "\\":
                self.pos += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    self.pos += 1
                    return self.source[start + 1 : self.pos - 1]
            self.pos += 1
        return self.source[start + 1 :]

    def argument(self, math: bool = False) -> str:
        """The next argument, converted: a group, a command, or one character."""
        self.skip_spaces()
        char = self.peek()
        if not char or char == "}":  # no argument: the group it stands in ends here
            return ""
        if char == "{":
            self.pos += 1
            return self.text(until="}", math=math)
        if char == "\\":
            self.pos += 1
            return self.command(math=math)
        self.pos += 1
        return char

    # -- text -------------------------------------------------------------------

    def text(self, until: str = "", math: bool = False) -> str:
        out: list[str] = []
        source = self.source
        depth = 0  # groups inside this one: their braces print nothing
        while self.pos < len(source):
            char = source[self.pos]
            if char == "{" and source.startswith("{$}", self.pos):
                self.pos += 3  # how the .bib reader writes an escaped dollar sign
                out.append("$")
                continue
            if char == "\\":
                self.pos += 1
                out.append(self.command(math=math))
            elif char == "{":
                self.pos += 1
                depth += 1
            elif char == "}":
                self.pos += 1
                if depth:
                    depth -= 1
                elif until:
                    break
                # (a stray closing brace prints nothing)
            elif char == "$" and not math:
                out.append(self.math())
            elif math and char in "^_":
                self.pos += 1
                out.append(self.script(char))
            elif (math and char in " \t\n") or char == "~":
                self.pos += 1
                out.append(" ")
            elif not math and source.startswith("---", self.pos):
                self.pos += 3
                out.append("—")
            elif not math and source.startswith("--", self.pos):
                self.pos += 2
                out.append("–")
            elif not math and source.startswith("``", self.pos):
                self.pos += 2
                out.append("“")
            elif not math and source.startswith("''", self.pos):
                self.pos += 2
                out.append("”")
            elif not math and char == "`":
                self.pos += 1
                out.append("‘")
            else:
                self.pos += 1
                out.append(char)
        return "".join(out)

    def command(self, math: bool = False) -> str:
        name = self.command_name()
        if not name:
            return ""
        if name in ACCENTS and not (math and name in "=.~^'`\""):
            return self.accent(ACCENTS[name], math)
        if math and name in MATH_SYMBOLS:
            return MATH_SYMBOLS[name]
        if math and name in OPERATORS:
            return f" {name} "
        if math and name == "frac":
            top, bottom = self.argument(math=True), self.argument(math=True)
            return f"{top}/{bottom}"
        if math and name == "sqrt":
            return "√" + self.argument(math=True)
        if not math and name in ("(", "["):
            return self.bracketed_math(")" if name == "(" else "]")
        if name in ESCAPES:
            return ESCAPES[name]
        if name in SYMBOLS:
            return SYMBOLS[name]
        if name in SWITCHES:
            return ""
        if name in ("textsuperscript", "textsubscript"):
            body = self.argument(math=math)
            table = SUPERSCRIPTS if name == "textsuperscript" else SUBSCRIPTS
            return "".join(table[c] for c in body) if body and all(c in table for c in body) else body
        if name in ("kern", "hskip", "vskip", "hspace", "vspace", "mkern", "mskip"):
            if self.peek() == "{":
                self.raw_group()
            else:
                match = _DIMENSION.match(self.source, self.pos)
                self.pos = match.end() if match else self.pos
            return ""
        if name == "nth":
            number = self.argument(math=math)
            return ordinal(int(number)) if number.isdigit() else number
        if name in ("cite", "nocite", "citep", "citet"):
            self.argument(math=math)
            return ""
        if name in SECOND_ARGUMENT:
            self.argument(math=math)
            return self.argument(math=math)
        if name in QUOTE_ARGUMENT:
            return f"\u201c{self.argument(math=math)}\u201d"
        if name in KEEP_ARGUMENT:
            return self.argument(math=math or name.startswith("math"))
        if name in DROP_ARGUMENT:
            self.argument(math=math)
            return ""
        if name in CASE:
            return CASE[name](self.argument(math=math))
        if name == "url":
            url = self.raw_group() or ""
            url = re.sub(r"\\([%#&_~$])", r"\1", url).strip()
            if url:
                self.urls.append(url)
            return url
        if name == "href":
            url = (self.raw_group() or "").strip()
            url = re.sub(r"\\([%#&_~$])", r"\1", url)
            if url:
                self.urls.append(url)
            return self.argument(math=math)
        if not math and name in MATH_SYMBOLS and name not in ESCAPES and name.isalpha():
            # "\alpha" outside math: what the author meant is clear enough, but say so.
            self.unknown.append("\\" + name)
            return MATH_SYMBOLS[name]
        self.unknown.append("\\" + name)
        return ""

    def accent(self, mark: str, math: bool) -> str:
        base = self.argument(math=math)
        if not base:
            return mark.strip()
        first, rest = base[0], base[1:]
        first = {"ı": "i", "ȷ": "j"}.get(first, first)
        return unicodedata.normalize("NFC", first + mark) + rest

    # -- math ---------------------------------------------------------------------

    def math(self) -> str:
        """``$...$`` or ``$$...$$`` at ``pos``; a lone dollar is a dollar sign."""
        display = self.source.startswith("$$", self.pos)
        opener = 2 if display else 1
        end = self.source.find("$" * opener, self.pos + opener)
        if end < 0:
            self.pos += 1
            return "$"
        return self.math_between(self.pos, self.pos + opener, end, opener)

    def bracketed_math(self, closer: str) -> str:
        """``\\(...\\)`` or ``\\[...\\]``, after its opening command."""
        start = self.pos - 2
        end = self.source.find("\\" + closer, self.pos)
        if end < 0:
            self.unknown.append(self.source[start : self.pos])
            return ""
        return self.math_between(start, self.pos, end, 2)

    def math_between(self, start: int, inner_start: int, end: int, closer_length: int) -> str:
        self.pos = end + closer_length
        reader = _Reader(self.source[inner_start:end])
        text = reader.text(math=True)
        self.urls.extend(reader.urls)
        if reader.unknown:  # the math as a whole is what is named
            self.unknown.append(self.source[start : self.pos])
        text = _SPACES.sub(" ", text).strip()
        return re.sub(r"([(\[]) | ([)\]])", r"\1\2", text)

    def script(self, kind: str) -> str:
        body = self.argument(math=True)
        table = SUPERSCRIPTS if kind == "^" else SUBSCRIPTS
        if kind == "^" and body in ("∘", "\\circ"):
            return "°"
        if body and all(char in table for char in body):
            return "".join(table[char] for char in body)
        self.unknown.append(kind + body)
        return kind + body


@functools.lru_cache(maxsize=65536)
def convert(value: str) -> Converted:
    """``value`` as plain Unicode text, with what could not be converted."""
    if not _MAY_BE_LATEX.search(value):
        return Converted(value)
    reader = _Reader(value)
    try:
        text = reader.text()
    except RecursionError:  # thousands of nested commands: keep the letters
        bare = re.sub(r"\\[A-Za-z]+|\\.|[{}$]", "", value)
        return Converted(_SPACES.sub(" ", bare).strip(), ("commands nested too deeply",))
    text = _SPACES.sub(" ", text).strip()
    return Converted(unicodedata.normalize("NFC", text), tuple(dict.fromkeys(reader.unknown)), tuple(reader.urls))


def to_unicode(value: str) -> str:
    """``value`` as plain Unicode text (see ``convert``)."""
    return convert(value).text
