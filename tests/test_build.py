"""Fixture sites built end to end with a real `mkdocs build`.

Each test prints the command that reproduces it. Clean fixtures assert the
HTML contract; failure fixtures assert the exit code and the exact messages.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT, Build, elements, tool_env

ERROR_SUMMARY = re.compile(r"^\d+ citation errors? \(listed above\)")


def markers(html: str) -> list[dict[str, str | None]]:
    return [
        attrs
        for tag, attrs in elements(html)
        if tag in ("sup", "span") and "citation" in (attrs.get("class") or "").split()
    ]


def marker_texts(html: str) -> list[str]:
    """The visible text of every marker, tags stripped: '1–3,5'."""
    found = re.findall(
        r'<(sup|span) class="citation(?: [^"]*)?"[^>]*>'
        r'((?:[^<]|<a [^>]*>[^<]*</a>|<span class="citation-loc">[^<]*</span>)*)</\1>',
        html,
    )
    return [re.sub(r"<[^>]+>", "", m) for _, m in found]


def list_items(html: str) -> list[dict[str, str | None]]:
    return [attrs for tag, attrs in elements(html) if tag == "li" and "data-key" in attrs]


def ids(html: str) -> list[str]:
    return [ident for _, attrs in elements(html) if (ident := attrs.get("id"))]


def citation_errors(build: Build) -> list[str]:
    return [line for line in build.log_lines("ERROR") if not ERROR_SUMMARY.match(line)]


# -- clean sites ------------------------------------------------------------


def test_basic_html_contract(build_fixture) -> None:  # type: ignore[no-untyped-def]
    build = build_fixture("basic", "--strict")
    assert build.returncode == 0
    assert build.log_lines("ERROR") == [] and build.log_lines("WARNING") == []
    home = build.html("index.html")

    found = markers(home)
    assert [m["data-keys"] for m in found] == ["alpha2020", "beta2021 alpha2020"]
    assert [m["id"] for m in found] == ["cite-index-1", "cite-index-2"]
    assert marker_texts(home) == ["1", "1,2"]
    # every visible number links to this page's list and carries the reference as a tooltip
    links = re.findall(r'<a href="(#ref-index-\d+)" title="([^"]+)">(\d+)</a>', home)
    assert [(href, num) for href, _, num in links] == [
        ("#ref-index-1", "1"),
        ("#ref-index-1", "1"),
        ("#ref-index-2", "2"),
    ]
    assert links[0][1] == "Alpha A, Beta B. First article. Journal One. 2020;1:1-10."
    assert links[2][1] == "Gamma G. Second article. Journal Two. 2021;2(3):100-9. doi:10.1000/beta.2021."

    # the automatic list: a heading, then one <li value=N> per key with back-links
    assert re.search(r"<h2 id=\"references\">References</h2>\s*<ol class=\"references\"", home)
    items = list_items(home)
    assert [(i["value"], i["data-key"], i["id"]) for i in items] == [
        ("1", "alpha2020", "ref-index-1"),
        ("2", "beta2021", "ref-index-2"),
    ]
    backrefs = re.findall(r'<a class="citation-backref" href="(#cite-index-\d+)"', home)
    assert backrefs == ["#cite-index-1", "#cite-index-2", "#cite-index-2"]
    assert '<a href="https://doi.org/10.1000/beta.2021">doi:10.1000/beta.2021</a>' in home
    assert len(ids(home)) == len(set(ids(home)))


def backrefs_text(html: str, key: str) -> str:
    """The back-links of ``key``'s entry as a reader sees them: '^ a b · Second: a'."""
    item = re.search(rf'<li [^>]*data-key="{key}"[^>]*>.*?</li>', html, re.S)
    assert item is not None, key
    span = re.search(r'<span class="citation-backrefs"[^>]*>(.*)</span></li>', item.group(0), re.S)
    assert span is not None, key
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", span.group(1))).strip()


