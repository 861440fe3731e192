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

# Accent commands and the combining mark each puts on the next letter.
ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
    "t": "\u0361",
}

# Commands that stand for a letter, a symbol or a logo.
SYMBOLS = {
    "ss": "ß",
    "SS": "SS",
    "aa": "å",
    "AA": "Å",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "dh": "ð",
    "DH": "Ð",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
    "TeX": "TeX",
    "LaTeX": "LaTeX",
    "LaTeXe": "LaTeX2ε",
    "BibTeX": "BibTeX",
    "AmS": "AMS",
    "AmSTeX": "AMS-TeX",
    "AMSTeX": "AMS-TeX",
    "ConTeXt": "ConTeXt",
    "XeTeX": "XeTeX",
    "XeLaTeX": "XeLaTeX",
    "LuaTeX": "LuaTeX",
    "LuaLaTeX": "LuaLaTeX",
    "METAFONT": "METAFONT",
    "MF": "METAFONT",
    "MP": "METAPOST",
    "ldots": "…",
    "dots": "…",
    "textellipsis": "…",
    "textendash": "–",
    "textemdash": "—",
    "textquoteleft": "‘",
    "textquoteright": "’",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "textquotesingle": "'",
    "textquotedbl": '"',
    "guillemotleft": "«",
    "guillemotright": "»",
    "guilsinglleft": "‹",
    "guilsinglright": "›",
    "quotedblbase": "„",
    "textbullet": "•",
    "textperiodcentered": "·",
    "textdegree": "°",
    "textregistered": "®",
    "texttrademark": "™",
    "copyright": "©",
    "textcopyright": "©",
    "S": "§",
    "P": "¶",
    "dag": "†",
    "ddag": "‡",
    "pounds": "£",
    "textsterling": "£",
    "euro": "€",
    "texteuro": "€",
    "textyen": "¥",
    "textpm": "±",
    "texttimes": "×",
    "textdiv": "÷",
    "textonehalf": "½",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textbackslash": "\\",
    "textunderscore": "_",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "textexclamdown": "¡",
    "textquestiondown": "¿",
    "slash": "/",
    "Dash": "—",
    "emdash": "—",
    "endash": "–",
    "TUB": "TUGboat",
    "TUG": "TUG",
    "CTAN": "CTAN",
    "PS": "PostScript",
    "PDF": "PDF",
    "XML": "XML",
    "HTML": "HTML",
    "VAX": "VAX",
    "AMSLaTeX": "AMS-LaTeX",
    "AMS": "AMS",
    "Xy": "Xy-pic",
    "Thanh": "Hàn Thế Thành",
    "eTeX": "ε-TeX",
    "pdfTeX": "pdfTeX",
    "pdfLaTeX": "pdfLaTeX",
    "LaTeXTeX": "LaTeX",
    "SliTeX": "SliTeX",
    "PiCTeX": "PiCTeX",
    "TeXXeT": "TeX-XeT",
    "MeX": "MeX",
    "hyphen": "-",
    "nbhyph": "-",
    "textnumero": "№",
    "textperthousand": "‰",
    "textcelsius": "℃",
    "textohm": "Ω",
    "textmu": "µ",
    "textslash": "/",
    "par": " ",
    "newline": " ",
    "linebreak": " ",
    "quad": " ",
    "qquad": " ",
    "enspace": " ",
    "thinspace": " ",
    "space": " ",
    "nobreakspace": " ",
    "relax": "",
    "protect": "",
    "unskip": "",
    "null": "",
    "hfill": " ",
    "break": " ",
    "allowbreak": "",
    "nobreak": "",
}

# Control symbols: a backslash and one character that is not a letter.
ESCAPES = {
    "&": "&",
    "%": "%",
    "$": "$",
    "#": "#",
    "_": "_",
    "{": "{",
    "}": "}",
    ",": " ",
    " ": " ",
    ";": " ",
    ":": " ",
    "\\": " ",
    "-": "",
    "/": "",
    "@": "",
    "!": "",
    "*": "",
    "\n": " ",
    "\t": " ",
}

# Commands whose single argument is printed as it is (fonts, boxes, text in math).
KEEP_ARGUMENT = frozenset(
    [
        "mbox",
        "hbox",
        "fbox",
        "text",
        "textnormal",
        "emph",
        "textit",
        "textbf",
        "textsc",
        "textrm",
        "textsf",
        "texttt",
        "textup",
        "textmd",
        "textsl",
        "mathrm",
        "mathit",
        "mathbf",
        "mathsf",
        "mathtt",
        "mathnormal",
        "mathcal",
        "ensuremath",
        "operatorname",
        "uline",
        "underline",
        "NoCaseChange",
        "nocase",
        "bibstring",
        "mkbibemph",
        "acro",
        "pkg",
        "file",
        "booktitle",
        "cs",
        "macro",
        "env",
        "cmd",
        "prog",
        "pgm",
        "code",
        "path",
        "sevenrm",
        "mkbibitalic",
        "mkbibbold",
        "mkbibacro",
        "textlatin",
        "textgreek",
    ]
)
# Commands with a setting first and the text second: \foreignlanguage{german}{Text}.
SECOND_ARGUMENT = frozenset(["foreignlanguage", "textcolor", "colorbox", "hyphenrules"])
# biblatex's quotation wrapper: the argument in quotation marks.
QUOTE_ARGUMENT = frozenset(["mkbibquote", "enquote", "textquote"])
# Commands whose argument is a sort key or a note to LaTeX: nothing is printed.
DROP_ARGUMENT = frozenset(["noopsort", "sortnoop", "SortNoop", "nosort", "sortkey", "label", "index", "hyphenation"])
# Font and size switches ("{\em x}"): they print nothing.
SWITCHES = frozenset(
    [
        "em",
        "it",
        "bf",
        "sc",
        "rm",
        "sf",
        "tt",
        "sl",
        "up",
        "md",
        "normalfont",
        "itshape",
        "bfseries",
        "scshape",
        "upshape",
        "mdseries",
        "slshape",
        "rmfamily",
        "sffamily",
        "ttfamily",
        "tiny",
        "scriptsize",
        "footnotesize",
        "small",
        "normalsize",
        "large",
        "Large",
        "LARGE",
        "huge",
        "Huge",
        "selectfont",
        "slnine",
        "ssf",
        "sevensl",
        "ninerm",
        "tenrm",
    ]
)
CASE = {"MakeUppercase": str.upper, "uppercase": str.upper, "MakeLowercase": str.lower, "lowercase": str.lower}

