"""Shared helpers: build fixture sites with a real MkDocs, read their HTML."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"

# -- which tests are slow, which need system packages -------------------------------
#
# `make test-fast` runs `pytest -m "not slow"`: the unit tests, the fixture sites
# and the bad-input corpus, which need no system package (tools/system-packages.txt).
# The slow ones, by path: a real browser, the PDF handout, copies of the whole
# project run through make, the benchmark, the property tests, ProperDocs and
# wheel installs, a live `mkdocs serve` (by path, or by node id for one test).
SLOW = (
    "tests/browser/",
    "tests/test_pdf.py",
    "tests/test_reproducible.py",
    "tests/test_contributing.py",
    "tests/test_makefile.py",
    "tests/test_bench.py",
    "tests/test_properties.py",
    "tests/test_properdocs_and_wheel.py",
    "tests/test_serve.py",
    "tests/unit/test_fastbib.py::test_generated_files",  # 1 500 examples each
    "tests/unit/test_fastbib.py::test_damaged_files",
    "tests/unit/test_linearity.py::test_the_full_read_is_linear[",  # every pattern; a few stay fast
)
# What needs the "test" system packages (Chromium, poppler, zbar, Pango).
NEEDS_SYSTEM_PACKAGES = ("tests/browser/", "tests/test_pdf.py")


def _relative(item: pytest.Item) -> str:
    return Path(str(item.path)).resolve().relative_to(ROOT).as_posix()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: left out by `make test-fast` (see SLOW in tests/conftest.py)")


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid.startswith(SLOW):
            item.add_marker(pytest.mark.slow)


def _stop_if_packages_are_missing(config: pytest.Config, selected: list[str]) -> None:
    """Stop once, before any test, when a selected test needs a missing system
    package: one message naming the packages, not a traceback per test."""
    if config.option.collectonly or not any(where.startswith(NEEDS_SYSTEM_PACKAGES) for where in selected):
        return
    from tools import system_packages

    lost = system_packages.missing("test")
    if lost:
        pytest.exit(system_packages.message("test", lost), returncode=pytest.ExitCode.USAGE_ERROR)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput"):  # pytest-xdist's controller checks for its workers
        _stop_if_packages_are_missing(session.config, [_relative(item) for item in session.items])


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: object, ids: list[str]) -> None:
    _stop_if_packages_are_missing(node.config, ids)  # type: ignore[attr-defined]


def tool_env() -> dict[str, str]:
    env = dict(os.environ)
    # devpath/ first: this checkout's engine as mkdocs_citations, and its plugin registered
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "devpath"), str(ROOT), env.get("PYTHONPATH", "")])
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


@dataclass
class Build:
    command: str
    returncode: int
    log: str
    site: Path

    def html(self, page: str = "index.html") -> str:
        return (self.site / page).read_text(encoding="utf-8")

    def log_lines(self, level: str) -> list[str]:
        """Log messages at a level, without the 'LEVEL  -  ' prefix."""
        out = []
        for line in self.log.splitlines():
            if line.startswith(level):
                out.append(line.split("-", 1)[1].strip())
        return out


def mkdocs_build(
    project: Path, site: Path, *extra: str, env: dict[str, str] | None = None, timeout: float = 300
) -> Build:
    """``env``: variables to set on top of tool_env() (e.g. SOURCE_DATE_EPOCH)."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"), "-d", str(site), *extra]
    proc = subprocess.run(
        cmd, cwd=project, env={**tool_env(), **(env or {})}, capture_output=True, text=True, timeout=timeout
    )
    shown = f"cd {project} && PYTHONPATH={ROOT}/devpath:{ROOT} mkdocs build {' '.join(extra)}".strip()
    return Build(shown, proc.returncode, proc.stdout + proc.stderr, site)


@pytest.fixture
def build_fixture(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Copy tests/fixtures/<name> to a temporary folder and build it."""

    runs: dict[str, int] = {}

    def run(name: str, *extra: str, edit=None) -> Build:  # type: ignore[no-untyped-def]
        runs[name] = runs.get(name, 0) + 1
        suffix = "" if runs[name] == 1 else f"-{runs[name]}"
        project = tmp_path / f"{name}{suffix}"
        shutil.copytree(FIXTURES / name, project)
        if edit:
            edit(project)
        result = mkdocs_build(project, tmp_path / f"{name}{suffix}-site", *extra)
        print(f"reproduce with: {result.command}\n--- log ---\n{result.log}")
        return result

    return run


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text under chosen tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(html)
    return parser.tags


@pytest.fixture(scope="session")
def guide_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The real guide, built once per test session with --strict."""
    site = tmp_path_factory.mktemp("guide") / "site"
    result = mkdocs_build(ROOT, site, "--strict")
    assert result.returncode == 0, f"{result.command}\n{result.log}"
    return result


@pytest.fixture(scope="session")
def guide_site(guide_build: Build) -> Path:
    """The folder of the built guide (HTML only; the PDF tests add the PDFs)."""
    return guide_build.site
