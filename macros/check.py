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

import jinja2

from .problems import Problem, Problems
from .site import CitationSite

SHOWN_PER_KIND = 10
# What differs between two warnings of one kind: keys, names, numbers, details in brackets.
_PARTICULAR = re.compile(r"'[^']*'|\([^)]*\)|@\w+|\d+")


def _jinja_environment(plugin_config: dict) -> jinja2.Environment:  # type: ignore[type-arg]
    """A Jinja environment with the macros plugin's own delimiters."""
    options = {key[3:]: value for key, value in plugin_config.items() if key.startswith("j2_") and value}
    return jinja2.Environment(**options)


def _known_names(macros: object, config: object, plugin_config: dict) -> set[str] | None:  # type: ignore[type-arg]
    """The names a page can read, as the build has them (see _Build.known_names)."""
    if macros is None or plugin_config.get("on_undefined") != "strict":
        return None
    try:
        macros.on_config(config)  # type: ignore[attr-defined]
        names = {*macros.variables, *macros.env.globals}  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - then the build reports it; check what can be checked
        return None
    return {"page", "navigation", "files", *names}


def run(config_file: str) -> Problems:
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import get_navigation

    from . import reading_order
    from .config import load_options

    problems = Problems()
    try:
        config = load_config(config_file)
    except ConfigurationError as error:
        problems.error(os.path.basename(config_file), 0, f"mkdocs.yml is not valid: {error}")
        return problems
    options, option_problems = load_options(config.get("extra"), config.config_file_path)
    problems.extend(option_problems)
    if option_problems.errors:
        return problems
    files = get_files(config)
    nav = get_navigation(files, config)
    project_dir = os.path.dirname(os.path.abspath(config.config_file_path))
    macros = config.plugins.get("macros")
    plugin_config = dict(macros.config) if macros is not None else {}
    site = CitationSite(
        options,
        project_dir,
        reading_order(nav, files, project_dir),
        jinja_env=_jinja_environment(plugin_config),
        render_by_default=plugin_config.get("render_by_default", True),
        known_names=_known_names(macros, config, plugin_config),
        use_cache=False,  # always the full validation, whatever the last build saw
    )
    problems.extend(site.validate(all_entries=True))  # the site's problems: each added once
    return problems


def kind(problem: Problem) -> str:
    """What a problem says, without its particulars: warnings of one kind are counted together."""
    return f"{problem.path}: " + _PARTICULAR.sub("\u2026", problem.message)


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
    parser = argparse.ArgumentParser(prog="python -m macros", description=__doc__.splitlines()[0])
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
