"""Differential test: whatever ``.cache/citations/`` holds, a build says and shows what a cold build does.

For every .bib of the repository, the real bibliographies in
``../shared/corpora/`` (read from there) and damaged variants of small
files (lines joined, braces dropped, @strings defined again, a byte order
mark, CRLF line ends), three builds share one project folder:

1. cold, citing some keys (this fills the cache);
2. warm, citing other keys;
3. warm again, in another style;

and 2 and 3 must give the HTML and the messages of cold builds of the same
inputs. The engine core (``CitationSite``) is driven as the MkDocs adapter
drives it (tests/engine_site.py), so this runs in seconds; tests/test_cache.py
does the same through real MkDocs builds of the fixture sites.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macros.bib.fast_index import build_index
from tests.conftest import FIXTURES, mkdocs_build
from tests.engine_site import Result, run

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
REAL = sorted((CORPORA / "realbib").glob("*.bib")) + sorted((CORPORA / "vancouver").glob("*.bib"))


def repository_bibs() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "*.bib"], cwd=ROOT, capture_output=True, text=True, check=True)
    return [ROOT / name for name in listed.stdout.split()]


def keys_of(raw: bytes) -> list[str]:
    """The keys as the fast index finds them (what the full parse finds may differ: that is tested too)."""
    return [found.key for found in build_index(raw.removeprefix(b"\xef\xbb\xbf")).entries.values()]


def pick(keys: list[str], count: int, offset: int) -> list[str]:
    if not keys:
        return ["nokey2000"]
    step = max(1, len(keys) // count)
    chosen = keys[offset % step :: step][:count]
    return [*chosen, keys[-1], chosen[0] + "x"]  # the last entry, and a typo (a "did you mean" hint)


def differential(tmp_path: Path, raw: bytes, first: list[str], then: list[str]) -> list[Result]:
    """Cold, warm with other keys, warm in another style: each must equal its cold build."""
    warm_dir = tmp_path / "warm"
    run(warm_dir, raw, first, cold=True)
    results = []
    for n, style in enumerate(("vancouver", "unsrt")):
        warm = run(warm_dir, raw, then, style=style)
        cold = run(tmp_path / f"cold{n}", raw, then, style=style, cold=True)
        assert warm.messages == cold.messages, style
        assert warm.html == cold.html, style
        results.append(cold)
    return results


@pytest.mark.parametrize("path", repository_bibs() + REAL, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_warm_equals_cold_on_real_files(tmp_path: Path, path: Path) -> None:
    if not path.is_file():
        pytest.fail(f"{path} is missing: the real corpora are read from ../shared/corpora beside the checkout")
    raw = path.read_bytes()
    keys = keys_of(raw)
    differential(tmp_path, raw, pick(keys, 8, 0), pick(keys, 12, 1))


# -- damaged variants -------------------------------------------------------------------

BASE = (
    "% A small bibliography with what real ones have.\n"
    '@string{jr = "Journal of Results"}\n'
    "@string{pub = {Acme Press}}\n"
    "@article{alpha2001,\n  author = {Alpha, Ann and Beta, Bob},\n  title = {First {T}itle},\n"
    "  journal = jr,\n  year = 2001,\n  volume = {3},\n  pages = {1--9},\n}\n"
    "@book{beta2002,\n  author = {Gamma, Gus},\n  title = {A Book},\n  publisher = pub,\n  year = {2002},\n}\n"
    "@inproceedings{gamma2003,\n  author = {Delta, Dee},\n  title = {In Proceedings},\n  crossref = {proc2003},\n"
    "  pages = {10--20},\n}\n"
    "@proceedings{proc2003,\n  title = {Proceedings of Things},\n  year = 2003,\n  publisher = pub,\n}\n"
    '@article{delta2004, author = "Epsilon, Eve", title = "Quoted {V}alues", journal = jr # " Letters",'
    " year = 2004}\n"
    "@misc{eps2005,\n  title = {Online thing},\n  url = {https://example.org/a_b%20c},\n  year = 2005,\n}\n"
    "@string{jr = {Journal of Other Results}}\n"
    "@article{zeta2006,\n  author = {Zeta, Zed},\n  title = {After the Redefinition},\n  journal = jr,\n"
    "  year = 2006,\n}\n"
    "@comment{ @article{hidden, title = {Read by pybtex, as the comment is}} }\n"
    "@article(eta2007,\n  author = {Eta, Ed},\n  title = {Parenthesised (entry)},\n  journal = jr,\n"
    "  year = 2007\n)\n"
)


def join_lines(raw: bytes, at: int) -> bytes:
    """The line break before the entry at ``at`` (or any) becomes a space: two entries on one line."""
    breaks = [n for n in range(len(raw)) if raw[n : n + 1] == b"\n"]
    if not breaks:
        return raw
    n = breaks[at % len(breaks)]
    return raw[:n] + b" " + raw[n + 1 :]


def drop_char(char: bytes):  # type: ignore[no-untyped-def]
    def damage(raw: bytes, at: int) -> bytes:
        places = [n for n in range(len(raw)) if raw[n : n + 1] == char]
        if not places:
            return raw
        n = places[at % len(places)]
        return raw[:n] + raw[n + 1 :]

    return damage


def repeat_string(raw: bytes, at: int) -> bytes:
    """A @string defined again, with another value, before some entry."""
    starts = [n for n in range(len(raw)) if raw[n : n + 1] == b"@"]
    n = starts[at % len(starts)]
    name = (b"jr", b"pub", b"jan")[at % 3]
    return raw[:n] + b"@string{" + name + b" = {Redefined " + str(at).encode() + b"}}\n" + raw[n:]


def bom(raw: bytes, at: int) -> bytes:
    return raw if raw.startswith(b"\xef\xbb\xbf") else b"\xef\xbb\xbf" + raw


def crlf(raw: bytes, at: int) -> bytes:
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def stray_at(raw: bytes, at: int) -> bytes:
    """An '@' in text between entries (an e-mail address in a comment)."""
    lines = raw.split(b"\n")
    n = at % len(lines)
    return b"\n".join([*lines[:n], b"mail me at someone@example.org", *lines[n:]])


def repeat_entry(raw: bytes, at: int) -> bytes:
    """An entry copied further down (a duplicate key, perhaps in another case)."""
    starts = [n for n in range(len(raw)) if raw[n : n + 1] == b"@"] + [len(raw)]
    n = at % (len(starts) - 1)
    copy = raw[starts[n] : starts[n + 1]]
    copy = copy.upper() if at % 2 else copy
    return raw + b"\n" + copy


DAMAGE = {
    "join_lines": join_lines,
    "drop_open": drop_char(b"{"),
    "drop_close": drop_char(b"}"),
    "drop_comma": drop_char(b","),
    "drop_quote": drop_char(b'"'),
    "repeat_string": repeat_string,
    "bom": bom,
    "crlf": crlf,
    "stray_at": stray_at,
    "repeat_entry": repeat_entry,
}


def base_keys() -> list[str]:
    return ["alpha2001", "beta2002", "gamma2003", "proc2003", "delta2004", "eps2005", "zeta2006", "eta2007", "hidden"]


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    damages=st.lists(st.tuples(st.sampled_from(sorted(DAMAGE)), st.integers(0, 10_000)), min_size=1, max_size=4),
    first=st.lists(st.sampled_from(base_keys()), max_size=4),
    then=st.lists(st.sampled_from(base_keys()), min_size=1, max_size=6),
)
def test_warm_equals_cold_on_damaged_files(
    tmp_path_factory: pytest.TempPathFactory, damages: list[tuple[str, int]], first: list[str], then: list[str]
) -> None:
    raw = BASE.encode()
    for name, at in damages:
        raw = DAMAGE[name](raw, at)
    print(f"damages: {damages}\n--- .bib ---\n{raw.decode('utf-8', 'replace')}")
    differential(tmp_path_factory.mktemp("damaged"), raw, first, then)


def test_the_undamaged_base_reads_cleanly(tmp_path: Path) -> None:
    """The base of the damaged variants reads with no error, @strings as of each entry's place."""
    vancouver, unsrt = differential(tmp_path, BASE.encode(), ["alpha2001"], base_keys())
    assert vancouver.errors == []
    assert "Journal of Results" in vancouver.html and "Journal of Other Results" in vancouver.html
    assert "Parenthesised (entry)" in vancouver.html and "Read by pybtex" in vancouver.html
    assert unsrt.errors == []


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_each_damage_on_its_own(tmp_path: Path, name: str) -> None:
    raw = BASE.encode()
    for at in (0, 7, 23):
        raw_damaged = DAMAGE[name](raw, at)
        differential(tmp_path / f"{name}{at}", raw_damaged, ["beta2002"], base_keys())


