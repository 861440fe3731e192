"""A page renders the same whether its plan or Jinja renders it.

A page that is only text and citation calls is rendered from the plan its
scan made (no Jinja); any other page is compiled by Jinja. Both call the
same macros, so for every page of every fixture site and the guide the
Markdown must be the same either way.
"""

from __future__ import annotations

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

SITES = sorted(p.parent.name for p in FIXTURES.glob("*/mkdocs.yml"))


def pages_rendered_both_ways(project: Path) -> tuple[list[str], dict[str, tuple[str, str]]]:
    config = load_config(str(project / "mkdocs.yml"))
    plugin = config.plugins.get("citations")
    assert isinstance(plugin, CitationsPlugin)
    files = get_files(config)
    order = reading_order(get_navigation(files, config), files, str(project))
    planned = CitationIndex(plugin.options, str(project), order, use_cache=False)
    compiled = CitationIndex(plugin.options, str(project), order, use_cache=False)
    for page in compiled.pages:
        page.plan = None
    with_plan = []
    out = {}
    for info in order:
        markdown, meta = get_data(Path(info.abs_path).read_text(encoding="utf-8-sig"))
        variables = {**meta, "page": None, "config": config, "extra": config.extra, "howto_jsonld": lambda: ""}
        if planned.page(info.src).plan is not None:
            with_plan.append(info.src)
        out[info.src] = (
            PageRenderer(planned, info.src).render(markdown, variables),
            PageRenderer(compiled, info.src).render(markdown, variables),
        )
    assert [str(p) for p in planned.problems] == [str(p) for p in compiled.problems]
    return with_plan, out


@pytest.mark.parametrize("name", [*SITES, "the guide"])
def test_plan_and_jinja_render_every_page_alike(name: str) -> None:
    project = ROOT if name == "the guide" else FIXTURES / name
    _, pages = pages_rendered_both_ways(project)
    for src, (plan, jinja) in pages.items():
        assert plan == jinja, src


def test_only_pages_of_text_and_citation_calls_have_a_plan() -> None:
    with_plan, pages = pages_rendered_both_ways(FIXTURES / "direct_rendering")
    # Not variables.md (a variable), blocks.md ({% if %}, a constant),
    # not-rendered.md (render_macros: false).
    assert sorted(with_plan) == ["contexts.md", "index.md", "own-list.md", "title.md"]
    assert "variables.md" in pages and "blocks.md" in pages


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
