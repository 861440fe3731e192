"""A warm build never imports pybtex or latexcodec (issue 22).

When the cache holds the .bib's verdict and every formatted reference, a
build needs neither pybtex (the reader of record and the styles) nor
latexcodec; importing them was 11 % of a warm build's excess over the limit
(bench/RESULTS.md). Each build here runs MkDocs in a fresh interpreter and
reports which of those packages ended up in ``sys.modules``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, tool_env

PROBE = """
import json, sys
from mkdocs.__main__ import cli
try:
    cli(["build", "-q", "-f", sys.argv[1], "-d", sys.argv[2]])
except SystemExit as stop:
    code = stop.code
else:
    code = 0
heavy = sorted(n for n in sys.modules if n.split(".")[0] in ("pybtex", "latexcodec"))
print(json.dumps({"code": code, "heavy": heavy}))
"""


def build(project: Path, site: Path) -> tuple[object, list[str]]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(project / "mkdocs.yml"), str(site)],
        cwd=project,
        env={**tool_env(), "SOURCE_DATE_EPOCH": "0"},  # the theme's build date, for comparing pages
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return out["code"], out["heavy"]


@pytest.mark.parametrize(("name", "style"), [("basic", None), ("brackets", None), ("basic", "unsrt")])
def test_a_warm_build_imports_neither_pybtex_nor_latexcodec(tmp_path: Path, name: str, style: str | None) -> None:
    project = tmp_path / name
    shutil.copytree(FIXTURES / name, project)
    if style:
        config = project / "mkdocs.yml"
        config.write_text(
            config.read_text(encoding="utf-8").replace("  - citations", f"  - citations:\n      style: {style}"),
            encoding="utf-8",
        )
    code, heavy = build(project, tmp_path / "cold")
    assert code == 0
    assert "pybtex" in heavy  # a cold build reads the .bib with it
    if style == "unsrt":
        assert "latexcodec" in heavy  # and pybtex's styles decode LaTeX with latexcodec
    cold_html = (tmp_path / "cold" / "index.html").read_text(encoding="utf-8")
    code, heavy = build(project, tmp_path / "warm")
    assert code == 0
    assert heavy == []
    assert (tmp_path / "warm" / "index.html").read_text(encoding="utf-8") == cold_html


def test_a_cache_miss_still_imports_them(tmp_path: Path) -> None:
    """An entry edited between builds is formatted again, through pybtex."""
    project = tmp_path / "basic"
    shutil.copytree(FIXTURES / "basic", project)
    build(project, tmp_path / "cold")
    bib = project / "references.bib"
    text = bib.read_text(encoding="utf-8")
    assert "{First article}" in text
    bib.write_text(text.replace("{First article}", "{First article, revised}"), encoding="utf-8")
    code, heavy = build(project, tmp_path / "edited")
    assert code == 0
    assert "pybtex" in heavy
    assert "First article, revised" in (tmp_path / "edited" / "index.html").read_text(encoding="utf-8")


def test_the_probe_runs_this_checkout() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "import macros; print(macros.__file__)"], env=tool_env(), capture_output=True, text=True
    )
    assert Path(proc.stdout.strip()).resolve().is_relative_to(ROOT)
