"""The ``citations`` plugin's options in mkdocs.yml, as MkDocs' typed config.

```yaml
plugins:
  - citations:
      style: vancouver
```

A wrong value is reported as ``mkdocs.yml:LINE: plugins.citations.OPTION: ...``
with what was expected, every one of them in one run, never as a traceback.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from mkdocs.config import base
from mkdocs.config import config_options as c

from .bibtex_options import BIBTEX_OPTIONS, is_url, translate
from .bibtex_options import RENAMED as _RENAMED_FROM
from .csl.lookup import StyleError, find_style
from .options import Options
from .problems import Problems

PREFIX = "plugins.citations"


class PositiveInt(c.Type):  # type: ignore[type-arg]
    def __init__(self, default: int) -> None:
        super().__init__(int, default=default)

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise base.ValidationError(f"Expected a whole number of 1 or more, but received: {value!r}")
        return value


class BibPaths(base.BaseConfigOption):  # type: ignore[type-arg]
    """A .bib file, a folder of them, or a list of either; never a web address."""

    def __init__(self, default: str) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> str | tuple[str, ...]:
        paths = [value] if isinstance(value, str) else value
        if not isinstance(paths, list) or not paths:
            raise base.ValidationError(
                "Expected the path of a .bib file (references.bib), a folder of them, or a list of paths, "
                f"but received: {value!r}"
            )
        for path in paths:
            if not isinstance(path, str) or not path.strip():
                raise base.ValidationError(
                    "Expected the path of a .bib file, like references.bib, but received an empty one"
                    if isinstance(path, str) or path is None
                    else f"Expected the path of a .bib file, but received: {path!r}"
                )
            if is_url(path):
                raise base.ValidationError(
                    f"{path} is a web address: download the file first and give its path "
                    "(the build never goes to the network)"
                )
        return paths[0] if isinstance(value, str) else tuple(paths)


class StyleName(c.Type):  # type: ignore[type-arg]
    """'vancouver', a pybtex style, a CSL style's name or a .csl file (macros/csl/lookup.py)."""

    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)
        self.base_dir = "."

    def run_validation(self, value: object) -> str:
        value = super().run_validation(value)
        assert isinstance(value, str)
        try:
            found = find_style(value, self.base_dir)
        except StyleError as error:
            raise base.ValidationError(str(error)) from None
        return found if isinstance(found, str) else found.name


_DEFAULT = Options()


class CitationsConfig(base.Config):  # type: ignore[no-untyped-call]
    """The options as MkDocs types them; their defaults are ``Options``'."""

    bibliography = BibPaths(default=str(_DEFAULT.bibliography))
    """Path of the .bib file (or a folder of them, or a list), relative to mkdocs.yml."""
    style = StyleName(default=_DEFAULT.style)
    """vancouver (the default), unsrt, plain, alpha, any CSL style's name, or a .csl file."""
    numbering = c.Choice(("site", "page"), default=_DEFAULT.numbering)
    """site: one number per source across the site; page: restart on every page."""
    marker = c.Choice(("superscript", "brackets"), default=_DEFAULT.marker)
    max_authors = PositiveInt(default=_DEFAULT.max_authors)
    """List this many authors, then 'et al.' (NLM lists six)."""
    auto_references = c.Type(bool, default=_DEFAULT.auto_references)
    """Append a reference list to a page that cites and has no references()."""
    references_title = c.Type(str, default=_DEFAULT.references_title)
    """The list's heading; empty: "References" in the site's language."""
    warn_uncited = c.Type(bool, default=_DEFAULT.warn_uncited)
    """Warn about each entry no page cites (otherwise: their number, at INFO)."""
    pandoc_citations = c.Type(bool, default=_DEFAULT.pandoc_citations)
    in_text_citations = c.Type(bool, default=_DEFAULT.in_text_citations)
    references_placeholder = c.Type(str, default=_DEFAULT.references_placeholder)
    bibliography_placeholder = c.Type(str, default=_DEFAULT.bibliography_placeholder)


KNOWN = tuple(name for name, _ in CitationsConfig._schema)


def _lines(config_path: str | None) -> list[str]:
    try:
        with open(config_path or "", encoding="utf-8-sig") as handle:
            return handle.read().splitlines()
    except OSError:
        return []


