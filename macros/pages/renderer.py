"""One page's citations rendered: its markers, its lists, its citations kept in step.

A ``PageRenderer`` is made for each page as it is rendered. It owns what is
the page's alone (the page's scan, how many markers it has rendered, whether
it was reported out of step) and reads everything else from the build's
``CitationIndex``; the problems it finds go to the index's ``problems``.

Only the engine's own syntax is replaced, each piece where it is written;
every other byte of the page reaches Markdown and the other plugins as it
came. No Jinja runs here. No MkDocs imports here.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

from ..bib.reader import BibEntry
from ..csl.formatter import CiteRequest
from ..csl.render import render_author_date_marker
from ..html.in_text import in_text_name
from ..html.markers import (
    BackRefGroup,
    ListItem,
    MarkerPart,
    backref_group,
    markdown_text,
    relative_url,
    render_list,
    render_marker,
)
from .citation_syntax import Found, Heading, render, scan_syntax
from .index import CitationIndex
from .numbering import compress
from .scan import body_digest, resolve, slugify
from .titles import is_list_heading


class PageRenderer:
    """The citations of one page, rendered against the build's index."""

    def __init__(self, index: CitationIndex, src: str) -> None:
        self.index = index
        self.page = index.page(src)
        self.src = src
        self.rendered = 0  # markers rendered so far: the next one's id is cite-SLUG-(rendered + 1)
        self.out_of_step = False  # reported once per page

    def render(self, markdown: str, wrap: Callable[[str], str] = str) -> str:
        """The page's Markdown with its citations and lists in place, and a list added where one is missing.

        ``wrap`` turns the engine's HTML into what goes into the Markdown (the
        plugin hands it to Markdown's raw-HTML stash). When another plugin
        (mkdocs-macros) changed the page before, its Markdown is scanned again.
        """
        page, site = self.page, self.index
        if not page.readable:
            return markdown  # its front matter is broken (reported): MkDocs shows it as text, and so does the engine
        if page.body_digest and body_digest(markdown) == page.body_digest:
            found, headings = page.found, page.headings
        else:
            fresh = scan_syntax(
                markdown,
                None,
                placeholders=site.syntax.placeholders(),
                in_text=site.syntax.in_text,
                pandoc=site.syntax.pandoc,
                calls=page.renders_macros,
            )
            found, headings = resolve(fresh.found, site.spelled), fresh.headings
        lists_done: set[int] = set()

        def replace(item: Found) -> str:
            if item.kind == "cite":
                return self._citation(item, wrap)
            if item.kind == "references":
                if not item.valid or lists_done:
                    return ""  # a second list (reported)
                lists_done.add(item.start)
                return wrap(str(self.references()))
            return wrap(str(self.bibliography(uncited=item.uncited)))

        pieces = list(found)
        insert_at: int | None = None
        if site.needs_auto_references(page):
            insert_at = self._list_heading_end(markdown, headings)
            if insert_at is not None:
                pieces.append(Found("references", insert_at, insert_at, 0, "auto"))
                pieces.sort(key=lambda f: f.start)
        out = render(markdown, pieces, replace)
        self.end()
        if site.needs_auto_references(page) and insert_at is None:
            title = markdown_text(page.references_title or site.list_title)
            out = f"{out.rstrip()}\n\n## {title}\n\n{wrap(str(self.references()))}"
        return out

    def _list_heading_end(self, markdown: str, headings: list[Heading]) -> int | None:
        """Where the list goes under a heading the page already has for it (the end of its section), else None."""
        title = self.page.references_title or self.index.list_title
        for position, heading in enumerate(headings):
            if heading.level >= 2 and is_list_heading(heading.text, title):
                following = next((h for h in headings[position + 1 :] if h.level <= heading.level), None)
                return following.start if following is not None else len(markdown)
        return None

    def _citation(self, item: Found, wrap: Callable[[str], str]) -> str:
        keys = item.keys if item.valid else ()
        locs = tuple(i.loc for i in item.items) if item.valid else ()
        if self.index.author_date is not None:  # the style writes the names: 'Kang et al. (2013a)'
            return wrap(str(self.marker(keys, locs=locs, narrative=item.author)))
        marker = self.marker(keys, locs=locs)
        if not item.author or not keys:
            return wrap(str(marker))
        entry = self.index.bib.get(keys[0])
        name = in_text_name(entry.entry, entry.key) if entry is not None else keys[0]
        return wrap(str(escape(name) + marker))

    def needs_auto_references(self) -> bool:
        return self.index.needs_auto_references(self.page)

    def end(self) -> None:
        """Call after rendering the page: every citation written must have been rendered once."""
        page = self.page
        if self.rendered < len(page.cites):
            self._report_out_of_step(page.cites[self.rendered].line)

    def _report_out_of_step(self, line: int) -> None:
        if self.out_of_step:
            return
        self.out_of_step = True
        self.index.problems.error(
            self.page.info.path,
            line,
            "this citation is rendered more or fewer times than it is written "
            "(inside an {% if %} that is false, an included file or a macro of another plugin?), so its "
            "back-links would be wrong (write each citation out in the text)",
            kind="page.out-of-step",
        )

    def _check_step(self, index: int, keys: tuple[str, ...]) -> None:
        """The index-th marker rendered must be the index-th citation written."""
        page = self.page
        if not page.info.abs_path:
            return
        if index > len(page.cites):
            line = page.cites[-1].line if page.cites else 0
            self._report_out_of_step(line)
            return
        written = page.cites[index - 1]
        rendered = tuple(k.lower() for k in keys)
        if written.keys and tuple(k.lower() for k in written.keys) != rendered:
            # rendered again (a loop, a macro)? the earlier citation it repeats is the one to name
            again = next(
                (c for c in reversed(page.cites[: index - 1]) if tuple(k.lower() for k in c.keys) == rendered), None
            )
            self._report_out_of_step(again.line if again is not None else written.line)

    def marker(
        self,
        keys: tuple[str, ...],
        loc: str | None = None,
        locs: tuple[str | None, ...] = (),
        narrative: bool = False,
    ) -> Markup:
        """A marker for ``keys``: numbers, or with an author-date style '(Kang et al., 2013a)'.

        ``locs``: each key's pinpoint (``loc``: the one of a single key).
        ``narrative``: an in-text citation, 'Kang et al. (2013a)' (author-date
        styles; a numbered style shows its number as usual).
        """
        page, src, site = self.page, self.src, self.index
        self.rendered = index = self.rendered + 1
        self._check_step(index, keys)
        by_key = dict(zip((k.lower() for k in keys), locs, strict=False))
        if loc is not None and len(keys) == 1:
            by_key[keys[0].lower()] = loc
        if site.author_date is not None:
            return self._author_date_marker(index, keys, by_key, narrative)
        numbers: dict[int, str] = {}
        broken = not keys
        for key in keys:
            if key not in site.bib:
                broken = True
                continue
            if key.lower() not in site.numbering.pages.get(src, {}):
                # Only a citation the scan could not see (written by another
                # plugin's macro) gets here; it is numbered now, after the others.
                site.numbering.see(src, key)
            numbers.setdefault(site.numbering.number(src, key), key)
        single = len(numbers) == 1
        pinned = {n for n, k in numbers.items() if by_key.get(k.lower())}
        parts: list[MarkerPart] = []
        plain = [n for n in numbers if n not in pinned]
        runs = compress(plain) + [(n, n) for n in pinned]
        for first, last in sorted(runs):
            ends = (first,) if first == last else (first, last)
            for position, number in enumerate(ends):
                item = site.bib.get(numbers[number])
                assert item is not None
                own = by_key.get(numbers[number].lower())
                parts.append(
                    MarkerPart(
                        number=str(number),
                        href=site.target(page, item.key),
                        title=site.format(item).text,
                        sep="" if not parts else ("\u2013" if position else ","),
                        loc=None if single else own,
                    )
                )
        if broken:
            parts.append(MarkerPart(number="?", href=None, title="", sep="," if parts else ""))
        whole = next(iter(by_key.values()), None) if single and numbers else None
        return render_marker(
            marker_id=f"cite-{page.slug}-{index}",
            keys=list(keys),
            parts=parts,
            loc=whole,
            brackets=site.brackets,
            broken=broken,
        )

    def _author_date_marker(
        self, index: int, keys: tuple[str, ...], locs: dict[str, str | None], narrative: bool
    ) -> Markup:
        """'(Kang et al., 2013a, p. 304; Moore & Dalley, 1999)': the style's text, one link per source.

        Each source carries its own pinpoint; the numbers stay behind the scenes, in the ids.
        """
        page, src, site = self.page, self.src, self.index
        formatter = site.author_date
        assert formatter is not None
        known: list[BibEntry] = []
        for key in keys:
            if key in site.bib:
                if key.lower() not in site.numbering.pages.get(src, {}):
                    site.numbering.see(src, key)  # a cite() the scan could not see
                item = site.bib.get(key)
                assert item is not None
                if all(other.key != item.key for other in known):
                    known.append(item)
        requests = [CiteRequest(item, locs.get(item.key.lower()) or "") for item in known]
        links = {item.key.lower(): (site.target(page, item.key), formatter.format(item).text) for item in known}
        if narrative and len(requests) == 1:
            parts = formatter.citation_parts(requests, narrative=True)
        else:
            parts = formatter.citation_parts(requests)
        return render_author_date_marker(
            marker_id=f"cite-{page.slug}-{index}",
            keys=list(keys),
            citation=parts,
            links=links,
            narrative=narrative and len(requests) == 1,
            broken=len(known) < len(keys) or not keys,
        )

    def _ordered_keys(self, keys: list[str]) -> list[str]:
        """An author-date style's list order (its sort), else the numbers'."""
        formatter, bib = self.index.author_date, self.index.bib
        if formatter is None:
            return keys
        items = [item for key in keys if (item := bib.get(key)) is not None]
        return [item.key.lower() for item in formatter.ordered(items)]

    def references(self) -> Markup:
        page, src, site = self.page, self.src, self.index
        items = []
        for key in self._ordered_keys(list(site.numbering.page_keys(src))):
            number = site.numbering.number(src, key)
            calls = site.calls_citing(page, key)
            places = [(f"#cite-{page.slug}-{call.index}", call.loc_of(key)) for call in calls]
            backrefs = [backref_group(None, places, lone=len(places) == 1)] if places else []
            items.append(self._list_item(key, number, backrefs))
        return render_list(page.slug, items, author_date=site.author_date is not None)

    def _list_item(self, key: str, number: int, backrefs: list[BackRefGroup]) -> ListItem:
        """One entry of this page's list (references() or bibliography()), its id made on this page."""
        item = self.index.bib.get(key)
        assert item is not None
        return ListItem(
            key=item.key,
            id=f"ref-{self.page.slug}-{number}",
            html=self.index.format(item).html,
            number=number,
            backrefs=backrefs,
        )

    def bibliography(self, uncited: bool = False) -> Markup:
        here, site = self.page, self.index
        items = []
        for key in self._ordered_keys(list(site.numbering.keys_in_order())):
            number = site.site_number(key)
            by_page = []
            for page in site.pages:
                base = relative_url(page.info.url, here.info.url)
                places = [
                    (f"{base}#cite-{page.slug}-{call.index}", call.loc_of(key)) for call in site.calls_citing(page, key)
                ]
                if places:
                    by_page.append((page.title, places))
            lone = len(by_page) == 1 and len(by_page[0][1]) == 1
            backrefs = [backref_group(title, places, lone) for title, places in by_page]
            items.append(self._list_item(key, number, backrefs))
        extra = []
        if uncited:
            for entry in site.bib.entries.values():
                if entry.key.lower() in site.numbering.site:
                    continue
                extra.append(
                    ListItem(
                        key=entry.key,
                        id=f"ref-{here.slug}-uncited-{slugify(entry.key)}",
                        html=site.format(entry).html,
                    )
                )
            site.problems.extend(site.formatter_problems())
        return render_list(here.slug, items, extra, author_date=site.author_date is not None)
