"""The cache never decides an answer on its own (issue 24).

Whatever ``.cache/citations/`` holds (well-formed JSON with wrong content:
forged HTML, dropped or invented warnings, another page plan, a line that
is not a number) and whatever the in-process cache of ``mkdocs serve`` saw
before (a .bib edited to the same size and modification time), a build says
and shows exactly what a cold build says and shows, without a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from macros.bib.load import BibMemo, load_bibliography
from macros.options import Options
from macros.pages.index import CitationIndex
from macros.pages.renderer import PageRenderer
from macros.pages.scan import PageInfo
from tests.conftest import mkdocs_build

Payload = dict[str, Any]

BIB = """@string{jone = {Journal One}}

@article{alpha2020,
  author = {Alpha, A and Beta, B},
  title = {Alpha title},
  journal = jone,
  year = {2020},
  url = {ftp://example.org/alpha},
}

@article{beta2021,
  author = {Beta, B},
  title = {Beta title},
  year = {2021},
  pmid = {12345},
}

@book{gamma2019,
  author = {Gamma, G},
  title = {Gamma title},
  publisher = {Press},
  year = {2019},
}

@inbook{delta2018,
  author = {Delta, D},
  title = {Delta chapter},
  crossref = {gamma2019},
  pages = {1--9},
}
"""

PAGES = {
    "index.md": '# Home\n\nAlpha{{ cite("alpha2020") }}, beta{{ cite("beta2021", loc="4") }}.\n',
    "more.md": '# More\n\nA book{{ cite("gamma2019", "delta2018") }} and alpha{{ cite("alpha2020") }}.\n',
    "refs.md": "# All\n\n{{ bibliography() }}\n",
}


def write_project(root: Path, bib: str = BIB) -> None:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "references.bib").write_text(bib, encoding="utf-8")
    for name, text in PAGES.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")


def build(root: Path, cold: bool = False, memo: BibMemo | None = None) -> tuple[list[str], dict[str, str]]:
    """One build as the plugin does it: (messages, {page: rendered Markdown}); ``memo``: as kept by mkdocs serve."""
    if cold:
        shutil.rmtree(root / ".cache", ignore_errors=True)
    infos = [
        PageInfo(src=name, abs_path=str(root / "docs" / name), path=f"docs/{name}", url=name[:-3] + "/", title=None)
        for name in PAGES
    ]
    index = CitationIndex(Options(warn_uncited=True), str(root), infos, bib_memo=memo)
    index.validate()
    pages = {}
    for name in PAGES:
        markdown = (root / "docs" / name).read_text(encoding="utf-8")
        pages[name] = PageRenderer(index, name).render(markdown)
    index.finish()
    return [f"{p.severity}: {p}" for p in index.problems], pages


def cache_file(root: Path, prefix: str) -> Path:
    found = sorted((root / ".cache" / "citations").glob(f"{prefix}-*.json"))
    assert len(found) == 1, found
    return found[0]


def edit_json(path: Path, change: Callable[[Payload], None]) -> None:
    """Change what a cache file holds, well-formed, as a hand or a tool might (its digest is left as it was)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data.get("payload", data))
    path.write_text(json.dumps(data), encoding="utf-8")


def forge_formatted(data: Payload) -> None:
    for row in data["formatted"].values():
        row[0] = '<script>alert("cache")</script><a href="javascript:alert(1)">forged</a>'
        row[1] = "forged title"
        row[2] = []


def drop_validation(data: Payload) -> None:
    data["validation"] = []


def invent_validation(data: Payload) -> None:
    data["validation"].append(["references.bib", 3, "a forged error", "error"])


def line_not_a_number(data: Payload) -> None:
    data["validation"] = [["references.bib", "three", "x", "warning"]]


def formatted_line_not_a_number(data: Payload) -> None:
    for row in data["formatted"].values():
        row[2] = [["references.bib", [], "x", "warning"]]


