"""From a fresh machine to green: the system packages and the .venv.

The Makefile's dependency check runs for real, in a sandbox: a PATH that
mirrors this machine's with one program hidden, and stamps that stop make
from installing any Python package. PYTEST_ARGS makes the pytest that would
run after a wrong "all there" a cheap one, so the assertion about it fails
fast instead of running the suite inside itself.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tools import system_packages

MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="make is not installed")
VENV = Path(sys.prefix)
CHEAP_PYTEST = "--collect-only -q tests/unit/test_latex.py"


def sandbox_path(folder: Path, hide: set[str], extra: dict[str, str] | None = None) -> str:
    """A folder with a link to every program on PATH except the hidden ones, and
    extra programs (name -> shell script) in their place."""
    folder.mkdir(parents=True, exist_ok=True)
    for directory in os.environ["PATH"].split(os.pathsep):
        if not Path(directory).is_dir():
            continue
        for program in Path(directory).iterdir():
            link = folder / program.name
            if program.name in hide or link.exists() or link.is_symlink():
                continue
            if os.access(program, os.X_OK) and not program.is_dir():
                link.symlink_to(program)
    for name, script in (extra or {}).items():
        (folder / name).write_text(script, encoding="utf-8")
        (folder / name).chmod(0o755)
    return str(folder)


def make_test(tmp_path: Path, path: str, **env: str) -> subprocess.CompletedProcess[str]:
    stamps = tmp_path / "stamps"
    stamps.mkdir(exist_ok=True)
    for name in ("site", "dev"):
        (stamps / name).touch()
    variables = [f"VENV={VENV}", f"SITE_STAMP={stamps / 'site'}", f"DEV_STAMP={stamps / 'dev'}"]
    variables.append(f"PYTEST_ARGS={CHEAP_PYTEST}")
    clean = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "SYSTEM_PACKAGES")}
    return subprocess.run(
        [MAKE or "make", "--no-print-directory", "test", *variables],
        cwd=ROOT,
        env={**clean, "PATH": path, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_hidden_program_stops_make_test_once_before_any_test(tmp_path: Path) -> None:
    path = sandbox_path(tmp_path / "bin", hide={"pdftotext"})
    proc = make_test(tmp_path, path, SYSTEM_PACKAGES="check")
    output = proc.stdout + proc.stderr
    print(output)
    assert proc.returncode != 0
    assert "collected" not in output and "test session starts" not in output, "pytest ran"
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: system packages missing for make test (browser and PDF tests): poppler-utils (the program pdftotext)"
    ]
    commands = [line.strip() for line in output.splitlines() if "install -y" in line]
    sudo = "" if os.geteuid() == 0 else "sudo "
    assert commands == [f"{sudo}apt-get update && {sudo}apt-get install -y --no-install-recommends poppler-utils"]
    assert "Traceback" not in output


@pytest.mark.skipif(os.geteuid() != 0, reason="installing with apt-get is tried as root only")
def test_as_root_make_test_installs_the_missing_package_with_apt_get(tmp_path: Path) -> None:
    calls = tmp_path / "apt-get-calls"
    fake_apt = f'#!/bin/sh\necho "$*" >> {calls}\n'  # "installs" nothing: the program stays missing
    path = sandbox_path(tmp_path / "bin", hide={"pdftotext", "apt-get"}, extra={"apt-get": fake_apt})
    proc = make_test(tmp_path, path)
    output = proc.stdout + proc.stderr
    print(output)
    assert calls.read_text(encoding="utf-8").splitlines() == [
        "update -qq",
        "install -y -qq --no-install-recommends poppler-utils",
    ]
    assert proc.returncode != 0 and "collected" not in output
    assert "installing system packages: poppler-utils" in output
    assert [line for line in output.splitlines() if line.startswith("error:")] == [
        "error: system packages still missing after apt-get install for make test (browser and PDF tests):"
        " poppler-utils (the program pdftotext)"
    ]


def test_without_apt_the_message_names_homebrew_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: "/opt/homebrew/bin/brew" if name == "brew" else None)
    monkeypatch.setattr(system_packages, "present", lambda need: need.kind != "cmd")
    assert system_packages.ensure("test") == 1
    text = capsys.readouterr().err
    assert "chromium, poppler, zbar, node, openjdk" in text
    assert text.splitlines()[-1].strip() == "brew install chromium poppler zbar node openjdk"


def test_build_needs_only_the_handout_packages() -> None:
    build = {need.debian for need in system_packages.needed("build", system_packages.read_list())}
    assert build == {
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz-subset0",
        "fonts-noto-core",
        "fonts-noto-mono",
        "fonts-dejavu-core",
    }


def test_ci_the_workflows_and_the_readme_use_the_one_list() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "apt-get install" not in ci and re.search(r"^make test$", ci, re.M)
    pr = (ROOT / ".github" / "workflows" / "pr.yml").read_text(encoding="utf-8")
    assert "apt-get" not in pr
    assert pr.index("run: make system-packages-test") < pr.index("run: make check\n")
    deploy = (ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8")
    assert "apt-get" not in deploy and "run: make system-packages-build" in deploy
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "tools/system-packages.txt" in readme


# -- the .venv ------------------------------------------------------------------------


def test_a_venv_without_pip_is_made_again(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    proc = subprocess.run(
        [MAKE or "make", "--no-print-directory", f"VENV={venv}", f"PYTHON={sys.executable}", f"{venv}/bin/python"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    print(proc.stdout + proc.stderr)
    assert proc.returncode == 0
    assert f"{venv} has no pip (made half-way): making it again" in proc.stdout
    pip = subprocess.run([f"{venv}/bin/python", "-m", "pip", "--version"], capture_output=True, text=True)
    assert pip.returncode == 0, pip.stderr


def test_a_python_without_venv_support_gets_one_message(tmp_path: Path) -> None:
    # Debian's python3 without python3-venv: the ensurepip module is missing.
    fake = tmp_path / "python3"
    fake.write_text(
        f"#!/bin/sh\nexec {sys.executable} -c \"import sys; sys.modules['ensurepip'] = None; "
        'code = sys.argv[1]; sys.argv = sys.argv[1:]; exec(code)" "$2" "$@"\n',
        encoding="utf-8",
    )
    fake.chmod(0o755)
    venv = tmp_path / "venv"
    proc = subprocess.run(
        [MAKE or "make", "--no-print-directory", f"VENV={venv}", f"PYTHON={fake}", f"{venv}/bin/python"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = proc.stdout + proc.stderr
    print(output)
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert proc.returncode != 0
    assert [line for line in output.splitlines() if line.startswith("error:")] == [
        f"error: '{fake}' cannot make a virtual environment: its venv/ensurepip modules are missing."
    ]
    assert f"apt-get install python{version}-venv" in output
    assert not venv.exists(), "a half-made .venv was left behind"
