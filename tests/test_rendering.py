"""A page renders the same from the scan made before the build as from a new scan of its Markdown.

Pages are scanned once before any is rendered (numbers follow reading
order); a page whose Markdown another plugin changed first (mkdocs-macros)
is scanned again when it is rendered. For every page of every fixture site
and the guide, both ways must give the same Markdown and the same problems.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.nav import get_navigation
from mkdocs.utils.meta import get_data

from macros.pages.index import CitationIndex
from macros.pages.renderer import PageRenderer
from macros.plugin import CitationsPlugin, reading_order
from tests.conftest import FIXTURES, ROOT, mkdocs_build

SITES = sorted(
    p.parent.name
    for p in FIXTURES.glob("*/mkdocs.yml")
    if re.search(r"(?m)^\s*- citations", p.read_text(encoding="utf-8"))
)


def pages_rendered_both_ways(project: Path) -> dict[str, tuple[str, str]]:
    config = load_config(str(project / "mkdocs.yml"))
    plugin = config.plugins.get("citations")
    assert type(plugin).__name__ == CitationsPlugin.__name__  # loaded as mkdocs_citations, the same code
    files = get_files(config)
    order = reading_order(get_navigation(files, config), files, str(project))
    options = plugin.options  # type: ignore[union-attr]
    stored = CitationIndex(options, str(project), order, use_cache=False)
    fresh = CitationIndex(options, str(project), order, use_cache=False)
    for page in fresh.pages:
        page.body_digest = ""  # as if another plugin had changed every page: each is scanned again
    out = {}
    for info in order:
        markdown, _ = get_data(Path(info.abs_path).read_text(encoding="utf-8-sig"))
        out[info.src] = (
            PageRenderer(stored, info.src).render(markdown),
            PageRenderer(fresh, info.src).render(markdown),
        )
    assert [str(p) for p in stored.problems] == [str(p) for p in fresh.problems]
    return out


@pytest.mark.parametrize("name", [*SITES, "the guide"])
def test_stored_and_fresh_scans_render_every_page_alike(name: str) -> None:
    project = ROOT if name == "the guide" else FIXTURES / name
    for src, (stored, fresh) in pages_rendered_both_ways(project).items():
        assert stored == fresh, src


def test_only_the_engines_syntax_changes() -> None:
    """Another plugin's Jinja, a raw block and a comment reach Markdown as written."""
    pages = pages_rendered_both_ways(FIXTURES / "direct_rendering")
    blocks, _ = pages["blocks.md"]
    assert blocks.startswith('# Blocks\n\n{% if true %}A block statement needs Jinja<sup class="citation"')
    assert "{% endif %}" in blocks and '{{ "A constant" }} needs it too<sup' in blocks
    variables, _ = pages["variables.md"]
    assert "{{ config.site_name }}" in variables
    contexts, _ = pages["contexts.md"]
    assert '{% raw %}Raw Jinja is shown as written: {{ cite("alpha2020") }}{% endraw %}' in contexts
    assert "{# A Jinja comment stays for the plugin it belongs to. #}" in contexts
    # whitespace control is kept: the space before the marker goes, as Jinja would have it
    assert "trims the space before the marker<sup" in contexts
    not_rendered, _ = pages["not-rendered.md"]
    assert '{{ cite("alpha2020") }}' in not_rendered


def test_a_plugin_that_drops_the_citation_html_is_reported(tmp_path: Path) -> None:
    project = tmp_path / "site"
    shutil.copytree(FIXTURES / "direct_rendering", project)
    (project / "drop.py").write_text(
        "def on_page_markdown(markdown, **kwargs):\n"
        "    return markdown.replace('\\ue000', '').replace('\\ue001', '')\n",
        encoding="utf-8",
    )
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "hooks:\n  - drop.py\n", encoding="utf-8")
    build = mkdocs_build(project, tmp_path / "out")
    assert build.returncode == 1
    lost = [line for line in build.log.splitlines() if "never reached Markdown" in line]
    assert sorted(line.split("-", 1)[1].strip().split(":")[0] for line in lost) == [
        "docs/blocks.md",
        "docs/contexts.md",
        "docs/index.md",
        "docs/own-list.md",
        "docs/title.md",
        "docs/variables.md",
    ]
    assert "Traceback" not in build.log