def lazy_without_cause(data: Payload) -> None:
    data["lazy"] = True


def forge_plans(data: Payload) -> None:
    """A page's stored scan made to cite another key with markup in its pinpoint and prefix."""
    for page in data["pages"].values():
        for row in page["found"]:
            row[5] = [["gamma2019", "<script>alert('plan')</script>", "<img src=x onerror=alert(1)>"]]


def renumber_cites(data: Payload) -> None:
    for page in data["pages"].values():
        for row in page["found"]:
            row[5] = [["beta2021", None, ""]]
            row[3] = 99


def drop_page_problems_and_rename(data: Payload) -> None:
    for page in data["pages"].values():
        page["notes"] = []
        page["title"] = "<img src=x onerror=alert(1)>"


def page_line_not_a_number(data: Payload) -> None:
    for page in data["pages"].values():
        for row in page["found"]:
            row[3] = "seven"


TAMPERING = {
    "bib": [
        forge_formatted,
        drop_validation,
        invent_validation,
        line_not_a_number,
        formatted_line_not_a_number,
        lazy_without_cause,
    ],
    "pages": [forge_plans, renumber_cites, drop_page_problems_and_rename, page_line_not_a_number],
}
CASES = [(prefix, change) for prefix, changes in TAMPERING.items() for change in changes]

# A .bib whose index does not agree with its full parse (a syntax error), with a page citing a missing key.
BROKEN_BIB = BIB.replace("  title = {Beta title},\n", "  title = {Beta title}\n")


@pytest.mark.parametrize("bib", [BIB, BROKEN_BIB], ids=["good", "broken"])
@pytest.mark.parametrize(("prefix", "change"), CASES, ids=[change.__name__ for _, change in CASES])
def test_a_tampered_cache_gives_the_cold_answer(
    tmp_path: Path, bib: str, prefix: str, change: Callable[[Payload], None]
) -> None:
    write_project(tmp_path, bib)
    cold = build(tmp_path, cold=True)
    edit_json(cache_file(tmp_path, prefix), change)
    assert build(tmp_path) == cold
    assert build(tmp_path) == cold  # and the cache written after it is good again


