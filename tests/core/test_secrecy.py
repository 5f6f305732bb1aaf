"""Statistical secrecy: primary and secondary suppression, rates, renderings (citemploi/core/secrecy.py)."""

import pytest
from django.test import override_settings

from citemploi.core.secrecy import (
    MaskedTable,
    display,
    export_value,
    mask_count,
    mask_rate,
    mask_series,
    mask_table,
)

from .secrecy_checker import recoverable_entries


def primary_only(cells: list[list[int]]) -> MaskedTable:
    """What a naive masking publishes: cells and totals of 1 to 5 hidden, nothing else."""
    small = lambda v: None if 0 < v <= 5 else v  # noqa: E731
    return MaskedTable(
        cells=[[small(v) for v in row] for row in cells],
        row_totals=[small(sum(row)) for row in cells],
        col_totals=[small(sum(col)) for col in zip(*cells, strict=True)],
        total=small(sum(map(sum, cells))),
    )


def test_counts_of_one_to_five_are_masked_and_zero_is_shown():
    assert [mask_count(v) for v in (0, 1, 5, 6, 120, None)] == [0, None, None, 6, 120, None]


@override_settings(STATISTICAL_SECRECY_THRESHOLD=10)
def test_the_threshold_is_a_setting():
    assert mask_count(10) is None and mask_count(11) == 11
    assert display(None) == "< 11"
    assert mask_table([[7, 20], [30, 40]]).cells[0][0] is None


def test_an_explicit_threshold_wins_over_the_setting():
    assert mask_count(7, threshold=8) is None
    assert mask_table([[7, 20], [30, 40]], threshold=8).is_masked(0, 0)


def test_renderings_of_a_masked_value():
    assert display(None) == "< 6"
    assert display(1234) == "1\u202f234"
    assert display(0.1234, decimals=2) == "0,12"
    assert export_value(None) == "s"
    assert export_value(7) == 7


def test_a_rate_is_masked_when_its_numerator_or_denominator_is():
    assert mask_rate(30, 60) == 0.5
    assert mask_rate(2, 60) is None  # numerator of 1 to 5
    assert mask_rate(None, 60) is None  # numerator masked by secondary suppression
    assert mask_rate(0, 4) is None  # denominator of 1 to 5
    assert mask_rate(0, 60) == 0.0
    assert mask_rate(0, 0) is None  # no rate at all
    assert mask_rate(20, 30) == 0.6667


def test_a_small_cell_gets_complements_in_its_row_and_column():
    table = mask_table([[3, 10, 20], [12, 15, 30]])
    assert table.is_masked(0, 0)
    assert sum(v is None for v in table.cells[0]) >= 2
    assert sum(row[0] is None for row in table.cells) >= 2
    assert table.total == 90  # cells protect each other: the totals stay visible
    assert recoverable_entries([[3, 10, 20], [12, 15, 30]], table, exhaustive=True) == set()


def test_a_table_without_small_counts_is_unchanged():
    cells = [[0, 6, 40], [7, 8, 0], [0, 0, 0]]
    table = mask_table(cells)
    assert table == MaskedTable(cells=cells, row_totals=[46, 15, 0], col_totals=[7, 14, 40], total=61)
    assert table.masked_count == 0


def test_zeros_are_never_masked():
    table = mask_table([[1, 0, 0], [0, 0, 2], [0, 3, 0]])
    assert [table.cells[r][c] for r, c in [(0, 1), (0, 2), (1, 0), (1, 1), (2, 0), (2, 2)]] == [0] * 6


def test_small_totals_are_masked_and_protected():
    cells = [[0, 0, 0], [2, 0, 1], [30, 40, 50]]
    table = mask_table(cells)
    assert table.row_totals[1] is None  # 3 people
    assert table.row_totals[0] == 0
    assert recoverable_entries(cells, table, exhaustive=True) == set()


def test_a_series_with_its_total_is_the_one_row_case():
    values, total = mask_series([12, 3, 40, 0, 25])
    assert values[1] is None and values[3] == 0
    assert sum(v is None for v in values) == 2  # the 3 and one complement, the total stays shown
    assert total == 80


def test_a_series_whose_total_is_small_is_wholly_masked():
    values, total = mask_series([1, 2])
    assert values == [None, None] and total is None


def test_masking_is_deterministic():
    cells = [[3, 10, 20, 1], [12, 15, 30, 2], [7, 0, 4, 9]]
    assert mask_table(cells) == mask_table([list(row) for row in cells])


def test_bad_tables_are_refused():
    with pytest.raises(ValueError):
        mask_table([[1, 2], [3]])
    with pytest.raises(ValueError):
        mask_table([[1, -2]])


def test_empty_tables():
    assert mask_table([]) == MaskedTable(cells=[], row_totals=[], col_totals=[], total=0)
    assert mask_table([[], []]).row_totals == [0, 0]


def test_the_checker_catches_a_naive_masking():
    # Primary suppression alone: 3 = 13 - 10 from the first row's total.
    cells = [[3, 10], [10, 10]]
    assert (0, 0) in recoverable_entries(cells, primary_only(cells), exhaustive=True)
    assert (0, 0) in recoverable_entries(cells, primary_only(cells), exhaustive=False)


def test_the_checker_knows_that_a_masked_cell_is_not_zero():
    # Both 1s of a row masked, their row total shown as 12 with the 10 shown: a + b = 2 and a, b ≥ 1 (zeros are
    # shown), so a = b = 1 although the pair could be shifted to (2, 0) by a reader ignoring that knowledge.
    cells = [[1, 1, 10], [1, 1, 10]]
    published = MaskedTable(
        cells=[[None, None, 10], [None, None, 10]], row_totals=[12, 12], col_totals=[None, None, 20], total=24
    )
    assert recoverable_entries(cells, published, exhaustive=True) == {(0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1)}
    assert recoverable_entries(cells, mask_table(cells), exhaustive=True) == set()
