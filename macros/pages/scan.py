"""Find every citation in the pages before any page is rendered.

Numbers follow reading order (nav order, then top to bottom), but MkDocs
renders pages in file order. So the pages are read first, and each one's
Jinja syntax tree is searched for ``cite()``, ``references()`` and
``bibliography()`` calls. This also gives every call its line number.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass, field

import jinja2
import yaml
from jinja2 import meta, nodes

from ..problems import Problems
from .templating import CITATION_MACROS, protect_code, restore_code

# The same front-matter pattern MkDocs uses (mkdocs.utils.meta).
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
KEY_PATTERN = re.compile(r"[^\s,{}()=\"'#%~]+")
CITE_OPTIONS = ("loc",)


@dataclass(frozen=True)
class PageInfo:
    """What the scanner needs to know of a page, from whatever builds the site."""

    src: str  # relative to docs_dir, with forward slashes: "guide/exercise.md"
    abs_path: str
    path: str  # as shown in messages, relative to the project: "docs/exercise.md"
    url: str  # the site URL of the page, relative to the site root: "exercise/"
    title: str | None = None


@dataclass
class CiteCall:
    keys: tuple[str, ...]
    loc: str | None
    line: int
    index: int  # 1-based, in source order among this page's cite() calls


@dataclass
class PageScan:
    info: PageInfo
    title: str
    slug: str
    cites: list[CiteCall] = field(default_factory=list)
    references_calls: list[int] = field(default_factory=list)
    bibliography_calls: list[int] = field(default_factory=list)
    renders_macros: bool = True
    # False when rendering the page would stop the build with a traceback
    # (a Jinja syntax error, an undefined name) or give wrong back-links (a
    # cite() in a loop); the problem is reported with its line instead.
    renderable: bool = True
    # The page as text and citation calls, when that is all it is (see
    # plan_of), with a digest of the text it was made from.
    plan: list[str | list[object]] | None = None
    body_digest: str = ""
    line_offset: int = 0  # lines of front matter before the Markdown body

    @property
    def has_list(self) -> bool:
        return bool(self.references_calls or self.bibliography_calls)


def slugify(src: str) -> str:
    stem = re.sub(r"\.(md|markdown)$", "", src, flags=re.IGNORECASE)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-").lower()
    return slug or "page"


def split_front_matter(source: str) -> tuple[dict[str, object], str, int]:
    """(meta, body, number of lines the front matter took)."""
    match = FRONT_MATTER.match(source)
    if not match:
        return {}, source, 0
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError:
        meta = {}
    if not isinstance(meta, dict):
        meta = {}
    # MkDocs also drops the blank lines after the front matter.
    body = source[match.end() :]
    stripped = body.lstrip("\n")
    return meta, stripped, match.group(0).count("\n") + len(body) - len(stripped)


def body_digest(body: str) -> str:
    """Identifies the Markdown a page's plan was made from."""
    return hashlib.blake2b(body.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _first_heading(body: str) -> str | None:
    match = re.search(r"^#\s+(.+?)\s*#*\s*$", body, flags=re.MULTILINE)
    return match.group(1) if match else None


def _describe(node: nodes.Node) -> str:
    if isinstance(node, nodes.Const):
        return repr(node.value)
    if isinstance(node, nodes.Name):
        return f"the variable {node.name}"
    return "an expression"


def scan_page(
    info: PageInfo,
    source: str,
    env: jinja2.Environment,
    problems: Problems,
    known_names: Collection[str] | None = None,
) -> PageScan:
    """Find the page's citation calls, reporting every problem with its line.

    ``known_names``: the variables and macros a page is rendered with
    (besides its own front matter); every other name the page reads is
    reported, since rendering it would fail.
    """
    meta, body, offset = split_front_matter(source.lstrip("\ufeff"))
    title = info.title or _first_heading(body) or slugify(info.src).replace("-", " ").title()
    page = PageScan(info=info, title=title, slug=slugify(info.src), line_offset=offset)
    page.renders_macros = meta.get("render_macros") is not False
    if not page.renders_macros:
        return page
    problems_before = len(problems)
    protected, codes = protect_code(body)
    try:
        tree = env.parse(protected)
    except jinja2.TemplateSyntaxError as error:
        hint = ""
        if "comment" in (error.message or ""):
            hint = f" ('{env.comment_start_string}' opens a Jinja comment, closed by '{env.comment_end_string}')"
        problems.error(
            info.path,
            (error.lineno or 1) + offset,
            f"Jinja syntax error: {error.message}{hint}",
            kind="page.jinja-syntax",
        )
        page.renderable = False
        return page

    if known_names is not None:
        _check_names(page, tree, offset, set(known_names) | set(meta_keys(meta)), problems)
    repeated = _repeated_calls(tree)
    in_comment = _calls_in_comments(protected, tree)
    in_markup = _calls_in_headings_and_links(protected, tree)

    calls = sorted(tree.find_all(nodes.Call), key=lambda call: call.lineno)
    for call in calls:
        if not isinstance(call.node, nodes.Name):
            continue
        name, line = call.node.name, call.lineno + offset
        if name == "cite":
            _scan_cite(page, call, line, problems)
            if id(call) in repeated:
                problems.error(
                    info.path,
                    line,
                    f"cite() inside {repeated[id(call)]} may be rendered any number of times, "
                    "but citation numbers and back-links are worked out before rendering "
                    "(write each citation out in the text)",
                    kind="page.cite-repeated",
                )
                page.renderable = False
            elif id(call) in in_comment:
                problems.error(
                    info.path,
                    line,
                    "cite() inside an HTML comment is hidden, but its source would still be listed "
                    f"(remove the call, or comment it out with {env.comment_start_string} ... "
                    f"{env.comment_end_string}, Jinja's comment)",
                    kind="page.cite-in-comment",
                )
                page.cites[-1].keys = ()
            elif id(call) in in_markup:
                problems.error(info.path, line, _IN_MARKUP[in_markup[id(call)]], kind="page.cite-in-markup")
        elif name == "references":
            page.references_calls.append(line)
            _no_arguments(page, call, line, problems, "references")
        elif name == "bibliography":
            page.bibliography_calls.append(line)
            _scan_bibliography(page, call, line, problems)
    if page.renderable and len(problems) == problems_before:
        page.plan = plan_of(tree, codes)
        page.body_digest = body_digest(body)
    return page


def plan_of(tree: nodes.Template, codes: list[str]) -> list[str | list[object]] | None:
    """The page as a list of text and citation calls, or None.

    Most pages are Markdown with cite() calls and nothing else. For them
    the syntax tree the scan has built already says everything rendering
    would do: write the text, call the macros with these constant
    arguments, in this order. Following that plan gives the same Markdown
    as Jinja does, without compiling the page. Any other Jinja (a variable,
    a filter, a block, a constant) gives None, and the page is rendered
    by Jinja.

    A call is ``[name, positional arguments, keyword arguments]``.
    """
    plan: list[str | list[object]] = []
    for statement in tree.body:
        if not isinstance(statement, nodes.Output):
            return None
        for node in statement.nodes:
            if isinstance(node, nodes.TemplateData):
                plan.append(restore_code(node.data, codes))
                continue
            if not (
                isinstance(node, nodes.Call)
                and isinstance(node.node, nodes.Name)
                and node.node.name in CITATION_MACROS
                and node.dyn_args is None
                and node.dyn_kwargs is None
            ):
                return None
            values = [*node.args, *(kwarg.value for kwarg in node.kwargs)]
            if not all(isinstance(value, nodes.Const) for value in values):
                return None
            args = [arg.value for arg in node.args]  # type: ignore[attr-defined]
            kwargs = {kwarg.key: kwarg.value.value for kwarg in node.kwargs}  # type: ignore[attr-defined]
            plan.append([node.node.name, args, kwargs])
    return plan


def _scan_cite(page: PageScan, call: nodes.Call, line: int, problems: Problems) -> None:
    path = page.info.path
    keys: list[str] = []
    valid = True
    if not call.args:
        problems.error(
            path, line, 'cite() needs at least one citation key, e.g. cite("kang2013")', kind="page.cite-arguments"
        )
        valid = False
    for arg in call.args:
        if not (isinstance(arg, nodes.Const) and isinstance(arg.value, str)):
            problems.error(
                path,
                line,
                f'cite() takes citation keys in quotes, like cite("kang2013"), not {_describe(arg)}',
                kind="page.cite-arguments",
            )
            valid = False
        elif not KEY_PATTERN.fullmatch(arg.value):
            problems.error(
                path,
                line,
                f"{arg.value!r} is not a valid citation key (no spaces or punctuation like , {{ }})",
                kind="page.invalid-key",
            )
            valid = False
        else:
            keys.append(arg.value)
    loc = None
    for kwarg in call.kwargs:
        if kwarg.key not in CITE_OPTIONS:
            problems.error(
                path,
                line,
                f'cite() has no option {kwarg.key!r}; the only option is loc="pages"',
                kind="page.cite-arguments",
            )
            valid = False
        elif not (isinstance(kwarg.value, nodes.Const) and isinstance(kwarg.value.value, (str, int))):
            problems.error(
                path,
                line,
                f"cite(loc=...) takes a page or range in quotes, not {_describe(kwarg.value)}",
                kind="page.cite-arguments",
            )
            valid = False
        else:
            loc = str(kwarg.value.value)
    if call.dyn_args is not None or call.dyn_kwargs is not None:
        problems.error(
            path, line, "cite() takes its keys written out, not *args or **kwargs", kind="page.cite-arguments"
        )
        valid = False
    if loc is not None and len(keys) > 1:
        problems.error(
            path, line, "cite(loc=...) goes with a single key; split the citation in two", kind="page.cite-arguments"
        )
        valid = False
    page.cites.append(CiteCall(tuple(keys) if valid else (), loc, line, len(page.cites) + 1))


def _no_arguments(page: PageScan, call: nodes.Call, line: int, problems: Problems, name: str) -> None:
    if call.args or call.kwargs or call.dyn_args or call.dyn_kwargs:
        problems.error(page.info.path, line, f"{name}() takes no arguments", kind="page.list-arguments")


def _scan_bibliography(page: PageScan, call: nodes.Call, line: int, problems: Problems) -> None:
    for kwarg in call.kwargs:
        if kwarg.key != "uncited" or not (isinstance(kwarg.value, nodes.Const) and isinstance(kwarg.value.value, bool)):
            problems.error(
                page.info.path,
                line,
                "bibliography() takes only uncited=True or uncited=False",
                kind="page.list-arguments",
            )
    if call.args or call.dyn_args or call.dyn_kwargs:
        problems.error(
            page.info.path, line, "bibliography() takes only uncited=True or uncited=False", kind="page.list-arguments"
        )


def unique_slugs(pages: list[PageScan]) -> None:
    """Make page slugs unique, so ids stay unique on one combined print page."""
    seen: dict[str, int] = {}
    for page in pages:
        base = page.slug
        count = seen.get(base, 0)
        seen[base] = count + 1
        if count:
            page.slug = f"{base}-{count + 1}"


def meta_keys(meta: dict[str, object]) -> list[str]:
    return [key for key in meta if isinstance(key, str)]


def _check_names(page: PageScan, tree: nodes.Template, offset: int, known: set[str], problems: Problems) -> None:
    """Report names the page reads that nothing defines (Jinja would stop with a traceback)."""
    undefined = meta.find_undeclared_variables(tree) - known
    if not undefined:
        return
    # A name passed to cite() is reported by the cite() check; passing an
    # undefined value does not stop rendering.
    cite_args = {
        id(arg)
        for call in tree.find_all(nodes.Call)
        if isinstance(call.node, nodes.Name) and call.node.name == "cite"
        for arg in [*call.args, *(kw.value for kw in call.kwargs)]
    }
    first: dict[str, int] = {}
    for node in tree.find_all(nodes.Name):
        if node.name in undefined and node.ctx == "load" and id(node) not in cite_args:
            first.setdefault(node.name, node.lineno)
    undefined = set(first)
    if not undefined:
        return
    for name in sorted(undefined, key=lambda n: (first.get(n, 0), n)):
        close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.75)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else "to show {{ or {% as text, put it in a code span or a code block"
        )
        problems.error(
            page.info.path, first.get(name, 1) + offset, f"'{name}' is not defined ({hint})", kind="page.undefined-name"
        )
    page.renderable = False


