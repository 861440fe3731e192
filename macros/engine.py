"""The citation engine for one build of a site: no MkDocs imports here.

``CitationSite`` reads the .bib once, scans every page in reading order,
numbers the keys, validates everything, and then renders markers and lists
on demand while the pages are rendered.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from .bib import reader
from .bib.fast_index import build_index
from .bib.reader import Bibliography
from .cache import BibCache, ScanCache, problem_rows, problems_from_rows
from .html.format_entries import Formatter
from .html.markers import ListItem, MarkerPart, backref_group, relative_url, render_list, render_marker
from .pages.numbering import Numbering, compress
from .pages.scan import CiteCall, PageInfo, PageScan, body_digest, scan_page, slugify, unique_slugs
from .pages.templating import CITATION_MACROS, NAMES, TEMPLATE_NAME, environment, error_line, protect_code, restore_code
from .problems import Problems


@dataclass
class Options:
    """The engine's settings (the citations plugin's options in mkdocs.yml)."""

    bibliography: str = "references.bib"
    style: str = "vancouver"
    numbering: str = "site"
    marker: str = "superscript"
    max_authors: int = 6
    auto_references: bool = True
    references_title: str = "References"
    warn_uncited: bool = True


# What a page whose Jinja cannot be rendered shows above its Markdown, as
# written (the build fails). Its headings stay, so links to them are not
# reported as broken on top of the real problem.
NOT_RENDERED = "This page was not rendered: its Jinja has errors, listed in the build log."


def _not_rendered(markdown: str) -> str:
    return f"{NOT_RENDERED}\n\n{markdown}"


_UNCITED_SHOWN = 20  # a reference manager's export can leave thousands uncited

_BIB_CACHE: dict[str, tuple[tuple[int, int], Bibliography, BibCache]] = {}


def load_bibliography(abs_path: str, display_path: str, cache_dir: str | None = None) -> tuple[Bibliography, BibCache]:
    """The .bib of a build, parsed in full only when it has changed.

    In one process (``mkdocs serve``), an unchanged file (same size and
    modification time) is reused as it is. Otherwise its bytes are hashed:
    if the cache in ``cache_dir`` says this very content was validated
    before, and its fast index found the very entries the full parse did,
    its problems are taken from there and entries are parsed only as pages
    cite them; if not, the whole file is parsed and validated now (and the
    verdict stored). Whatever the cache holds, the answer is the same.
    """
    try:
        stat = os.stat(abs_path)
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = None
    cached = _BIB_CACHE.get(abs_path)
    if stamp is not None and cached is not None and cached[0] == stamp:
        return cached[1], cached[2]
    problems = Problems()
    raw = reader.read_bytes(abs_path, display_path, problems)
    if raw is None:
        return Bibliography(path=display_path, problems=problems), BibCache(None, "")
    index = build_index(raw)
    disk = BibCache(cache_dir, index.digest)
    bib: Bibliography
    if disk.validation is not None and disk.lazy:
        bib = reader.LazyBibliography(display_path, raw, index, disk.validation)
    else:
        bib = reader.parse_validated(reader.decode(raw, display_path, problems), display_path, problems)
        bib.strings_text = reader.strings_text(raw, index)
        if disk.validation is None:
            disk.store_validation(bib.problems, lazy=reader.index_agrees(bib, raw, index))
    if stamp is not None:
        _BIB_CACHE[abs_path] = (stamp, bib, disk)
    return bib, disk


class CitationSite:
    """Everything about the citations of one site build."""

    def __init__(
        self,
        options: Options,
        project_dir: str,
        pages: list[PageInfo],
        use_cache: bool = True,
        site_variables: Collection[str] = (),
    ) -> None:
        """``site_variables``: names every page may read besides NAMES and its
        front matter (the keys of ``extra`` in mkdocs.yml)."""
        self.options = options
        self.known_names = sorted({*NAMES, *site_variables})
        self.project_dir = project_dir
        self.problems = Problems()
        bib_abs = os.path.normpath(os.path.join(project_dir, options.bibliography))
        cache_dir = os.path.join(project_dir, ".cache", "citations") if use_cache else None
        self.scans = ScanCache(cache_dir)
        self.bib, self.disk = load_bibliography(bib_abs, _display_path(bib_abs, project_dir), cache_dir)
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
        self._counters: dict[str, int] = {}
        self._out_of_step: set[str] = set()
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
                )
            elif self.bibliography_page is None:
                self.problems.error(
                    page.info.path,
                    page.cites[0].line,
                    "the page cites, but no reference list shows the sources "
                    "(auto_references is false and no page calls bibliography(): "
                    "add {{ references() }} to the page, or a page with {{ bibliography() }})",
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
            )

    def _unknown_key(self, path: str, line: int, key: str) -> None:
        if not len(self.bib) and self.bib.problems.errors:
            return  # the .bib could not be read; that error says it all
        suggestion = self.bib.suggest(key)
        hint = f" (did you mean '{suggestion}'?)" if suggestion else f" (add it to {self.bib.path})"
        self.problems.error(path, line, f"unknown citation key '{key}'{hint}")

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

    # -- rendering --------------------------------------------------------------

    def render_page(
        self,
        src: str,
        markdown: str,
        variables: Mapping[str, object],
        wrap: Callable[[str], str] = str,
    ) -> str:
        """The page's Markdown with its macros rendered, and its reference list appended.

        ``variables``: what the page's Jinja may read besides the citation
        macros (``page``, ``config``, ``extra``, its front matter, other
        macros). ``wrap`` turns the engine's HTML into what goes into the
        Markdown (the plugin hands it to Markdown's raw-HTML stash).
        A page that is only text and citation calls is rendered from its
        plan; any other Jinja is compiled and rendered once.
        """
        page = self.page(src)
        self.begin_page(src)
        if not page.renders_macros:
            return markdown
        if not page.renderable:
            return _not_rendered(markdown)  # the reason is reported with its line; the build fails

        def cite(*keys: object, loc: object = None, **unknown: object) -> str:
            good = tuple(k for k in keys if isinstance(k, str))
            if len(good) != len(keys) or unknown:
                good = ()  # already reported, with its line, when the pages were scanned
            return wrap(str(self.marker(src, good, None if loc is None else str(loc))))

        def references() -> str:
            return wrap(str(self.references(src)))

        def bibliography(uncited: object = False) -> str:
            return wrap(str(self.bibliography(src, uncited=bool(uncited))))

        macros: dict[str, Callable[..., str]] = {"cite": cite, "references": references, "bibliography": bibliography}
        plan = self.plan(src, markdown)
        if plan is not None:
            parts = []
            for item in plan:
                if isinstance(item, str):
                    parts.append(item)
                else:
                    name, args, kwargs = item
                    assert isinstance(name, str) and isinstance(args, list) and isinstance(kwargs, dict)
                    parts.append(macros[name](*args, **kwargs))
            out = "".join(parts)
        else:
            protected, codes = protect_code(markdown)
            try:
                code = self.env.compile(protected, filename=TEMPLATE_NAME)
                template = self.env.template_class.from_code(self.env, code, self.env.make_globals(None))
                out = restore_code(template.render({**variables, **macros}), codes)
            except Exception as error:  # noqa: BLE001 - any failure of a page's Jinja is the page's problem
                line = error_line(error)
                line = line + page.line_offset if line else 0
                message = getattr(error, "message", None) or str(error) or type(error).__name__
                self.problems.error(page.info.path, line, f"the page's Jinja could not be rendered: {message}")
                return _not_rendered(markdown)
        self.end_page(src)
        if self.needs_auto_references(src):
            out = f"{out.rstrip()}\n\n## {self.options.references_title}\n\n{wrap(str(self.references(src)))}"
        return out

    def page(self, src: str) -> PageScan:
        page = self.by_src.get(src)
        if page is None:
            info = PageInfo(src=src, abs_path="", path=src, url="", title=None)
            page = PageScan(info=info, title=src, slug=slugify(src), renders_macros=False)
            self.by_src[src] = page
        return page

    def begin_page(self, src: str) -> None:
        """Call before rendering a page: marker ids restart for it."""
        self._counters[src] = 0
        self._out_of_step.discard(src)

    def plan(self, src: str, markdown: str) -> list[str | list[object]] | None:
        """The page's plan (scan.direct_plan) if ``markdown`` is the text it was made from."""
        page = self.page(src)
        if page.plan is None or body_digest(markdown) != page.body_digest:
            return None
        return page.plan

    def renderable(self, src: str) -> bool:
        """False when rendering the page's Jinja would fail (the reason is reported)."""
        return self.page(src).renderable

    def end_page(self, src: str) -> None:
        """Call after rendering a page: every cite() written must have been rendered once."""
        page = self.page(src)
        rendered = self._counters.get(src, 0)
        if rendered < len(page.cites) and page.renderable:
            self._report_out_of_step(page, page.cites[rendered].line)

    def _report_out_of_step(self, page: PageScan, line: int) -> None:
        if page.info.src in self._out_of_step:
            return
        self._out_of_step.add(page.info.src)
        self.problems.error(
            page.info.path,
            line,
            "this cite() is rendered more or fewer times than it is written "
            "(inside an {% if %} that is false, an included file or a macro?), so its "
            "back-links would be wrong (write each citation out in the text)",
        )

    def _check_step(self, page: PageScan, index: int, keys: tuple[str, ...]) -> None:
        """The index-th marker rendered must be the index-th cite() written."""
        if not page.renderable or not page.info.abs_path:
            return
        if index > len(page.cites):
            line = page.cites[-1].line if page.cites else 0
            self._report_out_of_step(page, line)
            return
        written = page.cites[index - 1]
        if written.keys and tuple(k.lower() for k in written.keys) != tuple(k.lower() for k in keys):
            self._report_out_of_step(page, written.line)

    def needs_auto_references(self, src: str) -> bool:
        page = self.page(src)
        return self.options.auto_references and bool(page.cites) and not page.has_list

    def _site_number(self, key: str) -> int:
        return self.numbering.site[key.lower()]

    def _target(self, page: PageScan, key: str) -> str | None:
        if page.bibliography_calls:
            return f"#ref-{page.slug}-{self._site_number(key)}"
        if page.references_calls or self.needs_auto_references(page.info.src):
            return f"#ref-{page.slug}-{self.numbering.number(page.info.src, key)}"
        bib_page = self.bibliography_page
        if bib_page is not None:
            return relative_url(bib_page.info.url, page.info.url) + f"#ref-{bib_page.slug}-{self._site_number(key)}"
        return None

    def marker(self, src: str, keys: tuple[str, ...], loc: str | None = None) -> Markup:
        page = self.page(src)
        self._counters[src] = index = self._counters.get(src, 0) + 1
        self._check_step(page, index, keys)
        numbers: dict[int, str] = {}
        broken = not keys
        for key in keys:
            if key not in self.bib:
                broken = True
                continue
            if key.lower() not in self.numbering.pages.get(src, {}):
                # Only a cite() the scan could not see (computed in a loop or
                # a macro) gets here; it is numbered now, after the others.
                self.numbering.see(src, key)
            numbers.setdefault(self.numbering.number(src, key), key)
        parts: list[MarkerPart] = []
        for first, last in compress(numbers):
            ends = (first,) if first == last else (first, last)
            for position, number in enumerate(ends):
                item = self.bib.get(numbers[number])
                assert item is not None
                parts.append(
                    MarkerPart(
                        number=str(number),
                        href=self._target(page, item.key),
                        title=self.formatter.format(item).text,
                        sep="" if not parts else ("\u2013" if position else ","),
                    )
                )
        if broken:
            parts.append(MarkerPart(number="?", href=None, title="", sep="," if parts else ""))
        return render_marker(
            marker_id=f"cite-{page.slug}-{index}",
            keys=list(keys),
            parts=parts,
            loc=loc,
            brackets=self.options.marker == "brackets",
            broken=broken,
        )

    def references(self, src: str) -> Markup:
        page = self.page(src)
        items = []
        for key in self.numbering.page_keys(src):
            item = self.bib.get(key)
            assert item is not None
            number = self.numbering.number(src, key)
            calls = self._calls_citing(page, key)
            places = [(f"#cite-{page.slug}-{call.index}", call.loc) for call in calls]
            backrefs = [backref_group(None, places, lone=len(places) == 1)] if places else []
            items.append(
                ListItem(
                    key=item.key,
                    id=f"ref-{page.slug}-{number}",
                    html=self.formatter.format(item).html,
                    number=number,
                    backrefs=backrefs,
                )
            )
        return render_list(page.slug, items)

    def bibliography(self, src: str, uncited: bool = False) -> Markup:
        here = self.page(src)
        items = []
        for key in self.numbering.keys_in_order():
            item = self.bib.get(key)
            assert item is not None
            number = self._site_number(key)
            by_page = []
            for page in self.pages:
                base = relative_url(page.info.url, here.info.url)
                places = [(f"{base}#cite-{page.slug}-{call.index}", call.loc) for call in self._calls_citing(page, key)]
                if places:
                    by_page.append((page.title, places))
            lone = len(by_page) == 1 and len(by_page[0][1]) == 1
            backrefs = [backref_group(title, places, lone) for title, places in by_page]
            items.append(
                ListItem(
                    key=item.key,
                    id=f"ref-{here.slug}-{number}",
                    html=self.formatter.format(item).html,
                    number=number,
                    backrefs=backrefs,
                )
            )
        extra = []
        if uncited:
            for entry in self.bib.entries.values():
                if entry.key.lower() in self.numbering.site:
                    continue
                extra.append(
                    ListItem(
                        key=entry.key,
                        id=f"ref-{here.slug}-uncited-{slugify(entry.key)}",
                        html=self.formatter.format(entry).html,
                    )
                )
            self.problems.extend(self.formatter.problems)
        return render_list(here.slug, items, extra)

    @staticmethod
    def _calls_citing(page: PageScan, key: str) -> list:  # type: ignore[type-arg]
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
