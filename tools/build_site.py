"""``mkdocs build --strict``, its warnings and errors and a one-line summary.

Usage: python tools/build_site.py [-f mkdocs.yml] [-d site/]

The citations plugin already points MkDocs' own warnings at a file and line
(macros/messages.py), in this build as in ``mkdocs serve``:

    docs/muscles.md:12: Doc file 'muscles.md' contains a link 'nope.md', but ...
    docs/extra.md:1: this page is not in the navigation: add it under 'nav:' in mkdocs.yml (line 11) ...

This prints those lines (not MkDocs' progress chatter) and a summary. The
exit status is MkDocs' own: non-zero when any warning or error was logged.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

try:
    from tools.project import relative
except ModuleNotFoundError:  # pragma: no cover - direct script run
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tools.project import relative

RECORD = re.compile(r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL)\s*-\s+(.*)$")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


def run(config_file: Path, site_dir: Path | None) -> int:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file)]
    if site_dir is not None:
        command += ["-d", str(site_dir)]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    counts = {"WARNING": 0, "ERROR": 0}
    records: list[tuple[str, str, list[str]]] = []
    plain: list[str] = []
    for line in (proc.stdout + proc.stderr).splitlines():
        match = RECORD.match(line)
        if match:
            records.append((match[1], match[2], []))
        elif records and (line.startswith((" ", "\t")) or not line.strip()):
            records[-1][2].append(line)
        elif line.strip():
            plain.append(line)
    for level, message, more in records:
        if level in ("DEBUG", "INFO"):
            continue  # MkDocs' progress chatter; warnings and errors are what matter here
        counts["ERROR" if level == "CRITICAL" else level] += 1
        for out in (f"{level} - {message}", *more):
            print(out)
    for line in plain:
        print(line)
    seconds = time.perf_counter() - started
    target = relative(site_dir) if site_dir is not None else "the site"
    if proc.returncode == 0:
        print(f"build: {target} built in {seconds:.1f} s, nothing to fix")
    else:
        print(
            f"build: failed ({_count(counts['ERROR'], 'error')}, {_count(counts['WARNING'], 'warning')}). "
            "The build is strict: every warning above is an error. Fix the file and line each one names."
        )
    return proc.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    parser.add_argument("-d", "--site-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    return run(args.config_file, args.site_dir)


if __name__ == "__main__":
    sys.exit(main())
