"""The build benchmark (bench/) runs and reports sane numbers.

This is no timed test: `make bench` measures; here the smallest size is run
with the floor, the limit and ours (nothing to install), to show the harness
works.
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

from bench.generate import Generator, Size, make_bib, mkdocs_yml, render_page  # noqa: E402


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
    texts = {f: [render_page(p, f) for p in first.pages] for f in ("plain", "limit", "bibtex", "macros")}
    assert texts["plain"] == [render_page(p, "plain") for p in second.pages]
    markers = re.compile(r"\{\{ cite\([^)]*\) \}\}| \[@[^\]]*\]|ZQCITE[0-9]+Q")
    for flavour in ("limit", "bibtex", "macros"):
        assert [markers.sub("", t) for t in texts[flavour]] == texts["plain"]
    assert sum(t.count("{{ cite(") for t in texts["macros"]) == 4 * 3
    assert [re.findall(r"ZQCITE([0-9]+)Q", t) for t in texts["limit"]] == [["0", "1", "2"]] * 4
    with_list = render_page(first.pages[0], "limit", [("References", 1)])
    assert with_list == texts["limit"][0] + "\n## References\n\nZQREF0Q\n"
    assert sum(t.count("[@") for t in texts["bibtex"]) == 4 * 3
    text, keys = make_bib(50, seed=3)
    assert text.count("\n@article{") + text.count("\n@book{") <= 50 and len(keys) == 50
    assert "@string{" in text and "month" in text and "doi" in text


def test_ours_is_the_citations_plugin_and_the_limit_a_hook() -> None:
    pages = Generator(Size(2, 1, 5), seed=1).pages
    ours, limit = mkdocs_yml("macros", pages), mkdocs_yml("limit", pages)
    assert "plugins:\n  - search\n  - citations:\n      bibliography: refs.bib\n" in ours
    assert "  - macros" not in ours and "modules:" not in ours and "hooks" not in ours
    assert "hooks: [limit_hook.py]\nplugins:\n  - search\nmarkdown_extensions:" in limit


def _ratio_of(cell: str, value: float, base: float) -> bool:
    """Is ``cell`` ("1.23×") value ÷ base? The report divides the unrounded figures; these are rounded to 0.01."""
    assert cell.endswith("×"), cell
    ratio = value / base
    return abs(float(cell[:-1]) - ratio) <= 0.0051 + ratio * (0.0051 / value + 0.0051 / base)


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
    tables = [[c.strip() for c in row.split("|")][1:-1] for row in rows]
    header = next(line for line in report.splitlines() if line.startswith("| Size (N, M, K) | Flavour | Cold wall"))
    assert [c.strip() for c in header.split("|")][1:-1] == [
        "Size (N, M, K)", "Flavour",
        "Cold wall (s)", "× floor", "× limit",
        "Warm wall (s)", "× floor", "× limit",
        "Cold CPU (s)", "Warm CPU (s)", "× floor", "× limit",
        "Cold peak RSS (MB)", "Warm peak RSS (MB)", "× floor",
    ]  # fmt: skip
    build_rows = {cells[1]: cells for cells in tables if len(cells) == 15}
    assert list(build_rows) == ["floor", "limit", "ours"]  # in the order they were built
    floor, limit, ours = build_rows["floor"], build_rows["limit"], build_rows["ours"]
    assert floor[3] == floor[6] == floor[10] == floor[14] == "1.00×"
    assert limit[4] == limit[7] == limit[11] == "1.00×"
    for row in (floor, limit, ours):
        cold, warm, cpu, rss = float(row[2]), float(row[5]), float(row[9]), float(row[13])
        assert 0.05 < cold < 60 and 0.05 < warm < 60 and 0.05 < cpu < 60 and 10 < rss < 2000
        for ratio, value, base in ((row[3], cold, floor[2]), (row[4], cold, limit[2]), (row[11], cpu, limit[9])):
            assert _ratio_of(ratio, value, float(base))

    # (the site table has 9 cells too: its second is the .bib's size in MB)
    summary = {cells[1]: cells for cells in tables if len(cells) == 9 and not cells[1].replace(".", "").isdigit()}
    assert list(summary) == ["warm, wall", "warm, CPU", "cold, wall", "cold, CPU"]
    warm_cpu = summary["warm, CPU"]
    assert warm_cpu[2:6] == [floor[9], limit[9], "–", ours[9]]  # floor, limit, peer (not run), ours
    assert _ratio_of(warm_cpu[6], float(limit[9]), float(floor[9]))  # limit ÷ floor
    assert warm_cpu[7] == ours[11]  # ours ÷ limit
    assert float(warm_cpu[8]) == pytest.approx(float(ours[9]) - float(limit[9]), abs=0.0151)  # ours − limit

    data = json.loads(raw.read_text(encoding="utf-8"))
    samples = data["results"][0]["samples"]
    assert [(s["flavour"], s["round"]) for s in samples] == [
        (flavour, round_) for round_ in (0, 1) for flavour in ("plain", "limit", "macros")
    ]
    assert all(s["reported"] is not None and s["reported"] <= s["wall"] for s in samples)
    markers = data["results"][0]["markers"]
    assert markers["macros"] == markers["limit"] == data["results"][0]["cite_calls"] == 3 * 2

    # The limit's pages are ours' HTML exactly, put in place by its hook from one build of ours.
    work = tmp_path / "work" / "n3-m2-k20"
    limit_page, ours_page = (work / f / "site" / "part-01" / "page-0001" / "index.html" for f in ("limit", "macros"))
    assert limit_page.read_bytes() == ours_page.read_bytes()
    assert b'class="citation"' in limit_page.read_bytes() and b'<ol class="references"' in limit_page.read_bytes()
    limit_source = (work / "limit" / "docs" / "part-01" / "page-0001.md").read_text(encoding="utf-8")
    assert (
        "{{" not in limit_source and "ZQCITE0Q" in limit_source and limit_source.endswith("## References\n\nZQREF0Q\n")
    )
    assert data["results"][0]["pybtex_parse"] > 0
    # the cold formatter, CPU seconds an entry (all 20 entries of the quick size), in the site table in ms
    per_entry = data["results"][0]["format_entry_cpu"]
    assert 0 < per_entry < 0.5
    site_row = next(line for line in report.splitlines() if line.startswith("| (3, 2, 20) | 0.0"))
    assert f"{per_entry * 1e3:.3f} |" in site_row
