"""Run the build benchmark and write bench/RESULTS.md.

    python -m bench                      # the four sizes of issue 7, serve rebuilds, ~30 min on 2 cores
    python -m bench --quick              # a tiny size, floor, limit and ours only, a few seconds (make test)
    python -m bench --sizes 200x10x2000 --repeats 5 --flavours plain,limit,macros
    python -m bench --profile 200x10x20000   # also profile ours with pyinstrument

For every size (N pages, M citations a page, a K-entry .bib) it generates the
flavours of bench/generate.py (the limit from one extra build of ours) and
builds them in turn (floor, limit, peer, ours, floor, limit, ...). The first round is the *cold* build: a freshly
generated project and an empty cache folder (XDG_CACHE_HOME). The following
rounds are *warm*: the same project folder and cache folder again, so a
persistent cache kept there (or in XDG_CACHE_HOME) is used. Each build is a
fresh ``mkdocs build`` process; its wall time, CPU time and peak RSS
(``os.wait4``) are recorded. ``mkdocs serve`` is then started for each
flavour, one page is edited a few times, and the time to each rebuild is read
from the server's log.

The peer (mkdocs-bibtex) runs from its own virtual environment,
bench/.venv-peer, which is created on first use; it is never a dependency of
the project.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import os
import platform
import queue
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from macros.cache import source_fingerprint

from .generate import (
    ALL_FLAVOURS,
    BIB_NAME,
    DEFAULT_SEED,
    FLAVOURS,
    Generator,
    Site,
    Size,
    capture_citations,
    html_path,
)

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PEER_VENV = BENCH / ".venv-peer"
DEFAULT_WORK = BENCH / "work"
PEER_PACKAGE = "mkdocs-bibtex==4.4.0"
PROFILER_PACKAGE = "pyinstrument==5.1.3"

DEFAULT_SIZES = ["200x10x2000", "200x10x20000", "1000x10x2000", "20x10x20000"]
DEFAULT_SERVE_SIZES = ["200x10x2000", "200x10x20000"]
QUICK_SIZE = "3x2x20"
SHORT = {"plain": "floor", "limit": "limit", "bibtex": "peer", "macros": "ours"}


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


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

# MkDocs finds the `citations` plugin by the entry point of the project
# installed (editable) in .venv: `macros.plugin:CitationsPlugin`. The engine
# under test is put first on PYTHONPATH, so that import resolves to its
# macros/ even when it is another checkout or an exported commit.
ENTRY_POINT = "macros.plugin:CitationsPlugin"
ENGINE_CHECK = r"""
import importlib.metadata as m, json, sys
points = [p.value for p in m.entry_points(group="mkdocs.plugins") if p.name == "citations"]
try:
    import macros.plugin as plugin
    where, ok = plugin.__file__, hasattr(plugin, "CitationsPlugin")
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
    if data.get("points") != [ENTRY_POINT]:
        raise SystemExit(
            f"bench: {sys.executable} has no `citations` MkDocs plugin ({ENTRY_POINT}); install the project "
            "into this environment first: make .venv/.site-installed"
        )
    expected = (engine / "macros" / "plugin.py").resolve()
    if not data.get("ok") or Path(data["file"]).resolve() != expected:
        raise SystemExit(f"bench: the `citations` plugin would load {data.get('file')}, not {expected}")


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
            ["git", "-C", str(ROOT), "archive", "--format=tar", commit, "macros"], capture_output=True, check=True
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
        paths.append(str(ENGINE["dir"]))  # the entry point's `macros.plugin` is imported from here
    if paths:
        env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


# -- one build ---------------------------------------------------------------------------


@dataclass
class Sample:
    size: str
    flavour: str
    round: int  # 0 = cold
    wall: float
    cpu: float
    rss_mb: float
    reported: float | None  # MkDocs' own "Documentation built in X seconds"
    load: float = 0.0  # 1-minute load average just before the build
    others: float = 0.0  # cores used by other processes during the build (from /proc/stat)


def _machine_busy() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (None off Linux)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    steal = fields[7] if len(fields) > 7 else 0  # another VM's time is not ours either
    return (sum(fields[:8]) - idle - steal) / os.sysconf("SC_CLK_TCK")


QUIET = {"patience": 30.0, "max_cores": 0.5}  # set from --wait-quiet


def wait_for_quiet() -> float:
    """Wait (up to --wait-quiet s) until other processes use less than half a core; return their last use."""
    patience, max_cores = QUIET["patience"], QUIET["max_cores"]
    if patience <= 0:
        return 0.0
    deadline = time.monotonic() + patience
    while True:
        before, start = _machine_busy(), time.monotonic()
        time.sleep(0.5)
        after = _machine_busy()
        if before is None or after is None:
            return 0.0
        busy = (after - before) / (time.monotonic() - start)
        if busy < max_cores or time.monotonic() > deadline:
            return busy
        time.sleep(1.0)


def _maxrss_mb(ru_maxrss: int) -> float:
    return ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else ru_maxrss / 1024


# Peak RSS is measured by a small wrapper process, not by this one: Linux's
# ru_maxrss of a child counts the memory it shared with its parent between
# fork and exec, so a bench process holding a 20 000-entry .bib would inflate
# every build's figure. The wrapper is a bare Python (~10 MB), far below any
# MkDocs build.
MEASURE_SNIPPET = r"""
import json, os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
wall = time.perf_counter() - start
with open(sys.argv[1], "w") as out:
    json.dump({"code": os.waitstatus_to_exitcode(status), "wall": wall,
               "cpu": usage.ru_utime + usage.ru_stime, "maxrss": usage.ru_maxrss}, out)
"""


def run_measured(cmd: list[str], cwd: Path, env: dict[str, str], log_path: Path) -> tuple[int, float, float, float]:
    """(exit code, wall s, user+sys CPU s, peak RSS MB) of one child process."""
    stats = log_path.with_suffix(".json")
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-c", MEASURE_SNIPPET, str(stats), *cmd],
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            proc.wait()
        except BaseException:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
    if proc.returncode != 0 and not stats.exists():
        return proc.returncode, 0.0, 0.0, 0.0
    data = json.loads(stats.read_text())
    return data["code"], data["wall"], data["cpu"], _maxrss_mb(data["maxrss"])


BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")


def mkdocs_build_args(site: Site) -> list[str]:
    """`-m mkdocs build` of a generated site into its own site/ folder."""
    return ["-m", "mkdocs", "build", "-f", str(site.config), "-d", str(site.root / "site")]


def build(site: Site, round_: int, cache_dir: Path, logs: Path, wait: bool = True) -> Sample:
    log_path = logs / f"{site.flavour}-build-{round_ if round_ >= 0 else 'capture'}.log"
    if wait:
        wait_for_quiet()
    load = os.getloadavg()[0]
    busy_before = _machine_busy()
    cmd = [str(python_for(site.flavour)), *mkdocs_build_args(site)]
    code, wall, cpu, rss = run_measured(cmd, site.root, child_env(site.flavour, cache_dir), log_path)
    busy_after = _machine_busy()
    others = 0.0 if busy_before is None or busy_after is None else max(0.0, (busy_after - busy_before - cpu) / wall)
    text = log_path.read_text(encoding="utf-8", errors="replace")
    if code != 0 or "\nERROR" in "\n" + text:
        tail = "\n".join(text.splitlines()[-20:])
        raise RuntimeError(f"{site.flavour} build failed (exit {code}); log {log_path}:\n{tail}")
    match = BUILT.search(text)
    return Sample(
        site.size.tag, site.flavour, round_, wall, cpu, rss, float(match.group(1)) if match else None, load, others
    )


def check_output(site: Site, ours: Site | None = None) -> int:
    """Count the citation markers in the built HTML; raise if they are not all there.

    The limit's every page and search index must be byte for byte those of
    ``ours``, the build its citation HTML was read from.
    """
    if site.flavour == "limit":
        assert ours is not None
        for page in site.pages:
            built, expected = (html_path(s.root / "site", page.src) for s in (site, ours))
            if built.read_bytes() != expected.read_bytes():
                raise RuntimeError(f"limit: {page.src} is not the HTML of ours ({ours.root / 'site'})")
        index = Path("site", "search", "search_index.json")
        if (site.root / index).read_bytes() != (ours.root / index).read_bytes():
            raise RuntimeError("limit: the search index is not that of ours")
        site = dataclasses.replace(site, flavour="macros")
    pattern = {
        "plain": None,
        "bibtex": re.compile(r'class="footnote-ref"'),
        "macros": re.compile(r'id="cite-'),
    }[site.flavour]
    count = 0
    for page in site.pages:
        html = html_path(site.root / "site", page.src).read_text(encoding="utf-8")
        if pattern is not None:
            count += len(pattern.findall(html))
    if pattern is not None and count < site.cite_calls:
        raise RuntimeError(f"{site.flavour}: only {count} citation markers in the HTML, {site.cite_calls} expected")
    if pattern is None and "footnote-ref" in html:
        raise RuntimeError("the floor has citations")
    return count


# -- parsing the .bib alone ----------------------------------------------------------------

PARSE_SNIPPET = r"""
import sys, time
from pybtex.database import parse_file
try:
    from macros.bib import reader as bibfile
except ImportError:  # an engine from before macros/bib/
    from macros import bibfile
t, c = time.perf_counter(), time.process_time()
if sys.argv[1] == "pybtex":
    n = len(parse_file(sys.argv[2]).entries)
else:
    n = len(bibfile.load(sys.argv[2], "refs.bib"))
print(time.perf_counter() - t, time.process_time() - c, n)
"""


