"""Check the spelling of the guide, offline, in two passes.

Usage: python tools/check_spelling.py [--no-dictionary] [FILE ...]

1. codespell, over the pages, references.bib, mkdocs.yml and the project's
   Markdown files: it knows tens of thousands of common misspellings
   ("recieve", "seperate") and almost never cries wolf.
2. A dictionary pass over the prose of the pages (docs/*.md): every word must
   be an English word (American spelling, pyspellchecker's dictionary) or be
   listed in tools/wordlist.txt, the project's list of anatomical terms,
   names and other words a dictionary lacks. This catches what codespell
   cannot, like "muscels". Code, links, HTML tags, Jinja and attribute lists
   are skipped.

Every problem is one line: ``docs/muscles.md:12:5: 'muscels' is not in the
dictionary (did you mean 'muscles'?) ...``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

try:
    from tools.project import SKIPPED_BROKEN, front_matter_dropped, relative
except ModuleNotFoundError:  # pragma: no cover - direct script run
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tools.project import SKIPPED_BROKEN, front_matter_dropped, relative

HERE = Path(__file__).resolve().parent
WORDLIST = HERE / "wordlist.txt"
#: What codespell reads (folders are walked; binary files are skipped).
CODESPELL_TARGETS = ["docs", "references.bib", "mkdocs.yml", "README.md", "CONTRIBUTING.md", ".github"]
#: What the dictionary pass reads: the published prose.
DICTIONARY_TARGETS = ["docs"]
HINT = "if it is spelled right, add it to tools/wordlist.txt (one word a line)"

# Parts of a page that are not prose. Each is blanked out with spaces (newlines
# kept), so the line and column of every remaining word stay right.
NOT_PROSE = [
    re.compile(r"\A---\n.*?\n---\n", re.S),  # front matter (its text values are put back below)
    re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.S | re.M),  # fenced code
    re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S),  # Jinja
    re.compile(r"<!--.*?-->", re.S),  # HTML comments
    re.compile(r"`[^`\n]+`"),  # inline code
    re.compile(r"</?[A-Za-z][^>]*>"),  # HTML tags (the text between them is prose)
    re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"),  # link and image targets
    re.compile(r"^\s*\[[^\]]+\]:\s+\S+.*$", re.M),  # reference link definitions
    re.compile(r"(?:https?|mailto|ftp):[^\s)>\]]+"),  # bare addresses
    re.compile(r"\{[:#.\s][^{}\n]*\}"),  # attribute lists { width="560" }
    re.compile(r"&[A-Za-z]+;|&#\w+;"),  # HTML entities
]
# Citation keys, in the engine's syntax or another tool's, are never words to
# check: a key that is "not in the dictionary" must not end up in the word list.
CITATIONS = [
    re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S),  # cite("key") (in the front matter too)
    re.compile(r"\\[A-Za-z]*cite[A-Za-z]*\*?(?:\[[^\]\n]*\])*\{[^}\n]*\}"),  # \cite{key}, \citep[p. 3]{key}
    re.compile(r"\[[^\[\]\n]*(?<![\w@])@[^\[\]\n]*\]"),  # pandoc's [@key; see @other, p. 3]
    re.compile(r"(?<![\w@`])@[A-Za-z0-9_][\w:.#$%&+?<>~/-]*"),  # a bare @key
]
NOT_PROSE += CITATIONS
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
YAML_KEY = re.compile(r"^(\s*(?:-\s+)?[A-Za-z_][\w-]*:)", re.M)
WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def prose(text: str) -> str:
    """text with everything that is not prose replaced by spaces, lines and columns kept."""
    front = FRONT_MATTER.match(text)
    for pattern in NOT_PROSE:
        text = pattern.sub(_blank, text)
    if front:
        # the front matter's values (HowTo step names and texts) are prose; its keys are not
        values = YAML_KEY.sub(_blank, front.group(0))
        for pattern in CITATIONS:
            values = pattern.sub(_blank, values)
        values = re.sub(r"^---$", "   ", values, flags=re.M)
        text = values + text[len(values) :]
    return text


def read_wordlist(path: Path = WORDLIST) -> set[str]:
    words: set[str] = set()
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            word = line.split("#", 1)[0].strip()
            if word:
                words.add(word.lower())
    return words


def _files(targets: Iterable[str], suffixes: tuple[str, ...] | None = None) -> list[Path]:
    out: list[Path] = []
    for target in targets:
        path = Path(target)
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.is_file() and (suffixes is None or p.suffix in suffixes))
        elif path.is_file():
            out.append(path)
    return out


def words_of(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, word) for every word of prose, 1-based."""
    for number, line in enumerate(prose(text).splitlines(), 1):
        for match in WORD.finditer(line):
            yield number, match.start() + 1, match.group(0)


