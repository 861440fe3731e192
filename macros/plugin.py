"""The ``citations`` MkDocs plugin: connects the citation engine to a build.

Everything MkDocs-specific is here and in ``config.py``; the engine itself
(``bib/``, ``styles/``, ``html/``, ``pages/``) imports no MkDocs, and runs
the same under ProperDocs.

The events, in the order MkDocs calls them:

- ``load_config``: the plugin's options, every problem with its mkdocs.yml line;
- ``on_config``: stop on bad options; add the Markdown extension that takes
  the engine's HTML into Markdown's raw-HTML stash (``html/stash.py``);
- ``on_nav``: scan every page in reading order, before any page renders, so
  numbers are the same on every page; report the .bib's problems;
- ``on_page_read_source``: a page MkDocs cannot read (not UTF-8, a named pipe):
  the text the engine read instead, its problem already reported;
- ``on_page_markdown``: replace the page's citations and lists, and nothing else;
- ``on_post_build``: keep the caches, fail the build if anything was an error;
- ``on_serve``: rebuild when the .bib or the engine changes.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from typing import Any, ClassVar

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files, get_files
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page

from .bib.load import BibMemo
from .config import CitationsConfig, display_name, load_options, moved_options
from .html.stash import HtmlTokens
from .messages import PageMessages
from .options import Options
from .pages.index import CitationIndex, bib_paths
from .pages.renderer import PageRenderer
from .pages.scan import PageInfo
from .problems import Problem, Problems

log = logging.getLogger("mkdocs.plugins.citations")
# The engine's import name: mkdocs_citations when installed, macros in this repository's checkout.
COMMAND = __name__.split(".")[0]


def report(problems: list[Problem]) -> None:
    """Log problems as MkDocs does: errors, then warnings (which --strict counts); notes at INFO."""
    levels = {"error": log.error, "warning": log.warning, "info": log.info}
    for problem in sorted(problems, key=lambda p: (p.path, p.line)):
        levels.get(problem.severity, log.warning)(str(problem))


def project_dir(config: MkDocsConfig) -> str:
    return os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))


def theme_language(config: MkDocsConfig) -> str:
    """The site's language: Material's ``theme.language``, MkDocs' own themes' ``theme.locale``."""
    theme = config.theme
    for name in ("language", "locale"):
        value = theme.get(name) if hasattr(theme, "get") else None
        if value:
            return str(value)
    return "en"


def _call_text(name: str, args: tuple[object, ...], kwargs: dict[str, object]) -> str:
    """The call as the page wrote it, for the scan to read after mkdocs-macros rendered the page."""

    def literal(value: object) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
        if isinstance(value, (bool, type(None), int, float)):
            return repr(value)
        return json.dumps(str(value), ensure_ascii=False)

    written = [literal(a) for a in args] + [f"{k}={literal(v)}" for k, v in kwargs.items()]
    return "{{ " + f"{name}({', '.join(written)})" + " }}"


def share_calls_with_macros(config: MkDocsConfig) -> None:
    """With mkdocs-macros before this plugin, its Jinja sees cite() and the others first.

    They are given to it as macros that write the call back as it was
    written, so that this plugin finds it where it was, in either order.
    """
    macros = config.plugins.get("macros")
    register = getattr(macros, "register_macros", None)
    if register is None:
        return

    def passing(name: str) -> Any:
        def call(*args: object, **kwargs: object) -> str:
            return _call_text(name, args, kwargs)

        call.__name__ = name
        return call

    try:
        register({name: passing(name) for name in ("cite", "references", "bibliography")})
    except Exception:  # noqa: BLE001 - the site's own macro of that name wins, as mkdocs-macros decides
        log.debug("mkdocs-macros already has a macro named cite, references or bibliography")


def reading_order(nav: Navigation, files: Files, root: str) -> list[PageInfo]:
    """Pages in the order a reader meets them: the nav, then pages not in it."""
    pages = list(nav.pages)
    in_nav = {page.file.src_uri for page in pages}
    rest = sorted(
        (f.page for f in files.documentation_pages() if f.src_uri not in in_nav and f.page is not None),
        key=lambda page: page.file.src_uri,
    )
    infos = []
    for page in pages + rest:
        abs_path = page.file.abs_src_path or ""
        infos.append(
            PageInfo(
                src=page.file.src_uri,
                abs_path=abs_path,
                path=os.path.relpath(abs_path, root).replace(os.sep, "/"),
                url=page.url,
                title=page.title if page in pages and page.title else None,
            )
        )
    return infos


class CitationsPlugin(BasePlugin[CitationsConfig]):  # type: ignore[no-untyped-call]
    """Numbered citations from a .bib file: ``{{ cite("key") }}``, ``{{ references() }}``, ``{{ bibliography() }}``."""

    supports_multiple_instances = False

    # The .bib files parsed in this process: ``mkdocs serve`` loads the
    # configuration (and makes a new plugin) for every rebuild, and an
    # unchanged .bib is not parsed again.
    bib_memo: ClassVar[BibMemo] = {}

    def __init__(self) -> None:
        self.options = Options()
        self.option_problems = Problems()
        self.site: CitationIndex | None = None
        self.tokens = HtmlTokens()
        self._reported = 0
        self._messages: PageMessages | None = None

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[list[tuple[str, Exception]], list[tuple[str, str]]]:
        # MkDocs would report each bad option without its line and stop at
        # an unknown one only under --strict; on_config reports them all.
        self.config, self.options, self.option_problems = load_options(options, config_file_path)
        return [], []

    # -- the build ---------------------------------------------------------------

    def config_problems(self, config: MkDocsConfig) -> Problems:
        """What is wrong with the plugin's options, and an ``extra.citations`` left over."""
        problems = Problems(list(self.option_problems))
        problems.extend(moved_options(config.extra, config.config_file_path))
        return problems

    def citation_index(
        self, config: MkDocsConfig, nav: Navigation, files: Files, use_cache: bool = True
    ) -> CitationIndex:
        """The citation index of this site: every page scanned in reading order."""
        root = project_dir(config)
        return CitationIndex(
            dataclasses.replace(self.options, language=theme_language(config)),
            root,
            reading_order(nav, files, root),
            use_cache=use_cache,
            bib_memo=self.bib_memo,
        )

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        problems = self.config_problems(config)
        report(list(problems))
        if problems.errors:
            raise PluginError("the citations plugin's options in mkdocs.yml are not valid (see above)")
        self.site = None
        self._reported = 0
        self.tokens = HtmlTokens()
        config.markdown_extensions.append(self.tokens.extension())
        share_calls_with_macros(config)
        self._stop_messages()
        self._messages = PageMessages(project_dir(config), config.docs_dir, config.config_file_path or "mkdocs.yml")
        self._messages.install()
        return config

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.site = self.citation_index(config, nav, files)
        self.site.validate()
        self._flush()
        return nav

    def on_page_read_source(self, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """The text the engine read of a page MkDocs cannot read itself (not UTF-8, NUL bytes,
        not a regular file, unreadable): its problem is reported once, with its line, and
        MkDocs neither stops with a traceback nor waits on a named pipe."""
        if self.site is None:
            return None
        return self.site.replaced_sources.get(page.file.src_uri)

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        site = self._site()
        src = page.file.src_uri
        self._check_tokens(src)
        out = PageRenderer(site, src).render(markdown, wrap=self.tokens.token)
        self._flush()
        return out

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._stop_messages()
        if self.site is None:
            return
        self._check_tokens("")
        self.site.finish()
        self._flush()
        errors = self.site.problems.errors
        if errors:
            raise PluginError(
                f"{len(errors)} citation error{'s' if len(errors) != 1 else ''} (listed above); "
                f"fix them, or run `python -m {COMMAND} check` to list them without building"
            )

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        # MkDocs watches the pages; the .bib files are watched here. Python code
        # (the HTML of markers and lists included) is not reloaded by a
        # rebuild: after editing macros/*.py, restart serve.
        for path in bib_paths(self.options):
            server.watch(os.path.join(project_dir(config), path))
        return server

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_messages()

    # -- helpers -----------------------------------------------------------------

    def _stop_messages(self) -> None:
        if self._messages is not None:
            self._messages.remove()
            self._messages = None

    def _site(self) -> CitationIndex:
        if self.site is None:
            raise PluginError("the citations plugin saw a page before the navigation (please report this)")
        return self.site

    def _flush(self) -> None:
        """Log the problems found since the last call."""
        site = self._site()
        report(site.problems.items[self._reported :])
        self._reported = len(site.problems)

    def _check_tokens(self, src: str) -> None:
        """Begin a page's HTML tokens ("" after the last page), reporting a page whose HTML got lost."""
        lost = self.tokens.start(src)
        if lost is not None:
            self._site().problems.error(
                self._site().page(lost).info.path,
                0,
                "citation HTML written for this page never reached Markdown (a plugin after 'citations' "
                "in mkdocs.yml replaced the page's Markdown); list 'citations' after it, and please report it",
                kind="page.html-lost",
            )


def check_project(config_file: str) -> Problems:
    """Every problem of a project's citations, as ``python -m macros check`` lists them (nothing is built)."""
    problems = Problems()
    try:
        config = load_config(config_file)
    except ConfigurationError as error:
        problems.error(
            display_name(config_file), 0, f"mkdocs.yml is not valid: {error}", kind="config.invalid-mkdocs-yml"
        )
        return problems
    plugin = config.plugins.get("citations")
    # MkDocs loads the plugin as mkdocs_citations; `python -m macros check` in this
    # repository runs the same code as macros: the class is the same by name, not by identity.
    if type(plugin).__name__ != CitationsPlugin.__name__ or not hasattr(plugin, "citation_index"):
        problems.error(
            display_name(config_file),
            0,
            "the citations plugin is not enabled: add '- citations' under 'plugins:' (see macros/README.md)",
            kind="config.plugin-not-enabled",
        )
        return problems
    assert isinstance(plugin, BasePlugin)
    problems.extend(plugin.config_problems(config))  # type: ignore[attr-defined]
    if problems.errors:
        return problems
    files = get_files(config)
    # use_cache=False: always the full validation, whatever the last build saw
    site = plugin.citation_index(config, get_navigation(files, config), files, use_cache=False)  # type: ignore[attr-defined]
    problems.extend(site.validate(all_entries=True))  # the site's problems: each added once
    return problems
