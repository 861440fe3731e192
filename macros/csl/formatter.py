"""References and citations in a CSL style, each formatted once and cached like the built-in style's.

``CslFormatter`` has the built-in ``Formatter``'s interface (``format(item)``
gives a ``FormattedReference``; warnings go to ``problems``) and the same
field checks (unknown types, missing fields, LaTeX that cannot be shown).
For author-date styles it also gives citations, their narrative form, the
style's list order and the "2013a/2013b" year suffixes.

What is cached, in the .bib's cache file, keyed by the entry's text (with the
``@string``s and ``crossref`` target it uses) and the style file's bytes:

- each reference (HTML, text, warnings), per year suffix;
- each entry's sort keys and its bare citation ("Kang et al., 2013"),
  which decide list order and year suffixes without formatting anything;
- each citation a page makes ("(Kang et al., 2013a, p. 304)").

So a warm build starts no CSL processor at all: ``processor()`` is only
called on a miss.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import string
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..bib.reader import BibEntry, Bibliography
from ..cache import BibCache, safe_reference_html
from ..html.format_entries import FormattedReference, Formatter
from ..problems import Problems
from .lookup import CslStyle
from .processor import plain_text


@dataclass(frozen=True)
class CiteRequest:
    """One source in a citation, as the page wrote it."""

    item: BibEntry
    locator: str = ""
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class CitationParts:
    """A citation in pieces (all safe HTML): ``open`` + parts joined by ``delimiter`` + ``close``."""

    open: str
    close: str
    delimiter: str
    parts: list[tuple[str, str]]  # (key, HTML of that source's part)


@functools.cache
def _citeproc_version() -> str:
    """citeproc-py's version: a new one may format differently, so it is part of every cache key."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("citeproc-py")
    except PackageNotFoundError:
        return "?"


def _file_digest(path: str) -> str:
    """The style file's digest; read again only when its size or time changes (mkdocs serve)."""
    stat = Path(path).stat()
    return _digest_of(path, stat.st_size, stat.st_mtime_ns)


