"""Find every citation in the pages before any page is rendered.

Numbers follow reading order (nav order, then top to bottom), but MkDocs
renders pages in file order. So the pages are read first, and each one's
Jinja syntax tree is searched for ``cite()``, ``references()`` and
``bibliography()`` calls. This also gives every call its line number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import jinja2
import yaml
from jinja2 import nodes

from .problems import Problems

# The same front-matter pattern MkDocs uses (mkdocs.utils.meta).
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
KEY_PATTERN = re.compile(r"[^\s,{}()=\"'#%~\\]+")
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
    return meta, source[match.end() :], match.group(0).count("\n")


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
    render_by_default: bool = True,
) -> PageScan:
    meta, body, offset = split_front_matter(source.lstrip("\ufeff"))
    title = info.title or _first_heading(body) or slugify(info.src).replace("-", " ").title()
    page = PageScan(info=info, title=title, slug=slugify(info.src))
    flag = meta.get("render_macros")
    page.renders_macros = flag is True or (flag is None and render_by_default)
    if not page.renders_macros:
        return page
    try:
        tree = env.parse(body)
    except jinja2.TemplateSyntaxError as error:
        hint = ""
        if "comment" in (error.message or ""):
            hint = " ('{#' opens a Jinja comment: write {{ '{#' }} or wrap the text in {% raw %}...{% endraw %})"
        problems.error(
            info.path, (error.lineno or 1) + offset, f"Jinja syntax error: {error.message}{hint}"
        )
        return page

    calls = sorted(tree.find_all(nodes.Call), key=lambda call: call.lineno)
    for call in calls:
        if not isinstance(call.node, nodes.Name):
            continue
        name, line = call.node.name, call.lineno + offset
        if name == "cite":
            _scan_cite(page, call, line, problems)
        elif name == "references":
            page.references_calls.append(line)
            _no_arguments(page, call, line, problems, "references")
        elif name == "bibliography":
            page.bibliography_calls.append(line)
            _scan_bibliography(page, call, line, problems)
    return page


def _scan_cite(page: PageScan, call: nodes.Call, line: int, problems: Problems) -> None:
    path = page.info.path
    keys: list[str] = []
    valid = True
    if not call.args:
        problems.error(path, line, 'cite() needs at least one citation key, e.g. cite("kang2013")')
        valid = False
    for arg in call.args:
        if not (isinstance(arg, nodes.Const) and isinstance(arg.value, str)):
            problems.error(
                path,
                line,
                f"cite() takes citation keys in quotes, like cite(\"kang2013\"), not {_describe(arg)}",
            )
            valid = False
        elif not KEY_PATTERN.fullmatch(arg.value):
            problems.error(
                path, line, f"{arg.value!r} is not a valid citation key (no spaces or punctuation like , {{ }})"
            )
            valid = False
        else:
            keys.append(arg.value)
    loc = None
    for kwarg in call.kwargs:
        if kwarg.key not in CITE_OPTIONS:
            problems.error(path, line, f"cite() has no option {kwarg.key!r}; the only option is loc=\"pages\"")
            valid = False
        elif not (isinstance(kwarg.value, nodes.Const) and isinstance(kwarg.value.value, (str, int))):
            problems.error(path, line, f"cite(loc=...) takes a page or range in quotes, not {_describe(kwarg.value)}")
            valid = False
        else:
            loc = str(kwarg.value.value)
    if call.dyn_args is not None or call.dyn_kwargs is not None:
        problems.error(path, line, "cite() takes its keys written out, not *args or **kwargs")
        valid = False
    if loc is not None and len(keys) > 1:
        problems.error(path, line, "cite(loc=...) goes with a single key; split the citation in two")
        valid = False
    page.cites.append(CiteCall(tuple(keys) if valid else (), loc, line, len(page.cites) + 1))


def _no_arguments(page: PageScan, call: nodes.Call, line: int, problems: Problems, name: str) -> None:
    if call.args or call.kwargs or call.dyn_args or call.dyn_kwargs:
        problems.error(page.info.path, line, f"{name}() takes no arguments")


def _scan_bibliography(page: PageScan, call: nodes.Call, line: int, problems: Problems) -> None:
    for kwarg in call.kwargs:
        if kwarg.key != "uncited" or not (
            isinstance(kwarg.value, nodes.Const) and isinstance(kwarg.value.value, bool)
        ):
            problems.error(page.info.path, line, "bibliography() takes only uncited=True or uncited=False")
    if call.args or call.dyn_args or call.dyn_kwargs:
        problems.error(page.info.path, line, "bibliography() takes only uncited=True or uncited=False")


def unique_slugs(pages: list[PageScan]) -> None:
    """Make page slugs unique, so ids stay unique on one combined print page."""
    seen: dict[str, int] = {}
    for page in pages:
        base = page.slug
        count = seen.get(base, 0)
        seen[base] = count + 1
        if count:
            page.slug = f"{base}-{count + 1}"
