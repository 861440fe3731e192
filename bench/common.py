"""What every part of the benchmark shares: where things are, the default sizes, printing progress."""

from __future__ import annotations

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PEER_VENV = BENCH / ".venv-peer"
DEFAULT_WORK = BENCH / "work"
PEER_PACKAGE = "mkdocs-bibtex==4.4.0"
PROFILER_PACKAGE = "pyinstrument==5.1.3"

DEFAULT_SIZES = ["200x10x2000", "200x10x20000", "1000x10x2000", "20x10x20000", "200x10x200000"]
# Above this many entries the peer (mkdocs-bibtex, which parses the whole .bib
# with pybtex on every build) and pybtex's own parse_file are left out: at
# 200 000 entries one of its builds would take several minutes and gigabytes.
PEER_MAX_ENTRIES = 20_000
DEFAULT_SERVE_SIZES = ["200x10x2000", "200x10x20000"]
QUICK_SIZE = "3x2x20"
SHORT = {"plain": "floor", "limit": "limit", "bibtex": "peer", "macros": "ours"}


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)
