"""Secondary suppression proven on many tables: no masked cell or total can be recomputed from what is shown.

The checker (tests/core/secrecy_checker.py) ignores how the cells were chosen: it rebuilds other non-negative
integer tables showing exactly the same cells and totals (masked entries ≥ 1, since zeros are shown).
"""

import itertools
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citemploi.core.secrecy import mask_table

from .secrecy_checker import recoverable_entries, shown_entries

count = st.one_of(st.just(0), st.integers(1, 5), st.integers(6, 60))


def tables(max_rows: int, max_cols: int, values=count):
    return st.integers(1, max_rows).flatmap(
        lambda rows: st.integers(1, max_cols).flatmap(
            lambda cols: st.lists(st.lists(values, min_size=cols, max_size=cols), min_size=rows, max_size=rows)
        )
    )


def assert_safe(cells, *, exhaustive):
    table = mask_table(cells)
    published = shown_entries(table, len(cells), len(cells[0]))
    full = {**{(r, c): v for r, row in enumerate(cells) for c, v in enumerate(row)}}
    assert all(published[e] in (None, v) for e, v in full.items())  # what is shown is true
    assert all(published[e] is None for e, v in full.items() if 0 < v <= 5)  # primary suppression
    assert all(published[e] is not None for e, v in full.items() if v == 0)  # zeros are shown
    assert recoverable_entries(cells, table, exhaustive=exhaustive) == set(), (cells, table)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(3, 3))
def test_small_random_tables_by_enumeration(cells):
    assert_safe(cells, exhaustive=True)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(8, 7))
def test_random_tables_by_cycle_shifting(cells):
    assert_safe(cells, exhaustive=False)


@settings(max_examples=100, deadline=None)
@given(tables(8, 7, st.one_of(st.just(0), st.integers(6, 500))))
def test_tables_without_small_counts_are_never_masked(cells):
    assert mask_table(cells).masked_count == 0


@pytest.mark.parametrize(
    ("rows", "cols", "values", "exhaustive"),
    [
        (2, 2, range(8), True),
        (1, 4, range(8), True),
        (2, 3, (0, 1, 2, 6), False),
        (3, 2, (0, 1, 2, 6), False),
    ],
)
def test_every_small_table(rows, cols, values, exhaustive):
    """Every table of that shape with those values (0, small ones, one that may go down, a large one)."""
    for flat in itertools.product(values, repeat=rows * cols):
        assert_safe([list(flat[r * cols : (r + 1) * cols]) for r in range(rows)], exhaustive=exhaustive)


@pytest.mark.skipif(not os.environ.get("SECRECY_EXHAUSTIVE_FULL"), reason="about a minute: SECRECY_EXHAUSTIVE_FULL=1")
def test_every_two_by_three_table_with_values_up_to_seven():
    for flat in itertools.product(range(8), repeat=6):
        assert_safe([list(flat[:3]), list(flat[3:])], exhaustive=False)
