"""The hostile-input corpus: every malformed thing a text editor can produce.

Each folder of tests/bad_inputs/ is one case: a small input and a ``case.yml``
saying what to run and what must come out. See tests/bad_inputs/README.md.

* ``kind: bib`` runs the engine on the case's .bib alone (macros.bib.reader and
  macros.html.format_entries, as a build does), then renders a marker and a reference
  list for every entry;
* ``kind: site`` builds a tiny site with a real ``mkdocs build``: the shared
  tests/bad_inputs/_site/ with the case's own files on top.

Whatever the case, nothing may crash with a traceback, and all HTML the
engine writes must pass the allow-list of tests/safe_html.py.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from macros.bib.reader import load
from macros.html.format_entries import Formatter
from macros.html.markers import ListItem, MarkerPart, render_list, render_marker
from tests.conftest import ROOT, Build, mkdocs_build
from tests.safe_html import html_problems
from tools.verify_html import verify_site

CORPUS = ROOT / "tests" / "bad_inputs"
TEMPLATE = CORPUS / "_site"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "case.yml").is_file())

# A bracket marker ends with "]</span>" (it holds a span.citation-loc of its own).
MARKER = re.compile(
    r'<sup class="citation(?: [^"]*)?"[^>]*>.*?</sup>|<span class="citation citation-brackets[^"]*"[^>]*>.*?\]</span>',
    re.S,
)
LISTS = re.compile(r'<ol class="references".*?</ol>|<ul class="references references-uncited".*?</ul>', re.S)

#: Log lines that sum up errors already listed one by one.
SUMMARIES = (
    "citation error",  # "3 citation errors (listed above); ..."
    "the citations plugin's options in mkdocs.yml are not valid (see above)",
    "Aborted with",
)


# -- generated inputs: too big to keep as files ---------------------------------------


def one_megabyte_field(folder: Path) -> None:
    words = "gluteus maximus hamstrings erector spinae " * 25_000  # 1,050,000 characters
    (folder / "references.bib").write_text(
        "@misc{huge2020,\n  author = {Long, Lee},\n  title = {" + words.strip() + "},\n  year = {2020},\n}\n",
        encoding="utf-8",
    )


def nested_braces(folder: Path) -> None:
    depth = 10_000
    (folder / "references.bib").write_text(
        "@misc{deep2020,\n  title = {" + "{" * depth + "x" + "}" * depth + "},\n}\n\n"
        "@misc{after2020,\n  title = {Read after the deep one},\n  year = {2020},\n}\n",
        encoding="utf-8",
    )


def same_key_1000_times(folder: Path) -> None:
    lines = ["# Many", ""] + [f'Claim {n}{{{{ cite("alpha2020") }}}}.' for n in range(1, 1001)]
    (folder / "docs" / "index.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def five_hundred_keys(folder: Path) -> None:
    entries = [
        f"@article{{key{n:03d},\n  author = {{Author{n}, A}},\n  title = {{Title {n}}},\n"
        f"  journal = {{J}},\n  year = {{2000}},\n}}\n"
        for n in range(1, 501)
    ]
    (folder / "references.bib").write_text("\n".join(entries), encoding="utf-8")
    # cited in a shuffled but fixed order: numbers follow the page, not the .bib
    order = sorted(range(1, 501), key=lambda n: (n * 7919) % 500)
    lines = ["# Five hundred", ""] + [f'Claim{{{{ cite("key{n:03d}") }}}}.' for n in order]
    (folder / "docs" / "index.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def fifo_bib(folder: Path) -> None:
    (folder / "references.bib").unlink()
    os.mkfifo(folder / "references.bib")


def device_bib(folder: Path) -> None:
    (folder / "references.bib").unlink()
    (folder / "references.bib").symlink_to("/dev/null")  # a character device (never /dev/zero: a hang fills memory)


def symlink_loop_bib(folder: Path) -> None:
    (folder / "references.bib").unlink()
    (folder / "references.bib").symlink_to("references.bib")


def runs_of_at(folder: Path) -> None:
    with (folder / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n" + "@" * 100_000 + "\n\n" + "[@" * 50_000 + "\n\n")
        bib.write("@misc{after2020,\n  title = {Read after the runs},\n  year = {2020},\n}\n")


def latin1_page(folder: Path) -> None:
    """(Written here: a file that is not UTF-8 would stop the formatter of `make check`.)"""
    page = '# Café\n\nAlpha{{ cite("alpha2020") }}, beta{{ cite("beta2021") }} and a book{{ cite("gamma2019") }}.\n'
    (folder / "docs" / "index.md").write_bytes(page.encode("latin-1"))


def fifo_page(folder: Path) -> None:
    os.mkfifo(folder / "docs" / "pipe.md")


def symlink_loop_page(folder: Path) -> None:
    (folder / "docs" / "loop.md").symlink_to("loop.md")


GENERATORS = {
    "fifo_bib": fifo_bib,
    "device_bib": device_bib,
    "symlink_loop_bib": symlink_loop_bib,
    "runs_of_at": runs_of_at,
    "latin1_page": latin1_page,
    "fifo_page": fifo_page,
    "symlink_loop_page": symlink_loop_page,
    "one_megabyte_field": one_megabyte_field,
    "nested_braces": nested_braces,
    "same_key_1000_times": same_key_1000_times,
    "five_hundred_keys": five_hundred_keys,
}


# -- running a case -------------------------------------------------------------------


def read_case(name: str) -> dict[str, Any]:
    case = yaml.safe_load((CORPUS / name / "case.yml").read_text(encoding="utf-8"))
    assert isinstance(case, dict) and case.get("kind") in ("bib", "site"), f"{name}/case.yml: kind: bib or site"
    assert case.get("about"), f"{name}/case.yml: say what the case is about"
    unknown = set(case.get("expect", {})) - {"exit", "errors", "warnings", "html", "verify", "order", "seconds"}
    assert not unknown, f"{name}/case.yml: unknown expectations {unknown}"
    return case


def prepare(name: str, case: dict[str, Any], folder: Path) -> None:
    if case["kind"] == "site":
        shutil.copytree(TEMPLATE, folder)
    else:
        folder.mkdir(parents=True)
    for path in (CORPUS / name).rglob("*"):
        if path.is_file() and path.name != "case.yml":
            target = folder / path.relative_to(CORPUS / name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    if "bib" in case:
        (folder / "references.bib").write_text(case["bib"], encoding="utf-8")
    if "generate" in case:
        GENERATORS[case["generate"]](folder)


def run_bib(folder: Path) -> tuple[list[str], list[str], dict[str, str]]:
    """The engine on a .bib alone: (errors, warnings, {"references": html})."""
    bib = load(str(folder / "references.bib"), "references.bib")
    formatter = Formatter(bib)
    items, markers = [], []
    for number, entry in enumerate(bib.entries.values(), start=1):
        formatted = formatter.format(entry)
        items.append(ListItem(key=entry.key, id=f"ref-case-{number}", html=formatted.html, number=number))
        markers.append(
            render_marker(
                marker_id=f"cite-case-{number}",
                keys=[entry.key],
                parts=[MarkerPart(number=str(number), href=f"#ref-case-{number}", title=formatted.text)],
                loc=None,
                brackets=False,
                broken=False,
            )
        )
    problems = sorted([*bib.problems, *formatter.problems], key=lambda p: (p.line, p.severity))
    errors = [str(p) for p in problems if p.severity == "error"]
    warnings = [str(p) for p in problems if p.severity == "warning"]
    html = "".join(markers) + str(render_list("case", items))
    return errors, warnings, {"references": html}


def run_site(folder: Path, strict: bool, timeout: float = 300) -> tuple[Build, list[str], list[str]]:
    build = mkdocs_build(folder, folder / "site", *(["--strict"] if strict else []), timeout=timeout)
    print(f"reproduce with: {build.command}\n--- log ---\n{build.log}")
    assert "Traceback" not in build.log, "a traceback reached the contributor"
    errors = [line for line in build.log_lines("ERROR") if not any(s in line for s in SUMMARIES)]
    warnings = build.log_lines("WARNING")
    return build, errors, warnings


def engine_html(page_html: str) -> str:
    """The parts of a built page the engine wrote: markers and reference lists."""
    found = [m.group(0) for m in MARKER.finditer(page_html)]
    found += LISTS.findall(page_html)
    return "\n".join(found)


@pytest.mark.parametrize("name", CASES)
def test_bad_input(name: str, tmp_path: Path) -> None:
    case = read_case(name)
    expect = case.get("expect", {})
    folder = tmp_path / name
    prepare(name, case, folder)

    started = time.perf_counter()
    if case["kind"] == "bib":
        errors, warnings, pages = run_bib(folder)
        build = None
    else:
        timeout = 2 * expect["seconds"] if "seconds" in expect else 300  # a hang fails, and soon
        build, errors, warnings = run_site(folder, strict=bool(case.get("strict")), timeout=timeout)
        pages = {}
        for page in expect.get("html", {}):
            path = folder / "site" / page
            pages[page] = path.read_text(encoding="utf-8") if path.exists() else ""
    elapsed = time.perf_counter() - started

    assert errors == expect.get("errors", []), "errors differ"
    assert warnings == expect.get("warnings", []), "warnings differ"
    if build is not None:
        assert build.returncode == expect.get("exit", 0), "exit status differs"
    if "seconds" in expect:
        assert elapsed < expect["seconds"], f"took {elapsed:.1f} s"

    for page, wanted in expect.get("html", {}).items():
        html = pages[page]
        for text in wanted.get("contains", []):
            assert text in html, f"{page} lacks {text!r}"
        for text in wanted.get("lacks", []):
            assert text not in html, f"{page} has {text!r}"

    # Whatever went in, what the engine wrote is inert and well-formed.
    if case["kind"] == "bib":
        assert html_problems(pages["references"]) == []
    elif build is not None and build.returncode == 0:
        for page in sorted((folder / "site").rglob("*.html")):
            assert html_problems(engine_html(page.read_text(encoding="utf-8"))) == [], page
        if expect.get("verify", True):
            assert verify_site(folder / "site", order=expect.get("order")) == []


def test_the_corpus_covers_what_the_issue_asks() -> None:
    kinds = [read_case(name)["kind"] for name in CASES]
    assert len(CASES) >= 40
    assert kinds.count("bib") >= 20 and kinds.count("site") >= 15
