"""MkDocs' own warnings about pages, pointed at a file and line.

MkDocs names the page of a broken link but not the line, and reports a page
missing from the navigation without saying where to add it. The plugin
puts ``PageMessages`` on MkDocs' loggers for the length of a build, so that
``mkdocs build``, ``mkdocs serve`` and ``make check`` all show

    docs/muscles.md:12: Doc file 'muscles.md' contains a link 'nope.md', but ...
    docs/extra.md:1: this page is not in the navigation: add it under 'nav:' in mkdocs.yml (line 11), ...

Only the message text changes: level, logger and counting stay MkDocs'.
No MkDocs imports here (the messages are matched as text).
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

DOC_LINK = re.compile(
    r"^Doc file '(?P<page>[^']+)' contains (?:a|an absolute|an unrecognized relative) link '(?P<url>[^']*)'"
)
DOC_LINK_TO = re.compile(r"^Doc file '(?P<page>[^']+)' contains a link to '(?P<url>[^']*)'")
NAV_MISSING = re.compile(r"^A reference to '(?P<url>[^']+)' is included in the 'nav' configuration")
NAV_OMITTED = 'The following pages exist in the docs directory, but are not included in the "nav" configuration:'
# The loggers MkDocs (and ProperDocs, under its own name) writes these from.
LOGGERS = tuple(
    f"{root}.{name}"
    for root in ("mkdocs", "properdocs")
    for name in ("structure.pages", "structure.nav", "commands.build", "structure.files")
)


def _line_of(path: Path, needles: list[str], occurrence: int = 0) -> int | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    for needle in needles:
        hits = [number for number, text in enumerate(lines, 1) if needle in text]
        if hits:
            return hits[min(occurrence, len(hits) - 1)]
    return None


def _title_of(page: Path) -> str:
    try:
        for line in page.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    except OSError:
        pass
    return page.stem.replace("-", " ").replace("_", " ").capitalize()


class PageMessages(logging.Filter):
    """Rewrites MkDocs' warnings about links and the nav as ``path:line: message``."""

    def __init__(self, project_dir: str, docs_dir: str, config_file: str) -> None:
        super().__init__()
        self.project_dir = project_dir
        self.docs_dir = Path(docs_dir)
        self.config_file = Path(config_file)
        self.seen: dict[tuple[str, str], int] = {}

    def shown(self, path: Path) -> str:
        rel = os.path.relpath(path, self.project_dir)
        return path.as_posix() if rel.startswith("..") else rel.replace(os.sep, "/")

    def rewrite(self, message: str) -> str:
        match = DOC_LINK.match(message) or DOC_LINK_TO.match(message)
        if match:
            page, url = match["page"], match["url"]
            occurrence = self.seen.get((page, url), 0)
            self.seen[(page, url)] = occurrence + 1
            needles = [f"]({url}", f"]({url} ", f'"{url}"', f"<{url}>", f"]: {url}", url]
            doc = self.docs_dir / page
            number = _line_of(doc, needles, occurrence)
            return f"{self.shown(doc)}{f':{number}' if number else ''}: {message}"
        match = NAV_MISSING.match(message)
        if match:
            number = _line_of(self.config_file, [match["url"]])
            where = self.shown(self.config_file) + (f":{number}" if number else "")
            return f"{where}: {message} Fix the file name, or remove the line from 'nav:'."
        if message.startswith(NAV_OMITTED):
            nav = _line_of(self.config_file, ["nav:"])
            where_nav = f"{self.shown(self.config_file)} (line {nav})" if nav else self.shown(self.config_file)
            out = []
            for item in message[len(NAV_OMITTED) :].splitlines():
                name = item.strip().removeprefix("- ").strip()
                if not name:
                    continue
                page = self.docs_dir / name
                out.append(
                    f"{self.shown(page)}:1: this page is not in the navigation: "
                    f"add it under 'nav:' in {where_nav}, e.g. '  - {_title_of(page)}: {name}'"
                )
            return "\n".join(out) or message
        return message

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            try:
                message = record.getMessage()
            except (TypeError, ValueError):
                return True
            rewritten = self.rewrite(message)
            if rewritten != message:
                first, *more = rewritten.split("\n")
                record.msg, record.args = first, None
                # One record a page, so each problem is shown and counted once.
                for line in more:
                    logging.getLogger(record.name).log(record.levelno, line)
        return True

    def install(self) -> None:
        for name in LOGGERS:
            logging.getLogger(name).addFilter(self)

    def remove(self) -> None:
        for name in LOGGERS:
            logging.getLogger(name).removeFilter(self)
