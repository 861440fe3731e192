"""The plugin where users have it: under ProperDocs, and installed from a wheel.

- ProperDocs 1.6.7 (the maintained continuation of MkDocs 1.x) builds the
  guide and fixture sites with the same citation HTML and the same messages
  as MkDocs. It lives in its own virtual environment under ``.cache/``,
  never in the project's ``.venv``.
- A wheel of the engine, installed into a fresh virtual environment with
  only mkdocs and mkdocs-material beside it, builds a site that lives
  outside the repository.

Both environments are made once and kept in ``.cache/`` (keyed by the
pinned requirements), so only the first run pays for the installs.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, mkdocs_build

PROPERDOCS = "properdocs==1.6.7"
PROPERDOCS_THEME = "properdocs-theme-mkdocs==1.6.7"  # the fixtures' theme: mkdocs
CITATION_HTML = re.compile(
    r'<(sup|span) class="citation[^"]*".*?</\1>|<ol class="references".*?</ol>|<ul class="references.*?</ul>', re.S
)
LEVELS = ("ERROR", "WARNING")


def pinned(name: str) -> str:
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if line.lower().startswith(name.lower() + "=="):
            return line.strip()
    raise AssertionError(f"{name} is not pinned in requirements.txt")


def outside_env() -> dict[str, str]:
    """The environment without PYTHONPATH: a fresh venv must not see this checkout's devpath/ (its metadata
    would make pip think the engine is installed already)."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}


def make_venv(folder: Path, *installs: list[str]) -> Path:
    """A virtual environment in ``folder`` with each pip install done, made once."""
    python = folder / "bin" / "python"
    done = folder / ".complete"
    if done.is_file():
        return python
    shutil.rmtree(folder, ignore_errors=True)
    for command in (
        [sys.executable, "-m", "venv", str(folder)],
        *([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args] for args in installs),
    ):
        proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900, env=outside_env())
        assert proc.returncode == 0, f"{' '.join(command)}:\n{proc.stdout}{proc.stderr}"
    done.write_text("ok\n", encoding="utf-8")
    return python


