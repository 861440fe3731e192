"""Reproducible builds: the same sources and SOURCE_DATE_EPOCH give the same bytes.

Two clean builds of the guide, into different folders and with different
Python hash seeds (so no set or dict order can leak into the output), must
write byte-identical site/ trees: every HTML page, the search index, the
sitemap and, when the pdf package can run here, the PDF handouts and the
print HTML they are laid out from.

The dates that do appear come from SOURCE_DATE_EPOCH (reproducible-builds.org):
MkDocs uses it for the sitemap's <lastmod>, the gzip header of
sitemap.xml.gz and the mkdocs theme's "Build Date UTC" comment; the handout
for its cover date and PDF metadata.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, mkdocs_build, tool_env
from tools.verify_html import verify_site

EPOCH = "1700000000"  # 2023-11-14T22:13:20Z
PDF_MAIN = ROOT / "pdf" / "__main__.py"


@dataclass
class Output:
    site: Path
    print_html: Path | None
    pdf_status: int | None  # None: no pdf package; 2: a system library is missing
    pdf_log: str


def build(folder: Path, epoch: str, hash_seed: str, pdf: bool = True) -> Output:
    env = {"SOURCE_DATE_EPOCH": epoch, "PYTHONHASHSEED": hash_seed}
    result = mkdocs_build(ROOT, folder / "site", "--strict", env=env)
    assert result.returncode == 0, f"{result.command}\n{result.log}"
    if not (pdf and PDF_MAIN.is_file()):
        return Output(result.site, None, None, "")
    print_html = folder / "handout.html"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pdf",
            "-f",
            str(ROOT / "mkdocs.yml"),
            "-d",
            str(result.site),
            "--html",
            str(print_html),
        ],
        cwd=ROOT,
        env={**tool_env(), **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode in (0, 2), f"python -m pdf failed:\n{proc.stdout}{proc.stderr}"
    return Output(result.site, print_html if proc.returncode == 0 else None, proc.returncode, proc.stdout + proc.stderr)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    out = [f"only in the first build: {name}" for name in sorted(a.keys() - b.keys())]
    out += [f"only in the second build: {name}" for name in sorted(b.keys() - a.keys())]
    for name in sorted(a.keys() & b.keys()):
        if a[name] != b[name]:
            where = next(
                (i for i, (x, y) in enumerate(zip(a[name], b[name], strict=False)) if x != y),
                min(len(a[name]), len(b[name])),
            )
            out.append(
                f"differs: {name} (first at byte {where}: {a[name][where : where + 60]!r} vs {b[name][where : where + 60]!r})"
            )
    return out


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Output, Output]:
    first = build(tmp_path_factory.mktemp("first"), EPOCH, hash_seed="1")
    second = build(tmp_path_factory.mktemp("second"), EPOCH, hash_seed="2")
    return first, second


def test_two_clean_builds_are_byte_identical(two_builds: tuple[Output, Output]) -> None:
    first, second = two_builds
    a, b = tree(first.site), tree(second.site)
    assert "index.html" in a and "sitemap.xml.gz" in a
    assert differences(a, b) == []


def test_the_pdf_handouts_and_their_print_html_are_identical_too(two_builds: tuple[Output, Output]) -> None:
    first, second = two_builds
    if first.pdf_status is None:
        pytest.skip("no pdf package in this checkout")
    if first.pdf_status == 2:
        pytest.skip(f"WeasyPrint cannot run here (a system library is missing):\n{first.pdf_log}")
    for name in ("handout.pdf", "handout-letter.pdf"):
        assert (first.site / name).read_bytes() == (second.site / name).read_bytes(), name
    assert first.print_html is not None and second.print_html is not None
    assert first.print_html.read_bytes() == second.print_html.read_bytes()
    # the handout's numbers are the site's, and its ids are unique
    assert verify_site(first.site, print_html=[first.print_html]) == []


def test_only_the_sitemap_carries_the_build_date(two_builds: tuple[Output, Output], tmp_path: Path) -> None:
    """Another SOURCE_DATE_EPOCH changes the sitemap's dates and nothing else of the HTML site."""
    first, _ = two_builds
    # with the PDF step too: it writes the handout's measured size into the Home page
    later = build(tmp_path, "1800000000", hash_seed="3", pdf=True)
    a = {k: v for k, v in tree(first.site).items() if not k.endswith(".pdf")}
    b = {k: v for k, v in tree(later.site).items() if not k.endswith(".pdf")}
    changed = sorted(name.split(" ")[1] for name in differences(a, b))
    assert changed == ["sitemap.xml", "sitemap.xml.gz"]
    assert b"<lastmod>2023-11-14</lastmod>" in (first.site / "sitemap.xml").read_bytes()
    assert b"<lastmod>2027-01-15</lastmod>" in (later.site / "sitemap.xml").read_bytes()


def test_a_fixture_site_with_the_mkdocs_theme_is_reproducible_too(tmp_path: Path) -> None:
    """The mkdocs theme writes "Build Date UTC" into every page: from SOURCE_DATE_EPOCH."""
    project = tmp_path / "basic"
    shutil.copytree(FIXTURES / "basic", project)
    env = {"SOURCE_DATE_EPOCH": EPOCH}
    first = mkdocs_build(project, tmp_path / "one", "--strict", env={**env, "PYTHONHASHSEED": "1"})
    second = mkdocs_build(project, tmp_path / "two", "--strict", env={**env, "PYTHONHASHSEED": "2"})
    assert first.returncode == second.returncode == 0, first.log + second.log
    assert differences(tree(first.site), tree(second.site)) == []
    assert "Build Date UTC : 2023-11-14 22:13:20+00:00" in first.html()
