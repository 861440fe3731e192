"""The results as RESULTS.md: the machine, the targets met or missed, the tables."""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

from .builds import QUIET
from .common import PROFILER_PACKAGE, ROOT, SHORT
from .engines import ENGINE, engine_fingerprint, peer_python
from .generate import (
    ALL_FLAVOURS,
)
from .measure import SizeResult
from .profiling import Profile, _short_path

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


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1e3


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
    for r in results:  # issue 24: a cold build's memory grows linearly, within a stated budget
        cold_rss = _med(r.rss("macros", True))
        if r.size.entries < 100_000 or not cold_rss or not r.bib_mb:
            continue
        budget = 50 + r.size.entries / 1024 + 3 * r.bib_mb
        rows.append(
            (
                f"{r.size}: cold peak memory ≤ 50 MB + 1 KB an entry + 3× the .bib ({r.bib_mb:.0f} MB) "
                f"= {budget:.0f} MB",
                f"{cold_rss:.0f} MB",
                "met" if cold_rss <= budget else "**not met**",
            )
        )
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
        "process (imports excluded), wall / CPU seconds (pybtex left out above 20 000 entries, as is the peer); "
        "the cold formatter: the first 2 000 entries formatted in the default style with no cache, after the "
        "engine's read, wall / CPU milliseconds an entry; how busy the machine was with other processes during the "
        f"builds (median cores, from /proc/stat; before each build the bench waits up to {QUIET['patience']:.0f} s "
        "for them to use under half a core).",
        "",
        "| Size (N, M, K) | .bib (MB) | Citations | Distinct keys cited | Markers (peer / ours) | pybtex `parse_file` once (s) | engine `bibfile.load` once (s) | cold formatter, an entry (ms) | Other processes (cores) |",  # noqa: E501
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        out.append(
            f"| {r.size} | {r.bib_mb:.1f} | {r.cite_calls} | {r.cited_keys} | {r.markers.get('bibtex', '–')} / {r.markers.get('macros', '–')} | "  # noqa: E501
            f"{_fmt(r.pybtex_parse)} / {_fmt(r.pybtex_parse_cpu)} | {_fmt(r.engine_load)} / {_fmt(r.engine_load_cpu)} | "  # noqa: E501
            f"{_fmt(_ms(r.format_entry), 3)} / {_fmt(_ms(r.format_entry_cpu), 3)} | "
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
