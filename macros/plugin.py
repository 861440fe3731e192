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
- ``on_page_markdown``: render the page's citation macros (and any other Jinja);
- ``on_post_build``: keep the caches, fail the build if anything was an error;
- ``on_serve``: rebuild when the .bib or the engine changes.
"""

from __future__ import annotations

import logging
import os
from typing import Any, ClassVar

from markupsafe import Markup
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
from .pages.index import CitationIndex
from .pages.renderer import PageRenderer
from .pages.scan import PageInfo
from .problems import Problem, Problems

log = logging.getLogger("mkdocs.plugins.citations")


def report(problems: list[Problem]) -> None:
    """Log problems as MkDocs does: errors, then warnings (which --strict counts)."""
    for problem in sorted(problems, key=lambda p: (p.path, p.line)):
        (log.error if problem.severity == "error" else log.warning)(str(problem))


def project_dir(config: MkDocsConfig) -> str:
    return os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))


def extra_names(config: MkDocsConfig) -> list[str]:
    """The keys of ``extra``: pages read them as variables, as mkdocs-macros let them."""
    return [key for key in config.extra if isinstance(key, str)]


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
            self.options,
            root,
            reading_order(nav, files, root),
            use_cache=use_cache,
            site_variables=extra_names(config),
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
        self._stop_messages()
        self._messages = PageMessages(project_dir(config), config.docs_dir, config.config_file_path or "mkdocs.yml")
        self._messages.install()
        return config

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.site = self.citation_index(config, nav, files)
        self.site.validate()
        self._flush()
        return nav

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        site = self._site()
        src = page.file.src_uri
        self._check_tokens(src)
        variables: dict[str, object] = {
            **{key: value for key, value in config.extra.items() if isinstance(key, str)},
            **{key: value for key, value in page.meta.items() if isinstance(key, str)},
            "page": page,
            "config": config,
            "extra": config.extra,
            "howto_jsonld": lambda: self._howto_jsonld(page, config),
        }
        out = PageRenderer(site, src).render(markdown, variables, wrap=self.tokens.token)
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
                "fix them, or run `python -m macros check` to list them without building"
            )

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        # MkDocs watches the pages; the .bib and the engine's HTML templates
        # (read again on every build) are watched here. Python code is not
        # reloaded by a rebuild: after editing macros/*.py, restart serve.
        server.watch(os.path.join(project_dir(config), self.options.bibliography))
        server.watch(os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates"))
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

    def _howto_jsonld(self, page: Page, config: MkDocsConfig) -> Markup:
        """schema.org HowTo JSON-LD built from the page's ``howto`` front matter."""
        from .howto import howto_jsonld

        howto = page.meta.get("howto")
        if not isinstance(howto, dict):
            self._site().problems.error(
                self._site().page(page.file.src_uri).info.path,
                0,
                "howto_jsonld() needs a 'howto' mapping in the page's front matter",
                kind="page.howto-missing",
            )
            return Markup("")
        site_url = config.site_url or ""
        return howto_jsonld(howto, url=(site_url + page.url) if site_url else None)


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
    if not isinstance(plugin, CitationsPlugin):
        problems.error(
            display_name(config_file),
            0,
            "the citations plugin is not enabled: add '- citations' under 'plugins:' (see macros/README.md)",
            kind="config.plugin-not-enabled",
        )
        return problems
    problems.extend(plugin.config_problems(config))
    if problems.errors:
        return problems
    files = get_files(config)
    # use_cache=False: always the full validation, whatever the last build saw
    site = plugin.citation_index(config, get_navigation(files, config), files, use_cache=False)
    problems.extend(site.validate(all_entries=True))  # the site's problems: each added once
    return problems
