"""What a CSL style costs per entry, cold and warm, beside the built-in Vancouver style (issue 25).

    python -m bench.csl_cost                       # 1000 entries of the bench's generated .bib
    python -m bench.csl_cost --entries 300 --styles ieee,apa,nature
    python -m bench.csl_cost --site 50x10x2000     # also: whole builds, warm, against the limit

For each style: a cold pass (empty cache: every reference formatted, and for
author-date styles every entry's sort keys and bare citation, the year
suffixes assigned, the list sorted and one citation per entry rendered), then
a warm pass over the same cache file (what a rebuild does). Times are CPU
seconds of this process (the machine is shared), per entry.

``--site``: the bench's generated site of that size (bench/generate.py) is
built by ours in each style and by the limit (MkDocs + Material given ours'
citation HTML by an engine that costs nothing, made from the first numbered
style's pages); cold once, then warm; the CPU seconds of each build and the
warm ratio ours/limit are printed, as `make bench` reports them.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any


def _cpu() -> float:
    return time.process_time()


def measure(style_name: str, entries: int, cache_dir: Path) -> dict[str, float]:
    from bench.generate import make_bib
    from macros.bib.reader import parse
    from macros.cache import BibCache
    from macros.csl import CslStyle, find_style
    from macros.csl.formatter import CiteRequest, CslFormatter
    from macros.html.format_entries import Formatter

    text, keys = make_bib(entries)
    bib = parse(text, "references.bib")
    items = [item for item in (bib.get(key) for key in keys) if item is not None]
    style = find_style(style_name)
    results: dict[str, float] = {}
    for phase in ("cold", "warm"):
        disk = BibCache(str(cache_dir / style_name), "digest")
        start = _cpu()
        if isinstance(style, CslStyle):
            formatter = CslFormatter(bib, style, disk=disk)
            if not style.numeric:
                formatter.assign_year_suffixes(items)
                formatter.ordered(items)
                for item in items:
                    formatter.citation([CiteRequest(item)])
            for item in items:
                formatter.format(item)
        else:
            plain = Formatter(bib, style, disk=disk)
            for item in items:
                plain.format(item)
        disk.save()
        results[phase] = (_cpu() - start) / len(items)
    return results


def _with_style(site: Any, style: str) -> None:
    config = site.config.read_text(encoding="utf-8")
    site.config.write_text(
        config.replace("  - citations:\n", f"  - citations:\n      style: {style}\n"), encoding="utf-8"
    )


def measure_site(
    size_text: str, styles: list[str], work: Path, warm_repeats: int = 2
) -> list[tuple[str, float, float]]:
    """(flavour, cold CPU s, best warm CPU s) for ours in each style, then the limit."""
    import os
    import sys

    from bench.builds import mkdocs_build_args, run_measured
    from bench.generate import Generator, Size, capture_citations

    generator = Generator(Size.parse(size_text))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    rows: list[tuple[str, float, float]] = []
    limit_from = None
    for style in styles:
        site = generator.write(work / f"ours-{style}", "macros")
        _with_style(site, style)
        times = []
        for round_ in range(1 + warm_repeats):
            code, _wall, cpu, _rss = run_measured(
                [sys.executable, *mkdocs_build_args(site)], site.root, env, work / f"{style}-{round_}.log"
            )
            if code != 0:
                raise SystemExit(f"the {style} build failed: see {work / f'{style}-{round_}.log'}")
            times.append(cpu)
        rows.append((style, times[0], min(times[1:])))
        if limit_from is None and style not in ("apa", "chicago-author-date") and "harvard" not in style:
            limit_from = site
    if limit_from is not None:
        limit = generator.write(work / "limit", "limit", capture_citations(limit_from))
        times = []
        for round_ in range(1 + warm_repeats):
            _code, _wall, cpu, _rss = run_measured(
                [sys.executable, *mkdocs_build_args(limit)], limit.root, env, work / f"limit-{round_}.log"
            )
            times.append(cpu)
        rows.append(("limit", times[0], min(times[1:])))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--styles", default="vancouver,ieee,apa")
    parser.add_argument("--site", help="also build the bench's site of this size (NxMxK) in each style and the limit")
    parser.add_argument("--output", default="", help="also write the tables here as Markdown (bench/CSL_COST.md)")
    args = parser.parse_args(argv)
    import macros.csl.processor  # noqa: F401 - importing citeproc-py once is not a per-entry cost

    lines = [
        f"Formatting {args.entries} entries of the bench's generated .bib (CPU, one process):",
        "",
        "| Style | Cold ms/entry | Warm ms/entry |",
        "| --- | ---: | ---: |",
    ]
    with tempfile.TemporaryDirectory() as work:
        for name in args.styles.split(","):
            row = measure(name.strip(), args.entries, Path(work))
            lines.append(f"| {name} | {1000 * row['cold']:.2f} | {1000 * row['warm']:.3f} |")
            print(lines[-1], flush=True)
        if args.site:
            rows = measure_site(args.site, args.styles.split(","), Path(work))
            limit_warm = next((warm for name, _, warm in rows if name == "limit"), None)
            lines += [
                "",
                f"Whole builds of the bench's site {args.site} (CPU s; warm: the best of two):",
                "",
                "| Build | Cold s | Warm s | Warm / limit |",
                "| --- | ---: | ---: | ---: |",
            ]
            for name, cold, warm in rows:
                ratio = f"{warm / limit_warm:.2f}" if limit_warm else "-"
                lines.append(f"| {name} | {cold:.2f} | {warm:.2f} | {ratio} |")
                print(lines[-1], flush=True)
    if args.output:
        header = ["# CSL styles: what they cost", "", "Written by `python -m bench.csl_cost` (issue 25).", ""]
        Path(args.output).write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