def cache_key(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
    digest.update((ROOT / "requirements.txt").read_bytes())
    digest.update((ROOT / "pyproject.toml").read_bytes())
    return digest.hexdigest()[:12]


@pytest.fixture(scope="session")
def properdocs() -> Path:
    folder = ROOT / ".cache" / f"properdocs-{cache_key(PROPERDOCS, PROPERDOCS_THEME)}"
    python = make_venv(
        folder,
        [PROPERDOCS, PROPERDOCS_THEME, "-r", "requirements.txt"],
        ["--no-deps", "-e", str(ROOT)],
    )
    return python.parent / "properdocs"


def citation_html(site: Path) -> dict[str, list[str]]:
    pages = {}
    for page in sorted(site.rglob("*.html")):
        found = [m.group(0) for m in CITATION_HTML.finditer(page.read_text(encoding="utf-8"))]
        if found:
            pages[str(page.relative_to(site))] = found
    return pages


def messages(log: str) -> list[str]:
    out = []
    for line in log.splitlines():
        level = line.split(" ", 1)[0]
        if level in LEVELS:
            out.append(f"{level} {line.split('-', 1)[1].strip()}")
    return out


def properdocs_build(command: Path, project: Path, site: Path, *extra: str) -> tuple[int, str]:
    proc = subprocess.run(
        [str(command), "build", "-f", str(project / "mkdocs.yml"), "-d", str(site), *extra],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        env={"PATH": "/usr/bin:/bin", "HOME": str(project), "NO_MKDOCS_2_WARNING": "1"},
    )
    return proc.returncode, proc.stdout + proc.stderr


def test_properdocs_builds_the_guide_with_the_same_citations(properdocs: Path, tmp_path: Path) -> None:
    code, log = properdocs_build(properdocs, ROOT, tmp_path / "properdocs", "--strict")
    assert code == 0, log
    assert "Traceback" not in log
    reference = mkdocs_build(ROOT, tmp_path / "mkdocs", "--strict")
    assert reference.returncode == 0, reference.log
    ours, theirs = citation_html(tmp_path / "properdocs"), citation_html(tmp_path / "mkdocs")
    assert ours == theirs
    assert sum(len(found) for found in ours.values()) > 10  # the guide's markers and lists are there


@pytest.mark.parametrize("fixture", ["basic", "citation_not_found", "config_invalid", "many_errors"])
def test_properdocs_builds_fixture_sites_with_the_same_html_and_messages(
    properdocs: Path, fixture: str, tmp_path: Path
) -> None:
    project = tmp_path / fixture
    shutil.copytree(FIXTURES / fixture, project)
    code, log = properdocs_build(properdocs, project, tmp_path / "properdocs")
    reference = mkdocs_build(project, tmp_path / "mkdocs")
    assert "Traceback" not in log
    assert code == reference.returncode, log
    assert messages(log) == messages(reference.log)
    if code == 0:
        assert citation_html(tmp_path / "properdocs") == citation_html(tmp_path / "mkdocs")
    else:
        assert any(line.startswith("ERROR ") and ":" in line for line in messages(log))


OUTSIDE_SITE = {
    "mkdocs.yml": (
        "site_name: Outside\n"
        "theme:\n  name: material\n"
        "nav:\n  - Home: index.md\n  - Sources: sources.md\n"
        "plugins:\n  - search\n  - citations:\n      bibliography: refs/sources.bib\n      marker: brackets\n"
    ),
    "docs/index.md": (
        "# Outside\n\n"
        'Hip extension is the main job of the gluteus maximus{{ cite("moore", loc="554") }}.\n'
        'Two sources at once{{ cite("moore", "kang") }}.\n\n'
        'Show the syntax: `{{ cite("key") }}`.\n'
    ),
    "docs/sources.md": "# Sources\n\n{{ bibliography() }}\n",
    "refs/sources.bib": (
        "@book{moore,\n  author = {Moore, Keith L. and Dalley, Arthur F.},\n"
        "  title = {Clinically Oriented Anatomy},\n  edition = {4},\n  publisher = {Lippincott Williams \\& Wilkins},\n"
        "  address = {Philadelphia},\n  year = {1999},\n}\n\n"
        "@article{kang,\n  author = {Kang, Sun-Young and Jeon, Hye-Seon},\n"
        "  title = {Comparison of muscle activity},\n  journal = {J Phys Ther Sci},\n"
        "  volume = {25},\n  number = {2},\n  pages = {183--185},\n  year = {2013},\n}\n"
    ),
}


def test_a_wheel_works_in_a_fresh_venv_for_a_site_outside_the_repository(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(ROOT)],
        check=True,
        timeout=600,
        capture_output=True,
    )
    (wheel,) = dist.glob("mkdocs_citations_engine-*.whl")
    python = make_venv(
        tmp_path / "venv",
        [str(wheel), pinned("mkdocs"), pinned("mkdocs-material"), "-c", str(ROOT / "requirements.txt")],
    )
    listed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=freeze"],
        capture_output=True,
        text=True,
        check=True,
        env=outside_env(),
    ).stdout
    assert "mkdocs-macros-plugin" not in listed and "mkdocs-citations-engine==1.0.0" in listed
    site = tmp_path / "elsewhere"
    for name, text in OUTSIDE_SITE.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    clean = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "NO_MKDOCS_2_WARNING": "1"}  # no PYTHONPATH
    proc = subprocess.run(
        [str(python), "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "out")],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=600,
        env=clean,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    where = subprocess.run(
        [str(python), "-c", "import mkdocs_citations; print(mkdocs_citations.__file__)"],
        cwd=site,
        capture_output=True,
        text=True,
        env=clean,
    ).stdout
    assert str(tmp_path / "venv") in where  # the installed wheel, not this checkout
    # and the generic name `macros` is left to the site's own mkdocs-macros module
    generic = subprocess.run([str(python), "-c", "import macros"], cwd=site, capture_output=True, text=True, env=clean)
    assert generic.returncode != 0 and "No module named 'macros'" in generic.stderr
    home = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert '<span class="citation citation-brackets" id="cite-index-1" data-keys="moore"' in home
    assert "[1, p. 554]" in re.sub(r"<[^>]+>", "", home)
    assert "<code>{{ cite(&quot;key&quot;) }}</code>" in home or '<code>{{ cite("key") }}</code>' in home
    sources = (tmp_path / "out" / "sources" / "index.html").read_text(encoding="utf-8")
    assert "Moore KL, Dalley AF. Clinically" in sources and "4th ed." in sources
    assert "Lippincott Williams &amp; Wilkins" in sources
