"""Lint the project's Markdown with PyMarkdown (pymarkdownlnt), offline.

Usage: python tools/lint_markdown.py [FILE_OR_FOLDER ...]

With no arguments it lints the guide's pages (docs/), README.md,
CONTRIBUTING.md and the GitHub templates. The rules and their settings live
under [tool.pymarkdown] in pyproject.toml. Every problem is one line:

    docs/muscles.md:14:1: MD022: add a blank line above and below the heading [blanks-around-headings]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from pymarkdown.api import PyMarkdownApi, PyMarkdownApiException

try:
    from tools.project import SKIPPED_BROKEN, front_matter_dropped, plural, relative
except ModuleNotFoundError:  # pragma: no cover - direct script run
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tools.project import SKIPPED_BROKEN, front_matter_dropped, plural, relative

DEFAULT_TARGETS = ["docs", "README.md", "CONTRIBUTING.md", ".github"]
#: Not pages (abbreviations appended to pages, GitHub's form texts): they need no title.
SNIPPETS = ("docs/includes/", ".github/")
SKIP = ("node_modules/", ".venv/", "site/", "tests/fixtures/")

#: What to do, in plain words, for the rules a writer meets most.
ADVICE = {
    "md001": "headings go down one level at a time: '##' then '###', never '##' then '####'",
    "md003": "write headings as '## Heading', not underlined",
    "md004": "start bullet points with '-'",
    "md005": "indent the items of one list the same way",
    "md007": "indent a nested list by 4 spaces (Python-Markdown needs 4)",
    "md009": "delete the spaces at the end of the line",
    "md010": "replace the tab with spaces",
    "md011": "a link is [text](address): the square brackets come first",
    "md012": "remove the extra blank line",
    "md018": "put one space after the '#' of a heading",
    "md019": "put only one space after the '#' of a heading",
    "md022": "add a blank line above and below the heading",
    "md023": "start the heading at the beginning of the line",
    "md024": "two headings in the same section have the same text: make them different",
    "md025": "a page has one '# Title': make the other one '##'",
    "md026": "remove the punctuation at the end of the heading",
    "md027": "put only one space after '>'",
    "md028": "a blank line splits the quote in two: start it with '>' too",
    "md029": "number the list 1. 2. 3. (or 1. 1. 1.)",
    "md030": "put one space after the list marker ('- item'); multi-paragraph items use '-   '",
    "md031": "add a blank line before and after the fenced code block",
    "md032": "add a blank line before and after the list",
    "md033": "this HTML element is not allowed in pages: use Markdown, or ask for it in your pull request",
    "md034": "put the bare address in angle brackets <https://...> or make it a [link](https://...)",
    "md035": "write horizontal rules as '---'",
    "md037": "remove the spaces just inside the * or _ of the emphasis",
    "md038": "remove the spaces just inside the `backticks`",
    "md039": "remove the spaces just inside the [link text]",
    "md040": "name the language after the opening ``` (for example ```sh)",
    "md041": "start the page with its title: '# Title' on the first line",
    "md042": "the link has no address: fill in the (...) part",
    "md045": "describe the image for readers who cannot see it: ![what it shows](file.svg)",
    "md047": "end the file with a single newline",
    "md049": "use _underscores_ for italics",
    "md050": "use **asterisks** for bold",
    "md051": "the '#anchor' of this link matches no heading on the page",
    "md052": "this [reference] link has no definition",
    "md053": "this link definition is never used: remove it",
}


#: Where the guide's own rule, one sentence per line, applies: the pages.
ONE_SENTENCE_PAGES = ("docs/",)
#: Words that end in a full stop without ending the sentence.
ABBREVIATIONS = {
    "e.g", "i.e", "al", "etc", "vs", "cf", "pp", "p", "ed", "eds", "vol", "no", "fig", "figs",
    "approx", "ca", "dr", "mr", "mrs", "ms", "prof", "st", "u.s", "u.k",
}  # fmt: skip
SENTENCE_END = re.compile(r"(?P<word>[\w.]*)[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z])")
LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def sentence_problems(path: Path) -> list[str]:
    """Lines of a page that hold two sentences (the guide writes one sentence per line)."""
    from tools.check_spelling import prose  # prose only: no code, links, Jinja or front matter

    problems = []
    raw = path.read_text(encoding="utf-8", errors="replace")
    front = re.match(r"\A---\n.*?\n---\n", raw, re.S)
    skip = front.group(0).count("\n") if front else 0  # front matter is data (the HowTo steps)
    for number, line in enumerate(prose(raw).splitlines(), 1):
        body = LIST_MARKER.sub(lambda m: " " * len(m.group(0)), line)
        stripped = body.strip()
        if number <= skip or not stripped or stripped.startswith(("|", "#", "!!!", "???", "*[")):
            continue
        for match in SENTENCE_END.finditer(body):
            word = match["word"].lower().rstrip(".")
            if word in ABBREVIATIONS or re.fullmatch(r"[a-z]", word):
                continue  # "et al. Kang", "S. Y. Kang"
            column = match.end() + 1
            problems.append(
                f"{relative(path)}:{number}:{column}: TBB001: start each sentence on a new line "
                f"(the one starting here), so that a change to one sentence is a change to one line "
                f"[one-sentence-per-line]"
            )
            break
    return problems


def _targets(args: list[str]) -> list[Path]:
    wanted = [Path(a) for a in (args or DEFAULT_TARGETS)]
    files: list[Path] = []
    for path in wanted:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.md") if not any(s in p.as_posix() + "/" for s in SKIP))
        elif path.is_file() and path.suffix == ".md":
            files.append(path)
        elif args:
            print(f"{path}: no such Markdown file or folder", file=sys.stderr)
    return files


def lint(files: list[Path]) -> list[str]:
    problems: list[str] = []
    for path in files:
        api = PyMarkdownApi()
        if relative(path).startswith(SNIPPETS):
            api.disable_rule_by_identifier("md041")
        try:
            result = api.scan_path(str(path))
        except PyMarkdownApiException as error:
            problems.append(f"{relative(path)}:1:1: the Markdown linter could not read this file: {error}")
            continue
        if relative(path).startswith(ONE_SENTENCE_PAGES) and not relative(path).startswith(SNIPPETS):
            problems += sentence_problems(path)
        for pragma in result.pragma_errors:
            problems.append(f"{relative(path)}:{pragma.line_number}:1: {pragma.pragma_error}")
        for failure in result.scan_failures:
            rule = failure.rule_id.lower()
            name = failure.rule_name.split(",")[0]
            text = ADVICE.get(rule, failure.rule_description)
            extra = (failure.extra_error_information or "").strip().removeprefix("[").removesuffix("]").strip()
            if extra:
                text += f" ({extra})"
            problems.append(
                f"{relative(failure.scan_file)}:{failure.line_number}:{failure.column_number}: "
                f"{failure.rule_id.upper()}: {text} [{name}]"
            )
    return problems


def _order(line: str) -> tuple[str, int, int]:
    path, number, column = [*line.split(":", 3), "", "", ""][:3]
    return path, int(number) if number.isdigit() else 0, int(column) if column.isdigit() else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("paths", nargs="*", help=f"files or folders (default: {' '.join(DEFAULT_TARGETS)})")
    args = parser.parse_args(argv)
    files = _targets(args.paths)
    broken = [path for path in files if front_matter_dropped(path)]
    for path in broken:  # every heading would look wrong: the front matter is the one mistake
        print(SKIPPED_BROKEN.format(path=relative(path)))
    files = [path for path in files if path not in broken]
    problems = lint(files)
    problems = sorted(set(problems), key=_order)
    for line in problems:
        print(line)
    if problems:
        print(
            f"markdown: {plural(len(problems), 'problem')} in {plural(len(files), 'file')}. "
            "Each line above names the file, line and column, and what to change."
        )
        return 1
    print(f"markdown: {plural(len(files), 'file')} checked, no problems")
    return 0


if __name__ == "__main__":
    sys.exit(main())
