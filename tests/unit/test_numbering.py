"""Numbering by first appearance, and compression of number runs."""

from __future__ import annotations

import pytest

from macros.pages.numbering import Numbering, compress, compress_text


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        ([1], "1"),
        ([2, 1], "1,2"),
        ([1, 2, 3], "1\u20133"),
        ([5, 3, 1, 2], "1\u20133,5"),
        ([1, 2, 4, 5, 6, 9], "1,2,4\u20136,9"),
        ([3, 3, 3], "3"),
        ([7, 8, 9, 10, 12, 13], "7\u201310,12,13"),
        ([], ""),
    ],
)
def test_compress_text(numbers: list[int], expected: str) -> None:
    assert compress_text(numbers) == expected


def test_compress_runs() -> None:
    assert compress([4, 1, 2, 3, 6, 7]) == [(1, 4), (6, 6), (7, 7)]


def test_site_numbering_is_first_appearance_across_pages() -> None:
    n = Numbering("site")
    assert [n.see("a.md", k) for k in ("x", "y", "x")] == [1, 2, 1]
    assert [n.see("b.md", k) for k in ("z", "Y", "x")] == [3, 2, 1]
    assert n.keys_in_order() == ["x", "y", "z"]
    assert n.page_keys("b.md") == ["x", "y", "z"]  # in number order, not citation order


def test_page_numbering_restarts() -> None:
    n = Numbering("page")
    n.see("a.md", "x")
    n.see("a.md", "y")
    assert [n.see("b.md", k) for k in ("y", "z")] == [1, 2]
    assert n.number("a.md", "y") == 2
    assert n.keys_in_order() == ["x", "y", "z"]


def test_keys_are_case_insensitive_like_bibtex() -> None:
    n = Numbering()
    assert n.see("a.md", "Kang2013") == n.see("a.md", "kang2013") == 1


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="'site' or 'page'"):
        Numbering("chapter")