_REPEATING = {
    nodes.For: "a {% for %} loop",
    nodes.Macro: "a {% macro %}",
    nodes.CallBlock: "a {% call %} block",
}


def _repeated_calls(tree: nodes.Template) -> dict[int, str]:
    """id() of every call inside a loop or a macro -> what it is inside."""
    out: dict[int, str] = {}
    for kind, what in _REPEATING.items():
        for block in tree.find_all(kind):
            for call in block.find_all(nodes.Call):
                out.setdefault(id(call), what)
    return out


_CITE_IN_EXPRESSION = re.compile(r"\{\{-?[^}]*?\bcite\s*\(")


def _calls_in_comments(body: str, tree: nodes.Template) -> set[int]:
    """id() of the cite() calls inside an HTML comment.

    Jinja renders them all the same: the marker would be hidden while its
    source is listed. (Code is already out of Jinja's sight: protect_code.)
    """
    regions = [(m.start(), m.end()) for m in re.finditer(r"<!--.*?(?:-->|$)", body, re.S)]
    if not regions:
        return set()
    lines = re.split(r"\r\n|\r|\n", body)  # as Jinja counts lines
    starts = [0]
    for text in lines:
        starts.append(starts[-1] + len(text) + 1)

    def inside(offset: int) -> bool:
        return any(a <= offset < b for a, b in regions)

    by_line: dict[int, list[nodes.Call]] = {}
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name == "cite":
            by_line.setdefault(call.lineno, []).append(call)
    found: set[int] = set()
    for number, calls in by_line.items():
        if number > len(lines):
            continue
        offset = starts[number - 1]
        written = [offset + m.start() for m in _CITE_IN_EXPRESSION.finditer(lines[number - 1])]
        if len(written) != len(calls):
            # cannot tell which call is which: only a line wholly inside counts
            if any(a <= offset and starts[number] <= b + 1 for a, b in regions):
                found.update(id(call) for call in calls)
            continue
        found.update(id(call) for call, at in zip(calls, written, strict=True) if inside(at))
    return found


