"""The environments the benchmark runs in: the peer's virtualenv, the profiler, and the engine under test."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from macros.cache import source_fingerprint

from .common import PEER_PACKAGE, PEER_VENV, PROFILER_PACKAGE, ROOT, say

# -- environments ----------------------------------------------------------------------


def _pins(names: tuple[str, ...]) -> list[str]:
    """The pins of requirements.txt for these packages (lower-case names)."""
    pins = []
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if "==" in line and line.split("==")[0].strip().lower() in names:
            pins.append(line)
    return pins


def peer_python() -> Path:
    return PEER_VENV / "bin" / "python"


def ensure_peer(rebuild: bool = False) -> Path:
    """bench/.venv-peer with mkdocs-bibtex and the project's MkDocs, Material and pybtex pins."""
    requirements = [PEER_PACKAGE, *_pins(("mkdocs", "mkdocs-material", "pybtex"))]
    constraints = ROOT / "requirements.txt"
    stamp_text = "\n".join(requirements) + "\n" + hashlib.sha256(constraints.read_bytes()).hexdigest() + "\n"
    stamp = PEER_VENV / ".bench-installed"
    python = peer_python()
    if not rebuild and python.exists() and stamp.exists() and stamp.read_text() == stamp_text:
        return python
    say(f"creating {PEER_VENV.relative_to(ROOT)} with {', '.join(requirements)} (once)")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(PEER_VENV)], check=True)
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *requirements,
            "-c",
            str(constraints),
        ],
        check=True,
    )
    stamp.write_text(stamp_text)
    return python


def ensure_profiler(work: Path) -> Path:
    """pyinstrument in a folder of its own (put on PYTHONPATH only for the profiled build)."""
    target = work / "tools"
    stamp = target / ".bench-installed"
    if stamp.exists() and stamp.read_text() == PROFILER_PACKAGE:
        return target
    say(f"installing {PROFILER_PACKAGE} into {target}")
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--target",
            str(target),
            PROFILER_PACKAGE,
        ],
        check=True,
    )
    stamp.write_text(PROFILER_PACKAGE)
    return target


ENGINE: dict[str, object] = {
    "dir": ROOT,
    "rev": None,
}  # where `import macros` finds the engine (--engine, --engine-rev)

# MkDocs finds the `citations` plugin by its entry point: the engine under
# test's devpath/ registers `mkdocs_citations.plugin:CitationsPlugin` and links
# mkdocs_citations to its macros/ (an older engine: the project installed in
# .venv, `macros.plugin:CitationsPlugin`). Its folder is put first on
# PYTHONPATH, so that the import resolves to its macros/ even when it is
# another checkout or an exported commit.
ENTRY_POINT = "mkdocs_citations.plugin:CitationsPlugin"
ENTRY_POINTS = (ENTRY_POINT, "macros.plugin:CitationsPlugin")
ENGINE_CHECK = r"""
import importlib, importlib.metadata as m, json, os, sys
points = [p.value for p in m.entry_points(group="mkdocs.plugins") if p.name == "citations"]
try:
    plugin = importlib.import_module(points[0].split(":")[0]) if points else None
    where, ok = os.path.realpath(plugin.__file__), hasattr(plugin, "CitationsPlugin")
except ImportError as error:
    where, ok = str(error), False
print(json.dumps({"points": points, "file": where, "ok": ok}))
"""


def check_engine() -> None:
    """Stop with a clear message unless a build of ours would load the engine under test."""
    engine = Path(ENGINE["dir"])  # type: ignore[arg-type]
    if not (engine / "macros" / "plugin.py").exists():
        raise SystemExit(
            f"bench: the engine {ENGINE['rev'] or engine} has no macros/plugin.py: it predates the native "
            "`citations` MkDocs plugin (mkdocs-macros hosted it), which this benchmark no longer supports; "
            "measure a later commit"
        )
    out = subprocess.run(
        [sys.executable, "-c", ENGINE_CHECK],
        env=child_env("macros", Path(os.environ.get("XDG_CACHE_HOME", "/tmp"))),
        capture_output=True,
        text=True,
        cwd="/",
    )
    data = json.loads(out.stdout or "{}") if out.returncode == 0 else {}
    if len(data.get("points") or []) != 1 or data["points"][0] not in ENTRY_POINTS:
        raise SystemExit(
            f"bench: {sys.executable} has no `citations` MkDocs plugin ({ENTRY_POINT}); install the project "
            "into this environment first: make .venv/.site-installed"
        )
    expected = (engine / "macros" / "plugin.py").resolve()
    if not data.get("ok") or Path(data["file"]).resolve() != expected:
        raise SystemExit(f"bench: the `citations` plugin would load {data.get('file')}, not {expected}")


def _engine_paths(commit: str) -> list[str]:
    """macros/, and devpath/ (its import name and entry point) where the commit has one."""
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-tree", "--name-only", commit, "devpath"], capture_output=True, text=True
    ).stdout.strip()
    return ["macros", "devpath"] if listed else ["macros"]


def export_engine(rev: str, work: Path) -> tuple[Path, str]:
    """The macros/ package of a commit, exported with `git archive` (the work tree and index are not touched)."""
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", f"{rev}^{{commit}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    target = work / f"engine-{commit[:12]}"
    if not (target / "macros" / "__init__.py").exists():
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", commit, *_engine_paths(commit)],
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target, commit


def engine_fingerprint() -> str:
    """The engine under test's cache fingerprint (macros/cache.py), to notice it changing during a run."""
    return source_fingerprint(Path(ENGINE["dir"]) / "macros")  # type: ignore[arg-type]


def python_for(flavour: str) -> Path:
    return peer_python() if flavour == "bibtex" else Path(sys.executable)


def child_env(flavour: str, cache_dir: Path, extra_path: list[Path] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["XDG_CACHE_HOME"] = str(cache_dir)
    env.pop("PYTHONPATH", None)
    paths = [str(p) for p in (extra_path or [])]
    if flavour == "macros":
        devpath = Path(ENGINE["dir"]) / "devpath"  # type: ignore[arg-type]
        if devpath.is_dir():
            paths.append(str(devpath))  # the engine's entry point and its mkdocs_citations
        paths.append(str(ENGINE["dir"]))  # an older engine's `macros.plugin` is imported from here
    if paths:
        env["PYTHONPATH"] = os.pathsep.join(paths)
    return env
