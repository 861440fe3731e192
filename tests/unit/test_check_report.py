"""``python -m macros check`` lists every error, and the first few warnings of each kind with a count."""

from __future__ import annotations

from macros.check_command import SHOWN_PER_KIND, report
from macros.problems import Problem, Problems


def many() -> Problems:
    problems = Problems()
    for n in range(1, 31):
        problems.warning("refs.bib", n, f"entry 'k{n}' has no year field, which a reference of type @article needs")
    problems.warning("refs.bib", 40, "entry 'odd' has the unknown type '@thing'; it is formatted like @misc")
    problems.error("refs.bib", 50, "duplicate key 'a': already defined at line 2")
    problems.error("refs.bib", 51, "duplicate key 'b': already defined at line 3")
    return problems


def test_every_error_and_the_first_warnings_of_each_kind_with_a_count() -> None:
    lines = report(many())
    assert lines[:2] == [
        "ERROR: refs.bib:50: duplicate key 'a': already defined at line 2",
        "ERROR: refs.bib:51: duplicate key 'b': already defined at line 3",
    ]
    year = [n for n, line in enumerate(lines) if "has no year field" in line]
    assert len(year) == SHOWN_PER_KIND
    assert lines[year[0]].startswith("WARNING: refs.bib:1: entry 'k1' has no year field")
    assert lines[year[-1] + 1] == f"WARNING: ... and {30 - SHOWN_PER_KIND} more of this kind (--all lists them all)"
    assert "WARNING: refs.bib:40: entry 'odd' has the unknown type '@thing'; it is formatted like @misc" in lines


def test_all_lists_every_warning() -> None:
    lines = report(many(), show_all=True)
    assert len(lines) == 2 + 31
    assert not any("more like" in line for line in lines)


def test_problems_are_kept_once_in_order() -> None:
    problems = Problems()
    first = Problem("a.bib", 1, "x", "warning")
    problems.add(first)
    problems.add(Problem("a.bib", 1, "x", "warning"))
    problems.extend([Problem("a.bib", 2, "y"), first])
    assert [p.line for p in problems] == [1, 2]
    assert Problems(list(problems)).items == problems.items


def test_follow_ups_can_be_left_out() -> None:
    problems = Problems(ignore=lambda p: p.message.startswith("follow"))
    problems.warning("a.bib", 1, "follow-up")
    problems.warning("a.bib", 1, "real")
    assert [p.message for p in problems] == ["real"]
