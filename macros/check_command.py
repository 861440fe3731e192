"""``python -m macros check``: validate the .bib and every page without building.

Prints the same ``path:line: message`` lines as the build: every error, and
the first few warnings of each kind with how many more there are (``--all``
lists every one); exits 1 when any is an error (0 otherwise).
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys

from .problems import Problem, Problems

SHOWN_PER_KIND = 10
# What differs between two warnings of one kind, for a problem without a kind (none of the engine's).
_PARTICULAR = re.compile(r"'[^']*'|\([^)]*\)|@\w+|\d+")


def run(config_file: str) -> Problems:
    from .plugin import check_project  # MkDocs is imported only now, after NO_MKDOCS_2_WARNING is set

    return check_project(config_file)


def kind(problem: Problem) -> str:
    """The file and kind of a problem: warnings of one kind are counted together.

    A problem made without a kind falls back to its wording, without its particulars.
    """
    return f"{problem.path}: " + (problem.kind or _PARTICULAR.sub("\u2026", problem.message))


def report(problems: Problems, show_all: bool = False) -> list[str]:
    """The lines ``check`` prints: every error, then the warnings, SHOWN_PER_KIND of each kind unless ``show_all``."""
    ordered = sorted(problems, key=lambda p: (p.severity != "error", p.path, p.line))
    lines = [f"ERROR: {p}" for p in ordered if p.severity == "error"]
    warnings = [p for p in ordered if p.severity == "warning"]
    if show_all:
        return lines + [f"WARNING: {p}" for p in warnings]
    by_kind: dict[str, list[Problem]] = {}
    for problem in warnings:
        by_kind.setdefault(kind(problem), []).append(problem)
    for same in by_kind.values():
        lines.extend(f"WARNING: {p}" for p in same[:SHOWN_PER_KIND])
        if len(same) > SHOWN_PER_KIND:
            lines.append(f"WARNING: ... and {len(same) - SHOWN_PER_KIND} more of this kind (--all lists them all)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {__name__.split('.')[0]}", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate references.bib and every page's citations")
    check.add_argument("-f", "--config-file", default="mkdocs.yml", help="path to mkdocs.yml")
    check.add_argument(
        "--all", action="store_true", help=f"list every warning (by default: the first {SHOWN_PER_KIND} of each kind)"
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.getLogger("mkdocs").setLevel(logging.ERROR)  # MkDocs' own INFO chatter
    if not os.path.isfile(args.config_file):
        print(f"{args.config_file}: file not found (run from the project folder, or pass -f)", file=sys.stderr)
        return 1
    problems = run(args.config_file)
    for line in report(problems, show_all=args.all):
        print(line, file=sys.stderr)
    errors, warnings = len(problems.errors), len(problems.warnings)
    summary = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    print(("citations: " + summary) if problems.items else "citations: no problems found", file=sys.stderr)
    return 1 if errors else 0