def test_back_links_are_lettered_as_on_wikipedia(build_fixture) -> None:  # type: ignore[no-untyped-def]
    build = build_fixture("basic", "--strict")
    home = build.html()
    # cited twice on the page: "^ a b", each letter one link; cited once: one "^" link
    assert backrefs_text(home, "alpha2020") == "^ a b"
    assert backrefs_text(home, "beta2021") == "^"
    assert re.findall(r'<a class="citation-backref" href="#cite-index-(\d)"[^>]*>(\w+|\^)</a>', home) == [
        ("1", "a"),
        ("2", "b"),
        ("2", "^"),
    ]
    # the "^" of a group is not a link, and a lone "^" link has a name
    assert '<span class="citation-caret" aria-hidden="true">^</span>' in home
    assert 'aria-label="Back to the citation in the text">^</a>' in home
    # every accessible name starts with the visible letter (axe label-content-name-mismatch)
    for label, text in re.findall(r'class="citation-backref" href="[^"]+" aria-label="([^"]+)">([^<]+)</a>', home):
        assert text == "^" or label.startswith(text + ":"), (label, text)

    bib = build.html("bibliography/index.html")
    # grouped by page, in reading order, letters restarting on each page
    assert backrefs_text(bib, "alpha2020") == "^ Home: a b · Second: a"
    assert backrefs_text(bib, "beta2021") == "^ Home"
    assert backrefs_text(bib, "gamma2019") == "^ Second"
    assert 'aria-label="a: citation 1 of 1 in Second">a</a>' in bib


def test_locators_stay_off_the_line_and_go_to_the_tooltip_and_the_list(build_fixture) -> None:  # type: ignore[no-untyped-def]
    build = build_fixture("locator", "--strict", edit=_no_uncited_warning)
    home = build.html()
    # the marker keeps its locator in a span (hidden on screen, printed, read aloud)
    assert '<span class="citation-loc">(pp467\u2013474)</span></sup>' in home
    titles = re.findall(r'<sup class="citation"[^>]*><a href="[^"]+" title="([^"]+)">', home)
    assert [t[t.index("Cited here:") :] for t in titles] == [
        "Cited here: pp. 467\u2013474.",
        "Cited here: p. 12.",
        "Cited here: chap. 3.",
    ]
    # beside the back-link letter: shown once after each run of places citing the same pages
    keys = re.findall(r'<li value="1" data-key="([^"]+)"', home)
    assert backrefs_text(home, keys[0]) == "^ a pp. 467\u2013474 b p. 12"


def test_same_number_on_every_page_and_in_the_bibliography(build_fixture) -> None:  # type: ignore[no-untyped-def]
    build = build_fixture("basic", "--strict")
    second = build.html("second/index.html")
    # gamma2019 is first cited on the second page: number 3; alpha keeps 1
    assert [m["data-keys"] for m in markers(second)] == ["gamma2019", "alpha2020"]
    assert marker_texts(second) == ["3", "1"]
    # an explicit references() replaces the automatic list (no second heading)
    assert second.count('<ol class="references"') == 1
    assert 'id="references"' not in second
    assert [(i["value"], i["data-key"]) for i in list_items(second)] == [("1", "alpha2020"), ("3", "gamma2019")]

    bib = build.html("bibliography/index.html")
    assert [(i["value"], i["data-key"], i["id"]) for i in list_items(bib)] == [
        ("1", "alpha2020", "ref-bibliography-1"),
        ("2", "beta2021", "ref-bibliography-2"),
        ("3", "gamma2019", "ref-bibliography-3"),
    ]
    # back-links to every place that cites, on other pages, relative to this page
    alpha = re.search(r'<li value="1".*?</li>', bib, re.S)
    assert alpha is not None
    assert re.findall(r'class="citation-backref" href="([^"]+)"', alpha.group(0)) == [
        "../#cite-index-1",
        "../#cite-index-2",
        "../second/#cite-second-2",
    ]
    # no reference list is appended to the bibliography page itself
    assert bib.count("<ol") == 1


def test_nav_order_numbers_not_file_order(build_fixture) -> None:  # type: ignore[no-untyped-def]
    build = build_fixture("nav_order_differs_from_filenames", "--strict", edit=_no_uncited_warning)
    assert build.returncode == 0, build.log
    # nav: z.md (alpha), m.md (beta), a.md (gamma, alpha); files sort a, m, z
    assert marker_texts(build.html("z/index.html")) == ["1"]
    assert marker_texts(build.html("m/index.html")) == ["2"]
    assert marker_texts(build.html("a/index.html")) == ["3", "1"]


def _no_uncited_warning(project) -> None:  # type: ignore[no-untyped-def]
    config = project / "mkdocs.yml"
    text = config.read_text()
    if "  - citations:\n" in text:
        text = text.replace("  - citations:\n", "  - citations:\n      warn_uncited: false\n")
    else:
        text = text.replace("  - citations\n", "  - citations:\n      warn_uncited: false\n")
    assert "warn_uncited: false" in text
    config.write_text(text)


