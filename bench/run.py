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
import datetime as dt
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .builds import QUIET, Sample
from .common import BENCH, DEFAULT_SERVE_SIZES, DEFAULT_SIZES, DEFAULT_WORK, QUICK_SIZE, say
from .engines import ENGINE, check_engine, engine_fingerprint, ensure_peer, export_engine
from .generate import (
    ALL_FLAVOURS,
    DEFAULT_SEED,
    FLAVOURS,
    Size,
)
from .measure import SizeResult, measure_size
from .profiling import Hotspot, Profile, analyse_session
from .report import machine, report, targets
from .serve import ServeResult

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