_IN_MARKUP = {
    "heading": "cite() in a heading: its number would become part of the heading's anchor and of the "
    "table of contents (move the citation after the heading, into the text below it)",
    "link": "cite() inside link text: the citation's own link would be nested in the link, which is "
    "invalid HTML (move the citation after the link)",
}
# As Python-Markdown reads them: '#' at the start of a line (also in a
# blockquote), or a line underlined by '=' or '-' only.
_ATX = re.compile(r"^(>[ \t]?)*#{1,6}")
_SETEXT_UNDERLINE = re.compile(r"^[=-]+[ ]*$")
_HTML_LINK = re.compile(r"<a\b[^>]*>|</a\s*>", re.IGNORECASE)


def _inside_link_text(text: str, at: int) -> bool:
    """Is the offset ``at`` of a line inside the text of a link: [here](url), [here][ref], <a>here</a>?"""
    opened: list[int] = []
    i = 0
    while i < at:
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "[":
            opened.append(i)
        elif text[i] == "]" and opened:
            opened.pop()
        i += 1
    if opened:
        depth = 0
        i = at
        while i < len(text):
            if text[i] == "\\":
                i += 2
                continue
            if text[i] == "[":
                depth += 1
            elif text[i] == "]":
                if depth == 0:
                    return text[i + 1 : i + 2] in ("(", "[")
                depth -= 1
            i += 1
    tags = _HTML_LINK.findall(text[:at])
    return bool(tags) and not tags[-1].startswith("</")


