"""How long ``python -m macros check`` takes on a real .bib, against pybtex's own parse of it.

    .venv/bin/python -m bench.check_time                      # tugboat.bib (4 839 entries)
    .venv/bin/python -m bench.check_time ../shared/corpora/realbib/font.bib --repeats 5

``check`` reads and validates the whole file and formats every entry; the
yardstick is pybtex's non-strict ``parse_file`` of the same file, which only
reads it. Both run in a fresh process each time (so imports count for both),
best of ``--repeats``. CPU seconds (user + system, of the child process) are
the figure to compare on a shared machine: wall time there mostly measures
the other processes. A benchmark, not a test: nothing here fails on time.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "corpora" / "realbib" / "tugboat.bib"

PYBTEX = """
import sys
import pybtex.errors
from pybtex.database import parse_file
pybtex.errors.set_strict_mode(False)
with pybtex.errors.capture():
    data = parse_file(sys.argv[1], bib_format="bibtex")
print(len(data.entries))
"""


def project(folder: Path, bib: Path) -> Path:
    """A one-page site whose bibliography is ``bib`` (read where it is, not copied)."""
    (folder / "docs").mkdir()
    (folder / "docs" / "index.md").write_text("# Check\n\nNothing cited.\n", encoding="utf-8")
    config = folder / "mkdocs.yml"
    config.write_text(
        f"site_name: check\nextra:\n  citations:\n    bibliography: {bib}\n    warn_uncited: false\n",
        encoding="utf-8",
    )
    return config


def timed(command: list[str]) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall seconds, CPU seconds (user + system) and the outcome of running ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bib", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    bib = args.bib.resolve()
    with tempfile.TemporaryDirectory() as work:
        config = project(Path(work), bib)
        check_runs, pybtex_runs = [], []
        for _ in range(args.repeats):
            wall, cpu, done = timed([sys.executable, "-m", "macros", "check", "-f", str(config)])
            check_runs.append((cpu, wall))
            summary = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "(no output)"
            wall, cpu, read = timed([sys.executable, "-c", PYBTEX, str(bib)])
            pybtex_runs.append((cpu, wall))
    check, pybtex = min(check_runs), min(pybtex_runs)
    load = os.getloadavg()[0]
    print(f"{bib.name}: {pybtex_entries(read)} entries; best of {args.repeats}; load average {load:.1f}")
    print(f"  python -m macros check : {check[0]:6.2f} s CPU {check[1]:7.2f} s wall  ({summary})")
    print(f"  pybtex parse_file      : {pybtex[0]:6.2f} s CPU {pybtex[1]:7.2f} s wall  (non-strict)")
    print(f"  ratio                  : {check[0] / pybtex[0]:6.2f}x CPU {check[1] / pybtex[1]:6.2f}x wall")
    return 0


def pybtex_entries(done: subprocess.CompletedProcess[str]) -> str:
    return done.stdout.strip() or f"? ({done.stderr.strip()[-200:]})"


if __name__ == "__main__":
    sys.exit(main())