# -- one real MkDocs build ----------------------------------------------------------------

ISSUE_CASES = (
    "@string{j = {First Journal}}\n"
    "@article{one2001, author = {One, Ann}, title = {On One Line}, journal = j, year = 2001}"
    " @article{two2002, author = {Two, Bob}, title = {Also on It}, journal = j, year = 2002}\n"
    "@string{j = {Second Journal}}\n"
    "@article{three2003,\n  author = {Three, Cy},\n  title = {After the Second String},\n  journal = j,\n"
    "  year = 2003,\n  note = {kept},\n  note = {left out},\n}\n"
    "@inproceedings{four2004,\n  author = {Four, Di},\n  title = {Crossref to Nowhere},\n"
    "  crossref = {nowhere},\n  year = 2004,\n}\n"
    "@article{five2005,\n  author = {Five, Ed},\n  title = {Undefined String},\n  journal = jundefined,\n"
    "  year = 2005,\n}\n"
    "@article{Zhang2021\\CDB\\\\^\\+x,\n  author = {Zhang, Z},\n  title = {A Mendeley Key},\n  journal = j,\n"
    "  year = 2021,\n}\n"
)


def test_mkdocs_warm_build_equals_cold_build(tmp_path: Path) -> None:
    def project(name: str, cited: list[str]) -> Path:
        folder = tmp_path / name
        if not folder.exists():
            shutil.copytree(FIXTURES / "basic", folder)
            (folder / "references.bib").write_text(ISSUE_CASES, encoding="utf-8")
            (folder / "docs" / "second.md").write_text("# Second\n\n{{ references() }}\n", encoding="utf-8")
        cites = "".join("Claim{{ cite(" + jinja(key) + ") }}.\n" for key in cited)
        (folder / "docs" / "index.md").write_text("# Home\n\n" + cites, encoding="utf-8")
        return folder

    def jinja(key: str) -> str:
        return '"' + key.replace("\\", "\\\\") + '"'

    every = ["one2001", "two2002", "three2003", "four2004", "five2005", "Zhang2021\\CDB\\\\^\\+x"]
    warm_project = project("warm", ["one2001"])
    mkdocs_build(warm_project, tmp_path / "site-first")
    project("warm", every)
    warm = mkdocs_build(warm_project, tmp_path / "site-warm")
    cold = mkdocs_build(project("cold", every), tmp_path / "site-cold")
    print(f"--- cold ---\n{cold.log}\n--- warm ---\n{warm.log}")
    assert cold.returncode == warm.returncode == 0
    assert cold.log_lines("ERROR") == []
    messages = cold.log_lines("WARNING")
    assert warm.log_lines("WARNING") == messages
    assert any("crossref 'nowhere'" in m for m in messages) and any("jundefined" in m for m in messages)
    assert any("repeats the field 'note'" in m for m in messages)
    strip = re.compile(r"<!--\nMkDocs version.*?-->", re.S)
    for page in sorted(cold.site.rglob("*.html")):
        relative = page.relative_to(cold.site)
        assert strip.sub("", (warm.site / relative).read_text()) == strip.sub("", page.read_text()), relative
    home = cold.html("index.html")
    assert "First Journal" in home and "Second Journal" in home and "A Mendeley Key" in home
