"""``mkdocs build --strict``, with every MkDocs warning pointed at a file and line.

Usage: python tools/build_site.py [-f mkdocs.yml] [-d site/]

MkDocs names the page of a broken link but not the line, and reports a page
missing from the navigation without saying where to add it. This runs the
same strict build and prints each of those warnings as

    docs/muscles.md:12: Doc file 'muscles.md' contains a link 'nope.md', but ...
    docs/extra.md:1: this page is not in the navigation: add it under 'nav:' in mkdocs.yml (line 11) ...

Every other line of MkDocs' output is passed through unchanged. The exit
status is MkDocs' own: non-zero when any warning or error was logged.
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
    from tools.project import Settings, load_settings, relative
except ModuleNotFoundError:  # pragma: no cover - direct script run
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tools.project import Settings, load_settings, relative

RECORD = re.compile(r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL)\s*-\s+(.*)$")
DOC_LINK = re.compile(
    r"^Doc file '(?P<page>[^']+)' contains (?:a|an absolute|an unrecognized relative) link '(?P<url>[^']*)'"
)
DOC_LINK_TO = re.compile(r"^Doc file '(?P<page>[^']+)' contains a link to '(?P<url>[^']*)'")
NAV_MISSING = re.compile(r"^A reference to '(?P<url>[^']+)' is included in the 'nav' configuration")
NAV_OMITTED = 'The following pages exist in the docs directory, but are not included in the "nav" configuration:'


def _line_of(path: Path, needles: list[str], occurrence: int = 0) -> int | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    for needle in needles:
        hits = [number for number, text in enumerate(lines, 1) if needle in text]
        if hits:
            return hits[min(occurrence, len(hits) - 1)]
    return None


def _nav_line(settings: Settings) -> int | None:
    """The line of the top-level 'nav:' key in mkdocs.yml."""
    try:
        lines = settings.config_file.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return next((number for number, text in enumerate(lines, 1) if text.startswith("nav:")), None)


def _title_of(page: Path) -> str:
    try:
        for line in page.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    except OSError:
        pass
    return page.stem.replace("-", " ").replace("_", " ").capitalize()


class Annotator:
    """Turns MkDocs' log records into 'path:line: message' lines where it can."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.seen: dict[tuple[str, str], int] = {}
        self.warnings = 0
        self.errors = 0

    def _doc(self, page: str) -> Path:
        return self.settings.docs_dir / page

    def record(self, level: str, message: str, more: list[str]) -> list[str]:
        if level == "WARNING":
            self.warnings += 1
        elif level in ("ERROR", "CRITICAL"):
            self.errors += 1
        match = DOC_LINK.match(message) or DOC_LINK_TO.match(message)
        if match:
            page, url = match["page"], match["url"]
            occurrence = self.seen.get((page, url), 0)
            self.seen[(page, url)] = occurrence + 1
            needles = [f"]({url}", f"]({url} ", f'"{url}"', f"<{url}>", f"]: {url}", url]
            number = _line_of(self._doc(page), needles, occurrence)
            where = relative(self._doc(page)) + (f":{number}" if number else "")
            return [f"{level} - {where}: {message}", *more]
        match = NAV_MISSING.match(message)
        if match:
            number = _line_of(self.settings.config_file, [match["url"]])
            where = relative(self.settings.config_file) + (f":{number}" if number else "")
            return [f"{level} - {where}: {message} Fix the file name, or remove the line from 'nav:'.", *more]
        if message.startswith(NAV_OMITTED):
            nav = _nav_line(self.settings)
            out = []
            for item in more:
                name = item.strip().removeprefix("- ").strip()
                if not name:
                    continue
                page = self._doc(name)
                where_nav = f"mkdocs.yml (line {nav})" if nav else "mkdocs.yml"
                out.append(
                    f"{level} - {relative(page)}:1: this page is not in the navigation: "
                    f"add it under 'nav:' in {where_nav}, e.g. '  - {_title_of(page)}: {name}'"
                )
            return out or [f"{level} - {message}", *more]
        return [f"{level} - {message}", *more]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


def run(config_file: Path, site_dir: Path | None) -> int:
    settings = load_settings(config_file)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file)]
    if site_dir is not None:
        command += ["-d", str(site_dir)]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    annotator = Annotator(settings)
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
        for out in annotator.record(level, message, more):
            print(out)
    for line in plain:
        print(line)
    seconds = time.perf_counter() - started
    target = relative(site_dir) if site_dir is not None else "the site"
    if proc.returncode == 0:
        print(f"build: {target} built in {seconds:.1f} s, nothing to fix")
    else:
        print(
            f"build: failed ({_count(annotator.errors, 'error')}, {_count(annotator.warnings, 'warning')}). "
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
