"""The build benchmark (bench/) runs and reports sane numbers.

This is no timed test: `make bench` measures; here the smallest size is run
with the floor and ours only (nothing to install), to show the harness works.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench/ is a package at the repository root

from bench.generate import FLAVOURS, Generator, Size, make_bib, render_page  # noqa: E402


def test_sizes_parse() -> None:
    assert Size.parse("200x10x20000") == Size(200, 10, 20000)
    assert Size.parse("1000,10,2k") == Size(1000, 10, 2000)
    assert str(Size(200, 10, 20000)) == "(200, 10, 20\u202f000)"
    with pytest.raises(ValueError):
        Size.parse("200x10")


def test_generation_is_deterministic_and_flavours_share_the_prose() -> None:
    first, second = Generator(Size(4, 3, 30), seed=1), Generator(Size(4, 3, 30), seed=1)
    assert first.bib_text == second.bib_text
    assert len(set(k.lower() for k in first.keys)) == 30
    texts = {f: [render_page(p, f) for p in first.pages] for f in FLAVOURS}
    assert texts["plain"] == [render_page(p, "plain") for p in second.pages]
    markers = re.compile(r"\{\{ cite\([^)]*\) \}\}| \[@[^\]]*\]")
    for flavour in ("bibtex", "macros"):
        assert [markers.sub("", t) for t in texts[flavour]] == texts["plain"]
    assert [render_page(p, "jinja") for p in first.pages] == texts["plain"]
    assert sum(t.count("{{ cite(") for t in texts["macros"]) == 4 * 3
    assert sum(t.count("[@") for t in texts["bibtex"]) == 4 * 3
    text, keys = make_bib(50, seed=3)
    assert text.count("\n@article{") + text.count("\n@book{") <= 50 and len(keys) == 50
    assert "@string{" in text and "month" in text and "doi" in text


def test_quick_benchmark_writes_a_results_table(tmp_path: Path) -> None:
    output = tmp_path / "RESULTS.md"
    raw = tmp_path / "results.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--quick",
            "--output",
            str(output),
            "--json",
            str(raw),
            "--workdir",
            str(tmp_path / "work"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = output.read_text(encoding="utf-8")
    assert "## Machine" in report and "| CPU |" in report and "| Python |" in report

    rows = [line for line in report.splitlines() if line.startswith("| (3, 2, 20) |")]
    build_rows = {
        cells[2]: cells for cells in ([c.strip() for c in row.split("|")] for row in rows) if len(cells) == 14
    }
    assert set(build_rows) == {"floor", "ours"}
    floor, ours = build_rows["floor"], build_rows["ours"]
    assert floor[4] == floor[6] == floor[9] == floor[12] == "1.00×"
    cold, warm, cpu, rss = float(ours[3]), float(ours[5]), float(ours[8]), float(ours[11])
    assert 0.05 < cold < 60 and 0.05 < warm < 60 and 0.05 < cpu < 60 and 10 < rss < 2000
    assert 0.5 < float(ours[4].rstrip("×")) < 20  # ours builds the same pages as the floor, and more

    data = json.loads(raw.read_text(encoding="utf-8"))
    samples = data["results"][0]["samples"]
    assert {(s["flavour"], s["round"]) for s in samples} == {("plain", 0), ("macros", 0), ("plain", 1), ("macros", 1)}
    assert all(s["reported"] is not None and s["reported"] <= s["wall"] for s in samples)
    assert data["results"][0]["markers"]["macros"] == data["results"][0]["cite_calls"] == 3 * 2
    assert data["results"][0]["pybtex_parse"] > 0
