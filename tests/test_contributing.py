"""The contributor's path: `make check` catches each mistake, naming file and line.

Every test works on a copy of the project in a temporary folder (the files
git tracks, plus new files that are not ignored), reusing the virtual
environment that runs the tests, so nothing is installed. Each test prints
the command that reproduces it.

`make check` itself runs twice: on the clean copy (it must pass with no
warning) and on a copy with mistakes (it must fail, run every step it can,
and name each mistake). Each single mistake is then checked with `make check`
limited to the steps that concern it (CHECK_STEPS=...), which is the same
runner and the same Makefile targets, only faster.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT
from tools import check_external_links, check_links, check_spelling, check_workflows

VENV = Path(sys.prefix)
MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="make is not installed")


# -- a copy of the project --------------------------------------------------------


def project_files(root: Path = ROOT) -> list[str]:
    """What a fresh clone of this working tree would hold: tracked and new, not ignored."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    files = [f for f in listed if f and (root / f).is_file()]
    # virtual environments someone made inside the tree are not part of the project
    venvs = {str(Path(f).parent) + "/" for f in files if Path(f).name == "pyvenv.cfg"}
    skip = ("site/", ".venv/", "node_modules/")
    return [f for f in files if not f.startswith(skip) and not any(f.startswith(v) for v in venvs)]


