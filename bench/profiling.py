"""Where a build of ours spends its time: pyinstrument sessions, named stages, hotspots."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .builds import mkdocs_build_args, run_measured
from .common import ROOT
from .engines import ENGINE, child_env, ensure_profiler
from .generate import (
    Site,
)

# -- profiling ---------------------------------------------------------------------------------


@dataclass
class Hotspot:
    function: str
    where: str
    inclusive: float
    self_time: float


@dataclass
class Profile:
    size: str
    total: float
    interval: float
    inclusive: list[Hotspot]
    by_self: list[Hotspot]
    stages: dict[str, float]
    session: str
    cpu: float | None = None  # CPU seconds of the profiled process (profiler overhead included)
    wall: float | None = None
    kind: str = "warm"  # "cold": a fresh copy of the project, no cache; "warm": after the warm builds


# Named stages of ours: (label, function, file suffix). Inclusive seconds.
STAGES = [
    ("whole build (mkdocs.commands.build.build)", "build", "mkdocs/commands/build.py"),
    ("engine: importing macros.plugin (and pybtex, latexcodec, ...)", "<module>", "macros/plugin.py"),
    ("engine: load_config + on_config (options)", "load_config", "macros/plugin.py"),
    ("engine: on_nav (load + scan + number + validate)", "on_nav", "macros/plugin.py"),
    ("  CitationIndex() (load + scan + number)", "__init__", "macros/pages/index.py"),
    ("    .bib: load_bibliography (cache, index, parse)", "load_bibliography", "macros/bib/load.py"),
    ("      fast index (fast_index.build_index)", "build_index", "macros/bib/fast_index.py"),
    ("      full validating read (reader.parse)", "parse", "macros/bib/reader.py"),
    ("        fast reader (fast_reader.read)", "read", "macros/bib/fast_reader.py"),
    ("        pybtex LowLevelParser (a file with problems)", "parse_bibliography", "pybtex/database/input/bibtex.py"),
    ("        field checks (_prepare_fields)", "_prepare_fields", "macros/bib/reader.py"),
    ("    page scan (scan_page, Jinja parse)", "scan_page", "macros/pages/scan.py"),
    ("    numbering + uncited check", "_number_and_check_keys", "macros/pages/index.py"),
    ("  validate() (format cited entries)", "validate", "macros/pages/index.py"),
    ("    Formatter.format", "format", "macros/html/format_entries.py"),
    ("  Person() name parsing (anywhere)", "__init__", "pybtex/database/__init__.py:Person"),
    ("engine: on_page_markdown (render each page's macros)", "on_page_markdown", "macros/plugin.py"),
    ("  cite() markers (PageRenderer.marker)", "marker", "macros/pages/renderer.py"),
    ("    marker HTML (markers.render_marker)", "render_marker", "macros/html/markers.py"),
    ("  references() lists (PageRenderer.references)", "references", "macros/pages/renderer.py"),
    ("    list HTML (markers.render_list)", "render_list", "macros/html/markers.py"),
    ("engine: HTML tokens into Markdown's stash (html/stash.py)", "run", "macros/html/stash.py"),
    ("engine: on_post_build (caches, errors)", "on_post_build", "macros/plugin.py"),
    ("Markdown -> HTML (all pages)", "render", "mkdocs/structure/pages.py"),
    ("theme templates (all pages)", "_build_page", "mkdocs/commands/build.py"),
    ("search index: reading each page (Material)", "on_page_context", "material/plugins/search/plugin.py"),
    ("search index: writing it (Material)", "on_post_build", "material/plugins/search/plugin.py"),
    ("LaTeX -> Unicode (latexcodec, anywhere)", "decode", "latexcodec/codec.py"),
]


def profile_ours(site: Site, work: Path, cache_dir: Path, logs: Path, kind: str, interval: float = 0.001) -> Profile:
    """Profile one build of ours: "cold" on a fresh copy of the project, "warm" in place."""
    tools = ensure_profiler(work)
    if kind == "cold":
        copy = logs / "profile-cold"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(site.root, copy, ignore=shutil.ignore_patterns(".cache", "site"))
        site = dataclasses.replace(site, root=copy)
        cache_dir = logs / "profile-cold-xdg"
        shutil.rmtree(cache_dir, ignore_errors=True)
        cache_dir.mkdir()
    session_path = logs / f"macros-profile-{kind}.pyisession"
    cmd = [
        sys.executable,
        "-m",
        "pyinstrument",
        "-i",
        str(interval),
        "-r",
        "pyisession",
        "-o",
        str(session_path),
        *mkdocs_build_args(site),
    ]
    env = child_env("macros", cache_dir, extra_path=[tools])
    code, wall, cpu, _ = run_measured(cmd, site.root, env, logs / f"macros-profile-{kind}.log")
    if code != 0:
        raise RuntimeError(f"profiled build failed; see {logs / f'macros-profile-{kind}.log'}")
    data = analyse_session(session_path, tools)
    return Profile(
        size=str(site.size),
        total=data["total"],
        interval=interval,
        inclusive=[Hotspot(**h) for h in data["inclusive"]],
        by_self=[Hotspot(**h) for h in data["by_self"]],
        stages=data["stages"],
        session=str(session_path),
        cpu=cpu,
        wall=wall,
        kind=kind,
    )


def analyse_session(session_path: Path, tools: Path) -> dict[str, Any]:
    """_analyse() in a process that can import pyinstrument."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tools), str(ROOT)]))
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, json; from bench.profiling import _analyse; print(json.dumps(_analyse(sys.argv[1])))",
            str(session_path),
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    data: dict[str, Any] = json.loads(out.stdout)
    return data


