"""What a CSL style costs per entry, cold and warm, beside the built-in Vancouver style (issue 25).

    python -m bench.csl_cost                       # 1000 entries of the bench's generated .bib
    python -m bench.csl_cost --entries 300 --styles ieee,apa,nature

For each style: a cold pass (empty cache: every reference formatted, and for
author-date styles every entry's sort keys and bare citation, the year
suffixes assigned, the list sorted and one citation per entry rendered), then
a warm pass over the same cache file (what a rebuild does). Times are CPU
seconds of this process (the machine is shared), per entry.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--styles", default="vancouver,ieee,apa")
    args = parser.parse_args(argv)
    import macros.csl.processor  # noqa: F401 - importing citeproc-py once is not a per-entry cost

    with tempfile.TemporaryDirectory() as work:
        print(f"{'style':<30} {'cold ms/entry':>14} {'warm ms/entry':>14}")
        for name in args.styles.split(","):
            row = measure(name.strip(), args.entries, Path(work))
            print(f"{name:<30} {1000 * row['cold']:>14.2f} {1000 * row['warm']:>14.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
