"""The .bib of a build: read, indexed and validated, or taken from the caches."""

from __future__ import annotations

import os

from ..cache import BibCache
from ..problems import Problems
from . import reader
from .fast_index import build_index
from .reader import Bibliography

# The parsed .bib by absolute path, with the (mtime, size) it was read at.
BibMemo = dict[str, tuple[tuple[int, int], Bibliography, BibCache]]


def load_bibliography(
    abs_path: str, display_path: str, cache_dir: str | None = None, memo: BibMemo | None = None
) -> tuple[Bibliography, BibCache]:
    """The .bib of a build, parsed in full only when it has changed.

    With a ``memo`` (the plugin keeps one for ``mkdocs serve``), an unchanged
    file (same size and modification time) is reused as it is. Otherwise its bytes are hashed:
    if the cache in ``cache_dir`` says this very content was validated
    before, and its fast index found the very entries the full parse did,
    its problems are taken from there and entries are parsed only as pages
    cite them; if not, the whole file is parsed and validated now (and the
    verdict stored). Whatever the cache holds, the answer is the same.
    """
    try:
        stat = os.stat(abs_path)
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = None
    cached = memo.get(abs_path) if memo is not None else None
    if stamp is not None and cached is not None and cached[0] == stamp:
        return cached[1], cached[2]
    problems = Problems()
    raw = reader.read_bytes(abs_path, display_path, problems)
    if raw is None:
        return Bibliography(path=display_path, problems=problems), BibCache(None, "")
    index = build_index(raw)
    disk = BibCache(cache_dir, index.digest)
    bib: Bibliography
    if disk.validation is not None and disk.lazy:
        bib = reader.LazyBibliography(display_path, raw, index, disk.validation)
    else:
        bib = reader.parse_validated(reader.decode(raw, display_path, problems), display_path, problems)
        bib.strings_text = reader.strings_text(raw, index)
        if disk.validation is None:
            disk.store_validation(bib.problems, lazy=reader.index_agrees(bib, raw, index))
    if stamp is not None and memo is not None:
        memo[abs_path] = (stamp, bib, disk)
    return bib, disk
