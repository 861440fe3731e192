"""Run every contributor check (``make check``), report each, then sum up.

Usage: python tools/run_checks.py [--make make] [STEP ...]

Each step is a Makefile target, ``make check-STEP``, so a step can also be run
alone (``make check-spelling``), and the pre-commit hooks and CI call the very
same targets. Every step runs even when an earlier one fails, except the
steps that need the built site when the build failed. The exit status is 1
when any step failed.

On GitHub Actions every ``path:line: message`` line is also written as an
annotation, so the problem shows up on the changed line of the pull request.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass

#: name -> (what it checks, the steps it needs to have passed)
STEPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "citations": ("citations and references.bib (python -m macros check)", ()),
    "build": ("strict MkDocs build (mkdocs build --strict)", ()),
    "handout": ("the PDF handout and its print page (python -m pdf)", ("build",)),
    "links": ("internal links and anchors in the built site", ("build",)),
    "markdown": ("Markdown style (PyMarkdown)", ()),
    "spelling": ("spelling (codespell and a dictionary with tools/wordlist.txt)", ()),
    "ruff": ("Python lint (ruff check)", ()),
    "format": ("Python formatting (ruff format --check)", ()),
    "types": ("Python types (mypy)", ()),
    "workflows": ("GitHub workflows and issue forms are valid", ()),
}
#: What the handout step writes into the site; when it did not run (skipped,
#: failed, or left out of CHECK_STEPS), links to these files are not reported
#: as broken by the links step.
HANDOUT_FILES = "handout*.pdf"
#: What `make check-handout` prints when the PDF cannot be built on this
#: machine (python -m pdf exits 2: a system library is missing). The step is
#: then reported as skipped on a contributor's machine, and failed on CI.
CANNOT_RUN_HERE = "handout: cannot be built on this machine"
LOCATION = re.compile(
    r"^(?:(?P<level>WARNING|ERROR)(?::| -) )?(?P<path>[\w./-]+\.\w+):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<message>.+)$"
)


@dataclass
class Result:
    name: str
    status: str  # "ok", "FAILED", "skipped"
    seconds: float
    last_line: str = ""
    problems: int = 0  # path:line problems no earlier step reported


def located(lines: list[str]) -> list[tuple[str, str, str]]:
    """The (path, line, message) of every 'path:line: message' line, in order, once each."""
    found = (LOCATION.match(line.strip()) for line in lines)
    return list(dict.fromkeys((m["path"], m["line"], m["message"]) for m in found if m))


def _annotate(line: str) -> None:
    match = LOCATION.match(line.strip())
    if not match:
        return
    level = "warning" if match["level"] == "WARNING" else "error"
    where = f"file={match['path']},line={match['line']}"
    if match["col"]:
        where += f",col={match['col']}"
    message = match["message"].replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    print(f"::{level} {where}::{message}", flush=True)


def run_step(make: str, name: str, annotate: bool, variables: list[str]) -> tuple[int, list[str]]:
    """Run `make check-NAME`, echoing its output; return its exit status and its own lines."""
    command = [make, "--no-print-directory", f"check-{name}", *variables]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        if line.strip() and not re.match(r"^g?make(\[\d+\])?: \*\*\*", line):
            lines.append(line.strip())  # the step's own words, not make's "Error 1"
        if annotate:
            _annotate(line)
    return proc.wait(), lines


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


def _names(steps: list[str]) -> str:
    return " and ".join(f"'{step}'" for step in steps)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--make", default=os.environ.get("MAKE", "make"), help="the make program")
    parser.add_argument("steps", nargs="*", help=f"steps to run (default: all of {', '.join(STEPS)})")
    args = parser.parse_args(argv)
    unknown = [s for s in args.steps if s not in STEPS]
    if unknown:
        print(f"unknown check step(s): {', '.join(unknown)} (known: {', '.join(STEPS)})", file=sys.stderr)
        return 2
    steps = args.steps or list(STEPS)
    on_ci = bool(os.environ.get("CI"))
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"

    results: list[Result] = []
    # A problem two steps find (a citation error stops the build too) is
    # counted once, under the first step that reported it.
    reported_by: dict[tuple[str, str, str], str] = {}
    started = time.perf_counter()
    for number, name in enumerate(steps, 1):
        what, needs = STEPS[name]
        print(f"\n=== {number}/{len(steps)} {name}: {what}", flush=True)
        blocked = [r.name for r in results if r.name in needs and r.status != "ok"]
        if blocked:
            print(f"skipped: needs a clean '{blocked[0]}' step first")
            results.append(Result(name, "skipped", 0.0, f"needs '{blocked[0]}'"))
            continue
        variables = []
        if name == "links" and not any(r.name == "handout" and r.status == "ok" for r in results):
            variables.append(f"LINKS_ALLOW_MISSING={HANDOUT_FILES}")
        began = time.perf_counter()
        code, lines = run_step(args.make, name, annotate, variables)
        seconds = time.perf_counter() - began
        last = lines[-1] if lines else ""
        if code == 0:
            status = "ok"
        elif CANNOT_RUN_HERE in lines and not on_ci:
            status = "skipped"
            last = "the PDF cannot be built on this machine (see above); CI builds it"
        else:
            status = "FAILED"
        problems = located(lines)
        new = [p for p in problems if p not in reported_by]
        earlier = list(dict.fromkeys(reported_by[p] for p in problems if p in reported_by))
        if status == "FAILED" and problems and not new:
            last = f"the same {_count(len(problems), 'problem')} as {_names(earlier)} (listed above): fix it there"
        elif status == "FAILED" and earlier:
            repeated = len(problems) - len(new)
            last += f" ({repeated} of them already counted under {_names(earlier)})"
        reported_by.update((p, name) for p in new)
        results.append(Result(name, status, seconds, last, len(new)))

    total = time.perf_counter() - started
    failed = [r for r in results if r.status == "FAILED"]
    print(f"\n=== summary ({total:.0f} s)")
    width = max(len(r.name) for r in results)
    for r in results:
        detail = f"  {r.last_line}" if r.status != "ok" and r.last_line else ""
        print(f"  {r.status:<8} {r.name:<{width}}  {r.seconds:5.1f} s{detail}")
    passed = sum(r.status == "ok" for r in results)
    skipped = len(results) - passed - len(failed)
    unique = sum(r.problems for r in failed)
    to_fix = f"; {_count(unique, 'problem')} to fix, each counted once" if unique else ""
    print(f"{passed} passed, {len(failed)} failed" + (f", {skipped} skipped" if skipped else "") + to_fix)
    if failed:
        names = " ".join(f"check-{r.name}" for r in failed)
        print(f"Fix the problems listed above each failed step, then run `make check` again (or just `make {names}`).")
        return 1
    print("All checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
