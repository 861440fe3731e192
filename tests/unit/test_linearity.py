"""Every .bib scan is linear in its input, whatever the input (issue 24).

Each pathological pattern of tests/linearity.py runs at two sizes ten times
apart, and the CPU time may grow at most 30 times (n log n passes, n² is 100
times). The page scan's patterns (PAGE_PATTERNS) are issue 21's.
"""

from __future__ import annotations

import pytest

from macros.bib import reader
from macros.bib.fast_index import build_index
from tests.linearity import BIB_PATTERNS, assert_linear, growth

# Sizes where the small input costs about a millisecond: big enough to measure,
# small enough that a quadratic pattern fails in seconds, not minutes.
INDEX_SIZE = 2_000
PARSE_SIZE = 2_000
MIN_SECONDS = 0.02  # per measurement: 50 tests in about 15 s


@pytest.mark.parametrize("pattern", sorted(BIB_PATTERNS))
def test_the_index_is_linear(pattern: str) -> None:
    make = BIB_PATTERNS[pattern]
    assert_linear(build_index, lambda n: make(n).encode(), INDEX_SIZE, min_seconds=MIN_SECONDS)


# The patterns that were quadratic (issue 24), checked by `make test-fast`; every
# pattern is checked by test_the_full_read_is_linear, a slow test (tests/conftest.py).
WERE_QUADRATIC = [
    "run of @",
    "run of [@",
    "a repeated field",
    "many fields with a warning each",
    "many fields repeated twice",
]


def full_read(text: str) -> object:
    return reader.parse(text, "references.bib")


@pytest.mark.parametrize("pattern", WERE_QUADRATIC)
def test_the_full_read_is_linear_where_it_was_not(pattern: str) -> None:
    assert_linear(full_read, BIB_PATTERNS[pattern], PARSE_SIZE, min_seconds=MIN_SECONDS)


@pytest.mark.parametrize("pattern", sorted(BIB_PATTERNS))
def test_the_full_read_is_linear(pattern: str) -> None:
    assert_linear(full_read, BIB_PATTERNS[pattern], PARSE_SIZE, min_seconds=MIN_SECONDS)


def test_the_harness_tells_quadratic_from_linear() -> None:
    def quadratic(text: str) -> int:
        return sum(text.count("x", i) for i in range(len(text)))

    def linear(text: str) -> int:
        return sum(1 for char in text if char == "x")

    assert_linear(linear, lambda n: "x" * n, 20_000)
    assert growth(quadratic, lambda n: "x" * n, 1_000).ratio > 30
    with pytest.raises(AssertionError, match="not linear"):
        assert_linear(quadratic, lambda n: "x" * n, 1_000, min_seconds=0.01)


def test_the_harness_counts_operations() -> None:
    counted: dict[str, int] = {}

    def scan(text: str) -> None:
        counted[text] = sum(1 for _ in text) + len(text) ** 2 // 100  # quadratic in the long run

    found = growth(scan, lambda n: "x" * n, 1_000, ops=lambda text: counted[text])
    assert found.ratio == pytest.approx((10_000 + 1_000_000) / (1_000 + 10_000))