# Math mode.
GREEK = {
    name: chr(code)
    for name, code in {
        "alpha": 0x3B1,
        "beta": 0x3B2,
        "gamma": 0x3B3,
        "delta": 0x3B4,
        "epsilon": 0x3B5,
        "varepsilon": 0x3B5,
        "zeta": 0x3B6,
        "eta": 0x3B7,
        "theta": 0x3B8,
        "vartheta": 0x3D1,
        "iota": 0x3B9,
        "kappa": 0x3BA,
        "lambda": 0x3BB,
        "mu": 0x3BC,
        "nu": 0x3BD,
        "xi": 0x3BE,
        "pi": 0x3C0,
        "varpi": 0x3D6,
        "rho": 0x3C1,
        "varrho": 0x3F1,
        "sigma": 0x3C3,
        "varsigma": 0x3C2,
        "tau": 0x3C4,
        "upsilon": 0x3C5,
        "phi": 0x3C6,
        "varphi": 0x3C6,
        "chi": 0x3C7,
        "psi": 0x3C8,
        "omega": 0x3C9,
        "Gamma": 0x393,
        "Delta": 0x394,
        "Theta": 0x398,
        "Lambda": 0x39B,
        "Xi": 0x39E,
        "Pi": 0x3A0,
        "Sigma": 0x3A3,
        "Upsilon": 0x3A5,
        "Phi": 0x3A6,
        "Psi": 0x3A8,
        "Omega": 0x3A9,
    }.items()
}
MATH_SYMBOLS = {
    **GREEK,
    "pm": "±",
    "mp": "∓",
    "times": "×",
    "cdot": "·",
    "div": "÷",
    "ast": "∗",
    "star": "⋆",
    "bullet": "•",
    "circ": "∘",
    "degree": "°",
    "prime": "′",
    "leq": "≤",
    "le": "≤",
    "geq": "≥",
    "ge": "≥",
    "neq": "≠",
    "ne": "≠",
    "ll": "≪",
    "gg": "≫",
    "approx": "≈",
    "sim": "∼",
    "simeq": "≃",
    "cong": "≅",
    "equiv": "≡",
    "propto": "∝",
    "infty": "∞",
    "partial": "∂",
    "nabla": "∇",
    "sum": "∑",
    "prod": "∏",
    "int": "∫",
    "surd": "√",
    "to": "→",
    "rightarrow": "→",
    "leftarrow": "←",
    "leftrightarrow": "↔",
    "Rightarrow": "⇒",
    "Leftarrow": "⇐",
    "Leftrightarrow": "⇔",
    "uparrow": "↑",
    "downarrow": "↓",
    "mapsto": "↦",
    "in": "∈",
    "notin": "∉",
    "subset": "⊂",
    "subseteq": "⊆",
    "cup": "∪",
    "cap": "∩",
    "emptyset": "∅",
    "forall": "∀",
    "exists": "∃",
    "neg": "¬",
    "wedge": "∧",
    "vee": "∨",
    "oplus": "⊕",
    "otimes": "⊗",
    "perp": "⊥",
    "parallel": "∥",
    "mid": "|",
    "vert": "|",
    "Vert": "‖",
    "langle": "⟨",
    "rangle": "⟩",
    "ell": "ℓ",
    "hbar": "ℏ",
    "Re": "ℜ",
    "Im": "ℑ",
    "aleph": "ℵ",
    "ldots": "…",
    "cdots": "⋯",
    "dots": "…",
    "AA": "Å",
    "%": "%",
    "{": "{",
    "}": "}",
    "|": "‖",
    "lbrace": "{",
    "rbrace": "}",
    "backslash": "\\",
    "colon": ":",
    "left": "",
    "right": "",
    "big": "",
    "Big": "",
    "bigl": "",
    "bigr": "",
    "displaystyle": "",
    "textstyle": "",
    "!": "",
    ",": " ",
    ";": " ",
    ":": " ",
    " ": " ",
    "quad": " ",
    "qquad": " ",
}
OPERATORS = frozenset(
    [
        "log",
        "ln",
        "lg",
        "exp",
        "sin",
        "cos",
        "tan",
        "cot",
        "sec",
        "csc",
        "arcsin",
        "arccos",
        "arctan",
        "sinh",
        "cosh",
        "tanh",
        "max",
        "min",
        "sup",
        "inf",
        "lim",
        "limsup",
        "liminf",
        "det",
        "dim",
        "ker",
        "deg",
        "gcd",
        "arg",
        "hom",
        "Pr",
        "mod",
        "bmod",
    ]
)
SUPERSCRIPTS = dict(
    zip(
        "0123456789+-=()abcdefghijklmnoprstuvwxyz",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ",
        strict=True,
    )
)
SUBSCRIPTS = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))

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
