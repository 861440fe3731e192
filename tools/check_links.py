"""Check every internal link and anchor in a built site, offline.

Usage: python tools/check_links.py site/ [-f mkdocs.yml] [--allow-missing GLOB ...]

MkDocs already checks the links written in Markdown. This checks what it
cannot see: links in raw HTML, the citation engine's markers and back-links,
the theme's own links, and every page written after the build (the print
page of the PDF handout). Every *.html file under the site folder is read.

Each problem is one line, naming the Markdown source when the page has one:

    docs/muscles.md:40: link to 'exercise/#nope': no such anchor on that page (did you mean '#equipment'?)

External links (http, https, mailto, ...) are not fetched here; the weekly
workflow checks those (tools/check_external_links.py).
"""

from __future__ import annotations

import argparse
import difflib
import fnmatch
import os
import posixpath
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

try:  # runnable both as `python tools/check_links.py` and `python -m tools.check_links`
    from tools.project import load_settings, plural, relative
except ModuleNotFoundError:  # pragma: no cover - direct script run
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tools.project import load_settings, plural, relative

#: (tag, attribute) pairs that point at another file or anchor.
LINK_ATTRIBUTES = {
    ("a", "href"),
    ("area", "href"),
    ("link", "href"),
    ("img", "src"),
    ("script", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("track", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("use", "href"),
}
#: Links that are not files of the site: not fetched, not checked here.
SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:", "about:")


@dataclass
class Link:
    url: str
    line: int
    tag: str


@dataclass
class Page:
    """What one HTML file offers (its ids) and what it points at (its links)."""

    ids: dict[str, int] = field(default_factory=dict)  # id -> first line
    duplicate_ids: list[tuple[str, int, int]] = field(default_factory=list)  # id, line, first line
    links: list[Link] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                if name == "id" and value in self.page.ids:
                    self.page.duplicate_ids.append((value, line, self.page.ids[value]))
                self.page.ids.setdefault(value, line)
            elif (tag, name) in LINK_ATTRIBUTES or (tag == "use" and name == "xlink:href"):
                self.page.links.append(Link(value.strip(), line, tag))
            elif name == "srcset":
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url:
                        self.page.links.append(Link(url, line, tag))

    handle_startendtag = handle_starttag


def parse_html(path: Path) -> Page:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser.page


@dataclass
class Problem:
    page: str  # site-relative HTML file, "muscles/index.html"
    html_line: int
    url: str
    message: str
    anchor: str = ""  # the fragment, when the problem is a missing anchor


class SiteChecker:
    def __init__(self, site: Path, site_url: str = "", allow_missing: tuple[str, ...] = ()) -> None:
        self.site = site
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self.base_path = urlsplit(self.site_url).path or "/"
        self.allow_missing = allow_missing
        self.pages: dict[str, Page] = {}
        self.links_checked = 0

    def load(self) -> None:
        for path in sorted(self.site.rglob("*.html")):
            rel = path.relative_to(self.site).as_posix()
            self.pages[rel] = parse_html(path)

    def _target(self, page: str, url: str) -> tuple[str | None, str, str | None]:
        """(site-relative file, fragment, problem) for one link; file None = not checked."""
        if url.startswith(SKIP_SCHEMES) or not url:
            return None, "", None
        if self.site_url and url.startswith(self.site_url):
            url = "/" + url[len(self.site_url) :].lstrip("/")
            url = self.base_path.rstrip("/") + url
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            return None, "", None  # external: the weekly workflow checks those
        path = unquote(parts.path)
        fragment = unquote(parts.fragment)
        if not path:
            return page, fragment, None
        if path.startswith("/"):
            if not path.startswith(self.base_path):
                return (
                    None,
                    fragment,
                    f"absolute path outside the site (the site lives under '{self.base_path}'); use a relative link",
                )
            path = path[len(self.base_path) :]
            base = ""
        else:
            base = posixpath.dirname(page)
        target = posixpath.normpath(posixpath.join(base, path))
        if target == "." or path.endswith("/"):
            target = posixpath.join("" if target == "." else target, "index.html")
        if target.startswith("../") or target == "..":
            return None, fragment, "points outside the site folder"
        return target, fragment, None

    def _exists(self, target: str) -> str | None:
        """The file a browser would open for target, or None."""
        full = self.site / target
        if full.is_file():
            return target
        if full.is_dir() and (full / "index.html").is_file():
            return posixpath.join(target, "index.html")
        return None

    def check(self) -> list[Problem]:
        problems: list[Problem] = []
        for page, info in self.pages.items():
            for ident, line, first in info.duplicate_ids:
                problems.append(
                    Problem(page, line, "#" + ident, f"the id '{ident}' is used twice (first on line {first})")
                )
            for link in info.links:
                self.links_checked += 1
                target, fragment, problem = self._target(page, link.url)
                if problem:
                    problems.append(Problem(page, link.line, link.url, problem))
                    continue
                if target is None:
                    continue
                found = self._exists(target)
                if found is None:
                    if any(fnmatch.fnmatch(target, pattern) for pattern in self.allow_missing):
                        continue
                    problems.append(Problem(page, link.line, link.url, self._missing_file(target)))
                    continue
                if not fragment or not found.endswith(".html"):
                    continue
                ids = self.pages[found].ids if found in self.pages else {}
                if fragment in ids:
                    continue
                where = "on this page" if found == page else "on that page"
                hint = difflib.get_close_matches(fragment, list(ids), n=1, cutoff=0.6)
                message = f"no such anchor {where}" + (f" (did you mean '#{hint[0]}'?)" if hint else "")
                problems.append(Problem(page, link.line, link.url, message, anchor=fragment))
        return problems

    def _missing_file(self, target: str) -> str:
        # compare page addresses as a reader sees them: 'muscles/', not 'muscles/index.html'
        known = {p.removesuffix("index.html"): p for p in self.pages if not p.startswith(("assets/", "search/"))}
        hint = difflib.get_close_matches(target.removesuffix("index.html"), [k for k in known if k], n=1, cutoff=0.6)
        suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
        return f"no such file in the built site: '{target}'{suggestion}"


# -- mapping built pages back to their Markdown ---------------------------------


def source_of(page: str, docs_dir: Path) -> Path | None:
    """docs/muscles.md for 'muscles/index.html' (directory URLs) or 'muscles.html'."""
    stem = page.removesuffix(".html")
    candidates: list[str] = []
    if stem == "index":
        candidates += ["index.md", "README.md"]
    elif stem.endswith("/index"):
        folder = stem.removesuffix("/index")
        candidates += [f"{folder}.md", f"{folder}/index.md", f"{folder}/README.md"]
    else:
        candidates.append(f"{stem}.md")
    for candidate in candidates:
        path = docs_dir / candidate
        if path.is_file():
            return path
    return None


def _needles(url: str, anchor: str) -> list[str]:
    """Ways the link may have been written in the Markdown, most specific first."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    name = posixpath.basename(path) if path and path not in (".", "..") else ""
    out = [url]
    if anchor:
        if name:
            out += [f"{name}.md#{anchor}", f"{name}/#{anchor}"]
        out.append(f"#{anchor}")
    if name and name not in ("index.html",):
        out += [f"{name}.md", path]
    return [n for n in out if len(n) > 1]


def source_line(source: Path, url: str, anchor: str, occurrence: int) -> int | None:
    """The line of the occurrence-th link like url in source (1-based), if found."""
    lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
    for needle in _needles(url, anchor):
        hits = [number for number, text in enumerate(lines, 1) if needle in text]
        if hits:
            return hits[min(occurrence, len(hits) - 1)]
    return None


def format_problems(problems: list[Problem], site: Path, docs_dir: Path, root: Path) -> list[str]:
    lines = []
    seen: dict[tuple[str, str], int] = {}
    for problem in problems:
        built = f"{relative(site / problem.page, root)}:{problem.html_line}"
        source = source_of(problem.page, docs_dir)
        if source is None:
            lines.append(f"{built}: link to '{problem.url}': {problem.message}")
            continue
        occurrence = seen.get((problem.page, problem.url), 0)
        seen[(problem.page, problem.url)] = occurrence + 1
        number = source_line(source, problem.url, problem.anchor, occurrence)
        location = relative(source, root) + (f":{number}" if number else "")
        lines.append(f"{location}: link to '{problem.url}': {problem.message} [built page: {built}]")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("site", type=Path, help="the built site folder, e.g. site/")
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"), help="path to mkdocs.yml")
    parser.add_argument(
        "--allow-missing",
        action="append",
        default=[],
        metavar="GLOB",
        help="site-relative files that a later step writes (e.g. 'handout*.pdf'); links to them are not errors",
    )
    args = parser.parse_args(argv)

    root = Path.cwd()
    if not (args.site / "index.html").is_file():
        print(f"{args.site}: no built site here (run `make build` first)", file=sys.stderr)
        return 2
    settings = load_settings(args.config_file)
    checker = SiteChecker(args.site, settings.site_url, tuple(args.allow_missing))
    checker.load()
    problems = checker.check()
    for line in format_problems(problems, args.site, settings.docs_dir, root):
        print(line)
    pages = len(checker.pages)
    summary = f"links: {plural(checker.links_checked, 'link')} in {plural(pages, 'page')} checked"
    if problems:
        print(
            f"{summary}, {len(problems)} broken. Fix each link above in the file it names "
            "(an anchor is the part after '#': it must match a heading's or an element's id)."
        )
        return 1
    print(f"{summary}, none broken")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    sys.exit(main())
