"""The .bib of a build: read, indexed and validated, or taken from the caches."""

from __future__ import annotations

from ..cache import BibCache
from ..problems import Problems
from . import reader
from .fast_index import build_index, digest
from .reader import Bibliography

# The parsed .bib by absolute path, with the SHA-256 of the bytes it was parsed from.
BibMemo = dict[str, tuple[str, Bibliography, BibCache]]


def load_bibliography(
    abs_path: str, display_path: str, cache_dir: str | None = None, memo: BibMemo | None = None
) -> tuple[Bibliography, BibCache]:
    """The .bib of a build, parsed in full only when it has changed.

    Its bytes are always read and hashed. With a ``memo`` (the plugin keeps
    one for ``mkdocs serve``), the very bytes parsed last time (the same
    SHA-256; never the same size and modification time alone, which an
    editor or a tool can keep across an edit) are reused as parsed.
    Otherwise: if the cache in ``cache_dir`` says this very content was
    validated before, and its fast index found the very entries the full
    parse did, its problems are taken from there and entries are parsed only
    as pages cite them; if not, the whole file is parsed and validated now
    (and the verdict stored). Whatever the caches hold, the answer is the same.
    """
    problems = Problems()
    raw = reader.read_bytes(abs_path, display_path, problems)
    if raw is None:
        return Bibliography(path=display_path, problems=problems), BibCache(None, "")
    cached = memo.get(abs_path) if memo is not None else None
    if cached is not None and cached[0] == digest(raw):
        return cached[1], cached[2]
    index = build_index(raw)
    disk = BibCache(cache_dir, index.digest)
    bib: Bibliography
    if disk.validation is not None and disk.lazy:
        bib = reader.LazyBibliography(display_path, raw, index, disk.validation)
    else:
        text = reader.decode(raw, display_path, problems)
        utf8 = not problems
        bib = reader.parse_validated(text, display_path, problems)
        # The index reads UTF-8 bytes: for a file that is not UTF-8 text, formatted
        # references are keyed by its whole text instead of its @string definitions.
        bib.strings_text = reader.strings_text(raw, index) if utf8 else text
        lazy = reader.index_agrees(bib, raw, index)
        if disk.validation is None:
            disk.store_validation(bib.problems, lazy=lazy)
        if lazy:  # the same entries from the file's bytes: its text (twice its size, or more) can go
            bib = reader.LazyBibliography(display_path, raw, index, bib.problems)
    if memo is not None:
        memo[abs_path] = (index.digest, bib, disk)
    return bib, disk
