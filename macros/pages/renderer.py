"""One page's citations rendered: its markers, its lists, its calls kept in step.

A ``PageRenderer`` is made for each page as it is rendered. It owns what is
the page's alone (the page's scan, how many markers it has rendered, whether
it was reported out of step) and reads everything else from the build's
``CitationIndex``; the problems it finds go to the index's ``problems``.
No MkDocs imports here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from markupsafe import Markup

from ..html.markers import ListItem, MarkerPart, backref_group, relative_url, render_list, render_marker
from .index import CitationIndex
from .numbering import compress
from .scan import body_digest, slugify
from .templating import TEMPLATE_NAME, error_line, protect_code, restore_code

# What a page whose Jinja cannot be rendered shows above its Markdown, as
# written (the build fails). Its headings stay, so links to them are not
# reported as broken on top of the real problem.
NOT_RENDERED = "This page was not rendered: its Jinja has errors, listed in the build log."


def _not_rendered(markdown: str) -> str:
    return f"{NOT_RENDERED}\n\n{markdown}"


class PageRenderer:
    """The citation macros of one page, rendered against the build's index."""

    def __init__(self, index: CitationIndex, src: str) -> None:
        self.index = index
        self.page = index.page(src)
        self.src = src
        self.rendered = 0  # markers rendered so far: the next one's id is cite-SLUG-(rendered + 1)
        self.out_of_step = False  # reported once per page

    def render(
        self,
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
        page = self.page
        if not page.renders_macros:
            return markdown
        if not page.renderable:
            return _not_rendered(markdown)  # the reason is reported with its line; the build fails

        def cite(*keys: object, loc: object = None, **unknown: object) -> str:
            good = tuple(k for k in keys if isinstance(k, str))
            if len(good) != len(keys) or unknown:
                good = ()  # already reported, with its line, when the pages were scanned
            return wrap(str(self.marker(good, None if loc is None else str(loc))))

        def references() -> str:
            return wrap(str(self.references()))

        def bibliography(uncited: object = False) -> str:
            return wrap(str(self.bibliography(uncited=bool(uncited))))

        macros: dict[str, Callable[..., str]] = {"cite": cite, "references": references, "bibliography": bibliography}
        plan = self.plan(markdown)
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
                env = self.index.env
                code = env.compile(protected, filename=TEMPLATE_NAME)
                template = env.template_class.from_code(env, code, env.make_globals(None))
                out = restore_code(template.render({**variables, **macros}), codes)
            except Exception as error:  # noqa: BLE001 - any failure of a page's Jinja is the page's problem
                line = error_line(error)
                line = line + page.line_offset if line else 0
                message = getattr(error, "message", None) or str(error) or type(error).__name__
                self.index.problems.error(
                    page.info.path, line, f"the page's Jinja could not be rendered: {message}", kind="page.jinja-render"
                )
                return _not_rendered(markdown)
        self.end()
        if self.needs_auto_references():
            out = f"{out.rstrip()}\n\n## {self.index.options.references_title}\n\n{wrap(str(self.references()))}"
        return out

    def plan(self, markdown: str) -> list[str | list[object]] | None:
        """The page's plan (scan.direct_plan) if ``markdown`` is the text it was made from."""
        if self.page.plan is None or body_digest(markdown) != self.page.body_digest:
            return None
        return self.page.plan

    def needs_auto_references(self) -> bool:
        return self.index.needs_auto_references(self.page)

    def end(self) -> None:
        """Call after rendering the page: every cite() written must have been rendered once."""
        page = self.page
        if self.rendered < len(page.cites) and page.renderable:
            self._report_out_of_step(page.cites[self.rendered].line)

    def _report_out_of_step(self, line: int) -> None:
        if self.out_of_step:
            return
        self.out_of_step = True
        self.index.problems.error(
            self.page.info.path,
            line,
            "this cite() is rendered more or fewer times than it is written "
            "(inside an {% if %} that is false, an included file or a macro?), so its "
            "back-links would be wrong (write each citation out in the text)",
            kind="page.out-of-step",
        )

    def _check_step(self, index: int, keys: tuple[str, ...]) -> None:
        """The index-th marker rendered must be the index-th cite() written."""
        page = self.page
        if not page.renderable or not page.info.abs_path:
            return
        if index > len(page.cites):
            line = page.cites[-1].line if page.cites else 0
            self._report_out_of_step(line)
            return
        written = page.cites[index - 1]
        if written.keys and tuple(k.lower() for k in written.keys) != tuple(k.lower() for k in keys):
            self._report_out_of_step(written.line)

    def marker(self, keys: tuple[str, ...], loc: str | None = None) -> Markup:
        page, src, site = self.page, self.src, self.index
        self.rendered = index = self.rendered + 1
        self._check_step(index, keys)
        numbers: dict[int, str] = {}
        broken = not keys
        for key in keys:
            if key not in site.bib:
                broken = True
                continue
            if key.lower() not in site.numbering.pages.get(src, {}):
                # Only a cite() the scan could not see (computed in a loop or
                # a macro) gets here; it is numbered now, after the others.
                site.numbering.see(src, key)
            numbers.setdefault(site.numbering.number(src, key), key)
        parts: list[MarkerPart] = []
        for first, last in compress(numbers):
            ends = (first,) if first == last else (first, last)
            for position, number in enumerate(ends):
                item = site.bib.get(numbers[number])
                assert item is not None
                parts.append(
                    MarkerPart(
                        number=str(number),
                        href=site.target(page, item.key),
                        title=site.formatter.format(item).text,
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
            brackets=site.options.marker == "brackets",
            broken=broken,
        )

    def references(self) -> Markup:
        page, src, site = self.page, self.src, self.index
        items = []
        for key in site.numbering.page_keys(src):
            item = site.bib.get(key)
            assert item is not None
            number = site.numbering.number(src, key)
            calls = site.calls_citing(page, key)
            places = [(f"#cite-{page.slug}-{call.index}", call.loc) for call in calls]
            backrefs = [backref_group(None, places, lone=len(places) == 1)] if places else []
            items.append(
                ListItem(
                    key=item.key,
                    id=f"ref-{page.slug}-{number}",
                    html=site.formatter.format(item).html,
                    number=number,
                    backrefs=backrefs,
                )
            )
        return render_list(page.slug, items)

    def bibliography(self, uncited: bool = False) -> Markup:
        here, site = self.page, self.index
        items = []
        for key in site.numbering.keys_in_order():
            item = site.bib.get(key)
            assert item is not None
            number = site.site_number(key)
            by_page = []
            for page in site.pages:
                base = relative_url(page.info.url, here.info.url)
                places = [(f"{base}#cite-{page.slug}-{call.index}", call.loc) for call in site.calls_citing(page, key)]
                if places:
                    by_page.append((page.title, places))
            lone = len(by_page) == 1 and len(by_page[0][1]) == 1
            backrefs = [backref_group(title, places, lone) for title, places in by_page]
            items.append(
                ListItem(
                    key=item.key,
                    id=f"ref-{here.slug}-{number}",
                    html=site.formatter.format(item).html,
                    number=number,
                    backrefs=backrefs,
                )
            )
        extra = []
        if uncited:
            for entry in site.bib.entries.values():
                if entry.key.lower() in site.numbering.site:
                    continue
                extra.append(
                    ListItem(
                        key=entry.key,
                        id=f"ref-{here.slug}-uncited-{slugify(entry.key)}",
                        html=site.formatter.format(entry).html,
                    )
                )
            site.problems.extend(site.formatter.problems)
        return render_list(here.slug, items, extra)
