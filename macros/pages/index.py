"""The citation index of one build: no MkDocs imports here.

``CitationIndex`` reads the .bib once, scans every page in reading order,
numbers the keys and validates everything; it is built once per build and
then only read, by one ``PageRenderer`` (pages/renderer.py) per page. Only a
``cite()`` the scan could not see (computed in a macro) adds a number late,
and the renderers add the problems they find to ``problems``.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

from ..bib.load import BibMemo, load_bibliography
from ..cache import ScanCache, problem_rows, problems_from_rows
from ..html.format_entries import Formatter
from ..html.markers import relative_url
from ..options import Options
from ..problems import Problems
from .numbering import Numbering
from .scan import CiteCall, PageInfo, PageScan, scan_page, slugify, unique_slugs
from .templating import CITATION_MACROS, NAMES, environment

_UNCITED_SHOWN = 20  # a reference manager's export can leave thousands uncited


class CitationIndex:
    """What one site build knows about its citations: the .bib, the pages' scans, the numbers."""

    def __init__(
        self,
        options: Options,
        project_dir: str,
        pages: list[PageInfo],
        use_cache: bool = True,
        site_variables: Collection[str] = (),
        bib_memo: BibMemo | None = None,
    ) -> None:
        """``site_variables``: names every page may read besides NAMES and its
        front matter (the keys of ``extra`` in mkdocs.yml); ``bib_memo``: the
        .bib files parsed by earlier builds of this process (``mkdocs serve``)."""
        self.options = options
        self.known_names = sorted({*NAMES, *site_variables})
        self.project_dir = project_dir
        self.problems = Problems()
        bib_abs = os.path.normpath(os.path.join(project_dir, options.bibliography))
        cache_dir = os.path.join(project_dir, ".cache", "citations") if use_cache else None
        self.scans = ScanCache(cache_dir)
        self.bib, self.disk = load_bibliography(bib_abs, _display_path(bib_abs, project_dir), cache_dir, bib_memo)
        self.problems.extend(self.bib.problems)

        self.env = environment()
        self.pages: list[PageScan] = []
        for info in pages:
            source = Path(info.abs_path).read_text(encoding="utf-8-sig", errors="replace")
            self.pages.append(self._scan(info, source))
        unique_slugs(self.pages)
        self.by_src = {page.info.src: page for page in self.pages}
        self.bibliography_page = next((p for p in self.pages if p.bibliography_calls), None)

        self.numbering = Numbering(options.numbering)
        self._number_and_check_keys()
        disk = self.disk if cache_dir else None  # no cache: no cache keys to compute either
        self.formatter = Formatter(self.bib, options.style, options.max_authors, disk=disk)
        self.formatter.problems = Problems(ignore=self.bib.follow_up)  # nothing about a broken entry's fields
        self._check_lists_exist()

    def _scan(self, info: PageInfo, source: str) -> PageScan:
        """scan_page(), or its stored result for exactly the same input."""
        key = self.scans.key(info, source, self.known_names, self.env.comment_start_string)
        stored = self.scans.get(key)
        if isinstance(stored, dict):
            try:
                page = PageScan(
                    info=info,
                    title=stored["title"],
                    slug=stored["slug"],
                    cites=[CiteCall(tuple(c[0]), c[1], c[2], c[3]) for c in stored["cites"]],
                    references_calls=list(stored["references_calls"]),
                    bibliography_calls=list(stored["bibliography_calls"]),
                    renders_macros=stored["renders_macros"],
                    renderable=stored["renderable"],
                    plan=_stored_plan(stored["plan"]),
                    body_digest=stored["body_digest"],
                    line_offset=stored["line_offset"],
                )
                rows = stored["problems"]
                restored = problems_from_rows(rows)
                if len(restored) != len(rows):
                    raise ValueError("a stored problem of another shape")
                self.problems.extend(restored)
                return page
            except (KeyError, TypeError, ValueError):
                pass  # an entry of another shape: scan again
        found = Problems()
        page = scan_page(info, source, self.env, found, self.known_names)
        self.problems.extend(found)
        self.scans.put(
            key,
            {
                "title": page.title,
                "slug": page.slug,
                "cites": [[list(c.keys), c.loc, c.line, c.index] for c in page.cites],
                "references_calls": page.references_calls,
                "bibliography_calls": page.bibliography_calls,
                "renders_macros": page.renders_macros,
                "renderable": page.renderable,
                "plan": page.plan,
                "body_digest": page.body_digest,
                "line_offset": page.line_offset,
                "problems": problem_rows(list(found)),
            },
        )
        return page

    # -- validation -------------------------------------------------------------

    def _number_and_check_keys(self) -> None:
        for page in self.pages:
            for call in page.cites:
                for key in call.keys:
                    if key in self.bib:
                        self.numbering.see(page.info.src, key)
                        self._check_spelling(page.info.path, call.line, key)
                    else:
                        self._unknown_key(page.info.path, call.line, key)
        # Which entries are cited is known only when every page and the .bib
        # were read without error: after a syntax error or a mistyped key the
        # warning would name entries that are cited (a follow-up, not a problem).
        if not self.problems.errors and self.options.warn_uncited:
            uncited = [key for key in self.bib.all_keys() if key.lower() not in self.numbering.site]
            if uncited:
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

    def _check_spelling(self, path: str, line: int, key: str) -> None:
        """A key found in another case than the .bib's: BibTeX would find it, but it is misspelled."""
        entry = self.bib.get(key)
        if entry is not None and entry.key != key:
            self.problems.error(
                path,
                line,
                f"citation key '{key}' is written '{entry.key}' in {self.bib.path} "
                f'(write cite("{entry.key}"): keys must match letter for letter, case included)',
                kind="page.miswritten-key",
            )

    def _unknown_key(self, path: str, line: int, key: str) -> None:
        if not len(self.bib) and self.bib.problems.errors:
            return  # the .bib could not be read; that error says it all
        suggestion = self.bib.suggest(key)
        hint = f" (did you mean '{suggestion}'?)" if suggestion else f" (add it to {self.bib.path})"
        self.problems.error(path, line, f"unknown citation key '{key}'{hint}", kind="page.unknown-key")

    def validate(self, all_entries: bool = False) -> Problems:
        """Format what will be shown (or every entry), collecting every problem."""
        keys = [k.lower() for k in self.bib.all_keys()] if all_entries else self.numbering.keys_in_order()
        for key in keys:
            item = self.bib.get(key)
            if item is not None:
                self.formatter.format(item)
        self.problems.extend(self.formatter.problems)
        return self.problems

    def finish(self) -> None:
        """Call after the build: keeps what was learnt for the next one."""
        self.disk.save()
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


def _stored_plan(plan: object) -> list[str | list[object]] | None:
    """A plan read back from the cache, checked item by item."""
    if plan is None:
        return None
    if not isinstance(plan, list):
        raise ValueError("not a plan")
    for item in plan:
        if isinstance(item, str):
            continue
        if not (
            isinstance(item, list)
            and len(item) == 3
            and item[0] in CITATION_MACROS
            and isinstance(item[1], list)
            and isinstance(item[2], dict)
        ):
            raise ValueError("not a plan")
    return plan


def _display_path(abs_path: str, project_dir: str) -> str:
    rel = os.path.relpath(abs_path, project_dir)
    return abs_path if rel.startswith("..") else rel.replace(os.sep, "/")
