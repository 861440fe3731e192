"""Invariants over built sites, checked by tools.verify_html from the HTML alone.

The checker runs on the real guide (and its combined print document, when
the pdf package can assemble one), and on every fixture site that builds.
Then each kind of breakage is planted in a good site, to show the checker
sees it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXTURES, ROOT, Build, mkdocs_build, tool_env
from tools.verify_html import verify_site


def reading_order(config: Path) -> list[str]:
    """Page URLs in nav order, from a mkdocs.yml with a nav (directory URLs)."""
    data = yaml.safe_load(config.read_text(encoding="utf-8").replace("!!python", "#"))
    urls: list[str] = []

    def walk(items: object) -> None:
        for item in items if isinstance(items, list) else []:
            target = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(target, list):
                walk(target)
            elif isinstance(target, str) and target.endswith(".md"):
                stem = target[:-3]
                urls.append(
                    "" if stem == "index" else (stem[: -len("/index")] if stem.endswith("/index") else stem) + "/"
                )

    walk(data.get("nav"))
    return urls


def numbering_of(config: Path) -> str:
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, dict) and "citations" in plugin:
            return str((plugin["citations"] or {}).get("numbering", "site"))
    return "site"


# -- the guide --------------------------------------------------------------------------


def test_the_guide_keeps_every_invariant(guide_site: Path) -> None:
    order = reading_order(ROOT / "mkdocs.yml")
    assert order == ["", "muscles/", "exercise/", "references/", "about/"]
    assert verify_site(guide_site, order=order) == []


def test_the_guides_print_document_keeps_every_invariant(guide_site: Path, tmp_path: Path) -> None:
    """The handout's combined HTML: unique ids, the web site's numbers."""
    assemble = pytest.importorskip("pdf.assemble", reason="the pdf package cannot assemble here")
    project = pytest.importorskip("pdf.project")
    document = assemble.assemble(project.load_project(ROOT / "mkdocs.yml", guide_site), guide_site)
    print_html = tmp_path / "handout.html"
    print_html.write_text(document.html, encoding="utf-8")
    assert '<main class="chapters">' in document.html  # what verify recognises a print document by
    assert verify_site(guide_site, print_html=[print_html]) == []
    # and it is checked at all: a planted duplicate id is found
    broken = tmp_path / "broken.html"
    broken.write_text(document.html.replace('id="page-muscles"', 'id="card"', 1), encoding="utf-8")
    assert any("the id 'card' is used 2 times" in p for p in verify_site(guide_site, print_html=[broken]))


# -- every fixture site -----------------------------------------------------------------


#: Fixtures made to fail (tests/test_build.py checks their messages).
ERROR_FIXTURES = {
    "bib_missing",
    "bib_syntax_error",
    "citation_not_found",
    "config_invalid",
    "duplicate_key",
    "jinja_syntax_error",
    "many_errors",
}


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.iterdir() if (p / "mkdocs.yml").is_file()))
def test_every_fixture_site_that_builds_keeps_every_invariant(fixture: str, tmp_path: Path) -> None:
    project = tmp_path / fixture
    shutil.copytree(FIXTURES / fixture, project)
    config_file = project / "mkdocs.yml"
    # the sites written for mkdocs-bibtex switch by their one line (tests/test_migration.py)
    config_file.write_text(re.sub(r"(?m)^(\s*)- bibtex:", r"\1- citations:", config_file.read_text(encoding="utf-8")))
    build = mkdocs_build(project, tmp_path / "site")
    print(f"reproduce with: {build.command}\n{build.log}")
    assert "Traceback" not in build.log
    if fixture in ERROR_FIXTURES:
        # nothing to check: the build must fail rather than publish a broken site
        assert build.returncode != 0
        return
    assert build.returncode == 0
    config = project / "mkdocs.yml"
    numbering = numbering_of(config)
    order = reading_order(config) or None
    assert verify_site(build.site, numbering=numbering, order=order if numbering == "site" else None) == []


# -- the checker sees each kind of breakage ---------------------------------------------------


@pytest.fixture(scope="module")
def basic_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("basic")
    shutil.copytree(FIXTURES / "basic", root / "project")
    build = mkdocs_build(root / "project", root / "site", "--strict")
    assert build.returncode == 0, build.log
    assert verify_site(build.site) == []
    return build


def edit(page: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def change(site: Path) -> None:
        path = site / page
        html = path.read_text(encoding="utf-8")
        assert old in html, f"{old!r} not in {page}"
        path.write_text(html.replace(old, new, count), encoding="utf-8")

    return change


def regex(page: str, pattern: str, new: str) -> Callable[[Path], None]:
    def change(site: Path) -> None:
        path = site / page
        html = path.read_text(encoding="utf-8")
        changed, n = re.subn(pattern, new, html, count=1, flags=re.S)
        assert n == 1, f"{pattern!r} not in {page}"
        path.write_text(changed, encoding="utf-8")

    return change


BREAKAGES = {
    "duplicate id": (
        edit("index.html", 'id="cite-index-2"', 'id="cite-index-1"'),
        "the id 'cite-index-1' is used 2 times",
    ),
    "wrong number shown": (
        regex("index.html", r'(id="cite-index-1"[^>]*><a [^>]*>)1<', r"\g<1>2<"),
        "marker #cite-index-1 shows 2 for 'alpha2020', but its entry is number 1",
    ),
    "link to a missing entry": (
        edit("index.html", 'href="#ref-index-2"', 'href="#ref-index-9"'),
        "marker #cite-index-2: the number 2 links to #ref-index-9, which is no reference-list entry",
    ),
    "link to another key's entry": (
        edit("second/index.html", 'href="#ref-second-3"', 'href="#ref-second-1"'),
        "marker #cite-second-1: the number 3 links to the entry of 'alpha2020', which it does not cite",
    ),
    "entry cited nowhere on its page": (
        edit("index.html", 'data-keys="beta2021 alpha2020"', 'data-keys="alpha2020"'),
        "'beta2021' is in the page's reference list but cited nowhere on the page",
    ),
    "key missing from the page's list": (
        regex("index.html", r'<li value="2" data-key="beta2021".*?</li>', ""),
        "marker #cite-index-2 cites 'beta2021', which the page's reference list lacks",
    ),
    "dangling back-link": (
        edit(
            "index.html",
            'class="citation-backref" href="#cite-index-1"',
            'class="citation-backref" href="#cite-index-7"',
        ),
        "the back-link #cite-index-7 of 'alpha2020' leads to no citation marker",
    ),
    "back-link count": (
        regex("index.html", r'<a class="citation-backref" href="#cite-index-2"[^>]*>[^<]*</a>', ""),
        "'alpha2020' has 1 back-links, but is cited 2 times",
    ),
    "numbers disagree between pages": (
        edit("second/index.html", '<li value="3" data-key="gamma2019"', '<li value="4" data-key="gamma2019"'),
        "'gamma2019' is number 4 here but 3 on bibliography/index.html",
    ),
    "bibliography with a gap": (
        edit("bibliography/index.html", '<li value="3"', '<li value="5"'),
        "the full bibliography is not numbered 1 to 3 without gaps",
    ),
    "bibliography missing a key": (
        regex("bibliography/index.html", r'<li value="3" data-key="gamma2019".*?</li>', ""),
        "the full bibliography lacks gamma2019, cited elsewhere",
    ),
    "wrong compression": (
        regex("index.html", r'(id="cite-index-2"[^>]*>.*?</a>),(<a )', "\\g<1>\u2013\\g<2>"),
        "marker #cite-index-2 shows '1\u20132', but its keys are numbered '1,2'",
    ),
    "broken marker": (
        regex(
            "index.html",
            r'<sup class="citation" id="cite-index-1" data-keys="alpha2020"( [^>]*)?>.*?</sup>',
            r'<sup class="citation citation-error" id="cite-index-1" data-keys="alpha2020"\1>?</sup>',
        ),
        "marker #cite-index-1 is a broken citation ('?'): alpha2020",
    ),
    "marker without a link": (
        regex("second/index.html", r'(id="cite-second-1"[^>]*>)<a [^>]*>3</a>', r"\g<1>3"),
        "marker #cite-second-1 (3) links to no reference list",
    ),
}


@pytest.mark.parametrize("name", BREAKAGES)
def test_the_checker_sees(name: str, basic_site: Build, tmp_path: Path) -> None:
    change, expected = BREAKAGES[name]
    site = tmp_path / "site"
    shutil.copytree(basic_site.site, site)
    change(site)
    problems = verify_site(site)
    assert any(expected in problem for problem in problems), problems


def test_first_appearance_order_is_checked(basic_site: Build) -> None:
    assert verify_site(basic_site.site, order=["", "second/", "bibliography/"]) == []
    problems = verify_site(basic_site.site, order=["second/", "", "bibliography/"])
    assert (
        "'gamma2019' is number 3 (bibliography/index.html), but it is the 1. source a reader meets in reading order"
        in problems
    )


def test_page_numbering_is_checked_per_page(basic_site: Build) -> None:
    # the basic site numbers site-wide: read as a page-numbered site, second/ is wrong
    problems = verify_site(basic_site.site, numbering="page")
    assert "second/index.html:{}: 'gamma2019' is number 3, but it is the 1. source cited on the page" in [
        re.sub(r":\d+:", ":{}:", p, count=1) for p in problems
    ]


def test_command_line(basic_site: Build, tmp_path: Path) -> None:
    def run(site: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tools.verify_html", str(site)],
            cwd=ROOT,
            env=tool_env(),
            capture_output=True,
            text=True,
        )

    good = run(basic_site.site)
    assert good.returncode == 0 and "citations consistent" in good.stderr
    site = tmp_path / "site"
    shutil.copytree(basic_site.site, site)
    edit("index.html", 'id="cite-index-2"', 'id="cite-index-1"')(site)
    bad = run(site)
    assert bad.returncode == 1
    assert re.search(r"^index\.html:\d+: the id 'cite-index-1' is used 2 times$", bad.stderr, re.M)
    missing = run(tmp_path / "nowhere")
    assert missing.returncode == 1 and "not a folder" in missing.stderr