def parse_reference(bib: Path, which: str, cache_dir: Path) -> tuple[float, float]:
    """(wall, CPU) seconds to parse the .bib once in a fresh process (imports not counted)."""
    env = child_env("macros", cache_dir)
    out = subprocess.run(
        [sys.executable, "-c", PARSE_SNIPPET, which, str(bib)], env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    return float(out[0]), float(out[1])


# -- mkdocs serve ------------------------------------------------------------------------------


@dataclass
class ServeResult:
    size: str
    flavour: str
    rebuilds: list[float] = field(default_factory=list)  # "Building documentation" -> "Reloading browsers"
    latencies: list[float] = field(default_factory=list)  # edit -> "Reloading browsers"
    cpus: list[float] = field(default_factory=list)  # server CPU seconds from the edit to the reload
    first_build: float | None = None
    rss_mb: float | None = None  # VmHWM of the server after the rebuilds


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _proc_cpu(pid: int) -> float:
    """User + system CPU seconds of a running process (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _vm_hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def serve_rebuilds(site: Site, edits: int, cache_dir: Path, logs: Path, timeout: float = 600) -> ServeResult:
    """Start `mkdocs serve`, edit one page `edits` times, time each rebuild.

    A rebuild is timed from the server's "Building documentation..." to its
    "Reloading browsers", as this process reads them from the pipe. MkDocs'
    own "Documentation built in X seconds" cannot be relied on: its build
    logger drops a message identical to an earlier one, so two rebuilds of
    the same duration log it once.
    """
    result = ServeResult(site.size.tag, site.flavour)
    port = _free_port()
    cmd = [str(python_for(site.flavour)), "-m", "mkdocs", "serve", "-f", str(site.config), "-a", f"127.0.0.1:{port}"]
    lines: queue.Queue[tuple[float, str]] = queue.Queue()
    log_path = logs / f"{site.flavour}-serve.log"
    page = site.root / "docs" / site.pages[len(site.pages) // 2].src
    original = page.read_text(encoding="utf-8")
    proc = subprocess.Popen(
        cmd,
        cwd=site.root,
        env=child_env(site.flavour, cache_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
        start_new_session=True,
    )

    def reader() -> None:
        with open(log_path, "w", encoding="utf-8") as log:
            assert proc.stdout is not None
            for line in proc.stdout:
                lines.put((time.perf_counter(), line))
                log.write(line)
                log.flush()

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()

    def wait_for(text: str, since: float, timeout: float = timeout) -> tuple[float, str]:
        deadline = time.perf_counter() + timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0 or (proc.poll() is not None and lines.empty()):
                raise RuntimeError(f"mkdocs serve ({site.flavour}): no '{text}' in the log; see {log_path}")
            try:
                stamp, line = lines.get(timeout=min(remaining, 1.0))
            except queue.Empty:
                continue
            if "ERROR" in line and "Error" not in text:
                raise RuntimeError(f"mkdocs serve ({site.flavour}) logged an error: {line.strip()} (see {log_path})")
            if stamp >= since and text in line:
                return stamp, line

    try:
        _, line = wait_for("Documentation built in", 0)
        result.first_build = float(BUILT.search(line).group(1))  # type: ignore[union-attr]
        wait_for("Serving on", 0)
        for i in range(edits):
            time.sleep(1.5)  # let the file watcher settle
            wait_for_quiet()
            while not lines.empty():
                lines.get_nowait()
            cpu_before = _proc_cpu(proc.pid)
            page.write_text(original + f"\nOne more sentence, edit {i + 1}.\n", encoding="utf-8")
            edited = time.perf_counter()
            began, _ = wait_for("Building documentation", edited, timeout=60)
            reloaded, _ = wait_for("Reloading browsers", began)
            result.cpus.append(_proc_cpu(proc.pid) - cpu_before)
            result.rebuilds.append(reloaded - began)
            result.latencies.append(reloaded - edited)
        result.rss_mb = _vm_hwm_mb(proc.pid)
    finally:
        page.write_text(original, encoding="utf-8")
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        thread.join(timeout=5)
    return result


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
    ("  CitationSite() (load + scan + number)", "__init__", "macros/engine.py"),
    ("    .bib: load_bibliography (cache, index, parse)", "load_bibliography", "macros/engine.py"),
    ("      fast index (fast_index.build_index)", "build_index", "macros/bib/fast_index.py"),
    ("      full validating read (reader.parse)", "parse", "macros/bib/reader.py"),
    ("        fast reader (fast_reader.read)", "read", "macros/bib/fast_reader.py"),
    ("        pybtex LowLevelParser (a file with problems)", "parse_bibliography", "pybtex/database/input/bibtex.py"),
    ("        field checks (_prepare_fields)", "_prepare_fields", "macros/bib/reader.py"),
    ("    page scan (scan_page, Jinja parse)", "scan_page", "macros/pages/scan.py"),
    ("    numbering + uncited check", "_number_and_check_keys", "macros/engine.py"),
    ("  validate() (format cited entries)", "validate", "macros/engine.py"),
    ("    Formatter.format", "format", "macros/html/format_entries.py"),
    ("  Person() name parsing (anywhere)", "__init__", "pybtex/database/__init__.py:Person"),
    ("engine: on_page_markdown (render each page's macros)", "on_page_markdown", "macros/plugin.py"),
    ("  cite() markers (site.marker)", "marker", "macros/engine.py"),
    ("    marker template (markers.render_marker, Jinja)", "render_marker", "macros/html/markers.py"),
    ("  references() lists (site.references)", "references", "macros/engine.py"),
    ("    list template (markers.render_list, Jinja)", "render_list", "macros/html/markers.py"),
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
            "import sys, json; from bench.run import _analyse; print(json.dumps(_analyse(sys.argv[1])))",
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


# -- the whole run -------------------------------------------------------------------------------


@dataclass
class SizeResult:
    size: Size
    samples: list[Sample] = field(default_factory=list)
    serve: list[ServeResult] = field(default_factory=list)
    pybtex_parse: float | None = None  # wall
    engine_load: float | None = None
    pybtex_parse_cpu: float | None = None
    engine_load_cpu: float | None = None
    bib_mb: float = 0.0
    cited_keys: int = 0
    cite_calls: int = 0
    markers: dict[str, int] = field(default_factory=dict)
    serve_errors: list[str] = field(default_factory=list)

    def walls(self, flavour: str, cold: bool) -> list[float]:
        return [s.wall for s in self.samples if s.flavour == flavour and (s.round == 0) == cold]

    def rss(self, flavour: str, cold: bool | None = None) -> list[float]:
        return [s.rss_mb for s in self.samples if s.flavour == flavour and (cold is None or (s.round == 0) == cold)]

    def cpus(self, flavour: str, cold: bool) -> list[float]:
        return [s.cpu for s in self.samples if s.flavour == flavour and (s.round == 0) == cold]


def measure_size(
    size: Size, flavours: list[str], repeats: int, serve_edits: int, work: Path, seed: int, profile: bool
) -> tuple[SizeResult, list[Profile]]:
    result = SizeResult(size)
    base = work / size.tag
    shutil.rmtree(base, ignore_errors=True)
    logs = base / "logs"
    logs.mkdir(parents=True)
    say(f"{size}: generating {', '.join(flavours)}")
    generator = Generator(size, seed)
    sites = {f: generator.write(base / f, f) for f in flavours if f != "limit"}
    caches = {f: base / "cache" / f for f in flavours}
    for path in caches.values():
        path.mkdir(parents=True)
    capture = None
    if "limit" in flavours:
        # One build of ours, apart from the measured ones (whose cold build
        # must stay cold), gives the HTML the limit puts in place.
        capture = generator.write(base / "capture", "macros")
        say(f"{size}: building ours once for the limit's citation HTML")
        build(capture, -1, base / "cache" / "capture", logs, wait=False)
        sites["limit"] = generator.write(base / "limit", "limit", capture_citations(capture))
    any_site = next(iter(sites.values()))
    result.cited_keys, result.cite_calls = any_site.cited_keys, any_site.cite_calls
    result.bib_mb = len(generator.bib_text.encode("utf-8")) / 1e6
    for round_ in range(repeats + 1):
        for flavour in flavours:
            sample = build(sites[flavour], round_, caches[flavour], logs)
            result.samples.append(sample)
            if round_ == 0:
                result.markers[flavour] = check_output(sites[flavour], capture)
            say(
                f"{size} {'cold' if round_ == 0 else 'warm'} {SHORT[flavour]:5}: {sample.wall:6.2f} s wall, "
                f"{sample.cpu:6.2f} s CPU, {sample.rss_mb:5.0f} MB; other processes used {sample.others:.2f} cores"
            )
    if set(flavours) & {"bibtex", "macros"}:
        bib = (sites.get("macros") or sites["bibtex"]).root / BIB_NAME
        scratch = base / "cache" / "parse"
        scratch.mkdir(parents=True, exist_ok=True)
        result.pybtex_parse, result.pybtex_parse_cpu = parse_reference(bib, "pybtex", scratch)
        result.engine_load, result.engine_load_cpu = parse_reference(bib, "engine", scratch)
        say(
            f"{size}: pybtex parse_file {result.pybtex_parse:.2f} s ({result.pybtex_parse_cpu:.2f} s CPU), "
            f"engine bibfile.load {result.engine_load:.2f} s ({result.engine_load_cpu:.2f} s CPU)"
        )
    if serve_edits:
        for flavour in flavours:
            try:
                served = serve_rebuilds(sites[flavour], serve_edits, caches[flavour], logs)
            except RuntimeError as error:  # one server's failure is reported, the run goes on
                say(f"{size} serve {SHORT[flavour]}: FAILED: {error}")
                result.serve_errors.append(f"{SHORT[flavour]}: {error}")
                continue
            result.serve.append(served)
            say(
                f"{size} serve {SHORT[flavour]:5}: rebuilds {', '.join(f'{t:.2f}' for t in served.rebuilds)} s, "
                f"CPU {', '.join(f'{t:.2f}' for t in served.cpus)} s"
            )
    profiles = []
    if profile and "macros" in sites:
        for kind in ("cold", "warm"):
            say(f"{size}: profiling a {kind} build of ours with pyinstrument")
            profiles.append(profile_ours(sites["macros"], work, caches["macros"], logs, kind))
            say(f"{size}: profile saved to {profiles[-1].session}")
    return result, profiles


# -- the report --------------------------------------------------------------------------------


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _read("/proc/cpuinfo").splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "?",
    )
    mem = next((line.split()[1] for line in _read("/proc/meminfo").splitlines() if line.startswith("MemTotal:")), None)
    virt = "virtual machine" if "hypervisor" in _read("/proc/cpuinfo") else ""
    info = {
        "CPU": f"{cpu}, {os.cpu_count()} logical cores" + (f" ({virt})" if virt else ""),
        "Memory": f"{int(mem) / 1024 / 1024:.1f} GiB" if mem else "?",
        "OS": platform.platform(),
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "Load average at start": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    info["Packages (project .venv)"] = ", ".join(
        _versions(
            sys.executable,
            [
                "mkdocs",
                "mkdocs-material",
                "mkdocs-citations-engine",
                "pybtex",
                "Jinja2",
                "Markdown",
                "pymdown-extensions",
            ],
        )
    )
    if peer_python().exists():
        info["Packages (bench/.venv-peer)"] = ", ".join(
            _versions(str(peer_python()), ["mkdocs-bibtex", "mkdocs", "mkdocs-material", "pybtex"])
        )
    if ENGINE["rev"]:
        where = os.path.relpath(str(ENGINE["dir"]), ROOT)
        info["Engine"] = f"macros/ of {ENGINE['rev']}, exported with git archive to {where}"
    elif Path(ENGINE["dir"]).resolve() != ROOT:  # type: ignore[arg-type]
        info["Engine"] = f"macros/ in {ENGINE['dir']}"
    else:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            [
                "git",
                "--no-optional-locks",
                "-C",
                str(ROOT),
                "status",
                "--porcelain",
                "--untracked-files=no",
                "--",
                "macros",
            ],
            capture_output=True,
            text=True,
        ).stdout.strip()
        info["Engine"] = f"the work tree at commit {commit}" + (" with uncommitted changes in macros/" if dirty else "")
    info["Engine"] += f" (fingerprint {engine_fingerprint()})"
    info["PYTHONDONTWRITEBYTECODE"] = os.environ.get("PYTHONDONTWRITEBYTECODE", "unset")
    return info


def _versions(python: str, names: list[str]) -> list[str]:
    code = "import sys, importlib.metadata as m\nfor n in sys.argv[1:]:\n    try: print(n, m.version(n))\n    except Exception: print(n, '-')"  # noqa: E501
    out = subprocess.run([python, "-c", code, *names], capture_output=True, text=True).stdout
    return [line.strip() for line in out.splitlines() if line.strip()]


def _med(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _spread(values: list[float]) -> str:
    if not values:
        return "–"
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def _ratio(value: float | None, floor: float | None) -> str:
    if value is None or not floor:
        return "–"
    return f"{value / floor:.2f}×"


def _verdict(wall_ok: bool | None, cpu_ok: bool | None) -> str:
    if wall_ok is None:
        return "met" if cpu_ok else "**not met**"
    if wall_ok and cpu_ok:
        return "met"
    if not wall_ok and not cpu_ok:
        return "**not met**"
    return "met on CPU time only" if cpu_ok else "met on wall time only"


def targets(results: list[SizeResult]) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) for the targets of issue 12 that these results cover.

    Each time target is judged twice: on wall time, as the issue states it,
    and on CPU time (user + system), which other processes on a shared
    machine disturb far less. The limit is the floor's pages with ours'
    citation HTML and no engine: what that HTML costs MkDocs and Material.
    """
    by = {(r.size.pages, r.size.cites, r.size.entries): r for r in results}
    rows = []

    def warm(r: SizeResult, f: str, cpu: bool = False) -> float | None:
        values = (r.cpus if cpu else r.walls)(f, False) or (r.cpus if cpu else r.walls)(f, True)
        return _med(values)

    for key in [(200, 10, 2000), (200, 10, 20000)]:
        r = by.get(key)
        if not r:
            continue
        w = [warm(r, f) for f in ("macros", "limit")]
        c = [warm(r, f, cpu=True) for f in ("macros", "limit")]
        if None in w or None in c:
            continue
        rw, rc = w[0] / w[1], c[0] / c[1]  # type: ignore[operator]
        rows.append(
            (
                f"{r.size}: warm build ≤ 1.05× the limit",
                f"{rw:.2f}× wall (+{w[0] - w[1]:.2f} s), {rc:.2f}× CPU (+{c[0] - c[1]:.2f} s)",  # type: ignore[operator]
                _verdict(rw <= 1.05, rc <= 1.05),
            )
        )
    for r in results:
        s = {x.flavour: x for x in r.serve}
        if "macros" in s and "limit" in s and s["macros"].rebuilds and s["limit"].rebuilds:
            rw = _med(s["macros"].rebuilds) / _med(s["limit"].rebuilds)  # type: ignore[operator]
            rc = _med(s["macros"].cpus) / _med(s["limit"].cpus)  # type: ignore[operator]
            rows.append(
                (
                    f"{r.size}: `serve` rebuild after editing one page ≤ 1.05× the limit's",
                    f"{rw:.2f}× wall, {rc:.2f}× CPU",
                    _verdict(rw <= 1.05, rc <= 1.05),
                )
            )
    r = by.get((200, 10, 20000))
    if r:
        cw = [_med(r.walls(f, True)) for f in ("macros", "limit")]
        cc = [_med(r.cpus(f, True)) for f in ("macros", "limit")]
        if None not in cw and None not in cc and r.pybtex_parse and r.pybtex_parse_cpu:
            ew, ec = cw[0] - cw[1], cc[0] - cc[1]  # type: ignore[operator]
            rows.append(
                (
                    "(200, 10, 20 000): cold build ≤ the limit's + one pybtex `parse_file` of the .bib",
                    f"+{ew:.2f} s wall vs {r.pybtex_parse:.2f} s; +{ec:.2f} s CPU vs {r.pybtex_parse_cpu:.2f} s",
                    _verdict(ew <= r.pybtex_parse, ec <= r.pybtex_parse_cpu),
                )
            )
    for r in results:
        if r.size.entries != 20000 or not r.rss("macros") or not r.rss("plain"):
            continue
        parts, oks = [], []
        for cold in (True, False):
            ours, floor = _med(r.rss("macros", cold)), _med(r.rss("plain", cold))
            if ours and floor:
                parts.append(f"{'cold' if cold else 'warm'} {ours / floor:.2f}× ({ours:.0f} MB vs {floor:.0f} MB)")
                oks.append(ours / floor <= 1.3)
        verdict = (
            "met" if all(oks) else "**not met**" if not any(oks) else ("met warm only" if oks[-1] else "met cold only")
        )
        rows.append((f"{r.size}: peak memory ≤ 1.3× the floor", "; ".join(parts), verdict))
    small, large = by.get((200, 10, 2000)), by.get((1000, 10, 2000))
    if small and large:
        parts, oks = [], []
        for cpu in (False, True):
            vals = [warm(x, f, cpu) for x in (small, large) for f in ("macros", "plain")]
            if None in vals:
                break
            o_small, o_large = vals[0] - vals[1], vals[2] - vals[3]  # type: ignore[operator]
            oks.append(o_large <= 5 * max(o_small, 0.0) * 1.2 + 0.25)
            parts.append(
                f"{'CPU' if cpu else 'wall'}: +{o_small:.2f} s at 200 pages, +{o_large:.2f} s at 1 000 "
                f"(marginal {(o_large - o_small) / 800 * 1000:.1f} ms a page)"
            )
        if len(oks) == 2:
            rows.append(
                (
                    "(1 000, 10, 2 000): linear in pages (ours − floor at 1 000 pages ≤ 5 × that at 200, +20 %, +0.25 s)",  # noqa: E501
                    "; ".join(parts),
                    _verdict(*oks),
                )
            )
    return rows


def report(
    results: list[SizeResult],
    profiles: list[Profile],
    info: dict[str, str],
    args: argparse.Namespace,
    started: str,
    elapsed: float,
    notes: list[str] | tuple[str, ...] = (),
    remarks: list[str] | tuple[str, ...] = (),
) -> str:
    out = [
        "# Build benchmark (issues 7 and 12)",
        "",
        f"Generated by `{' '.join(['python -m bench', *args.argv])}` on {started} in {elapsed / 60:.1f} min. "
        "Do not edit by hand: run `make bench` again.",
        "",
    ]
    out += [f"> **Warning:** {note}\n" for note in notes]
    out += [f"{remark}\n" for remark in remarks]
    out += [
        "Flavours, identical prose and navigation: **floor** = MkDocs + Material with no citations; "
        "**limit** = the floor's pages plus exactly ours' citation HTML (markers, the “References” heading and "
        "lists), put in place by a trivial `on_page_content` hook (`bench/limit_hook.py`) from one build of ours, "
        "and checked byte for byte against it (every page and the search index): what MkDocs and Material cost "
        "for ours' output with a zero-cost engine; "
        "**peer** = mkdocs-bibtex 4.4.0 (`[@key]`, pybtex *plain* style, no pandoc) from `bench/.venv-peer`; "
        '**ours** = this project\'s engine, the `citations` MkDocs plugin (`{{ cite("key") }}`, Vancouver). '
        "Every build is a fresh `mkdocs build` process. **Cold** is the first build of a freshly generated project "
        "(no `.cache/` in it) with an empty `XDG_CACHE_HOME`; **warm** builds run again in the same project and "
        "cache folders, so a persistent cache in either is used. "
        f"Warm figures are medians of {args.repeats} builds per flavour (min–max in brackets); builds alternate "
        "floor, limit, peer, ours. Peak memory is the build process's peak RSS (`os.wait4`, through a small wrapper "
        "process). Each citation is one `cite()` call; one in five names two keys; keys are drawn uniformly from "
        "the whole .bib.",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
    ]
    out += [f"| {k} | {v} |" for k, v in info.items()]
    rows = targets(results)
    if rows:
        out += ["", "## Targets", "", "| Target (ratios in the same run) | Measured | |", "| --- | --- | --- |"]
        out += [f"| {t} | {m} | {v} |" for t, m, v in rows]
    out += [
        "",
        "## Summary: floor, limit, peer, ours",
        "",
        "Medians in seconds. *limit ÷ floor* is what ours' citation HTML itself costs MkDocs and Material; "
        "*ours ÷ limit* and *ours − limit* are what the engine costs on top of that.",
        "",
        "| Size (N, M, K) | Build, time | Floor | Limit | Peer | Ours | Limit ÷ floor | Ours ÷ limit | Ours − limit (s) |",  # noqa: E501
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        for is_cold, on_cpu in ((False, False), (False, True), (True, False), (True, True)):
            values = {f: _med((r.cpus if on_cpu else r.walls)(f, is_cold)) for f in ALL_FLAVOURS}
            if values["plain"] is None:
                continue
            ours, limit = values["macros"], values["limit"]
            out.append(
                f"| {r.size} | {'cold' if is_cold else 'warm'}, {'CPU' if on_cpu else 'wall'} | "
                + " | ".join(_fmt(values[f]) for f in ALL_FLAVOURS)
                + f" | {_ratio(limit, values['plain'])} | {_ratio(ours, limit)} | "
                f"{_fmt(ours - limit if ours is not None and limit is not None else None)} |"
            )
    out += [
        "",
        "## Builds",
        "",
        "Wall and CPU (user + system) seconds of the `mkdocs build` process; *× floor* and *× limit* are the ratios "
        "to the floor's and the limit's figure of the same kind at the same size.",
        "",
        "| Size (N, M, K) | Flavour | Cold wall (s) | × floor | × limit | Warm wall (s) | × floor | × limit | Cold CPU (s) | Warm CPU (s) | × floor | × limit | Cold peak RSS (MB) | Warm peak RSS (MB) | × floor |",  # noqa: E501
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        floor_cold, floor_warm = _med(r.walls("plain", True)), _med(r.walls("plain", False))
        limit_cold, limit_warm = _med(r.walls("limit", True)), _med(r.walls("limit", False))
        floor_rss = _med(r.rss("plain", False)) or _med(r.rss("plain", True))
        floor_cpu, limit_cpu = _med(r.cpus("plain", False)), _med(r.cpus("limit", False))
        for f in [f for f in ALL_FLAVOURS if r.walls(f, True)]:
            cold, warm, cpu = _med(r.walls(f, True)), _med(r.walls(f, False)), _med(r.cpus(f, False))
            rss_cold, rss = _med(r.rss(f, True)), _med(r.rss(f, False)) or _med(r.rss(f, True))
            out.append(
                f"| {r.size} | {SHORT[f]} | {_fmt(cold)} | {_ratio(cold, floor_cold)} | {_ratio(cold, limit_cold)} | "
                f"{_spread(r.walls(f, False))} | {_ratio(warm, floor_warm)} | {_ratio(warm, limit_warm)} | "
                f"{_fmt(_med(r.cpus(f, True)))} | {_spread(r.cpus(f, False))} | {_ratio(cpu, floor_cpu)} | "
                f"{_ratio(cpu, limit_cpu)} | {_fmt(rss_cold, 0)} | {_fmt(_med(r.rss(f, False)), 0)} | "
                f"{_ratio(rss, floor_rss)} |"
            )
    out += [
        "",
        "Site details: `cite()` calls and distinct keys cited; citation markers counted in the built HTML "
        "(the peer's footnote references count each key of a two-key citation); the .bib parsed once in a fresh "
        "process (imports excluded), wall / CPU seconds; how busy the machine was with other processes during the "
        f"builds (median cores, from /proc/stat; before each build the bench waits up to {QUIET['patience']:.0f} s "
        "for them to use under half a core).",
        "",
        "| Size (N, M, K) | .bib (MB) | Citations | Distinct keys cited | Markers (peer / ours) | pybtex `parse_file` once (s) | engine `bibfile.load` once (s) | Other processes (cores) |",  # noqa: E501
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        out.append(
            f"| {r.size} | {r.bib_mb:.1f} | {r.cite_calls} | {r.cited_keys} | {r.markers.get('bibtex', '–')} / {r.markers.get('macros', '–')} | "  # noqa: E501
            f"{_fmt(r.pybtex_parse)} / {_fmt(r.pybtex_parse_cpu)} | {_fmt(r.engine_load)} / {_fmt(r.engine_load_cpu)} | "  # noqa: E501
            f"{_fmt(_med([x.others for x in r.samples]))} |"
        )
    if any(r.serve for r in results):
        out += [
            "",
            "## `mkdocs serve`: rebuild after editing one page",
            "",
            "The server is started, then one page is edited (a sentence appended) several times, 1.5 s apart. "
            "*Rebuild* is the wall time from the server's “Building documentation...” to its “Reloading browsers”; "
            "*server CPU* is the CPU time the server process used from the edit to the reload; *edit → reload* is the "
            "wall time from writing the file to “Reloading browsers” (adds the watcher's 0.1 s debounce). "
            "Medians, min–max in brackets.",
            "",
            "| Size (N, M, K) | Flavour | First build (s) | Rebuild (s) | × floor | × limit | Server CPU a rebuild (s) | × floor | × limit | Edit → reload (s) | Server peak RSS (MB) |",  # noqa: E501
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in results:
            s = {x.flavour: x for x in r.serve}
            floor, lim = s.get("plain"), s.get("limit")
            for f in [f for f in ALL_FLAVOURS if f in s]:
                x = s[f]
                out.append(
                    f"| {r.size} | {SHORT[f]} | {_fmt(x.first_build)} | {_spread(x.rebuilds)} | "
                    f"{_ratio(_med(x.rebuilds), _med(floor.rebuilds) if floor else None)} | "
                    f"{_ratio(_med(x.rebuilds), _med(lim.rebuilds) if lim else None)} | {_spread(x.cpus)} | "
                    f"{_ratio(_med(x.cpus), _med(floor.cpus) if floor else None)} | "
                    f"{_ratio(_med(x.cpus), _med(lim.cpus) if lim else None)} | {_spread(x.latencies)} | "
                    f"{_fmt(x.rss_mb, 0)} |"
                )
    errors = [f"- {r.size}: `mkdocs serve` failed for {e}" for r in results for e in r.serve_errors]
    if errors:
        out += ["", *errors]
    for p in profiles:
        same = [r for r in results if str(r.size) == p.size]

        def median_cpu(flavour: str, same: list[SizeResult] = same, kind: str = p.kind) -> float | None:
            if not same:
                return None
            return _med([s.cpu for s in same[0].samples if s.flavour == flavour and (s.round == 0) == (kind == "cold")])

        base_cpu, limit_cpu = median_cpu("macros"), median_cpu("limit")
        above = base_cpu - limit_cpu if base_cpu is not None and limit_cpu is not None else None
        out += [
            "",
            f"## Profile of ours at {p.size}, {p.kind} build",
            "",
            f"pyinstrument {PROFILER_PACKAGE.split('==')[1]}, one {p.kind} build "
            + (
                "(a fresh copy of the project, no cache)"
                if p.kind == "cold"
                else "(in the project and cache folders of the warm builds)"
            )
            + f", sampling every {p.interval * 1000:.0f} ms; "
            f"{p.total:.2f} s sampled (profiling overhead included). Inclusive seconds; a function is counted once per stack. "  # noqa: E501
            f"Session file: `{_short_path(p.session)}` (open with `pyinstrument --load FILE`).",
            "",
            "pyinstrument samples wall time, and its own overhead slows the build down (the profiled build used "
            f"{_fmt(p.cpu)} s CPU); *≈ s unprofiled* is each stage's share times the median CPU time of ours' "
            f"unprofiled {p.kind} builds at this size ({_fmt(base_cpu)} s), the best estimate of what the stage costs; "
            f"*% of ours − limit* relates the engine's stages to what ours costs above the limit in the same run "
            f"({_fmt(above)} s CPU, medians of the {p.kind} builds).",
            "",
            "| Stage | Sampled (s) | Share | ≈ s unprofiled | % of ours − limit |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        top, engine_total = "", 0.0
        for label, t in p.stages.items():
            top = label if not label.startswith(" ") else top
            estimate = t / p.total * base_cpu if base_cpu and p.total else None
            share = "–"
            if top.startswith("engine:") and estimate is not None and above and above > 0:
                share = f"{estimate / above:.0%}"
            if label is top and top.startswith("engine:"):
                engine_total += t
            out.append(
                f"| {label.replace('  ', '&nbsp;&nbsp;')} | {t:.2f} | {t / p.total if p.total else 0:.0%} | "
                f"{_fmt(estimate)} | {share} |"
            )
        if p.total and base_cpu:
            estimate = engine_total / p.total * base_cpu
            out.append(
                f"| **the engine's stages above, together** | {engine_total:.2f} | {engine_total / p.total:.0%} | "
                f"{_fmt(estimate)} | {f'{estimate / above:.0%}' if above and above > 0 else '–'} |"
            )
        out += [
            "",
            "Top functions of the engine and what it calls (macros/, pybtex/, latexcodec/) by inclusive time:",
            "",
            "| Function | File | Inclusive (s) | Self (s) |",
            "| --- | --- | ---: | ---: |",
        ]
        out += [f"| `{h.function}` | {h.where} | {h.inclusive:.2f} | {h.self_time:.2f} |" for h in p.inclusive[:25]]
        out += ["", "Top functions by self time:", "", "| Function | File | Self (s) |", "| --- | --- | ---: |"]
        out += [f"| `{h.function}` | {h.where} | {h.self_time:.2f} |" for h in p.by_self[:15]]
    out += ["", "<details><summary>Every sample (wall seconds by round; round 0 is cold)</summary>", ""]
    for r in results:
        for f in ALL_FLAVOURS:
            walls = [f"{s.wall:.2f}" for s in r.samples if s.flavour == f]
            if walls:
                out.append(f"- {r.size} {SHORT[f]}: {', '.join(walls)}")
    out += ["", "</details>", ""]
    return "\n".join(out)


# -- command line ----------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Build-time benchmark of the citation engine (issues 7 and 12)."
    )
    parser.add_argument("--sizes", help=f"comma-separated NxMxK sizes (default: {','.join(DEFAULT_SIZES)})")
    parser.add_argument("--repeats", type=int, help="warm builds per flavour and size, after the cold one (default 3)")
    parser.add_argument(
        "--flavours",
        help="comma-separated, from plain,limit,bibtex,macros (default: all four; limit = the floor's pages with "
        "ours' citation HTML put in place by a hook, read from one extra build of ours)",
    )
    parser.add_argument(
        "--serve",
        help=f"sizes to time `mkdocs serve` rebuilds at, or 'none' (default: {','.join(DEFAULT_SERVE_SIZES)})",
    )
    parser.add_argument("--serve-edits", type=int, default=3, help="edits (rebuilds) per serve session (default 3)")
    parser.add_argument("--profile", help="profile ours with pyinstrument at these sizes (e.g. 200x10x20000)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"{QUICK_SIZE}, floor, limit and ours, 1 warm build, no serve (for make test)",
    )
    parser.add_argument(
        "--output", type=Path, default=BENCH / "RESULTS.md", help="Markdown report (default bench/RESULTS.md)"
    )
    parser.add_argument("--json", type=Path, help="raw samples as JSON (default WORKDIR/results.json)")
    parser.add_argument(
        "--workdir", type=Path, default=DEFAULT_WORK, help="generated sites and logs (default bench/work)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--report-only", type=Path, metavar="JSON", help="only write the report again from a results.json"
    )
    parser.add_argument(
        "--engine", type=Path, metavar="DIR", help="benchmark the macros/ package in DIR (default: this repository)"
    )
    parser.add_argument(
        "--engine-rev",
        metavar="REV",
        help="benchmark macros/ as of a git commit (exported with git archive "
        "into WORKDIR/engine-SHA; the work tree is not touched), e.g. to compare before and after a change",
    )
    parser.add_argument(
        "--wait-quiet",
        type=float,
        help="before each build, wait up to this many seconds for other "
        "processes to use under half a core (default 30; 0 with --quick)",
    )
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    if args.quick:
        args.sizes = args.sizes or QUICK_SIZE
        args.flavours = args.flavours or "plain,limit,macros"
        args.repeats = 1 if args.repeats is None else args.repeats
        args.serve = args.serve or "none"
        args.wait_quiet = 0.0 if args.wait_quiet is None else args.wait_quiet
    args.wait_quiet = 30.0 if args.wait_quiet is None else args.wait_quiet
    args.repeats = 3 if args.repeats is None else args.repeats
    args.size_list = [Size.parse(s) for s in (args.sizes or ",".join(DEFAULT_SIZES)).split(",") if s.strip()]
    serve = args.serve or ",".join(DEFAULT_SERVE_SIZES)
    args.serve_sizes = set() if serve == "none" else {Size.parse(s) for s in serve.split(",") if s.strip()}
    args.profile_sizes = {Size.parse(s) for s in (args.profile or "").split(",") if s.strip()}
    args.flavour_list = [f.strip() for f in (args.flavours or ",".join(FLAVOURS)).split(",") if f.strip()]
    for f in args.flavour_list:
        if f not in ALL_FLAVOURS:
            parser.error(f"unknown flavour {f!r}; choose from {', '.join(ALL_FLAVOURS)}")
    if "plain" not in args.flavour_list:
        parser.error("the floor (plain) is needed: every ratio is to it")
    args.flavour_list = [f for f in ALL_FLAVOURS if f in args.flavour_list]  # floor, limit, peer, ours
    if args.repeats < 0:
        parser.error("--repeats must be 0 or more")
    return args


def load_results(path: Path) -> tuple[dict[str, Any], list[SizeResult], list[Profile]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    results = []
    for raw in data["results"]:
        raw = dict(raw)
        tag = raw.pop("size")
        size = Size(*(int(x[1:]) for x in tag.split("-")))
        samples = [Sample(**x) for x in raw.pop("samples")]
        serve = [ServeResult(**x) for x in raw.pop("serve")]
        results.append(SizeResult(size=size, samples=samples, serve=serve, **raw))
    profiles = []
    for raw in data.get("profiles", []):
        raw = dict(raw)
        raw["inclusive"] = [Hotspot(**h) for h in raw["inclusive"]]
        raw["by_self"] = [Hotspot(**h) for h in raw["by_self"]]
        profiles.append(Profile(**raw))
    return data, results, profiles


def report_only(json_path: Path, output: Path) -> int:
    data, results, profiles = load_results(json_path)
    tools = json_path.parent / "tools"
    for p in profiles:  # analyse the saved sessions again, with this version's stages
        if Path(p.session).exists() and (tools / "pyinstrument").exists():
            fresh = analyse_session(Path(p.session), tools)
            p.total, p.stages = fresh["total"], fresh["stages"]
            p.inclusive = [Hotspot(**h) for h in fresh["inclusive"]]
            p.by_self = [Hotspot(**h) for h in fresh["by_self"]]
    meta = argparse.Namespace(argv=data.get("argv", ["..."]), repeats=data.get("repeats", "?"))
    text = report(
        results,
        profiles,
        data["machine"],
        meta,
        data.get("started", "?"),
        data.get("elapsed", 0.0),
        data.get("notes", []),
        data.get("remarks", []),
    )
    output.write_text(text, encoding="utf-8")
    say(f"wrote {output} from {json_path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.report_only:
        return report_only(args.report_only, args.output)
    QUIET["patience"] = args.wait_quiet
    work: Path = args.workdir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    if args.engine_rev:
        ENGINE["dir"], commit = export_engine(args.engine_rev, work)
        ENGINE["rev"] = (
            f"{args.engine_rev} (commit {commit[:10]})" if not commit.startswith(args.engine_rev) else commit[:10]
        )
    elif args.engine:
        ENGINE["dir"] = args.engine.resolve()
    if not (Path(ENGINE["dir"]) / "macros" / "__init__.py").exists():  # type: ignore[arg-type]
        raise SystemExit(f"bench: no macros/ package in {ENGINE['dir']}")
    if "macros" in args.flavour_list:
        check_engine()
    fingerprint = engine_fingerprint()
    if "bibtex" in args.flavour_list:
        ensure_peer()
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    start = time.perf_counter()
    info = machine()
    results: list[SizeResult] = []
    profiles: list[Profile] = []
    notes: list[str] = []
    json_path = args.json or work / "results.json"
    for size in args.size_list:
        result, profs = measure_size(
            size,
            args.flavour_list,
            args.repeats,
            args.serve_edits if size in args.serve_sizes else 0,
            work,
            args.seed,
            size in args.profile_sizes,
        )
        results.append(result)
        profiles.extend(profs)
        now = engine_fingerprint()
        if now != fingerprint:
            notes.append(
                f"The engine's files changed while {size} was measured (fingerprint {fingerprint} → {now}): "
                "its figures may mix two versions. Use --engine-rev to measure a fixed commit."
            )
            say("warning: " + notes[-1])
            fingerprint = now
        # Write after every size, so a long run that is stopped keeps what it measured.
        text = report(results, profiles, info, args, started, time.perf_counter() - start, notes)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        json_path.write_text(
            json.dumps(
                {
                    "argv": args.argv,
                    "repeats": args.repeats,
                    "started": started,
                    "elapsed": time.perf_counter() - start,
                    "machine": info,
                    "notes": notes,
                    "results": [{**asdict(r), "size": r.size.tag} for r in results],
                    "profiles": [asdict(p) for p in profiles],
                },
                indent=1,
            ),
            encoding="utf-8",
        )
    info["Load average at end"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    args.output.write_text(
        report(results, profiles, info, args, started, time.perf_counter() - start, notes), encoding="utf-8"
    )
    say(f"wrote {args.output} ({(time.perf_counter() - start) / 60:.1f} min)")
    for target, measured, verdict in targets(results):
        say(f"{target}: {measured} -> {verdict.strip('*')}")
    return 0
