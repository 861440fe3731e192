"""mkdocs-macros adapter: connects the citation engine to MkDocs.

Everything MkDocs-specific is here (and in ``config.py`` and ``check.py``);
the engine itself (``site``, ``bibfile``, ``scan``, ``numbering``,
``formatting``, ``render``, ``styles``) imports no MkDocs and can serve
another site generator.

Registered macros: ``cite()``, ``references()``, ``bibliography()`` and
``howto_jsonld()``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from .problems import Problems
from .scan import PageInfo
from .site import CitationSite, Options
from .stash import HtmlTokens

log = logging.getLogger("mkdocs.plugins.citations")


def _report(problems: Problems) -> None:
    for problem in sorted(problems, key=lambda p: (p.path, p.line)):
        (log.error if problem.severity == "error" else log.warning)(str(problem))


class _Build:
    """The state of one build (``mkdocs serve`` makes a new one per rebuild)."""

    def __init__(self, env: Any, options: Options) -> None:
        self.env = env
        self.options = options
        self.project_dir = os.path.dirname(os.path.abspath(env.conf.config_file_path or "mkdocs.yml"))
        self._site: CitationSite | None = None
        self.reported = 0
        # Direct rendering (see on_pre_page_macros); CITATIONS_DIRECT=0 turns it off.
        self.tokens: HtmlTokens | None = None if os.environ.get("CITATIONS_DIRECT") == "0" else HtmlTokens()
        self.macros: dict[str, Callable[..., Markup]] = {}
        self._macros_are_ours: bool | None = None
        self.direct = False  # the page being rendered is rendered from its plan

    @property
    def site(self) -> CitationSite:
        if self._site is None:
            self._site = CitationSite(
                self.options,
                self.project_dir,
                reading_order(self.env.variables["navigation"], self.env.variables["files"], self.project_dir),
                jinja_env=self.env.env,
                render_by_default=self.env.config["render_by_default"],
                known_names=self.known_names(),
            )
            self._site.validate()
            self.flush()
        return self._site

    def known_names(self) -> set[str] | None:
        """What a page can read, when reading anything else stops the build."""
        if self.env.config.get("on_undefined") != "strict":
            return None
        return {"page", "navigation", "files", *self.env.variables, *self.env.env.globals}

    def flush(self) -> None:
        """Log the problems found since the last call."""
        assert self._site is not None
        new = Problems(self._site.problems.items[self.reported :])
        self.reported = len(self._site.problems)
        _report(new)

    def src(self) -> str:
        return str(self.env.page.file.src_uri)

    def macros_are_ours(self) -> bool:
        """cite, references and bibliography name this module's macros on every page."""
        if self._macros_are_ours is None:
            self._macros_are_ours = all(
                self.env.env.globals.get(name) is function and name not in self.env.variables
                for name, function in self.macros.items()
            )
        return self._macros_are_ours

    def render_directly(self) -> bool:
        """Render the current page from its plan, if it has one: no Jinja needed.

        The page's Markdown then holds tokens where the HTML goes, and
        mkdocs-macros is told to leave the page alone, with the
        ``render_macros: false`` it reads from the page's metadata.
        """
        env = self.env
        if self.tokens is None or "render_macros" in env.page.meta:
            return False
        title = getattr(env.page, "title", None)
        if isinstance(title, str) and env.has_j2(title):
            return False  # mkdocs-macros renders such a title only while it renders the page
        plan = self.site.plan(self.src(), env.markdown)
        if plan is None or not self.macros_are_ours():
            return False
        parts = []
        for item in plan:
            if isinstance(item, str):
                parts.append(item)
            else:
                name, args, kwargs = item
                assert isinstance(name, str) and isinstance(args, list) and isinstance(kwargs, dict)
                parts.append(self.tokens.token(str(self.macros[name](*args, **kwargs))))
        env.markdown = "".join(parts)
        env.page.meta["render_macros"] = False
        log.debug("%s: rendered from its plan, without Jinja", self.site.page(self.src()).info.path)
        return True

    def html(self, html: Markup) -> str:
        """HTML for the current page's Markdown: a token on a page rendered directly."""
        return self.tokens.token(str(html)) if self.direct and self.tokens is not None else str(html)

    def start_page(self, src: str) -> None:
        """Begin a page's tokens ("" after the last page), reporting the previous page's lost ones."""
        if self.tokens is None:
            return
        lost = self.tokens.start(src)
        if lost is None:
            return
        page = self.site.page(lost)
        self.site.problems.error(
            page.info.path,
            0,
            "citation HTML written for this page never reached Markdown (another plugin changed the "
            "page's Markdown after mkdocs-macros); build with CITATIONS_DIRECT=0 to render citations "
            "through Jinja instead, and please report it",
        )