def test_ranges_are_sorted_and_compressed(build_fixture) -> None:  # type: ignore[no-untyped-def]
    build = build_fixture("ranges", "--strict")
    assert build.returncode == 0, build.log
    home = build.html()
    assert marker_texts(home) == ["1", "2", "3", "4", "5", "1\u20133,5", "1,2"]
    compressed = re.findall(r'<sup class="citation" id="cite-index-6" data-keys="([^"]+)"[^>]*>(.*?)</sup>', home)[0]
    # keys stay in the order written; one link per visible number
    assert compressed[0] == "epsilon2017 beta2021 alpha2020 gamma2019"
    assert re.findall(r'href="#ref-index-(\d+)"', compressed[1]) == ["1", "3", "5"]


def test_locator_follows_the_number(build_fixture) -> None:  # type: ignore[no-untyped-def]
    build = build_fixture("locator", "--strict", edit=_no_uncited_warning)
    assert build.returncode == 0, build.log
    assert marker_texts(build.html()) == ["1(pp467\u2013474)", "1(p12)", "2(chap. 3)"]


def test_brackets_marker_style(build_fixture) -> None:  # type: ignore[no-untyped-def]
    build = build_fixture("brackets", "--strict", edit=_no_uncited_warning)
    assert build.returncode == 0, build.log
    home = build.html()
    assert marker_texts(home) == ["[1,2]", "[3, pp. 467\u2013474]"]
    assert '<span class="citation citation-brackets" id="cite-index-1"' in home


def test_page_numbering_restarts_on_every_page(build_fixture) -> None:  # type: ignore[no-untyped-def]
    build = build_fixture("page_numbering", "--strict", edit=_no_uncited_warning)
    assert build.returncode == 0, build.log
    assert marker_texts(build.html("one/index.html")) == ["1", "2"]
    two = build.html("two/index.html")
    assert marker_texts(two) == ["1", "2"]
    assert [(i["value"], i["data-key"]) for i in list_items(two)] == [("1", "beta2021"), ("2", "gamma2019")]


def test_uncited_entries_warning_and_listing(build_fixture) -> None:  # type: ignore[no-untyped-def]
    # by default an export's uncited entries are normal: nothing for --strict to count
    quiet = build_fixture("uncited_entries", "--strict")
    assert quiet.returncode == 0 and quiet.log_lines("WARNING") == []

    def asks(project) -> None:  # type: ignore[no-untyped-def]
        config = project / "mkdocs.yml"
        config.write_text(config.read_text().replace("  - citations\n", "  - citations:\n      warn_uncited: true\n"))

    build = build_fixture("uncited_entries", edit=asks)
    assert build.returncode == 0
    assert build.log_lines("WARNING") == [
        "references.bib: 4 entries are never cited: beta2021, gamma2019, delta2018, epsilon2017 "
        "(cite them, remove them, or set plugins.citations.warn_uncited: false)"
    ]
    strict = build_fixture("uncited_entries", "--strict", edit=asks)
    assert strict.returncode == 1, "--strict must count the warning the site asked for"
    page = build.html("all/index.html")
    assert [(i.get("value"), i["data-key"]) for i in list_items(page)] == [
        ("1", "alpha2020"),
        (None, "beta2021"),
        (None, "gamma2019"),
        (None, "delta2018"),
        (None, "epsilon2017"),
    ]
    assert '<ul class="references references-uncited"' in page


def test_auto_references_off_links_to_the_bibliography_page(build_fixture) -> None:  # type: ignore[no-untyped-def]
    build = build_fixture("auto_references_off", edit=_no_uncited_warning)
    assert build.returncode == 0, build.log
    home = build.html()
    assert "<ol" not in home
    assert 'href="refs/#ref-refs-1"' in home


