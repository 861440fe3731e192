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

Nothing read back is taken on trust: every file holds a SHA-256 of its
payload and of the inputs it was made from (the engine's fingerprint, the
.bib's digest), and a file whose digest, shape or any value does not check
out is thrown away whole and its work done again, as if there were no cache.
What a payload may say is limited too: formatted HTML is held to the rules
of the HTML the formatter writes (``safe_reference_html``) and a page plan
may only hold text of the page itself (``site._plan_fits``). A payload
forged with a correct digest can still change what the build says (hide a
warning, change a number): the cache is trusted as much as the checkout it
sits in, and must not be shared across a trust boundary (macros/README.md).
Temporary files a killed build left behind are removed by the next one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import tempfile
import time
from pathlib import Path

from . import files
from .problems import Problem, Problems

_VERSION = 2  # 2: problems carry their kind
# Every source file of the engine: a new module can never be forgotten here.
_ENGINE_GLOBS = ("*.py", "*/*.py")


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


class Damaged(ValueError):
    """A cached payload that does not check out: it is thrown away and its work done again."""


def problem_rows(problems: list[Problem]) -> list[list[object]]:
    return [[p.path, p.line, p.message, p.severity, p.kind] for p in problems]


def problems_from_rows(rows: object) -> list[Problem]:
    """The problems of a cached payload; ``Damaged`` unless every row has the right shape and types."""
    if not isinstance(rows, list):
        raise Damaged("problems are not a list")
    out = []
    for row in rows:
        if not (
            isinstance(row, list)
            and len(row) == 5
            and isinstance(row[0], str)
            and type(row[1]) is int
            and row[1] >= 0
            and isinstance(row[2], str)
            and row[3] in ("error", "warning")
            and isinstance(row[4], str)
        ):
            raise Damaged(f"not a problem: {row!r:.80}")
        out.append(Problem(row[0], row[1], row[2], row[3], row[4]))
    return out


def _digest(inputs: str, payload: object) -> str:
    body = json.dumps(payload, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(f"{_VERSION}\0{inputs}\0{body}".encode()).hexdigest()


def _read_sealed(path: Path | None, inputs: str) -> dict[str, object] | None:
    """The payload of a cache file written by ``_write_sealed`` for these ``inputs``, or None.

    None for a missing file, and for anything that is not exactly what was
    written: not JSON, another shape, made from other inputs, or a payload
    whose digest differs (damaged, or edited by hand).
    """
    if path is None:
        return None
    # Only a regular file is read (a named pipe in its place would block the build).
    raw = files.read_bytes(str(path), str(path), Problems(), files.BIB)
    if raw is None:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("inputs") != inputs or not isinstance(data.get("payload"), dict):
        return None
    payload: dict[str, object] = data["payload"]
    if data.get("sha256") != _digest(inputs, payload):
        return None
    return payload


# A temporary file of _write_sealed: "tmp-<pid>-<random>.tmp"; older engines wrote "tmp<random>.tmp".
_TEMPORARY = re.compile(r"tmp(?:-(\d+)-)?[^/]*\.tmp")
_STALE_SECONDS = 600  # a temporary file of no known process is stale after ten minutes


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, as another user's process
    return True


def remove_stale_temporaries(folder: Path) -> None:
    """Remove the temporary files of cache writes that never finished (a build killed mid-write).

    A file of this machine's process that is gone is removed at once; one
    whose writer is unknown, once it is ten minutes old. A build running
    now keeps its file.
    """
    try:
        candidates = list(folder.glob("tmp*.tmp"))
    except OSError:
        return
    now = time.time()
    for path in candidates:
        found = _TEMPORARY.fullmatch(path.name)
        if found is None:
            continue
        try:
            if found.group(1) is not None and int(found.group(1)) != os.getpid():
                stale = not _alive(int(found.group(1)))
            else:
                stale = now - path.stat().st_mtime > _STALE_SECONDS
            if stale:
                path.unlink(missing_ok=True)
        except OSError:
            continue


def _write_sealed(path: Path, siblings: str, inputs: str, payload: dict[str, object]) -> bool:
    """Write ``payload`` atomically to ``path`` with its digest, removing older ``siblings``.

    Returns False instead of raising: a read-only checkout still builds,
    just without the cache.
    """
    data = {"inputs": inputs, "sha256": _digest(inputs, payload), "payload": payload}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(path.parent)
        for old in path.parent.glob(siblings):
            if old != path:
                old.unlink(missing_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f"tmp-{os.getpid()}-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=True)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except (OSError, ValueError):
        return False
    return True


# The HTML the formatters write (html/format_entries.SafeHtmlBackend, csl/processor's allowed
# tags): text with < and > escaped, the tags below without attributes (and CSL's small-caps
# span), and links to http(s) addresses; nothing else that is markup.
_HTML_TOKEN = re.compile(r"<[^<>]*>|&[^;&<>\s]*;?|[<>]")
_PLAIN_TAG = re.compile(r"<(/?)(em|strong|i|b|sup|sub|span)>|<()(span) style=\"font-variant:small-caps;\">")
_LINK = re.compile(r'<a href="https?://[^"<>\s`\']+">')


def safe_reference_html(fragment: str) -> bool:
    """Whether ``fragment`` is HTML the formatter could have written: nothing else is served from the cache."""
    open_tags: list[str] = []
    for match in _HTML_TOKEN.finditer(fragment):
        token = match.group()
        if token.startswith("&"):
            continue  # an entity, or a bare '&' (citeproc-py leaves some): text either way, never markup
        tag = _PLAIN_TAG.fullmatch(token)
        if tag is not None:
            closing, name = (tag.group(1), tag.group(2)) if tag.group(2) else (tag.group(3), tag.group(4))
        elif _LINK.fullmatch(token):
            closing, name = "", "a"
        elif token == "</a>":
            closing, name = "/", "a"
        else:
            return False
        if not closing:
            open_tags.append(name)
        elif not open_tags or open_tags.pop() != name:
            return False
    return not open_tags


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

    @property
    def inputs(self) -> str:
        return f"bib {self.bib_digest} engine {self.fingerprint}"

    def _load(self) -> None:
        payload = _read_sealed(self.path, self.inputs)
        if payload is None:
            return
        try:
            validation = payload.get("validation")
            if validation is not None:
                self.validation = Problems(problems_from_rows(validation))
                self.lazy = payload.get("lazy") is True
            formatted = payload.get("formatted", {})
            if not isinstance(formatted, dict):
                raise Damaged("formatted is not a mapping")
            for row in formatted.values():
                self._check_formatted(row)
            self.formatted = formatted
        except Damaged:
            self.validation, self.lazy, self.formatted = None, False, {}

    @staticmethod
    def _check_formatted(row: object) -> tuple[str, str, list[Problem]]:
        if not (isinstance(row, list) and len(row) == 3 and isinstance(row[0], str) and isinstance(row[1], str)):
            raise Damaged("not a formatted reference")
        return row[0], row[1], problems_from_rows(row[2])

    def store_validation(self, problems: Problems, lazy: bool) -> None:
        self.validation = Problems(list(problems))
        self.lazy = lazy
        self._dirty = True

    def get_formatted(self, key: str) -> tuple[str, str, list[Problem]] | None:
        """A stored row (checked when the file was read). Its HTML is the caller's to check
        (``safe_reference_html``) before it serves it: not every row holds HTML."""
        row = self.formatted.get(key)
        try:
            return None if row is None else self._check_formatted(row)
        except Damaged:
            return None

    def put_formatted(self, key: str, html: str, text: str, problems: list[Problem]) -> None:
        self.formatted[key] = [html, text, problem_rows(problems)]
        self._dirty = True

    def save(self) -> None:
        """Write the cache if anything was added; failures are not errors."""
        path = self.path
        if path is None or not self._dirty:
            return
        payload: dict[str, object] = {
            "validation": None if self.validation is None else problem_rows(list(self.validation)),
            "lazy": self.lazy,
            "formatted": self.formatted,
        }
        if _write_sealed(path, "bib-*.json", self.inputs, payload):
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
        if directory:  # once a build, even one that will write nothing
            remove_stale_temporaries(Path(directory))
        payload = _read_sealed(self.path, self.inputs)
        if payload is not None and isinstance(payload.get("pages"), dict):
            self.entries = payload["pages"]  # type: ignore[assignment]

    @property
    def path(self) -> Path | None:
        return Path(self.directory) / f"pages-{self.fingerprint}.json" if self.directory else None

    @property
    def inputs(self) -> str:
        return f"pages engine {self.fingerprint}"

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
        pages = {k: v for k, v in self.entries.items() if k in self._used}
        if _write_sealed(path, "pages-*.json", self.inputs, {"pages": pages}):
            self._dirty = False
