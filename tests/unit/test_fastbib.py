"""The fast .bib reader agrees with pybtex's, or steps aside for it.

``fast_reader.scan`` must give exactly what pybtex's ``LowLevelParser`` gives
for a file pybtex reads without error, and must give up (None) for any file
pybtex reports a problem in, so that pybtex's messages are kept.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pybtex.database.input.bibtex import LowLevelParser, month_names
from pybtex.utils import CaseInsensitiveDict

from bench.generate import make_bib
from macros.bib import fast_reader

ROOT = Path(__file__).resolve().parents[2]

Read = tuple[list[tuple[str, str, list[tuple[str, str]], int, int]], bool]


def pybtex_read(text: str) -> Read:
    """pybtex's entries (fields joined) and whether it reported any problem."""
    errors: list[object] = []
    parser = LowLevelParser(text, macros=CaseInsensitiveDict(month_names), handle_error=errors.append)
    out = []
    try:
        for command, body in parser:
            if command.lower() in ("string", "preamble"):
                continue
            key, fields = body
            if key is None:
                continue
            joined = [(name, "".join(parts)) for name, parts in fields]
            out.append((command, key, joined, parser.command_start or 0, parser.pos))
    except RecursionError:
        errors.append("recursion")
    return out, bool(errors)


def fast_read(text: str) -> Read:
    found = fast_reader.scan(text)
    if found is None:
        return [], True
    return [
        (command, key, [(name, "".join(parts)) for name, parts in fields], start, end)
        for command, key, fields, start, end in found
    ], False


def assert_agrees(text: str) -> None:
    expected_entries, expected_error = pybtex_read(text)
    entries, gave_up = fast_read(text)
    assert gave_up == expected_error, text
    if not gave_up:
        assert entries == expected_entries, text


def test_every_bib_file_in_the_repository() -> None:
    files = [ROOT / "references.bib", *(ROOT / "tests").rglob("*.bib")]
    assert len(files) > 30
    for path in files:
        assert_agrees(path.read_text(encoding="utf-8", errors="replace"))
    assert fast_reader.scan((ROOT / "references.bib").read_text(encoding="utf-8")) is not None


def test_a_reference_manager_export() -> None:
    text, keys = make_bib(400, seed=7)
    entries, gave_up = fast_read(text)
    assert not gave_up and len(entries) == len(keys)
    assert_agrees(text)


# -- generated files, then the same with random damage -------------------------

_plain = st.text(alphabet=st.sampled_from(list("ab Z9.,;:-'\\@=#()\n\tÜ")), max_size=6)


def _braced(depth: int) -> st.SearchStrategy[str]:
    inner = _plain if depth == 0 else st.one_of(_plain, _braced(depth - 1))
    return st.lists(st.one_of(inner, _plain.map(lambda s: s.replace("@", ""))), max_size=3).map(
        lambda parts: "{" + "".join(parts) + "}"
    )


_quoted = st.lists(st.one_of(st.sampled_from(["x", " y", "@", "(", "'"]), _braced(1)), max_size=3).map(
    lambda parts: '"' + "".join(parts) + '"'
)
_space = st.sampled_from(["", " ", "\n", "  \t", "\u00a0"])
_part = st.one_of(_braced(2), _quoted, st.sampled_from(["2020", "07", "jan", "DEC", "jrnl", "JRNL", "nodef", "a-b.c"]))
_value = st.lists(st.tuples(_space, _part, _space), min_size=1, max_size=3).map(
    lambda parts: " # ".join(a + p + b for a, p, b in parts)
)
_name = st.sampled_from(["title", "Author", "year", "x-y", "url", "9bad", ""])
_field = st.tuples(_name, _space, _value).map(lambda t: f"{t[0]}{t[1]}={t[2]}")


@st.composite
def _command(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["article", "Book", "misc", "string", "STRING", "preamble", "comment"]))
    paren = draw(st.booleans())
    open_, close = ("(", ")") if paren else ("{", "}")
    space = draw(_space)
    if kind.lower() == "string":
        body = f"{draw(st.sampled_from(['jrnl', 'JRNL', 'x']))} = {draw(_value)}"
    elif kind == "preamble":
        body = draw(_value)
    elif kind == "comment":
        body = draw(_plain)
    else:
        key = draw(st.sampled_from(["k1", "K1", "a:b/c", "key}", "k(2)", ""]))
        fields = draw(st.lists(_field, max_size=4))
        body = key + "".join(f",{draw(_space)}{f}" for f in fields) + draw(st.sampled_from(["", ",", " ,\n"]))
    return f"@{space}{kind}{draw(_space)}{open_}{body}{draw(_space)}{close}"


_file = st.lists(st.tuples(_command(), _plain.map(lambda s: s.replace("@", ""))), max_size=5).map(
    lambda items: "".join(command + "\n" + junk for command, junk in items)
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_file)
def test_generated_files(text: str) -> None:
    assert_agrees(text)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_file, st.lists(st.tuples(st.integers(0, 400), st.sampled_from([*'{}"(),=#@ \n', ""])), max_size=3))
def test_damaged_files(text: str, edits: list[tuple[int, str]]) -> None:
    for position, char in edits:
        at = position % (len(text) + 1)
        text = text[:at] + char + text[at + 1 :] if char == "" else text[:at] + char + text[at:]
    assert_agrees(text)


def test_braces_nested_too_deep_are_left_to_pybtex() -> None:
    deep = "@misc{k, title = " + "{" * 102 + "x" + "}" * 102 + "}\n"
    assert fast_reader.scan(deep) is None
    assert_agrees("@misc{k, title = " + "{" * 100 + "x" + "}" * 100 + "}\n")
