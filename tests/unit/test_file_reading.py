"""Files the engine cannot read as text: one located error each, never a traceback or a hang (issue 24).

The bad-input corpus (tests/bad_inputs/) has the cases a folder can hold
(FIFO, device, symlink loop, UTF-16, Latin-1, NUL bytes). An unreadable
file cannot be made for root, who runs the tests in CI, so here the
operating system's refusal is simulated: every way of opening that one
path raises PermissionError, as it does for a user without read access.
"""

from __future__ import annotations

import builtins
import io
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from macros.options import Options
from macros.pages.index import CitationIndex
from macros.pages.scan import PageInfo
from tests.conftest import ROOT, tool_env

SITE = ROOT / "tests" / "bad_inputs" / "_site"
NO_ACCESS = "cannot be read: permission denied (let the user who builds the site read it, e.g. chmod a+r {path})"


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    shutil.copytree(SITE, tmp_path / "site")
    yield tmp_path / "site"


def refuse(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Opening ``path`` (by any route) raises PermissionError, as for a user without read access."""
    denied = os.path.realpath(path)
    real_open, real_os_open, real_io_open = builtins.open, os.open, io.open

    def check(file: object) -> None:
        if isinstance(file, str | os.PathLike) and os.path.realpath(os.fspath(file)) == denied:
            raise PermissionError(13, "Permission denied", os.fspath(file))

    def fake_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        check(file)
        return real_open(file, *args, **kwargs)

    def fake_os_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        check(file)
        return real_os_open(file, *args, **kwargs)

    def fake_io_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        check(file)
        return real_io_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(io, "open", fake_io_open)
    monkeypatch.setattr(os, "open", fake_os_open)


def engine(project: Path) -> CitationIndex:
    info = PageInfo(
        src="index.md", abs_path=str(project / "docs" / "index.md"), path="docs/index.md", url="", title=None
    )
    index = CitationIndex(Options(warn_uncited=False), str(project), [info])
    index.validate()
    return index


def test_an_unreadable_bib_is_one_error(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    refuse(monkeypatch, project / "references.bib")
    site = engine(project)
    assert [str(p) for p in site.problems] == ["references.bib: " + NO_ACCESS.format(path="references.bib")]


def test_an_unreadable_page_is_one_error(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    refuse(monkeypatch, project / "docs" / "index.md")
    site = engine(project)
    assert [str(p) for p in site.problems] == ["docs/index.md: " + NO_ACCESS.format(path="docs/index.md")]


@pytest.mark.parametrize("which", ["references.bib", "docs/index.md"])
def test_a_real_build_reports_an_unreadable_file_without_a_traceback(
    project: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, which: str
) -> None:
    """MkDocs itself, in this process: the page is never read a second time by MkDocs."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, BuildError, PluginError

    monkeypatch.chdir(project)
    refuse(monkeypatch, project / which)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "out"))
    with caplog.at_level(logging.WARNING), pytest.raises((Abort, BuildError, PluginError)):
        build(config)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors[0] == f"{which}: " + NO_ACCESS.format(path=which), errors
    assert not any("Traceback" in e or "Error reading page" in e or "File not found" in e for e in errors), errors


def test_check_does_not_wait_on_a_fifo(project: Path) -> None:
    (project / "references.bib").unlink()
    os.mkfifo(project / "references.bib")
    done = subprocess.run(
        [sys.executable, "-m", "macros", "check"],
        cwd=project,
        env=tool_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert (
        "ERROR: references.bib: is a named pipe (FIFO), not a .bib file "
        "(check plugins.citations.bibliography in mkdocs.yml)" in done.stderr
    )
    assert "Traceback" not in done.stderr


def test_utf32_is_said_and_read() -> None:
    from macros.bib.reader import decode
    from macros.problems import Problems

    problems = Problems()
    text = decode("@misc{k, title = {Ü}}\n".encode("utf-32"), "references.bib", problems)
    assert text == "@misc{k, title = {Ü}}\n"
    assert [str(p) for p in problems] == [
        "references.bib:1: the file is UTF-32, not UTF-8; save it with UTF-8 encoding"
    ]
