"""Pages rendered from their plan, without Jinja, come out as Jinja renders them.

A page that is only text and citation calls skips mkdocs-macros' Jinja and
hands its HTML to Markdown's stash (macros/scan.py ``direct_plan``,
macros/stash.py). ``CITATIONS_DIRECT=0`` turns that off, so every fixture
site and the guide are built both ways here and must come out the same,
byte for byte, with the same messages and exit status.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, Build, mkdocs_build

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
FIXTURE_SITES = sorted(p.name for p in FIXTURES.iterdir() if (p / "mkdocs.yml").is_file())


def build_both(project: Path, tmp_path: Path, *extra: str, cold: bool = True) -> tuple[Build, Build]:
    direct = mkdocs_build(project, tmp_path / "direct", *extra, env={**EPOCH, "CITATIONS_DIRECT": "1"})
    if cold:  # the Jinja build starts as cold as the first
        shutil.rmtree(project / ".cache", ignore_errors=True)
    jinja = mkdocs_build(project, tmp_path / "jinja", *extra, env={**EPOCH, "CITATIONS_DIRECT": "0"})
    return direct, jinja


def files(site: Path) -> dict[str, bytes]:
    if not site.is_dir():
        return {}
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def messages(build: Build) -> list[str]:
    return [
        line
        for line in build.log.splitlines()
        if line.startswith(("ERROR", "WARNING")) and "Documentation built in" not in line
    ]


def directly_rendered(build: Build) -> set[str]:
    return set(re.findall(r"DEBUG\s+-\s+(\S+): rendered from its plan, without Jinja", build.log))


def assert_same_site(direct: Build, jinja: Build) -> None:
    assert direct.returncode == jinja.returncode, f"{direct.log}\n---\n{jinja.log}"
    assert messages(direct) == messages(jinja)
    a, b = files(direct.site), files(jinja.site)
    assert sorted(a) == sorted(b)
    different = [name for name in a if a[name] != b[name]]
    assert different == [], f"differ: {different}"


@pytest.mark.parametrize("name", FIXTURE_SITES)
def test_every_fixture_site_is_the_same_either_way(name: str, tmp_path: Path) -> None:
    project = tmp_path / name
    shutil.copytree(FIXTURES / name, project)
    direct, jinja = build_both(project, tmp_path)
    assert_same_site(direct, jinja)


def test_the_guide_is_the_same_either_way(tmp_path: Path) -> None:
    # In place: the "Last update" dates need the git history.
    direct, jinja = build_both(ROOT, tmp_path, "--strict", cold=False)
    assert direct.returncode == 0, direct.log
    assert_same_site(direct, jinja)


def test_which_pages_skip_jinja(tmp_path: Path) -> None:
    project = tmp_path / "site"
    shutil.copytree(FIXTURES / "direct_rendering", project)
    build = mkdocs_build(project, tmp_path / "out", "--verbose", env=EPOCH)
    assert build.returncode == 0, build.log
    # Not variables.md (a variable), blocks.md ({% if %}, a constant),
    # not-rendered.md (render_macros: false).
    assert directly_rendered(build) == {
        "docs/index.md",
        "docs/contexts.md",
        "docs/own-list.md",
        "docs/title.md",
    }
    off = mkdocs_build(project, tmp_path / "off", "--verbose", env={**EPOCH, "CITATIONS_DIRECT": "0"})
    assert off.returncode == 0 and directly_rendered(off) == set()


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
    assert [line.split("-", 1)[1].strip().split(":")[0] for line in lost] == [
        "docs/index.md",
        "docs/contexts.md",
        "docs/own-list.md",
        "docs/title.md",
    ]
    assert "Traceback" not in build.log