def test_the_same_size_and_time_after_an_edit_is_not_trusted(tmp_path: Path) -> None:
    """An editor that keeps the modification time: `mkdocs serve` must still see the new .bib."""
    bib = tmp_path / "references.bib"
    bib.write_text(BIB, encoding="utf-8")
    stat = bib.stat()
    memo: BibMemo = {}
    first, _ = load_bibliography(str(bib), "references.bib", str(tmp_path / "cache"), memo)
    assert "beta2021" in first
    edited = BIB.replace("beta2021", "bet42021").replace("Beta title", "Bet4 title")
    assert len(edited.encode()) == stat.st_size
    bib.write_text(edited, encoding="utf-8")
    os.utime(bib, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert bib.stat().st_mtime_ns == stat.st_mtime_ns and bib.stat().st_size == stat.st_size
    again, _ = load_bibliography(str(bib), "references.bib", str(tmp_path / "cache"), memo)
    assert "beta2021" not in again and "bet42021" in again


def test_a_serve_rebuild_after_a_same_stamp_edit_equals_a_cold_build(tmp_path: Path) -> None:
    write_project(tmp_path)
    memo: BibMemo = {}
    build(tmp_path, cold=True, memo=memo)
    bib = tmp_path / "references.bib"
    stat = bib.stat()
    bib.write_text(BIB.replace("beta2021", "bet42021"), encoding="utf-8")
    os.utime(bib, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    warm = build(tmp_path, memo=memo)
    assert warm == build(tmp_path, cold=True)
    assert any("unknown citation key 'beta2021'" in m for m in warm[0])


def test_stale_temporary_files_are_removed(tmp_path: Path) -> None:
    """A build killed while writing the cache leaves a tmp*.tmp file; the next build removes it."""
    write_project(tmp_path)
    build(tmp_path, cold=True)
    folder = tmp_path / ".cache" / "citations"
    stale = folder / "tmpk1ll3d.tmp"
    stale.write_text('{"half": ', encoding="utf-8")
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    build(tmp_path)  # a build with nothing new to write
    assert not stale.exists()
    assert not list(folder.glob("*.tmp"))


def test_forged_html_in_the_cache_never_reaches_a_built_page(tmp_path: Path) -> None:
    """The same with a real `mkdocs build`: the cache is read by a new process."""
    project = tmp_path / "project"
    write_project(project)
    (project / "mkdocs.yml").write_text(
        "site_name: cache\nnav: [index.md, more.md, refs.md]\nplugins:\n  - citations:\n      warn_uncited: false\n",
        encoding="utf-8",
    )
    cold = mkdocs_build(project, tmp_path / "cold")
    assert cold.returncode == 0, cold.log
    edit_json(cache_file(project, "bib"), forge_formatted)
    edit_json(cache_file(project, "pages"), forge_plans)
    warm = mkdocs_build(project, tmp_path / "warm")
    assert warm.returncode == 0, warm.log
    for page in sorted((tmp_path / "warm").rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert "forged" not in html and "alert(" not in html, page
    for name in ("index.html", "more/index.html", "refs/index.html"):
        assert (tmp_path / "warm" / name).read_text(encoding="utf-8").count("Alpha title") == (
            tmp_path / "cold" / name
        ).read_text(encoding="utf-8").count("Alpha title")


def reseal(path: Path) -> None:
    """Give an edited cache file a correct digest, as someone who read macros/cache.py could."""
    from macros.cache import _digest

    data = json.loads(path.read_text(encoding="utf-8"))
    data["sha256"] = _digest(data["inputs"], data["payload"])
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(("prefix", "change"), [("bib", forge_formatted), ("pages", forge_plans)])
def test_a_forged_payload_with_a_good_digest_still_writes_no_markup(
    tmp_path: Path, prefix: str, change: Callable[[Payload], None]
) -> None:
    """The digest finds damage, not forgery: HTML and page text from the cache are checked on their own."""
    write_project(tmp_path)
    cold = build(tmp_path, cold=True)
    path = cache_file(tmp_path, prefix)
    edit_json(path, change)
    reseal(path)
    if prefix == "bib":
        assert build(tmp_path) == cold
    else:  # a page's scan holds no HTML: a forged one may cite otherwise, but writes no markup of its own
        _, pages = build(tmp_path)
        for text in pages.values():
            assert (
                "<script" not in text
                and "<img" not in text
                and "onerror=alert" not in text.replace("onerror=alert(1)&gt;", "")
            )


def test_a_temporary_file_of_a_killed_build_goes_at_once_and_a_running_ones_stays(tmp_path: Path) -> None:
    write_project(tmp_path)
    build(tmp_path, cold=True)
    folder = tmp_path / ".cache" / "citations"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    killed = folder / f"tmp-{int(dead.stdout)}-abc.tmp"  # that process has ended
    running = folder / f"tmp-{os.getppid()}-def.tmp"  # pytest's parent is still running
    killed.write_text("{", encoding="utf-8")
    running.write_text("{", encoding="utf-8")
    build(tmp_path)
    assert not killed.exists()
    assert running.exists()


@pytest.mark.parametrize("what", ["fifo", "folder", "link to a device"])
def test_a_cache_file_that_is_not_a_file_is_no_cache(tmp_path: Path, what: str) -> None:
    """Never opened: a named pipe in the cache's place would block the build."""
    write_project(tmp_path)
    cold = build(tmp_path, cold=True)
    for prefix in ("bib", "pages"):
        path = cache_file(tmp_path, prefix)
        path.unlink()
        if what == "fifo":
            os.mkfifo(path)
        elif what == "folder":
            path.mkdir()
        else:
            path.symlink_to("/dev/null")
    assert build(tmp_path) == cold