def _calls_in_headings_and_links(body: str, tree: nodes.Template) -> dict[int, str]:
    """id() of the cite() calls in a heading line or inside link text -> "heading" or "link".

    Both give broken HTML nothing else reports: a heading's id and its table
    of contents entry take the marker's number ("equipment3"), and a marker's
    link inside a link is an <a> in an <a>. Code is out of Jinja's sight
    already (templating.protect_code).
    """
    lines = re.split(r"\r\n|\r|\n", body)  # as Jinja counts lines
    found: dict[int, str] = {}
    for call in tree.find_all(nodes.Call):
        if not (isinstance(call.node, nodes.Name) and call.node.name == "cite") or call.lineno > len(lines):
            continue
        text = lines[call.lineno - 1]
        below = lines[call.lineno] if call.lineno < len(lines) else ""
        if _ATX.match(text) or (text.strip() and _SETEXT_UNDERLINE.match(below)):
            found[id(call)] = "heading"
            continue
        written = [m.start() for m in _CITE_IN_EXPRESSION.finditer(text)]
        if any(_inside_link_text(text, at) for at in written):
            same_line = [c for c in tree.find_all(nodes.Call) if c.lineno == call.lineno]
            cites = [c for c in same_line if isinstance(c.node, nodes.Name) and c.node.name == "cite"]
            if len(cites) == len(written):
                if _inside_link_text(text, written[cites.index(call)]):
                    found[id(call)] = "link"
            else:
                found[id(call)] = "link"  # cannot tell which call is which: report each
    return found