def _short_path(path: str) -> str:
    exported = re.search(r"/engine-[0-9a-f]+/(.*)$", path)  # an engine exported by --engine-rev
    if exported:
        return exported.group(1)
    for marker in ("site-packages/", "lib/python3"):
        if marker in path:
            return path.split(marker, 1)[1]
    for base in (Path(ENGINE["dir"]), ROOT):  # type: ignore[arg-type]
        try:
            return str(Path(path).resolve().relative_to(base.resolve()))
        except ValueError:
            continue
    return path


def _analyse(session_path: str) -> dict[str, Any]:  # runs where pyinstrument is importable
    from pyinstrument.frame_info import frame_info_get_identifier  # type: ignore[import-not-found]
    from pyinstrument.session import Session  # type: ignore[import-not-found]

    session = Session.load(session_path)
    inclusive: dict[tuple[str, str], float] = {}
    self_time: dict[tuple[str, str], float] = {}
    person: dict[str, float] = {"t": 0.0}
    total = 0.0
    for stack, seconds in session.frame_records:
        total += seconds
        seen = set()
        for info in stack:
            ident = frame_info_get_identifier(info).split("\x00")
            key = (ident[0], _short_path(ident[1]) if len(ident) > 1 else "")
            if key not in seen:
                seen.add(key)
                inclusive[key] = inclusive.get(key, 0.0) + seconds
        # Person.__init__ is told apart from Entry.__init__ by its file and line
        for info in stack:
            ident = frame_info_get_identifier(info).split("\x00")
            if (
                ident[0] == "__init__"
                and len(ident) > 2
                and ident[1].endswith("pybtex/database/__init__.py")
                and _is_person_line(ident[1], int(ident[2]))
            ):
                person["t"] += seconds
                break
        if stack:
            ident = frame_info_get_identifier(stack[-1]).split("\x00")
            key = (ident[0], _short_path(ident[1]) if len(ident) > 1 else "")
            self_time[key] = self_time.get(key, 0.0) + seconds

    def hot(key: tuple[str, str]) -> dict[str, Any]:
        return {
            "function": key[0],
            "where": key[1],
            "inclusive": inclusive.get(key, 0.0),
            "self_time": self_time.get(key, 0.0),
        }

    interesting = ("macros/", "pybtex/", "latexcodec/")
    ranked = sorted((k for k in inclusive if k[1].startswith(interesting)), key=lambda k: -inclusive[k])
    stages = {}
    for label, function, suffix in STAGES:
        if suffix.endswith(":Person"):
            stages[label] = person["t"]
            continue
        stages[label] = sum(t for (f, where), t in inclusive.items() if f == function and where.endswith(suffix))
    stages["outside build(): start-up, imports, config"] = total - stages[STAGES[0][0]]
    return {
        "total": total,
        "inclusive": [hot(k) for k in ranked[:30]],
        "by_self": [hot(k) for k in sorted(self_time, key=lambda k: -self_time[k])[:20]],
        "stages": stages,
    }


_PERSON_LINES: dict[str, range] = {}


def _is_person_line(path: str, line: int) -> bool:
    if path not in _PERSON_LINES:
        text = Path(path).read_text(encoding="utf-8").splitlines()
        start = next(i for i, t in enumerate(text) if t.startswith("class Person"))
        end = next((i for i in range(start + 1, len(text)) if text[i].startswith("class ")), len(text))
        _PERSON_LINES[path] = range(start + 1, end + 1)
    return line in _PERSON_LINES[path]