def _block_line(lines: list[str], start: int, option: str) -> int:
    """The line of ``option:`` in the block that opens at ``start`` (0-based), else the block's."""
    indent = len(lines[start]) - len(lines[start].lstrip(" -"))
    for i in range(start + 1, len(lines)):
        text = lines[i]
        if text.strip() and not text.lstrip().startswith("#") and len(text) - len(text.lstrip()) <= indent:
            break
        if re.match(rf"\s+{re.escape(option)}\s*:", text):
            return i + 1
    return start + 1


def plugin_line(config_path: str | None, option: str | None = None) -> int:
    """The line of ``- citations`` under ``plugins:`` (or of one of its options); 0 if not found."""
    lines = _lines(config_path)
    start = next((i for i, text in enumerate(lines) if re.match(r"\s*-\s+citations\s*(:|$)", text)), None)
    if start is None:
        return 0
    return _block_line(lines, start, option) if option else start + 1


def extra_citations_line(config_path: str | None) -> int:
    """The line of ``citations:`` under ``extra:`` in mkdocs.yml, 0 if not found."""
    lines = _lines(config_path)
    extra = next((i for i, text in enumerate(lines) if re.match(r"extra\s*:", text)), None)
    if extra is None:
        return 0
    for i in range(extra + 1, len(lines)):
        text = lines[i]
        if text.strip() and not text[0].isspace() and not text.startswith("#"):
            break
        if re.match(r"\s+citations\s*:", text):
            return i + 1
    return extra + 1


def display_name(config_path: str | None) -> str:
    return os.path.basename(config_path or "") or "mkdocs.yml"


def load_options(
    raw: Mapping[str, object] | None, config_path: str | None
) -> tuple[CitationsConfig, Options, Problems]:
    """Options from the plugin's block of mkdocs.yml, with every problem found.

    Each option is validated once, here; the returned config holds the
    validated values (the plugin's ``config``), ``Options`` the same for the
    engine, which imports no MkDocs.

    MkDocs' ``Config.validate()`` would report each bad option without its
    line, and an unknown one only as a warning; each one here is an error
    at its line, because an unknown option is almost always a typo.
    """
    problems = Problems()
    display = display_name(config_path)
    given = dict(raw or {})
    translated, notes = translate(given)
    for note in notes:
        line, message = plugin_line(config_path, note.option), f"{PREFIX}.{note.option}: {note.message}"
        if note.severity == "error":
            problems.error(display, line, message, kind="config.mkdocs-bibtex-option")
        elif note.severity == "warning":
            problems.warning(display, line, message, kind="config.mkdocs-bibtex-option")
        else:
            problems.info(display, line, message, kind="config.mkdocs-bibtex-option")
    config = CitationsConfig(config_file_path=config_path)
    config.load_dict(translated)
    values: dict[str, object] = {}
    for name, option in CitationsConfig._schema:
        if isinstance(option, StyleName):
            option.base_dir = os.path.dirname(os.path.abspath(config_path)) if config_path else "."
        try:
            values[name] = option.validate(config.get(name))
        except base.ValidationError as error:
            written = next((old for old, new in _RENAMED_FROM.items() if new == name and old in given), name)
            line, message = plugin_line(config_path, written), f"{PREFIX}.{written}: {error}"
            if name == "style":
                problems.error(display, line, message, kind="config.unknown-style")
            else:
                problems.error(display, line, message, kind="config.invalid-option")
    for name in raw or {}:
        if name not in KNOWN and name not in BIBTEX_OPTIONS:
            problems.error(
                display,
                plugin_line(config_path, str(name)),
                f"{PREFIX}.{name}: unknown option (known options: {', '.join(sorted(KNOWN))})",
                kind="config.unknown-option",
            )
    if problems.errors:
        return config, Options(), problems
    for name, value in values.items():
        config[name] = value
    return config, Options(**values), problems  # type: ignore[arg-type]


def moved_options(extra: object, config_path: str | None) -> Problems:
    """An ``extra.citations`` block left from the mkdocs-macros days is an error that says where it goes."""
    problems = Problems()
    if isinstance(extra, Mapping) and "citations" in extra:
        problems.error(
            display_name(config_path),
            extra_citations_line(config_path),
            "extra.citations: the citation options are now the citations plugin's own: move them under "
            "'plugins:', as '- citations:' followed by the options, indented (see macros/README.md)",
            kind="config.moved-options",
        )
    return problems