def reading_order(nav: Any, files: Any, project_dir: str) -> list[PageInfo]:
    """Pages in the order a reader meets them: the nav, then pages not in it."""
    pages = list(nav.pages)
    in_nav = {page.file.src_uri for page in pages}
    rest = sorted(
        (f.page for f in files.documentation_pages() if f.src_uri not in in_nav and f.page is not None),
        key=lambda page: page.file.src_uri,
    )
    infos = []
    for page in pages + rest:
        abs_path = page.file.abs_src_path
        infos.append(
            PageInfo(
                src=page.file.src_uri,
                abs_path=abs_path,
                path=os.path.relpath(abs_path, project_dir).replace(os.sep, "/"),
                url=page.url,
                title=page.title if page in pages and page.title else None,
            )
        )
    return infos


_build: _Build | None = None


def define_env(env: Any) -> None:
    """Read ``extra.citations`` and register the citation macros."""
    global _build
    from mkdocs.exceptions import PluginError

    from .config import load_options

    options, problems = load_options(env.conf.get("extra"), env.conf.config_file_path or "mkdocs.yml")
    if problems.errors:
        _report(problems)
        raise PluginError("the citation settings in mkdocs.yml are not valid (see above)")
    _build = build = _Build(env, options)
    if build.tokens is not None:
        env.conf["markdown_extensions"].append(build.tokens.extension())

    @env.macro
    def cite(*keys: object, loc: object = None, **unknown: object) -> Markup:
        """A numbered citation marker: cite("kang2013"), cite("a", "b"), cite("moore1999", loc="467–474")."""
        good = tuple(k for k in keys if isinstance(k, str))
        if len(good) != len(keys) or unknown:
            good = ()  # already reported, with its line, when the pages were scanned
        return build.site.marker(build.src(), good, None if loc is None else str(loc))

    @env.macro
    def references() -> Markup:
        """The list of the references cited on this page."""
        return build.site.references(build.src())

    @env.macro
    def bibliography(uncited: bool = False) -> Markup:
        """Every reference cited on the site, with links back to each citation."""
        html = build.site.bibliography(build.src(), uncited=bool(uncited))
        build.flush()
        return html

    build.macros = {"cite": cite, "references": references, "bibliography": bibliography}

    @env.macro
    def howto_jsonld() -> Markup:
        """schema.org HowTo JSON-LD built from this page's `howto` front matter."""
        from .howto import howto_jsonld as make

        howto = env.page.meta.get("howto")
        if not isinstance(howto, dict):
            log.error(
                "%s: howto_jsonld() needs a 'howto' mapping in the page's front matter",
                env.page.file.src_uri,
            )
            return Markup("")
        site_url = env.conf.get("site_url") or ""
        return make(howto, url=(site_url + env.page.url) if site_url else None)


# What a page whose Jinja cannot be rendered shows instead (the build fails).
NOT_RENDERED = "This page was not rendered: its Jinja has errors, listed in the build log."


def on_pre_page_macros(env: Any) -> None:
    assert _build is not None
    _build.start_page(_build.src())
    _build.site.begin_page(_build.src())
    _build.direct = False
    if not _build.site.renderable(_build.src()):
        # mkdocs-macros would stop the build with a traceback; the error is
        # already reported with its line, and on_post_build fails the build.
        env.markdown = NOT_RENDERED
        return
    _build.direct = _build.render_directly()


def on_post_page_macros(env: Any) -> None:
    assert _build is not None
    site, src = _build.site, _build.src()
    if _build.direct:
        env.page.meta.pop("render_macros", None)
    site.end_page(src)
    _build.flush()
    if site.needs_auto_references(src):
        title = site.options.references_title
        env.markdown = f"{env.markdown.rstrip()}\n\n## {title}\n\n{_build.html(site.references(src))}"


def on_post_build(env: Any) -> None:
    from mkdocs.exceptions import PluginError

    if _build is None or _build._site is None:
        return
    _build.start_page("")
    _build.flush()
    _build._site.finish()
    errors = _build._site.problems.errors
    if errors:
        raise PluginError(
            f"{len(errors)} citation error{'s' if len(errors) != 1 else ''} (listed above); "
            "fix them, or run `python -m macros check` to list them without building"
        )
