"""One measured build of a generated site, its output checked; parsing the .bib alone."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .engines import child_env, python_for
from .generate import (
    Site,
    html_path,
)

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
if sys.argv[1] == "formatter":  # the cold formatter: FORMAT_SAMPLE entries, no cache, after the read
    try:
        from macros.html.format_entries import Formatter
    except ImportError:  # an engine from before macros/html/
        from macros.formatting import Formatter
    bib = bibfile.load(sys.argv[2], "refs.bib")
    items = list(bib.entries.values())[: int(sys.argv[3])]
t, c = time.perf_counter(), time.process_time()
if sys.argv[1] == "pybtex":
    n = len(parse_file(sys.argv[2]).entries)
elif sys.argv[1] == "formatter":
    formatter = Formatter(bib)
    for item in items:
        formatter.format(item)
    n = len(items)
else:
    n = len(bibfile.load(sys.argv[2], "refs.bib"))
print(time.perf_counter() - t, time.process_time() - c, n)
"""
# Entries the cold formatter is timed on (the first of the file; a build at
# (200, 10, 20 000) formats about 2 200 cited entries).
FORMAT_SAMPLE = 2000


def parse_reference(bib: Path, which: str, cache_dir: Path) -> tuple[float, float]:
    """(wall, CPU) seconds to parse the .bib once in a fresh process (imports not counted).

    ``which`` "formatter": to format FORMAT_SAMPLE entries with no cache, after the
    engine's read (seconds an entry).
    """
    env = child_env("macros", cache_dir)
    out = subprocess.run(
        [sys.executable, "-c", PARSE_SNIPPET, which, str(bib), str(FORMAT_SAMPLE)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    if which == "formatter":
        return float(out[0]) / max(int(out[2]), 1), float(out[1]) / max(int(out[2]), 1)
    return float(out[0]), float(out[1])
