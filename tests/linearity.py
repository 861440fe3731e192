"""Does the work grow linearly with the input? A reusable check for the scans.

Issue 24 found scans that a real input can drive into quadratic or cubic
time (a table row of 800 citations: past 300 s). A timed test with an
absolute limit fails on a slow machine and passes a cubic scan on a fast
one; here a function runs on one pathological input at two sizes, ``factor``
(10) apart, in the same test run, and the test asserts how the cost grew:

    assert_linear(lambda text: build_index(text), runs_of_at, size=2_000)

The cost is the CPU time of this process (``time.process_time``: other
processes on a busy machine do not count), the best of a few runs; or,
with ``ops=``, a count of operations the function reports (exact, no noise).
Linear work grows ``factor`` times; the test allows ``factor * slack``
(30 by default), so n log n passes and n² (100 times) fails. Each size is
run until it has cost at least ``min_seconds``, so that the clock's
resolution and start-up costs do not decide the ratio.

The patterns of issue 24, as generators of text of about ``n`` characters
(or ``n`` repetitions), are below: ``BIB_PATTERNS`` for the .bib reader and
index (tested in tests/unit/test_linearity.py), ``PAGE_PATTERNS`` for the
page scan and the heading/link checks (issue 21's).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass
class Growth:
    """What one function cost on an input at two sizes."""

    small: int
    large: int
    small_cost: float
    large_cost: float

    @property
    def ratio(self) -> float:
        return self.large_cost / max(self.small_cost, 1e-9)

    def __str__(self) -> str:
        return (
            f"size {self.small} cost {self.small_cost:.4g}, size {self.large} cost {self.large_cost:.4g}: "
            f"{self.ratio:.1f}x for {self.large / self.small:.0f}x the input"
        )


def cpu_cost(run: Callable[[], object], min_seconds: float = 0.05, repeat: int = 3) -> float:
    """The CPU seconds one call of ``run`` costs: the best of ``repeat`` rounds, each at least ``min_seconds`` long."""
    best = float("inf")
    for _ in range(repeat):
        calls = 0
        started = time.process_time()
        while True:
            run()
            calls += 1
            spent = time.process_time() - started
            if spent >= min_seconds:
                break
        best = min(best, spent / calls)
        if spent > 10 * min_seconds:
            break  # one slow call: the noise is small beside it, and the test has its answer
    return best


def growth(
    func: Callable[[T], Any],
    make: Callable[[int], T],
    size: int,
    factor: int = 10,
    ops: Callable[[T], float] | None = None,
    min_seconds: float = 0.05,
) -> Growth:
    """The cost of ``func(make(size))`` and of ``func(make(size * factor))``.

    ``ops``: instead of CPU time, a count of the operations the call made
    (called after ``func`` on the same input, e.g. reading a counter).
    """
    costs = []
    for n in (size, size * factor):
        data = make(n)
        if ops is not None:
            func(data)
            costs.append(float(ops(data)))
        else:
            func(data)  # warm-up: imports, compiled patterns, caches
            costs.append(cpu_cost(functools.partial(func, data), min_seconds=min_seconds))
    return Growth(size, size * factor, costs[0], costs[1])


def assert_linear(
    func: Callable[[T], Any],
    make: Callable[[int], T],
    size: int,
    factor: int = 10,
    slack: float = 3.0,
    ops: Callable[[T], float] | None = None,
    min_seconds: float = 0.05,
) -> Growth:
    """Fail unless ``func`` on ``factor`` times the input costs at most ``factor * slack`` times as much.

    A timing that looks super-linear is measured again, twice at most and
    longer each time, before failing: a neighbour's burst of work on a busy
    machine can still land in one measurement (a scan that is really
    quadratic fails every time, it only takes longer to say so).
    """
    found = growth(func, make, size, factor, ops, min_seconds)
    for retry in (4, 16):
        if found.ratio <= factor * slack or ops is not None:
            break
        found = growth(func, make, size, factor, ops, min_seconds * retry)
    assert found.ratio <= factor * slack, f"not linear: {found} (allowed {factor * slack:.0f}x)"
    return found


# -- the pathological inputs of issue 24 ------------------------------------------------
#
# Each takes a size n and returns the text; n is the length of the run (or the
# number of repetitions), so the text grows in proportion to n.

_ENTRY = "@article{good2020,\n  author = {Good, A},\n  title = {A title},\n  journal = {J},\n  year = {2020},\n}\n"

BIB_PATTERNS: dict[str, Callable[[int], str]] = {
    # issue 24: "runs of @ or [@ in the .bib are quadratic in the index (20 KB 5 s, 2 MB past 120 s)"
    "run of @": lambda n: _ENTRY + "@" * n + "\n",
    "run of [@": lambda n: _ENTRY + "[@" * n + "\n",
    "run of @ after an entry type": lambda n: _ENTRY + "@misc" + "@" * n + "\n",
    "@ at the start of many lines": lambda n: _ENTRY + "@\n" * n,
    "many @ words on one line": lambda n: _ENTRY + "see @x " * n + "\n",
    "many @ inside a field": lambda n: "@misc{a,\n  note = {" + "@" * n + "},\n}\n",
    "many entries": lambda n: "".join(_ENTRY.replace("good2020", f"k{i}") for i in range(n // 80 + 1)),
    "many entries on one line": lambda n: "".join(
        _ENTRY.replace("good2020", f"k{i}").replace("\n", " ") for i in range(n // 80 + 1)
    ),
    "many fields": lambda n: "@misc{a,\n" + "".join(f"  f{i} = {{v}},\n" for i in range(n // 12 + 1)) + "}\n",
    "a field with many lines": lambda n: "@misc{a,\n  note = {" + "x\n" * n + "},\n  url = {a b},\n}\n",
    "a field with many lone CRs": lambda n: "@misc{a,\r  note = {" + "x\r" * n + "},\r  url = {a b},\r}\r",
    "many fields with a warning each": lambda n: (
        "@misc{a,\n" + "".join(f"  f{i} = {{x\\}},\n" for i in range(n // 14 + 1)) + "}\n"
    ),
    "many fields repeated twice": lambda n: (
        "@misc{a,\n" + "".join(f"  f{i} = {{v}},\n  f{i} = {{w}},\n" for i in range(n // 26 + 1)) + "}\n"
    ),
    "a repeated field": lambda n: "@misc{a,\n" + "  note = {v},\n" * (n // 14 + 1) + "}\n",
    "unclosed brace": lambda n: "@misc{a,\n  title = {" + "x " * n + "\n",
    "many unclosed braces": lambda n: "@misc{a, title = " + "{" * n + "}\n" + _ENTRY,
    "deep nesting": lambda n: "@misc{a, title = " + "{" * n + "x" + "}" * n + "}\n" + _ENTRY,
    "many commas": lambda n: "@misc{a" + "," * n + "}\n",
    "many # joins": lambda n: '@misc{a, title = "x"' + ' # "x"' * (n // 6 + 1) + "}\n",
    "many @string": lambda n: "".join(f"@string{{s{i} = {{v}}}}\n" for i in range(n // 20 + 1)) + _ENTRY,
    "many broken entries": lambda n: "@misc{a, title = x y}\n" * (n // 22 + 1),
    "many @comment": lambda n: "@comment{" * (n // 9 + 1) + "\n" + _ENTRY,
    "many authors": lambda n: "@misc{a, author = {" + " and ".join(["Doe, J"] * (n // 11 + 1)) + "}}\n",
    "long key": lambda n: "@misc{" + "k" * n + ", title = {x}}\n",
}

PAGE_PATTERNS: dict[str, Callable[[int], str]] = {
    # issue 24, the page scan's (issue 21): each a Markdown page of about n units
    "many citations on one line": lambda n: "# T\n\n| " + " | ".join('x{{ cite("a") }}' for _ in range(n)) + " |\n",
    "heading with a long run of spaces": lambda n: "#" + " " * n + "x\n",
    "{{ runs in raw on a line with a citation": lambda n: "{% raw %}" + "{{" * n + '{% endraw %}{{ cite("a") }}\n',
    "unclosed {# openers": lambda n: "{# " * n + "\n",
    # RecursionError in Jinja's parser (not time): 80 `{` in a row, `{{` + 300 `(`
    "many { in a row": lambda n: "{" * n + "\n",
    "{{ and many (": lambda n: "{{ " + "(" * n + "\n",
}