def _normal(word: str) -> str:
    word = word.replace("’", "'").lower()
    return word.removesuffix("'s")


def dictionary_pass(files: list[Path], allowed: set[str]) -> list[str]:
    from spellchecker import SpellChecker

    checker = SpellChecker(language="en")
    nearby = SpellChecker(language="en", distance=1)  # suggestions: one edit away, and fast
    problems: list[str] = []
    suggestions: dict[str, str | None] = {}
    for path in files:
        found: list[tuple[int, int, str]] = []
        for line, column, word in words_of(path.read_text(encoding="utf-8", errors="replace")):
            if word.isupper() or len(word) < 2:
                continue  # acronyms (PDF, MIT) and single letters
            normal = _normal(word)
            if normal in allowed or normal.replace("'", "") in allowed:
                continue
            found.append((line, column, word))
        unknown = checker.unknown({_normal(w) for _, _, w in found})
        for line, column, word in found:
            normal = _normal(word)
            if normal not in unknown:
                continue
            if normal not in suggestions:
                fix = nearby.correction(normal) if len(suggestions) < 50 else None
                suggestions[normal] = fix if fix and fix != normal else None
            hint = f" (did you mean '{suggestions[normal]}'?)" if suggestions[normal] else ""
            problems.append(f"{relative(path)}:{line}:{column}: '{word}' is not in the dictionary{hint}; {HINT}")
    return problems


CODESPELL_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<word>\S+) ==> (?P<fix>.+)$")


def codespell_pass(files: list[Path], allowed: set[str]) -> list[str]:
    import codespell_lib

    if not files:
        return []
    # NLM journal abbreviations in references.bib ("Man Ther") are not words
    args = ["--quiet-level", "2", "--check-filenames", "--ignore-regex", r"^\s*(shortjournal|journalabbr)\s*=.*$"]
    if allowed:
        args += ["--ignore-words-list", ",".join(sorted(allowed))]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        codespell_lib.main(*args, *[str(f) for f in files])
    problems = []
    for raw in out.getvalue().splitlines():
        match = CODESPELL_LINE.match(raw.strip())
        if not match:
            if raw.strip():
                problems.append(f"codespell: {raw.strip()}")
            continue
        path, number, word = Path(match["path"]), int(match["line"]), match["word"]
        column = 1
        try:
            text = path.read_text(encoding="utf-8", errors="replace").splitlines()[number - 1]
            found = re.search(rf"\b{re.escape(word)}\b", text)
            column = found.start() + 1 if found else 1
        except (OSError, IndexError):
            pass
        fixes = [f.strip() for f in match["fix"].split(",") if f.strip()]
        fix = " or ".join(f"'{f}'" for f in fixes[:3])
        problems.append(f"{relative(path)}:{number}:{column}: '{word}' looks misspelled (did you mean {fix}?); {HINT}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("files", nargs="*", help="files to check (default: the guide, its .bib and Markdown files)")
    parser.add_argument("--no-dictionary", action="store_true", help="run codespell only")
    parser.add_argument("--wordlist", type=Path, default=WORDLIST, help="the project's word list")
    args = parser.parse_args(argv)

    allowed = read_wordlist(args.wordlist)
    codespell_files = _files(args.files or CODESPELL_TARGETS)
    dictionary_files = [f for f in _files(args.files or DICTIONARY_TARGETS) if f.suffix == ".md"]
    broken = {f for f in {*codespell_files, *dictionary_files} if front_matter_dropped(f)}
    for path in sorted(broken):  # its YAML would be read as prose: the front matter is the one mistake
        print(SKIPPED_BROKEN.format(path=relative(path)))
    codespell_files = [f for f in codespell_files if f not in broken]
    dictionary_files = [f for f in dictionary_files if f not in broken]
    problems = codespell_pass(codespell_files, allowed)
    if not args.no_dictionary:
        # one report a word: codespell's (a known misspelling) wins over the dictionary's
        reported = {line.split(" ", 1)[0] for line in problems}
        problems += [p for p in dictionary_pass(dictionary_files, allowed) if p.split(" ", 1)[0] not in reported]
    problems = sorted(set(problems), key=_order)
    for line in problems:
        print(line)
    if problems:
        many = len(problems) != 1
        print(
            f"spelling: {len(problems)} word{'s' * many} to check; "
            f"fix {'each' if many else 'it'}, or add the right ones to tools/wordlist.txt"
        )
        return 1
    checked = len(set(codespell_files) | set(dictionary_files))
    print(f"spelling: {checked} file{'s' * (checked != 1)} checked, no unknown words")
    return 0


def _order(line: str) -> tuple[str, int, int]:
    parts = line.split(":", 3)
    try:
        return parts[0], int(parts[1]), int(parts[2])
    except (IndexError, ValueError):
        return parts[0], 0, 0


if __name__ == "__main__":
    sys.exit(main())
