"""A small on-disk cache, so that unchanged work is not redone on every build.

Two things are kept, both keyed by content, never by time:

- the problems found by the full validation of a .bib file, keyed by the
  SHA-256 of its bytes, and whether its fast index agrees with that full
  parse: while the file is unchanged, a build does not need to parse all
  of it again if it does (``python -m macros check`` always does);
- formatted references, keyed by the text of the entry (with the
  ``@string`` definitions and ``crossref`` target it uses), the style and
  its options.

Every key also carries a fingerprint of the engine's own source, so a
change to the style or the parser never serves stale output. The cache
lives in ``.cache/citations/`` beside mkdocs.yml; deleting it is always safe.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path

from .problems import Problem, Problems

_VERSION = 2  # 2: problems carry their kind
# Every source file of the engine: a new module can never be forgotten here.
_ENGINE_GLOBS = ("*.py", "*/*.py", "templates/*.html")


def source_fingerprint(package: Path) -> str:
    """A hash of the engine's source files in ``package`` (a macros/ folder, this one or another checkout's)."""
    digest = hashlib.sha256(str(_VERSION).encode())
    for path in sorted(p for pattern in _ENGINE_GLOBS for p in package.glob(pattern)):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@functools.cache
def engine_fingerprint() -> str:
    """A hash of the source files whose change would change a cached result."""
    return source_fingerprint(Path(__file__).parent)


def problem_rows(problems: list[Problem]) -> list[list[object]]:
    return [[p.path, p.line, p.message, p.severity, p.kind] for p in problems]


def problems_from_rows(rows: object) -> list[Problem]:
    out = []
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, list) and len(row) == 5 and row[3] in ("error", "warning"):
            out.append(Problem(str(row[0]), int(row[1]), str(row[2]), row[3], str(row[4])))
    return out


def _replace_json(path: Path, siblings: str, data: object) -> bool:
    """Write ``data`` atomically to ``path``, removing older ``siblings``.

    Returns False instead of raising: a read-only checkout still builds,
    just without the cache.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(siblings):
            if old != path:
                old.unlink(missing_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False)
        os.replace(temporary, path)
    except OSError:
        return False
    return True


class BibCache:
    """What is known about one version (one digest) of one .bib file."""

    def __init__(self, directory: str | None, bib_digest: str) -> None:
        self.directory = directory
        self.bib_digest = bib_digest
        self.fingerprint = engine_fingerprint()
        self.validation: Problems | None = None
        self.lazy = False  # the fast index agrees with the full parse (reader.index_agrees)
        self.formatted: dict[str, list[object]] = {}
        self._dirty = False
        self._load()

    @property
    def path(self) -> Path | None:
        if not self.directory:
            return None
        return Path(self.directory) / f"bib-{self.bib_digest[:24]}-{self.fingerprint}.json"

    def _load(self) -> None:
        path = self.path
        if path is None or not path.is_file():
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # a damaged cache is no cache
        if not isinstance(data, dict) or data.get("digest") != self.bib_digest:
            return
        if "validation" in data:
            self.validation = Problems(problems_from_rows(data["validation"]))
            self.lazy = data.get("lazy") is True
        formatted = data.get("formatted")
        if isinstance(formatted, dict):
            self.formatted = formatted

    def store_validation(self, problems: Problems, lazy: bool) -> None:
        self.validation = Problems(list(problems))
        self.lazy = lazy
        self._dirty = True

    def get_formatted(self, key: str) -> tuple[str, str, list[Problem]] | None:
        row = self.formatted.get(key)
        if not isinstance(row, list) or len(row) != 3:
            return None
        return str(row[0]), str(row[1]), problems_from_rows(row[2])

    def put_formatted(self, key: str, html: str, text: str, problems: list[Problem]) -> None:
        self.formatted[key] = [html, text, problem_rows(problems)]
        self._dirty = True

    def save(self) -> None:
        """Write the cache if anything was added; failures are not errors."""
        path = self.path
        if path is None or not self._dirty:
            return
        data = {
            "version": _VERSION,
            "digest": self.bib_digest,
            "validation": problem_rows(list(self.validation or [])),
            "lazy": self.lazy,
            "formatted": self.formatted,
        }
        if _replace_json(path, "bib-*.json", data):
            self._dirty = False


class ScanCache:
    """Page scans (cite() calls, lines, problems), keyed by everything they read.

    A page's scan depends only on its text, its place in the site, the Jinja
    delimiters and the names the page may use; a page that has not changed
    is not parsed again by the scanner (mkdocs-macros still renders it).
    """

    def __init__(self, directory: str | None) -> None:
        self.directory = directory
        self.fingerprint = engine_fingerprint()  # covers scan.py, like every engine file
        self.entries: dict[str, object] = {}
        self._used: set[str] = set()
        self._dirty = False
        path = self.path
        if path is not None and path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = None
            if isinstance(data, dict) and isinstance(data.get("pages"), dict):
                self.entries = data["pages"]

    @property
    def path(self) -> Path | None:
        return Path(self.directory) / f"pages-{self.fingerprint}.json" if self.directory else None

    @staticmethod
    def key(*parts: object) -> str:
        return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()

    def get(self, key: str) -> object | None:
        found = self.entries.get(key)
        if found is not None:
            self._used.add(key)
        return found

    def put(self, key: str, value: object) -> None:
        self.entries[key] = value
        self._used.add(key)
        self._dirty = True

    def save(self) -> None:
        """Keep the scans of this build only (old versions of pages go)."""
        path = self.path
        if path is None or not (self._dirty or set(self.entries) - self._used):
            return
        if _replace_json(path, "pages-*.json", {"pages": {k: v for k, v in self.entries.items() if k in self._used}}):
            self._dirty = False
