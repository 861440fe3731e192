"""One size measured: every flavour built cold and warm, served, profiled."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .builds import Sample, build, check_output, parse_reference
from .common import PEER_MAX_ENTRIES, SHORT, say
from .generate import (
    BIB_NAME,
    Generator,
    Size,
    capture_citations,
)
from .profiling import Profile, profile_ours
from .serve import ServeResult, serve_rebuilds

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
    format_entry: float | None = None  # the cold formatter, seconds an entry (wall)
    format_entry_cpu: float | None = None
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
    if size.entries > PEER_MAX_ENTRIES and "bibtex" in flavours:
        say(f"{size}: the peer is left out above {PEER_MAX_ENTRIES} entries")
        flavours = [f for f in flavours if f != "bibtex"]
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
        if size.entries <= PEER_MAX_ENTRIES:
            result.pybtex_parse, result.pybtex_parse_cpu = parse_reference(bib, "pybtex", scratch)
            say(f"{size}: pybtex parse_file {result.pybtex_parse:.2f} s ({result.pybtex_parse_cpu:.2f} s CPU)")
        result.engine_load, result.engine_load_cpu = parse_reference(bib, "engine", scratch)
        result.format_entry, result.format_entry_cpu = parse_reference(bib, "formatter", scratch)
        say(
            f"{size}: engine bibfile.load {result.engine_load:.2f} s ({result.engine_load_cpu:.2f} s CPU); "
            f"cold formatter {result.format_entry * 1e3:.3f} ms an entry ({result.format_entry_cpu * 1e3:.3f} ms CPU)"
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