def test_same_numbers_after_a_serve_style_rebuild(build_fixture, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two builds in one process (as `mkdocs serve` does) give the same HTML."""
    project = tmp_path / "twice"
    import shutil

    shutil.copytree(ROOT / "tests/fixtures/basic", project)
    script = (
        "import sys\n"
        "from mkdocs.config import load_config\n"
        "from mkdocs.commands.build import build\n"
        "pages = []\n"
        "for n in (1, 2):\n"
        f"    cfg = load_config({str(project / 'mkdocs.yml')!r}, site_dir={str(tmp_path)!r} + f'/out{{n}}')\n"
        "    cfg.plugins.on_startup(command='serve', dirty=False)\n"
        "    build(cfg)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=project, env=tool_env(), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    for page in ("index.html", "second/index.html", "bibliography/index.html"):
        first = (tmp_path / "out1" / page).read_text()
        again = (tmp_path / "out2" / page).read_text()
        assert marker_texts(first) == marker_texts(again)
        assert list_items(first) == list_items(again)


# -- failures: exit code and exact messages ----------------------------------


def test_citation_not_found(build_fixture) -> None:  # type: ignore[no-untyped-def]
    build = build_fixture("citation_not_found")
    assert build.returncode == 1
    assert citation_errors(build) == [
        "docs/index.md:8: unknown citation key 'alhpa2020' (did you mean 'alpha2020'?)",
        "docs/index.md:9: unknown citation key 'zzzz9999' (add it to references.bib)",
    ]
    assert "Traceback" not in build.log


def test_every_error_is_reported_in_one_run(build_fixture) -> None:  # type: ignore[no-untyped-def]
    build = build_fixture("many_errors")
    assert build.returncode == 1
    errors = citation_errors(build)
    assert errors[:5] == [
        "docs/one.md:3: unknown citation key 'nope2020' (add it to references.bib)",
        'docs/one.md:4: cite() needs at least one citation key, e.g. cite("kang2013")',
        'docs/one.md:5: cite() takes citation keys in quotes, like cite("kang2013"), not 42',
        "docs/two.md:3: unknown citation key 'alpha2021' (did you mean 'alpha2020'?)",
        'docs/two.md:4: cite() takes citation keys in quotes, like cite("kang2013"), not the variable somekey',
    ]
    assert "5 citation errors (listed above)" in build.log
    assert "Traceback" not in build.log


def test_duplicate_key_in_another_case(build_fixture) -> None:  # type: ignore[no-untyped-def]
    build = build_fixture("duplicate_key")
    assert build.returncode == 1
    assert citation_errors(build)[0] == (
        "references.bib:43: duplicate key 'Alpha2020': already defined as 'alpha2020' at line 1 "
        "(BibTeX keys are case-insensitive; rename or remove one)"
    )


def test_bib_syntax_error(build_fixture) -> None:  # type: ignore[no-untyped-def]
    build = build_fixture("bib_syntax_error")
    assert build.returncode == 1
    assert citation_errors(build)[0] == (
        "references.bib:5: syntax error: '}' or ',' expected here (is a comma missing at the end of the line before?)"
    )
    assert "Traceback" not in build.log


def test_missing_field_is_a_warning(build_fixture) -> None:  # type: ignore[no-untyped-def]
    build = build_fixture("missing_field")
    assert build.returncode == 0
    assert build.log_lines("WARNING") == [
        "references.bib:1: entry 'nojournal2020' has no journal field, which a reference of type @article needs"
    ]
    assert build_fixture("missing_field", "--strict").returncode == 1
    assert "Lone L. An article without a journal. 2020." in build.html()


def test_hostile_fields_are_inert(build_fixture) -> None:  # type: ignore[no-untyped-def]
    build = build_fixture("hostile_fields")
    assert build.returncode == 0, build.log
    home = build.html()
    # what the engine wrote: from the page's heading to the end of its reference list
    body = home[home.index("<h1") : home.index("</ol>") + 5]
    for tag, attrs in elements(body):
        assert tag not in ("script", "img", "iframe", "object", "b"), (tag, attrs)
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, attrs)
            if name == "href" and value:
                assert not value.lower().startswith(("javascript:", "data:")), (tag, attrs)
    assert (
        "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in home
        or "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in home
    )
    # Jinja syntax in a field is text, never evaluated (BibTeX braces only group)
    assert "7*7" in home and "49" not in body
    # the URL with quotes is still a link, but percent-encoded: it cannot break out
    assert 'href="https://example.org/a%22onmouseover=%22alert(1)%22%3E%3Cb%3Ex"' in home
    # non-http URLs are text, and the author is told
    assert "Available from: javascript:alert(1)" in home
    warnings = build.log_lines("WARNING")
    assert (
        "references.bib:4: entry 'evil2020': the url field is not an http(s) address, so it is shown as text, not as a link"
        in warnings
    )
    assert any(w.startswith("references.bib:20: entry 'data2020': the url field") for w in warnings)


def test_jinja_syntax_error_names_file_and_line(build_fixture) -> None:  # type: ignore[no-untyped-def]
    build = build_fixture("jinja_syntax_error")
    assert build.returncode != 0
    assert citation_errors(build)[0] == "docs/index.md:5: cite() could not be read: its ')' is missing before '}}'"


def test_attribute_lists_and_code_are_markdown_not_jinja(build_fixture) -> None:  # type: ignore[no-untyped-def]
    build = build_fixture("markdown_not_jinja", "--strict", edit=_no_uncited_warning)
    assert build.returncode == 0, build.log
    html = build.html()
    assert "A heading link like {#id} is text." in html
    assert '<h2 id="usage">Usage</h2>' in html
    assert '<h2 class="wide" id="more">More</h2>' in html
    assert '<code>{{ cite("alpha2020", loc="12") }}</code>' in html
    assert "{% if page %}{{ bibliography() }}{% endif %}" in html
    assert "a note for editors" not in html
    assert html.count('class="citation"') == 2 and 'id="cite-index-2"' in html


def test_a_jinja_comment_never_closed_is_another_plugins_text(build_fixture) -> None:  # type: ignore[no-untyped-def]
    """The engine reads only its own calls: an unclosed {## (or {#) is left, as written, to Markdown."""

    def unclosed(project) -> None:  # type: ignore[no-untyped-def]
        page = project / "docs" / "index.md"
        page.write_text(page.read_text() + "\n{## an editor's note that never ends\n")

    build = build_fixture("markdown_not_jinja", edit=unclosed)
    assert build.returncode == 0 and citation_errors(build) == []
    assert (
        "{## an editor&#x27;s note that never ends" in build.html()
        or "{## an editor's note that never ends" in build.html()
    )


def test_invalid_configuration_lists_every_bad_option(build_fixture) -> None:  # type: ignore[no-untyped-def]
    build = build_fixture("config_invalid")
    assert build.returncode == 1
    assert citation_errors(build)[:4] == [
        "mkdocs.yml:7: plugins.citations.style: unknown style 'harvard' (did you mean 'harvard-cite-them-right' or "
        "'harvard-swinburne-university-of-technology' or 'fachhochschule-vorarlberg-author-date'? The style is "
        "'vancouver', 'unsrt', 'plain', 'alpha', one of the 10 844 CSL style names, or the path of a .csl file)",
        "mkdocs.yml:8: plugins.citations.numbering: Expected one of: ('site', 'page') but received: 'chapter'",
        "mkdocs.yml:9: plugins.citations.max_authors: Expected a whole number of 1 or more, but received: 0",
        "mkdocs.yml:10: plugins.citations.colour: unknown option (known options: auto_references, "
        "bibliography, bibliography_placeholder, in_text_citations, marker, max_authors, numbering, "
        "pandoc_citations, references_placeholder, references_title, style, warn_uncited)",
    ]
    assert "Traceback" not in build.log and "AssertionError" not in build.log


def test_missing_bib_file(build_fixture) -> None:  # type: ignore[no-untyped-def]
    build = build_fixture("bib_missing")
    assert build.returncode == 1
    assert citation_errors(build)[0] == (
        "nowhere.bib: bibliography file not found (create it, or set plugins.citations.bibliography in mkdocs.yml)"
    )


# -- python -m macros check ----------------------------------------------------


def run_check(project) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-m", "macros", "check", "-f", str(project / "mkdocs.yml")],
        cwd=project,
        env=tool_env(),
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    "fixture", ["many_errors", "citation_not_found", "duplicate_key", "bib_syntax_error", "config_invalid"]
)
def test_check_prints_the_same_errors_as_the_build(build_fixture, tmp_path, fixture: str) -> None:  # type: ignore[no-untyped-def]
    build = build_fixture(fixture)
    check = run_check(tmp_path / fixture)
    print(f"reproduce with: cd {tmp_path / fixture} && PYTHONPATH={ROOT} python -m macros check\n{check.stderr}")
    assert check.returncode == 1
    checked = [line.removeprefix("ERROR: ") for line in check.stderr.splitlines() if line.startswith("ERROR: ")]
    built = [
        line
        for line in citation_errors(build)
        if not line.startswith("Aborted") and "are not valid (see above)" not in line
    ]
    assert checked == built


def test_check_passes_a_clean_site_and_reports_missing_fields(build_fixture, tmp_path) -> None:  # type: ignore[no-untyped-def]
    build_fixture("missing_field")
    check = run_check(tmp_path / "missing_field")
    assert check.returncode == 0
    assert check.stderr.splitlines() == [
        "WARNING: references.bib:1: entry 'nojournal2020' has no journal field, which a reference of type @article needs",
        "citations: 0 errors, 1 warning",
    ]
