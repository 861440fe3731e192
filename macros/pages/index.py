"""The citation index of one build: no MkDocs imports here.

``CitationIndex`` reads the .bib once, scans every page in reading order,
numbers the keys and validates everything; it is built once per build and
then only read, by one ``PageRenderer`` (pages/renderer.py) per page. Only a
``cite()`` the scan could not see (computed in a macro) adds a number late,
and the renderers add the problems they find to ``problems``.
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import files
from ..bib.load import BibMemo, load_bibliography
from ..bib.reader import BibEntry, Bibliography
from ..bib.several import BibSet, combine
from ..cache import BibCache, ScanCache
from ..csl.formatter import CslFormatter
from ..csl.lookup import CslStyle, StyleError, find_style
from ..html.format_entries import FormattedReference, Formatter
from ..html.markers import relative_url
from ..options import Options
from ..problems import Problems
from .numbering import Numbering
from .scan import (
    CiteCall,
    PageInfo,
    PageScan,
    RawScan,
    Syntax,
    build_scan,
    raw_from_json,
    raw_to_json,
    read_page,
    slugify,
    unique_slugs,
)
from .titles import references_title

_UNCITED_SHOWN = 20  # a reference manager's export can leave thousands uncited


def bib_paths(options: Options) -> list[str]:
    """The .bib files of ``bibliography:`` as written: one path, or a list of them."""
    value = options.bibliography
    return [value] if isinstance(value, str) else list(value)


def expand_paths(project_dir: str, written: list[str]) -> list[str]:
    """Absolute paths of the .bib files; a folder gives every .bib below it, in path order."""
    out: list[str] = []
    for path in written:
        absolute = os.path.normpath(os.path.join(project_dir, path))
        if not os.path.isdir(absolute):
            out.append(absolute)
            continue
        found = sorted(str(p) for p in Path(absolute).rglob("*.bib") if p.is_file())
        out.extend(found or [absolute])  # a folder without any: the reader says it is not a .bib file
    return out


class CitationIndex:
    """What one site build knows about its citations: the .bib, the pages' scans, the numbers."""

    def __init__(
        self,
        options: Options,
        project_dir: str,
        pages: list[PageInfo],
        use_cache: bool = True,
        bib_memo: BibMemo | None = None,
    ) -> None:
        """``bib_memo``: the .bib files parsed by earlier builds of this process (``mkdocs serve``)."""
        self.options = options
        self.project_dir = project_dir
        self.problems = Problems()
        self.syntax = Syntax(
            pandoc=options.pandoc_citations,
            in_text=options.in_text_citations,
            references_placeholder=options.references_placeholder,
            bibliography_placeholder=options.bibliography_placeholder,
        )
        self.list_title = options.references_title or references_title(options.language)
        cache_dir = os.path.join(project_dir, ".cache", "citations") if use_cache else None
        self.scans = ScanCache(cache_dir)
        self.bib_files: list[tuple[Bibliography, BibCache]] = []
        for path in expand_paths(project_dir, bib_paths(options)):
            self.bib_files.append(load_bibliography(path, _display_path(path, project_dir), cache_dir, bib_memo))
        if not self.bib_files:  # only a URL was given (reported)
            self.bib_files.append((Bibliography(path=bib_paths(options)[0]), BibCache(None, "")))
        self.bib = combine([bib for bib, _ in self.bib_files])
        self.disk = self.bib_files[0][1]
        self.problems.extend(self.bib.problems)

        self.pages: list[PageScan] = []
        # What was read of each page MkDocs cannot read itself (not UTF-8, NUL bytes,
        # not a regular file, unreadable): the plugin gives MkDocs this text instead.
        self.replaced_sources: dict[str, str] = {}
        for info in pages:
            self.pages.append(build_scan(info, self._scan(info, self._read_page(info)), self.spelled, self.problems))
        unique_slugs(self.pages)
        self.by_src = {page.info.src: page for page in self.pages}
        self.bibliography_page = next((p for p in self.pages if p.bibliography_calls), None)

        self.numbering = Numbering(options.numbering)
        self._number_and_check_keys()
        self.csl: CslStyle | None = None
        self.formatters: dict[int, Formatter] = {}
        files = [(self.bib, self.disk)] if len(self.bib_files) == 1 else self.bib_files
        for bib, disk in files:
            formatter = self._formatter(bib, disk if cache_dir else None)
            formatter.problems = Problems(ignore=bib.follow_up)  # nothing about a broken entry's fields
            self.formatters[id(bib)] = formatter
            if self.csl is not None:
                break  # a CSL style formats every file's entries with one formatter (its suffixes, its sort)
        self._check_lists_exist()

    def _read_page(self, info: PageInfo) -> str:
        """The page's text; a page that is not a readable UTF-8 file is one problem (files.read_bytes)."""
        if not info.abs_path:
            return ""  # a page another plugin made in memory: no file to read
        found = Problems()
        raw = files.read_bytes(info.abs_path, info.path, found, files.PAGE)
        text = "" if raw is None else files.decode(raw, info.path, found, files.PAGE)
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # as MkDocs reads it (universal newlines)
        if found:
            self.problems.extend(found)
            self.replaced_sources[info.src] = text
        return text

    def _formatter(self, bib: Bibliography, disk: BibCache | None) -> Formatter:
        """The built-in style's formatter, or a CSL style's (config.py has checked the name)."""
        options = self.options
        try:
            found = find_style(options.style, self.project_dir)
        except StyleError:
            found = options.style  # a style the options never accepted: Formatter says so
        self.csl = found if isinstance(found, CslStyle) else None
        if self.csl is None:
            return Formatter(bib, str(found), options.max_authors, disk=disk)
        formatter = CslFormatter(self.bib, self.csl, options.max_authors, disk=disk)
        if not self.csl.numeric:
            cited = [item for key in self.numbering.keys_in_order() if (item := self.bib.get(key)) is not None]
            formatter.assign_year_suffixes(cited)
        return formatter

    @property
    def formatter(self) -> Formatter:
        """The formatter of the first .bib file (the only one, on most sites; every one, with a CSL style)."""
        return next(iter(self.formatters.values()))

    def format(self, item: BibEntry) -> FormattedReference:
        """An entry as HTML and text, by the formatter of the file it comes from."""
        bib = self.bib.file_of(item.key) if isinstance(self.bib, BibSet) else self.bib
        return self.formatters.get(id(bib), self.formatter).format(item)

    def formatter_problems(self) -> Problems:
        problems = Problems()
        for formatter in self.formatters.values():
            problems.extend(formatter.problems)
        return problems

    @property
    def author_date(self) -> CslFormatter | None:
        """The formatter of an author-date CSL style (markers show names and years, not numbers)."""
        formatter = self.formatter
        return formatter if isinstance(formatter, CslFormatter) and not formatter.csl.numeric else None

    @property
    def brackets(self) -> bool:
        """Numbered markers in brackets: the option, or what a numeric CSL style writes."""
        if isinstance(self.formatter, CslFormatter):
            return self.formatter.look != "superscript"
        return self.options.marker == "brackets"

    def spelled(self, key: str) -> str | None:
        """The .bib's spelling of a key written in any case, or None."""
        entry = self.bib.get(key)
        return entry.key if entry is not None else None

    def _scan(self, info: PageInfo, source: str) -> RawScan:
        """read_page(), or its stored result for exactly the same input."""
        key = self.scans.key(info, source, self.syntax)
        stored = self.scans.get(key)
        if stored is not None:
            try:
                return raw_from_json(stored)
            except (KeyError, TypeError, ValueError):
                pass  # an entry of another shape: scan again
        raw = read_page(info, source, self.syntax)
        self.scans.put(key, raw_to_json(raw))
        return raw

    # -- validation -------------------------------------------------------------

    def _number_and_check_keys(self) -> None:
        for page in self.pages:
            for call in page.cites:
                for key in call.keys:
                    if key in self.bib:
                        self.numbering.see(page.info.src, key)
                        self._check_spelling(page.info.path, call.line, key, call)
                    else:
                        self._unknown_key(page.info.path, call.line, key)
        # Which entries are cited is known only when every page and the .bib
        # were read without error: after a syntax error or a mistyped key the
        # warning would name entries that are cited (a follow-up, not a problem).
        if not self.problems.errors:
            uncited = [key for key in self.bib.all_keys() if key.lower() not in self.numbering.site]
            if uncited and not self.options.warn_uncited:
                listed = any(f.kind == "bibliography" and f.uncited for p in self.pages for f in p.found)
                if not listed:
                    self.problems.info(
                        self.bib.path,
                        0,
                        f"{len(uncited)} entr{'y is' if len(uncited) == 1 else 'ies are'} never cited "
                        "(normal for a reference manager's export; set plugins.citations.warn_uncited: true "
                        "to have them listed as warnings)",
                        kind="bib.uncited-count",
                    )
            elif uncited:
                shown = ", ".join(uncited[:_UNCITED_SHOWN])
                if len(uncited) > _UNCITED_SHOWN:
                    shown += f" and {len(uncited) - _UNCITED_SHOWN} more"
                self.problems.warning(
                    self.bib.path,
                    0,
                    f"{len(uncited)} entr{'y is' if len(uncited) == 1 else 'ies are'} never cited: "
                    + shown
                    + " (cite them, remove them, or set plugins.citations.warn_uncited: false)",
                    kind="bib.uncited",
                )

    def _check_lists_exist(self) -> None:
        """A citation that links to no reference list hides its source.

        With ``numbering: page`` a number only means something on its own page,
        so the full bibliography (numbered site-wide) cannot stand in for it.
        """
        if self.options.auto_references:
            return
        for page in self.pages:
            if not page.cites or page.has_list:
                continue
            if self.options.numbering == "page":
                self.problems.error(
                    page.info.path,
                    page.cites[0].line,
                    "the page cites, but has no reference list of its own, which numbering: page "
                    "needs (add {{ references() }} to the page, or set plugins.citations.auto_references: true)",
                    kind="page.no-list",
                )
            elif self.bibliography_page is None:
                self.problems.error(
                    page.info.path,
                    page.cites[0].line,
                    "the page cites, but no reference list shows the sources "
                    "(auto_references is false and no page calls bibliography(): "
                    "add {{ references() }} to the page, or a page with {{ bibliography() }})",
                    kind="page.no-list",
                )

    def _check_spelling(self, path: str, line: int, key: str, call: CiteCall) -> None:
        """A key found in another case than the .bib's: BibTeX would find it, but it is misspelled."""
        entry = self.bib.get(key)
        if entry is not None and entry.key != key:
            where = self.bib.file_of(key).path if isinstance(self.bib, BibSet) else self.bib.path
            form = f"@{entry.key}" if call.syntax != "jinja" else f'cite("{entry.key}")'
            self.problems.error(
                path,
                line,
                f"citation key '{key}' is written '{entry.key}' in {where} "
                f"(write {form}: keys must match letter for letter, case included)",
                kind="page.miswritten-key",
            )

    def _unknown_key(self, path: str, line: int, key: str) -> None:
        if not len(self.bib) and self.bib.problems.errors:
            return  # the .bib could not be read; that error says it all
        suggestion = self.bib.suggest(key)
        hint = f" (did you mean '{suggestion}'?)" if suggestion else f" (add it to {self.bib.path})"
        unread = next((line for line, keys in self.bib.broken.items() if key.lower() in map(str.lower, keys)), None)
        if unread is not None:  # not "add it": it is there, and its syntax error says why it is not read
            hint = (
                f" (its entry at {self.bib.path}:{unread} has a syntax error, so it is not read: see the error there)"
            )
            self.problems.error(path, line, f"unknown citation key '{key}'{hint}", kind="page.unknown-key")
            return
        keyless = next((p for p in self.bib.problems if p.kind == "bib.no-key"), None)
        if keyless is not None:  # not "add it": it may be there, without its key
            also = f"; or did you mean '{suggestion}'?" if suggestion else ""
            hint = (
                f" (the entry at {keyless.path}:{keyless.line} has no key: if it is this source, "
                f"write {key}, after its '{{'{also})"
            )
        self.problems.error(path, line, f"unknown citation key '{key}'{hint}", kind="page.unknown-key")

    def validate(self, all_entries: bool = False) -> Problems:
        """Format what will be shown (or every entry), collecting every problem."""
        keys = [k.lower() for k in self.bib.all_keys()] if all_entries else self.numbering.keys_in_order()
        for key in keys:
            item = self.bib.get(key)
            if item is not None:
                self.format(item)
        self.problems.extend(self.formatter_problems())
        return self.problems

    def finish(self) -> None:
        """Call after the build: keeps what was learnt for the next one."""
        for _, disk in self.bib_files:
            disk.save()
        self.scans.save()

    def page(self, src: str) -> PageScan:
        """The page's scan; a page the scan never saw (not in the navigation) cites nothing."""
        page = self.by_src.get(src)
        if page is None:
            info = PageInfo(src=src, abs_path="", path=src, url="", title=None)
            page = PageScan(info=info, title=src, slug=slugify(src), renders_macros=False)
            self.by_src[src] = page
        return page

    def needs_auto_references(self, page: PageScan) -> bool:
        """True when the page cites but calls no list, and one is added at its end."""
        return self.options.auto_references and bool(page.cites) and not page.has_list

    def site_number(self, key: str) -> int:
        return self.numbering.site[key.lower()]

    def target(self, page: PageScan, key: str) -> str | None:
        """Where a marker of ``page`` citing ``key`` links to: its list, or the full bibliography."""
        if page.bibliography_calls:
            return f"#ref-{page.slug}-{self.site_number(key)}"
        if page.references_calls or self.needs_auto_references(page):
            return f"#ref-{page.slug}-{self.numbering.number(page.info.src, key)}"
        bib_page = self.bibliography_page
        if bib_page is not None:
            return relative_url(bib_page.info.url, page.info.url) + f"#ref-{bib_page.slug}-{self.site_number(key)}"
        return None

    @staticmethod
    def calls_citing(page: PageScan, key: str) -> list[CiteCall]:
        lower = key.lower()
        return [call for call in page.cites if any(k.lower() == lower for k in call.keys)]


def _display_path(abs_path: str, project_dir: str) -> str:
    rel = os.path.relpath(abs_path, project_dir)
    return abs_path if rel.startswith("..") else rel.replace(os.sep, "/")