@functools.cache
def _digest_of(path: str, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def marker_look(style: CslStyle) -> str:
    """How a numeric style shows its citation numbers: 'superscript', 'brackets' or 'parentheses'."""
    text = Path(style.path).read_text(encoding="utf-8", errors="replace")
    citation = text.partition("<citation")[2].partition("</citation>")[0]
    layout = citation.partition("<layout")[2].partition(">")[0]
    if 'vertical-align="sup"' in citation:
        return "superscript"
    if 'prefix="("' in layout or 'prefix="("' in citation:
        return "parentheses"
    return "brackets"


class CslFormatter(Formatter):
    """See the module docstring."""

    def __init__(self, bib: Bibliography, style: CslStyle, max_authors: int = 6, disk: BibCache | None = None):
        # Not Formatter.__init__: there is no pybtex style to load.
        self.bib = bib
        self.disk = disk
        self.csl = style
        self.style_name = style.name
        self.style_digest = _file_digest(style.path)
        self.options_key = f"csl/{style.name}/{self.style_digest}/{style.locale}/{_citeproc_version()}"
        self.style = None  # no pybtex style
        self.problems = Problems()
        self._cache: dict[str, FormattedReference] = {}
        self._meta: dict[str, tuple[str, list[str | None]]] = {}
        self.year_suffixes: dict[str, str] = {}
        self.look = "superscript" if not style.numeric else marker_look(style)

    # -- the processor, only on a cache miss -----------------------------------------

    @property
    def processor(self) -> Any:
        from .processor import processor

        return processor(self.csl, self.style_digest)

    def _item(self, item: BibEntry, with_suffix: bool = True) -> dict[str, Any]:
        from .csljson import csl_item

        data = csl_item(item.key.lower(), item.entry, self.bib.data)
        suffix = self.year_suffixes.get(item.key.lower(), "") if with_suffix else ""
        if suffix:
            data["year-suffix"] = suffix
        return data

    def _entry_digest(self, item: BibEntry) -> str:
        return self._disk_key(item)  # Formatter's: options, @strings, entry text, crossref target

    def _stored(self, key: str) -> tuple[str, str, list[Any]] | None:
        return self.disk.get_formatted(key) if self.disk is not None else None

    def _store(self, key: str, markup: str, text: str, problems: list[Any]) -> None:
        if self.disk is not None:
            self.disk.put_formatted(key, markup, text, problems)

    # -- references ---------------------------------------------------------------------

    def format(self, item: BibEntry) -> FormattedReference:
        low = item.key.lower()
        cached = self._cache.get(low)
        if cached is not None:
            return cached
        suffix = self.year_suffixes.get(low, "")
        disk_key = f"{self._entry_digest(item)}/{suffix}"
        stored = self._stored(disk_key)
        if stored is not None and safe_reference_html(stored[0]):  # cached HTML: held to the formatter's own rules
            markup, text, problems = stored
            self.problems.extend(problems)
        else:
            before = len(self.problems)
            self._check_fields(item)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    markup, text = self.processor.reference(self._item(item))
            except Exception as error:  # noqa: BLE001 - a style citeproc-py cannot apply must not stop a build
                self.problems.warning(
                    self.bib.path,
                    item.line,
                    f"entry '{item.key}' could not be formatted in the '{self.style_name}' style "
                    f"({type(error).__name__}: {error}); shown as its key and title only",
                    kind="bib.csl-unformattable",
                )
                title = item.entry.fields.get("title", "")
                text = f"{item.key}. {title}".strip()
                markup = str(Markup.escape(text))
            if not text.strip():
                text, markup = f"{item.key}.", str(Markup.escape(f"{item.key}."))
            self._store(disk_key, str(markup), text, self.problems.items[before:])
        result = FormattedReference(key=item.key, html=Markup(markup), text=text)
        self._cache[low] = result
        return result

    def _check_latex(self, item: BibEntry) -> None:
        self._check_latex_converted(item)  # LaTeX is converted for CSL as for the built-in style

    # -- author-date: order, year suffixes, citations ------------------------------------

    def _entry_meta(self, item: BibEntry) -> tuple[str, list[str | None]]:
        """(bare citation text, sort keys) of an entry, without a year suffix; cached."""
        low = item.key.lower()
        if low in self._meta:
            return self._meta[low]
        disk_key = f"meta/{self._entry_digest(item)}"
        stored = self._stored(disk_key)
        if stored is not None:
            bare, keys_json, _ = stored
            keys = json.loads(keys_json)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    data = self._item(item, with_suffix=False)
                    bare = self.processor.cite([self._cite(data)])[1] if not self.csl.numeric else ""
                    keys = self.processor.sort_key(data)
                except Exception:  # noqa: BLE001 - format() reports the entry's problem
                    bare, keys = item.key, []
            self._store(disk_key, bare, json.dumps(keys), [])
        self._meta[low] = (bare, keys)
        return self._meta[low]

    @staticmethod
    def _cite(data: dict[str, Any], locator: str = "", prefix: str = "", suffix: str = "") -> Any:
        from .processor import Cite

        return Cite(data, locator, prefix, suffix)

    def _descending(self) -> list[bool]:
        stored = self._stored(f"sort-order/{self.options_key}")
        if stored is not None:
            return [bool(flag) for flag in json.loads(stored[1])]
        flags: list[bool] = self.processor.sort_descending()
        self._store(f"sort-order/{self.options_key}", "", json.dumps(flags), [])
        return flags

    def ordered(self, items: Sequence[BibEntry]) -> list[BibEntry]:
        """``items`` in the style's list order (stable: a style without a sort keeps the order given)."""
        descending = self._descending()
        if not descending:
            return list(items)
        from .processor import sort_keys_compare

        keyed = [(self._entry_meta(item)[1], index, item) for index, item in enumerate(items)]

        def compare(a: tuple[list[str | None], int, BibEntry], b: tuple[list[str | None], int, BibEntry]) -> int:
            return sort_keys_compare(a[0], b[0], descending) or a[1] - b[1]

        keyed.sort(key=functools.cmp_to_key(compare))
        return [item for _, _, item in keyed]

    def assign_year_suffixes(self, items: Sequence[BibEntry]) -> dict[str, str]:
        """'2013a', '2013b' for works whose citations would read alike, in the style's list order.

        Only for author-date styles that ask for it (``disambiguate-add-year-suffix``);
        citeproc-py does not disambiguate, so it is done here over every cited entry.
        """
        self.year_suffixes = {}
        self._cache.clear()
        if self.csl.numeric or not self._wants_year_suffix():
            return {}
        groups: dict[str, list[BibEntry]] = {}
        for item in items:
            groups.setdefault(self._entry_meta(item)[0], []).append(item)
        for members in groups.values():
            if len(members) < 2:
                continue
            for index, item in enumerate(self.ordered(members)):
                self.year_suffixes[item.key.lower()] = _suffix(index)
        return dict(self.year_suffixes)

    def _wants_year_suffix(self) -> bool:
        stored = self._stored(f"year-suffix/{self.options_key}")
        if stored is not None:
            return stored[1] == "true"
        wanted = bool(self.processor.year_suffix)
        self._store(f"year-suffix/{self.options_key}", "", "true" if wanted else "false", [])
        return wanted

    def citation(self, cites: Sequence[CiteRequest], narrative: bool = False) -> tuple[Markup, str]:
        """An author-date citation, '(Kang et al., 2013a, p. 304; ...)', or with ``narrative`` 'Kang et al. (2013a)'."""
        parts = self.citation_parts(cites, narrative)
        markup = Markup(parts.open) + Markup(parts.delimiter).join(Markup(h) for _, h in parts.parts) + parts.close
        return markup, plain_text(str(markup))

    def citation_parts(self, cites: Sequence[CiteRequest], narrative: bool = False) -> CitationParts:
        """A citation as the marker shows it: the style's brackets and delimiter, and one part per source.

        The parts come in the style's citation order (APA: by author); a
        narrative citation has no brackets of its own ('Kang et al. (2013a)').
        """
        digest = hashlib.sha256(self.options_key.encode())
        digest.update(b"narrative" if narrative else b"parenthetical")
        for cite in cites:
            low = cite.item.key.lower()
            for part in (
                self._entry_digest(cite.item),
                self.year_suffixes.get(low, ""),
                cite.locator,
                cite.prefix,
                cite.suffix,
            ):
                digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
        disk_key = f"cite/{digest.hexdigest()}"
        stored = self._stored(disk_key)
        if stored is not None:
            try:
                data = json.loads(stored[0])
                return CitationParts(data[0], data[1], data[2], [(str(k), str(h)) for k, h in data[3]])
            except (ValueError, IndexError, TypeError):
                pass  # another shape: format again
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            proc = self.processor
            requests = [self._cite(self._item(c.item), c.locator, c.prefix, c.suffix) for c in cites]
            order = list(range(len(cites)))
            if not narrative and len(cites) > 1 and self._citation_sorted():
                rank = {id(item): i for i, item in enumerate(self.ordered([c.item for c in cites]))}
                order.sort(key=lambda i: rank.get(id(cites[i].item), i))
            if narrative:
                result = CitationParts(
                    "", "", "; ", [(cites[i].item.key, proc.narrative(requests[i])[0]) for i in order]
                )
            else:
                result = CitationParts(
                    html.escape(proc.open, quote=False),
                    html.escape(proc.close, quote=False),
                    html.escape(proc.delimiter, quote=False),
                    [(cites[i].item.key, proc.cite_one(requests[i])) for i in order],
                )
        row = [result.open, result.close, result.delimiter, [list(p) for p in result.parts]]
        self._store(disk_key, json.dumps(row, ensure_ascii=False), "", [])
        return result

    def _citation_sorted(self) -> bool:
        citation = self.processor.csl.root.citation
        return citation is not None and citation.find("{http://purl.org/net/xbiblio/csl}sort") is not None


def _suffix(index: int) -> str:
    """0 -> 'a', 25 -> 'z', 26 -> 'aa' (CSL's year suffixes)."""
    letters = string.ascii_lowercase
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = letters[rest] + out
    return out
