"""What HTML the citation engine may write: a strict allow-list checker.

Used by the bad-input corpus and the property tests: whatever a .bib field or a
page holds, the engine's output must be well-formed and contain only the
elements and attributes it produces itself, with only http(s) links.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: element -> the attributes the engine may give it
ALLOWED: dict[str, set[str]] = {
    # markers (macros/html/markers.py: render_marker)
    # data-search-exclude: Material's search leaves markers and back-links out of its index
    "sup": {"class", "id", "data-keys", "data-search-exclude"},
    "span": {"class", "id", "data-keys", "aria-hidden", "data-search-exclude"},
    "a": {"href", "title", "class", "aria-label"},
    # lists (macros/html/markers.py: render_list)
    "ol": {"class", "data-page"},
    "ul": {"class", "data-page"},
    "li": {"value", "data-key", "id"},
    # what pybtex's rich text may hold (html/safe_backend.py: SafeHtmlBackend)
    "em": set(),
    "strong": set(),
    "i": set(),
    "b": set(),
    "sub": set(),
}
SAFE_HREF = re.compile(r"(https?://[^\s\"'<>`]+|((\.\./|[A-Za-z0-9_.-]+/)*([A-Za-z0-9_.-]+\.html)?)?#[A-Za-z0-9_-]+)$")
_ENTITY = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z]+);")


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.problems: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            self.problems.append(f"element <{tag}> the engine does not write")
        for name, value in attrs:
            if name not in ALLOWED.get(tag, set()):
                self.problems.append(f"attribute {name}= on <{tag}> the engine does not write")
            if name == "href" and not SAFE_HREF.match(value or ""):
                self.problems.append(f"unsafe or malformed link {value!r}")
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"self-closing <{tag}/> the engine does not write")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> does not close the open element ({self.stack[-1:] or 'none'})")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            self.problems.append(f"unescaped angle bracket in text {data[:40]!r}")

    def handle_entityref(self, name: str) -> None:
        if name not in ("amp", "lt", "gt", "quot", "nbsp"):
            self.problems.append(f"unexpected entity &{name};")

    def handle_comment(self, data: str) -> None:
        self.problems.append("an HTML comment")

    def handle_decl(self, decl: str) -> None:
        self.problems.append("a declaration")

    def handle_pi(self, data: str) -> None:
        self.problems.append("a processing instruction")

    def unknown_decl(self, data: str) -> None:
        self.problems.append("a CDATA section")


def html_problems(fragment: str) -> list[str]:
    """Everything in an engine-written fragment that the engine should not write."""
    checker = _Checker()
    checker.feed(fragment)
    checker.close()
    problems = list(checker.problems)
    if checker.stack:
        problems.append(f"unclosed elements: {checker.stack}")
    # a bare '&' that is not an entity would be read as text by browsers, but
    # it means something was not escaped
    for match in re.finditer(r"&", fragment):
        if not _ENTITY.match(fragment, match.start()):
            problems.append(f"unescaped '&' at {match.start()}: {fragment[match.start() : match.start() + 20]!r}")
            break
    return problems
