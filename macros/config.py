"""``extra.citations`` in mkdocs.yml, validated with MkDocs' typed config.

A wrong value is reported as ``mkdocs.yml:LINE: extra.citations.OPTION: ...``
with what was expected, never as a traceback.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from mkdocs.config import base
from mkdocs.config import config_options as c

from .problems import Problems
from .site import Options
from .styles import STYLE_NAMES


class PositiveInt(c.Type):  # type: ignore[type-arg]
    def __init__(self, default: int) -> None:
        super().__init__(int, default=default)

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise base.ValidationError(f"Expected a whole number of 1 or more, but received: {value!r}")
        return value


class FilePath(c.Type):  # type: ignore[type-arg]
    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        value = super().run_validation(value)
        if not isinstance(value, str) or not value.strip():
            raise base.ValidationError(
                "Expected the path of a .bib file, like references.bib, but received an empty one"
            )
        return value


class CitationsConfig(base.Config):  # type: ignore[no-untyped-call]
    bibliography = FilePath(default="references.bib")
    """Path of the .bib file, relative to mkdocs.yml."""
    style = c.Choice(STYLE_NAMES, default="vancouver")
    numbering = c.Choice(("site", "page"), default="site")
    """site: one number per source across the site; page: restart on every page."""
    marker = c.Choice(("superscript", "brackets"), default="superscript")
    max_authors = PositiveInt(default=6)
    """List this many authors, then 'et al.' (NLM lists six)."""
    auto_references = c.Type(bool, default=True)
    """Append a reference list to a page that cites and has no references()."""
    references_title = c.Type(str, default="References")
    warn_uncited = c.Type(bool, default=True)


def _option_line(config_path: str, option: str | None) -> int:
    """The line of ``citations:`` (or of one of its options) in mkdocs.yml."""
    try:
        with open(config_path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return 0
    start = next((i for i, text in enumerate(lines) if re.match(r"\s+citations\s*:", text)), None)
    if start is None:
        return 0
    if option:
        indent = len(lines[start]) - len(lines[start].lstrip())
        for i in range(start + 1, len(lines)):
            text = lines[i]
            if text.strip() and len(text) - len(text.lstrip()) <= indent:
                break
            if re.match(rf"\s+{re.escape(option)}\s*:", text):
                return i + 1
    return start + 1


def load_options(extra: object, config_path: str) -> tuple[Options, Problems]:
    """Options from the ``extra`` mapping of mkdocs.yml, with every problem found."""
    problems = Problems()
    display = os.path.basename(config_path) or "mkdocs.yml"
    raw = extra.get("citations") if isinstance(extra, Mapping) else None
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        problems.error(
            display,
            _option_line(config_path, None),
            f"extra.citations must be a set of options (bibliography, style, numbering, ...), not {type(raw).__name__}",
        )
        return Options(), problems
    config = CitationsConfig(config_file_path=config_path)
    config.load_dict(dict(raw))
    values: dict[str, object] = {}
    # MkDocs' Config.validate() stops at the first bad option; check each
    # one so that a single run reports every mistake.
    for name, option in CitationsConfig._schema:
        try:
            values[name] = option.validate(config.get(name))
        except base.ValidationError as error:
            problems.error(display, _option_line(config_path, name), f"extra.citations.{name}: {error}")
    known = {name for name, _ in CitationsConfig._schema}
    for name in raw:
        if name not in known:
            # An unknown option is almost always a typo: treat it as an error.
            problems.error(
                display,
                _option_line(config_path, str(name)),
                f"extra.citations.{name}: unknown option (known options: {', '.join(sorted(known))})",
            )
    if problems.errors:
        return Options(), problems
    return Options(**values), problems  # type: ignore[arg-type]