@pytest.fixture(scope="session")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One clean copy per session; tests copy it again before planting a mistake."""
    copy = tmp_path_factory.mktemp("pristine") / "guide"
    for name in project_files():
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    return copy


@dataclass
class Run:
    command: str
    returncode: int
    output: str

    def explain(self) -> str:
        return f"reproduce with:\n  {self.command}\n--- output ---\n{self.output}"


class Project:
    """A copy of the project, with helpers to plant a mistake and run make."""

    def __init__(self, path: Path, stamps: Path) -> None:
        self.path = path
        self.stamps = stamps

    def file(self, name: str) -> Path:
        return self.path / name

    def read(self, name: str) -> str:
        return self.file(name).read_text(encoding="utf-8")

    def write(self, name: str, text: str) -> None:
        self.file(name).parent.mkdir(parents=True, exist_ok=True)
        self.file(name).write_text(text, encoding="utf-8")

    def replace(self, name: str, old: str, new: str) -> int:
        """Replace the first old with new; return the 1-based line it is on."""
        text = self.read(name)
        assert old in text, f"{name} no longer contains {old!r}: update this test"
        line = text[: text.index(old)].count("\n") + 1
        self.write(name, text.replace(old, new, 1))
        return line

    def append(self, name: str, text: str) -> int:
        """Append text (one or more lines); return the line number of its first line."""
        current = self.read(name)
        if not current.endswith("\n"):
            current += "\n"
        self.write(name, current + text)
        return current.count("\n") + 1

    def make(self, *targets: str, **variables: str) -> Run:
        # Reuse the environment running the tests: point make at it, with stamps
        # newer than the requirements files so that make installs nothing.
        assigns = {"VENV": str(VENV), "SITE_STAMP": str(self.stamps / "site"), "DEV_STAMP": str(self.stamps / "dev")}
        assigns.update(variables)
        for name in ("site", "dev"):
            (self.stamps / name).touch()  # newer than a fresh clone's files too: the shared venv stays as it is
        args = [MAKE or "make", "--no-print-directory", *targets, *(f"{k}={v}" for k, v in assigns.items())]
        env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
        env["NO_MKDOCS_2_WARNING"] = "1"
        env["MYPY_CACHE_DIR"] = str(self.stamps / "mypy-cache")  # shared by the copies: a warm mypy
        proc = subprocess.run(args, cwd=self.path, env=env, capture_output=True, text=True, timeout=600)
        shown = " ".join(f"'{a}'" if " " in a else a for a in args)
        return Run(f"cd {self.path} && {shown}", proc.returncode, proc.stdout + proc.stderr)


@pytest.fixture(scope="session")
def stamps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stamps")
    for name in ("site", "dev"):
        (folder / name).touch()
    return folder


@pytest.fixture
def project(pristine: Path, stamps: Path, tmp_path: Path) -> Project:
    copy = tmp_path / "guide"
    shutil.copytree(pristine, copy)
    # the stamps must stay newer than the copied requirements files
    for name in ("site", "dev"):
        (stamps / name).touch()
    return Project(copy, stamps)


def located(output: str, path: str, line: int) -> list[str]:
    """Lines of output that point at path:line (with or without a column)."""
    pattern = re.compile(rf"(^|\s|\[){re.escape(path)}:{line}(:\d+)?:")
    return [text for text in output.splitlines() if pattern.search(text)]


# -- make check on the whole project ------------------------------------------------


def test_clean_project_passes_make_check_without_warnings(project: Project) -> None:
    run = project.make("check")
    print(run.explain())
    assert run.returncode == 0
    assert re.search(r"^\d+ passed, 0 failed", run.output, re.M)
    assert "FAILED" not in run.output
    noisy = [line for line in run.output.splitlines() if re.search(r"\bWARNING\b|\bwarning:", line)]
    assert noisy == []
    for step in ("citations", "build", "links", "markdown", "spelling", "ruff", "format", "types", "workflows"):
        assert re.search(rf"^  ok\s+{step}\s", run.output, re.M), f"step {step} did not pass"


def test_make_check_runs_every_step_and_names_each_mistake(project: Project) -> None:
    spelled = project.replace("docs/muscles.md", "gluteus maximus is the largest", "gluteus maximus is the largst")
    linked = project.append("docs/about.md", "\nRead [the glossary](glossary.md).\n") + 1
    heading = project.append("docs/index.md", "\n## Extra\nNo blank line under this heading.\n") + 1
    run = project.make("check")
    print(run.explain())
    assert run.returncode != 0
    assert located(run.output, "docs/muscles.md", spelled) and "largst" in run.output
    assert located(run.output, "docs/about.md", linked) and "glossary.md" in run.output
    assert located(run.output, "docs/index.md", heading) and "MD022" in run.output
    # every step ran, or says why not; the summary names the failed ones
    assert re.search(r"^  FAILED\s+spelling\s", run.output, re.M)
    assert re.search(r"^  FAILED\s+build\s", run.output, re.M)
    assert re.search(r"^  FAILED\s+markdown\s", run.output, re.M)
    assert re.search(r"^  skipped\s+links\s.*needs 'build'", run.output, re.M)
    for step in ("citations", "ruff", "format", "types", "workflows"):
        assert re.search(rf"^  ok\s+{step}\s", run.output, re.M), f"step {step} should still pass"
    assert re.search(r"^\d+ passed, 3 failed", run.output, re.M)
    assert "Traceback" not in run.output


# -- one mistake at a time -----------------------------------------------------------


@dataclass
class Mistake:
    steps: str  # the CHECK_STEPS that must catch it
    plant: Callable[[Project], tuple[str, int]]  # plants it; returns (path, line) to be named
    says: str  # a piece of the message


def _typo_in_key(p: Project) -> tuple[str, int]:
    return "docs/muscles.md", p.replace("docs/muscles.md", "[@cuthbert2021]", "[@cuthbret2021]")


def _markdown_link(p: Project) -> tuple[str, int]:
    return "docs/exercise.md", p.append("docs/exercise.md", "See [the glossary](glossary.md) too.\n")


def _markdown_anchor(p: Project) -> tuple[str, int]:
    return "docs/index.md", p.append("docs/index.md", "\nSee [the hamstrings](muscles.md#hamstring).\n") + 1


def _html_anchor(p: Project) -> tuple[str, int]:
    line = p.append("docs/index.md", '\n<a href="muscles/#hamstring">The hamstrings</a>\n') + 1
    return "docs/index.md", line


def _misspelled(p: Project) -> tuple[str, int]:
    return "docs/exercise.md", p.replace("docs/exercise.md", "Common faults", "Common fautls")


def _bib_comma(p: Project) -> tuple[str, int]:
    # the parser notices on the next line, and says a comma is missing on the one before
    return "references.bib", p.replace(
        "references.bib", "{Journal of Applied Biomechanics},", "{Journal of Applied Biomechanics}"
    ) + 1


def _not_in_nav(p: Project) -> tuple[str, int]:
    p.write("docs/glossary.md", "# Glossary\n\nWords of the guide.\n")
    return "docs/glossary.md", 1


def _jinja_brace(p: Project) -> tuple[str, int]:
    return "docs/exercise.md", p.replace("docs/exercise.md", "[@cuthbert2021]", '{{ cite("cuthbert2021") }')


def _jinja_name(p: Project) -> tuple[str, int]:
    return "docs/exercise.md", p.replace("docs/exercise.md", "[@cuthbert2021]", '{{ cyte("cuthbert2021") }}')


def _latex_cite(p: Project) -> tuple[str, int]:
    return "docs/about.md", p.append("docs/about.md", "\nAs the study showed \\cite{cuthbert2021}.\n") + 1


def _pandoc_typo(p: Project) -> tuple[str, int]:
    return "docs/about.md", p.append("docs/about.md", "\nAs the study showed [@cuthbret2021, p. 3].\n") + 1


def _markdown_style(p: Project) -> tuple[str, int]:
    return "docs/about.md", p.replace("docs/about.md", "## Licenses\n\n", "## Licenses\n")


def _two_sentences(p: Project) -> tuple[str, int]:
    old = "Plates loaded on the arm add weight to the movement.\n"
    return "docs/exercise.md", p.replace("docs/exercise.md", "between them.\n" + old, "between them. " + old)


def _python_lint(p: Project) -> tuple[str, int]:
    return "tools/project.py", p.replace("tools/project.py", "import os\n", "import os\nimport json\n") + 1


def _workflow_trigger(p: Project) -> tuple[str, int]:
    return ".github/workflows/pr.yml", p.replace(
        ".github/workflows/pr.yml", "  pull_request:\n", "  pull_request_target:\n"
    )


def _cite_in_heading(p: Project) -> tuple[str, int]:
    return "docs/exercise.md", p.replace(
        "docs/exercise.md", "## If you have back pain\n", '## If you have back pain{{ cite("arab2011") }}\n'
    )


def _cite_in_link_text(p: Project) -> tuple[str, int]:
    line = p.append("docs/about.md", '\nRead [the study{{ cite("cuthbert2021") }}](https://example.org/study).\n') + 1
    return "docs/about.md", line


def _key_in_another_case(p: Project) -> tuple[str, int]:
    return "docs/muscles.md", p.replace("docs/muscles.md", "[@cuthbert2021]", "[@Cuthbert2021]")


def _space_in_doi(p: Project) -> tuple[str, int]:
    return "references.bib", p.replace(
        "references.bib", "{10.1371/journal.pone.0052228}", "{10.1371/journal. pone.0052228}"
    )


MISTAKES = {
    "mistyped citation key": Mistake("citations", _typo_in_key, "unknown citation key 'cuthbret2021'"),
    "broken Markdown link": Mistake("build", _markdown_link, "glossary.md"),
    "broken Markdown anchor": Mistake("build", _markdown_anchor, "#hamstring"),
    "broken HTML anchor": Mistake("build links", _html_anchor, "no such anchor on that page"),
    "misspelled word": Mistake("spelling", _misspelled, "'fautls'"),
    "malformed .bib entry": Mistake("citations", _bib_comma, "comma missing"),
    "page missing from the nav": Mistake("build", _not_in_nav, "not in the navigation"),
    "cite() typo: a missing brace": Mistake("citations", _jinja_brace, "must be followed by }}"),
    "cite() typo: a misspelled call": Mistake("build", _jinja_name, "did you mean cite()?"),
    "LaTeX \\cite left in a page": Mistake("build", _latex_cite, "write [@cuthbert2021]"),
    "pandoc citation with a mistyped key": Mistake("citations", _pandoc_typo, "did you mean 'cuthbert2021'?"),
    "Markdown style": Mistake("markdown", _markdown_style, "MD022"),
    "two sentences on one line": Mistake("markdown", _two_sentences, "TBB001"),
    "Python lint": Mistake("ruff", _python_lint, "F401"),
    "workflow trigger": Mistake("workflows", _workflow_trigger, "pull_request_target"),
    # once silent (issue 13): each now fails the check at its line
    "citation in a heading": Mistake("citations", _cite_in_heading, "move the citation after the heading"),
    "citation in link text": Mistake("citations", _cite_in_link_text, "move the citation after the link"),
    "key in another case": Mistake("citations", _key_in_another_case, "is written 'cuthbert2021' in references.bib"),
    "space in a doi": Mistake("build", _space_in_doi, "the doi field has a space"),
}


@pytest.mark.parametrize("name", list(MISTAKES))
def test_each_mistake_fails_the_check_with_file_and_line(project: Project, name: str) -> None:
    mistake = MISTAKES[name]
    path, line = mistake.plant(project)
    run = project.make("check", CHECK_STEPS=mistake.steps)
    print(f"planted: {name} at {path}:{line}\n{run.explain()}")
    assert run.returncode != 0
    named = located(run.output, path, line)
    assert named, f"no message names {path}:{line}"
    assert any(mistake.says in text for text in named), f"no message at {path}:{line} says {mistake.says!r}"
    assert "Traceback" not in run.output


def test_a_problem_two_steps_find_is_counted_once(project: Project) -> None:
    path, line = _jinja_brace(project)
    run = project.make("check", CHECK_STEPS="citations build")
    print(run.explain())
    assert run.returncode != 0
    assert located(run.output, path, line), "each step still shows the problem"
    assert re.search(r"^  FAILED\s+citations\s", run.output, re.M)
    assert re.search(
        r"^  FAILED\s+build\s.*the same 1 problem as 'citations' \(listed above\): fix it there$", run.output, re.M
    )
    assert re.search(r"^0 passed, 2 failed; 1 problem to fix, each counted once$", run.output, re.M)
    assert "never cited" not in run.output, "a follow-up of the syntax error"


def test_check_links_works_after_check_build_alone(project: Project) -> None:
    build = project.make("check-build")
    assert build.returncode == 0, build.explain()
    run = project.make("check-links")
    print(run.explain())
    assert run.returncode == 0
    assert "no handout PDF in site/ (make check-handout writes it), so links to it are not checked" in run.output
    assert "handout.pdf" not in run.output.replace("no handout PDF", "").split("not checked", 1)[1]


# -- the "Last update" date: git history or not ------------------------------------------


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def test_strict_build_without_warnings_in_a_shallow_clone_with_an_uncommitted_page(
    project: Project, tmp_path: Path
) -> None:
    """A shallow clone (as CI makes by default) and a new page not yet committed build cleanly."""
    repo = project.path
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "first")
    project.append("docs/about.md", "\nOne more sentence.\n")
    _git(repo, "commit", "-q", "-am", "second")
    clone = tmp_path / "shallow"
    _git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    shallow = Project(clone, project.stamps)
    assert (clone / ".git" / "shallow").is_file()
    shallow.write("docs/glossary.md", "# Glossary\n\nWords of the guide.\n")
    shallow.replace("mkdocs.yml", "  - About: about.md\n", "  - About: about.md\n  - Glossary: glossary.md\n")
    run = shallow.make("check-build")
    print(run.explain())
    assert run.returncode == 0
    assert "WARNING" not in run.output
    page = (clone / "site" / "about" / "index.html").read_text(encoding="utf-8")
    assert "git-revision-date-localized-plugin" in page, "no 'Last update' date on the page"


def test_a_tree_without_git_builds_without_warnings(project: Project) -> None:
    assert not (project.path / ".git").exists()
    run = project.make("check-build")
    print(run.explain())
    assert run.returncode == 0
    assert "WARNING" not in run.output
    assert "git-revision-date-localized-plugin" in project.read("site/muscles/index.html")


def test_every_page_has_an_edit_link_and_a_date(guide_site: Path) -> None:
    for page in (
        "index.html",
        "muscles/index.html",
        "exercise/index.html",
        "references/index.html",
        "about/index.html",
    ):
        html = (guide_site / page).read_text(encoding="utf-8")
        source = "index.md" if page == "index.html" else page.replace("/index.html", ".md")
        assert f'href="https://github.com/tight-butt-blast/guide/edit/main/docs/{source}"' in html, page
        assert 'class="md-source-file"' in html, page


# -- configuration that the checks rely on ------------------------------------------------


def test_every_mkdocs_validation_option_is_a_warning() -> None:
    from mkdocs.config.defaults import MkDocsConfig

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    groups: Any = MkDocsConfig.validation  # a SubConfig of SubConfigs: nav, links
    known = {group: [name for name, _ in option.config_class._schema] for group, option in groups.config_class._schema}
    for group, names in known.items():
        for name in names:
            assert config["validation"][group].get(name) == "warn", f"validation.{group}.{name} must be 'warn'"


def test_the_guide_uses_the_citations_plugin_and_no_mkdocs_macros() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    assert names[:2] == ["search", "citations"] and "macros" not in names
    assert "citations" not in (config.get("extra") or {})
    assert not any(
        line.lower().startswith("mkdocs-macros") for line in (ROOT / "requirements.txt").read_text().splitlines()
    )
    git_dates = next(p for p in config["plugins"] if isinstance(p, dict) and "git-revision-date-localized" in p)
    options = git_dates["git-revision-date-localized"]
    assert options["fallback_to_build_date"] is True and options["enable_creation_date"] is False


def _makefile_targets() -> set[str]:
    return check_workflows.makefile_targets(ROOT / "Makefile")


def test_check_steps_the_runner_the_makefile_and_pre_commit_agree() -> None:
    from tools.run_checks import STEPS

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    steps = re.search(r"^CHECK_STEPS := (.+)$", makefile, re.M)
    assert steps is not None
    assert steps.group(1).split() == list(STEPS)
    targets = _makefile_targets()
    for step in STEPS:
        assert f"check-{step}" in targets
    hooks = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    called: set[str] = set()
    for repo in hooks["repos"]:
        assert repo["repo"] == "local", "hooks run the project's own pinned tools, nothing downloaded"
        for hook in repo["hooks"]:
            words = hook["entry"].split()
            assert words[0] == "make"
            called.update(w for w in words[1:] if not w.startswith("-") and "=" not in w)
    assert called <= targets
    assert {f"check-{step}" for step in STEPS} <= called, "every check step has a pre-commit hook"


def test_workflows_and_issue_forms_are_valid() -> None:
    problems, count = check_workflows.check(ROOT)
    assert [str(p) for p in problems] == []
    assert count >= 6


def _workflow(name: str) -> dict[Any, Any]:
    """A workflow as PyYAML reads it (YAML 1.1 reads the key 'on' as True)."""
    data = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_pull_request_workflow_is_safe_and_runs_make_check_and_make_test() -> None:
    data = _workflow("pr.yml")
    triggers = data.get("on", data.get(True))
    assert isinstance(triggers, dict)
    assert "pull_request" in triggers and "pull_request_target" not in triggers
    assert data["permissions"] == {"contents": "read"}
    text = (ROOT / ".github" / "workflows" / "pr.yml").read_text(encoding="utf-8")
    assert "secrets." not in re.sub(r"#.*", "", text)
    assert "run: make check\n" in text and "run: make test\n" in text
    assert "fetch-depth: 0" in text
    assert "actions/upload-artifact" in text and "site/handout*.pdf" in text


def test_deploy_and_weekly_links_workflows() -> None:
    deploy = _workflow("deploy.yml")
    jobs = deploy["jobs"]
    assert isinstance(jobs, dict)
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    text = (ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8")
    assert "actions/upload-pages-artifact@" in text and "actions/deploy-pages@" in text
    assert "run: make build" in text
    links = _workflow("links.yml")
    triggers = links.get("on", links.get(True))
    assert isinstance(triggers, dict) and "schedule" in triggers and "workflow_dispatch" in triggers
    assert links["permissions"] == {"contents": "read", "issues": "write"}
    text = (ROOT / ".github" / "workflows" / "links.yml").read_text(encoding="utf-8")
    assert "make check-external-links" in text and "Broken external links" in text


def test_workflow_checker_names_each_mistake(tmp_path: Path) -> None:
    shutil.copytree(ROOT / ".github", tmp_path / ".github")
    shutil.copy2(ROOT / "Makefile", tmp_path / "Makefile")
    pr = tmp_path / ".github" / "workflows" / "pr.yml"
    text = pr.read_text(encoding="utf-8")
    text = text.replace("run: make test\n", "run: make tset\n").replace("actions/checkout@v4", "actions/checkout@main")
    text = text.replace("    timeout-minutes: 45\n", "")
    pr.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    problems = [str(p) for p in check_workflows.check(tmp_path)[0]]
    print("\n".join(problems))
    tset = lines.index("        run: make tset") + 1
    checkout = next(n for n, line in enumerate(lines, 1) if "actions/checkout@main" in line)
    assert f".github/workflows/pr.yml:{tset}: 'make tset': the Makefile has no such target" in "\n".join(problems)
    assert any(p.startswith(f".github/workflows/pr.yml:{checkout}: pin") for p in problems)
    assert any("timeout-minutes" in p for p in problems)


# -- the link checker on its own ----------------------------------------------------------------


def _site(root: Path, pages: dict[str, str]) -> Path:
    for name, body in pages.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<html><body>\n{body}\n</body></html>\n", encoding="utf-8")
    return root


def test_link_checker_finds_files_anchors_and_duplicate_ids(tmp_path: Path) -> None:
    site = _site(
        tmp_path / "site",
        {
            "index.html": '<a href="a/">A</a>\n<a href="a/#x">x</a>\n<a href="a/#y">y</a>\n<a href="gone/">gone</a>',
            "a/index.html": '<h2 id="x">X</h2>\n<p id="x2">x2</p>\n<a href="../#top">top</a>\n<a href="#x">self</a>'
            '\n<img src="../img/pic.svg">\n<a href="https://example.org/nope">out</a>\n<a href="mailto:a@b.c">m</a>'
            '\n<a href="/guide/a/#x">root</a>\n<a href="https://tight-butt-blast.github.io/guide/a/#z">own</a>',
            "print.html": '<p id="p">p</p><p id="p">again</p>\n<a href="handout.pdf">pdf</a>',
        },
    )
    checker = check_links.SiteChecker(site, "https://tight-butt-blast.github.io/guide/", ("handout*.pdf",))
    checker.load()
    found = sorted((p.page, p.html_line, p.url, p.message) for p in checker.check())
    assert found == [
        ("a/index.html", 4, "../#top", "no such anchor on that page"),
        ("a/index.html", 6, "../img/pic.svg", "no such file in the built site: 'img/pic.svg'"),
        ("a/index.html", 10, "https://tight-butt-blast.github.io/guide/a/#z", "no such anchor on this page"),
        ("index.html", 4, "a/#y", "no such anchor on that page"),
        ("index.html", 5, "gone/", "no such file in the built site: 'gone/index.html'"),
        ("print.html", 2, "#p", "the id 'p' is used twice (first on line 2)"),
    ]


def test_link_checker_maps_pages_to_markdown_lines(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\nSee [x](muscles.md#nope).\n", encoding="utf-8")
    (docs / "muscles.md").write_text("# Muscles\n", encoding="utf-8")
    assert check_links.source_of("index.html", docs) == docs / "index.md"
    assert check_links.source_of("muscles/index.html", docs) == docs / "muscles.md"
    assert check_links.source_of("print.html", docs) is None
    assert check_links.source_line(docs / "index.md", "muscles/#nope", "nope", 0) == 3


# -- the spell checker on its own ----------------------------------------------------------------


def test_spelling_skips_code_links_and_jinja_and_keeps_columns() -> None:
    text = (
        '---\nhowto:\n  name: "Stepz"\n---\n'
        '# Title\n\nA wurd{{ cite("kang2013") }} and `codde` and [link](https://exampel.org/x) '
        '{ width="560" }\n<figure markdown="span">Caption wrod</figure>\n'
    )
    words = [(line, column, word) for line, column, word in check_spelling.words_of(text)]
    assert (3, 10, "Stepz") in words
    assert (7, 3, "wurd") in words
    assert not {"cite", "kang", "codde", "exampel", "width", "figure", "markdown", "span", "howto", "name"} & {
        w for _, _, w in words
    }
    assert any(word == "wrod" for _, _, word in words)


def test_spelling_word_list_is_sorted_lower_case_and_used() -> None:
    words = check_spelling.read_wordlist()
    assert "semitendinosus" in words and all(w == w.lower() for w in words)
    assert check_spelling.main([str(ROOT / "docs" / "muscles.md")]) == 0


# -- the weekly external link check, against a local server -----------------------------------------


class _Handler(BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def _answer(self, body: bool) -> None:
        if self.path.startswith("/api/handles/"):
            known = self.path.endswith("/10.1000/good")
            payload = b'{"responseCode": 1}' if known else b'{"responseCode": 100}'
            self.send_response(200 if known else 404)
        elif self.path == "/ok":
            payload = b"fine"
            self.send_response(200)
        elif self.path == "/forbidden":
            payload = b"no robots"
            self.send_response(403)
        else:
            payload = b"gone"
            self.send_response(404)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if body:
            self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_external_links_report_broken_ones_only(local_server: str, tmp_path: Path) -> None:
    bib = tmp_path / "references.bib"
    bib.write_text(
        "@article{good2020,\n  doi = {10.1000/good},\n  url = {" + local_server + "/ok},\n}\n\n"
        "@article{bad2021,\n  doi = {10.1000/bad},\n  url = {" + local_server + "/missing},\n}\n"
        "@misc{shy2022,\n  url = {" + local_server + "/forbidden},\n}\n",
        encoding="utf-8",
    )
    report = tmp_path / "report.md"
    code = check_external_links.main(
        [
            "--bib",
            str(bib),
            "--site",
            str(tmp_path / "no-site"),
            "--report",
            str(report),
            "--doi-api",
            f"{local_server}/api/handles/",
            "--timeout",
            "5",
        ]
    )
    text = report.read_text(encoding="utf-8")
    print(text)
    assert code == 1
    assert "found 2 broken links out of 5" in text
    assert f"| <{local_server}/missing> | {bib}:8 (bad2021) | HTTP 404 |" in text
    assert f"| <https://doi.org/10.1000/bad> | {bib}:7 (bad2021) | the DOI system does not know" in text
    assert "<https://doi.org/10.1000/bad>" in text and "does not know this DOI" in text
    broken = text.split("<details>")[0]
    assert "/forbidden" not in broken and "/ok>" not in broken and "10.1000/good" not in broken
    assert "Could not check (1)" in text


# -- GitHub annotations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "annotation"),
    [
        (
            "ERROR - docs/index.md:18: unknown citation key 'x'",
            "::error file=docs/index.md,line=18::unknown citation key 'x'",
        ),
        ("ERROR: references.bib:40: syntax error", "::error file=references.bib,line=40::syntax error"),
        (
            "WARNING - docs/glossary.md:1: this page is not in the navigation",
            "::warning file=docs/glossary.md,line=1::this page is not in the navigation",
        ),
        (
            "docs/about.md:25:3: 'wrod' is not in the dictionary",
            "::error file=docs/about.md,line=25,col=3::'wrod' is not in the dictionary",
        ),
        (
            "tools/project.py:2:8: F401 `json` imported but unused",
            "::error file=tools/project.py,line=2,col=8::F401 `json` imported but unused",
        ),
        (".github/workflows/pr.yml:9: never use it", "::error file=.github/workflows/pr.yml,line=9::never use it"),
        ("links: 423 links in 7 pages checked, none broken", None),
    ],
)
def test_problems_become_github_annotations(
    line: str, annotation: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    from tools.run_checks import _annotate

    _annotate(line)
    out = capsys.readouterr().out.strip()
    assert out == (annotation or "")


# -- the runner: every step, a summary, and the handout skipped only off CI ----------------------

FAKE_MAKEFILE = """\
check-citations:
\t@echo "docs/a.md:3: unknown citation key 'x'"; exit 1
check-build:
\t@echo built
check-handout:
\t@echo "error: Pango is missing"; HANDOUT_MARK; exit 2
check-links:
\t@echo "allowed: $(LINKS_ALLOW_MISSING)"
"""


@pytest.mark.parametrize(
    ("case", "on_ci", "handout"),
    [
        ("no Pango on a contributor's machine", False, "skipped"),
        ("no Pango on CI", True, "FAILED"),
        ("a real handout error", False, "FAILED"),
    ],
)
def test_runner_goes_on_after_a_failure_and_skips_the_handout_only_off_ci(
    tmp_path: Path, case: str, on_ci: bool, handout: str
) -> None:
    mark = 'echo "handout: cannot be built on this machine"' if "Pango" in case else "true"
    (tmp_path / "Makefile").write_text(FAKE_MAKEFILE.replace("HANDOUT_MARK", mark), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS", "MAKEFLAGS", "MAKELEVEL")}
    if on_ci:
        env["CI"] = "true"
    command = [sys.executable, str(ROOT / "tools" / "run_checks.py"), "--make", MAKE or "make"]
    command += ["citations", "build", "handout", "links"]
    proc = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    print(proc.stdout + proc.stderr)
    assert proc.returncode == 1
    assert re.search(r"^  FAILED\s+citations\s.*unknown citation key", proc.stdout, re.M)
    assert re.search(r"^  ok\s+build\s", proc.stdout, re.M)
    assert re.search(rf"^  {handout}\s+handout\s", proc.stdout, re.M)
    assert "allowed: handout*.pdf" in proc.stdout
    assert re.search(rf"^2 passed, {1 if handout == 'skipped' else 2} failed", proc.stdout, re.M)
