"""Joint masking of linked tables (``citemploi.core.secrecy_linked``), checked by brute force.

The reader of linked tables knows every shown entry, that a hidden published count is at least 1 (zeros are
shown), that counts are non-negative integers and which entries are the same number. ``worlds`` enumerates every
set of tables consistent with all of that (bounded by the largest total plus 2); each hidden count that matters
(published, or an unpublished one of 1 to 5 people) must take at least two values among them.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citemploi.core.secrecy import MaskedTable
from citemploi.core.secrecy_linked import LinkedSet, mask_linked


def _shown(table: MaskedTable) -> dict:
    rows, cols = len(table.cells), len(table.cells[0])
    out = {(r, c): table.cells[r][c] for r in range(rows) for c in range(cols)}
    out.update({(r, cols): table.row_totals[r] for r in range(rows)})
    out.update({(rows, c): table.col_totals[c] for c in range(cols)})
    out[(rows, cols)] = table.total
    return out


def _extended(cells):
    rows, cols = len(cells), len(cells[0])
    out = {(r, c): cells[r][c] for r in range(rows) for c in range(cols)}
    out.update({(r, cols): sum(cells[r]) for r in range(rows)})
    out.update({(rows, c): sum(row[c] for row in cells) for c in range(cols)})
    out[(rows, cols)] = sum(map(sum, cells))
    return out


def _candidates(shown: dict, rows: int, cols: int, unpublished: set, bound: int):
    """Every table (as its extended entries) showing what ``shown`` shows."""
    free = [(r, c) for r in range(rows) for c in range(cols) if shown[(r, c)] is None]
    for values in itertools.product(range(bound + 1), repeat=len(free)):
        cells = [[shown[(r, c)] or 0 for c in range(cols)] for r in range(rows)]
        for (r, c), v in zip(free, values, strict=True):
            cells[r][c] = v
        entries = _extended(cells)
        if all((e in unpublished) or (shown[e] is None and entries[e] >= 1) or shown[e] == entries[e] for e in entries):
            yield entries


def _per_table(linked: LinkedSet, masked: list[MaskedTable]) -> list[dict[tuple, list[dict]]]:
    """Each table's candidates, by the values they give the shared groups."""
    bound = max(_extended(t)[(len(t), len(t[0]))] for t in linked.tables) + 2
    group_of = {ref: g for g, group in enumerate(linked.shared) for ref in group}
    per_table = []
    for t, table in enumerate(masked):
        rows, cols = len(table.cells), len(table.cells[0])
        unpub = {e for (i, e) in linked.unpublished if i == t}
        keyed: dict[tuple, list[dict]] = {}
        for entries in _candidates(_shown(table), rows, cols, unpub, bound):
            groups: dict[int, int] = {}
            if any(groups.setdefault(group_of[(t, e)], v) != v for e, v in entries.items() if (t, e) in group_of):
                continue
            keyed.setdefault(tuple(sorted(groups.items())), []).append(entries)
        per_table.append(keyed)
    return per_table


def undetermined(linked: LinkedSet, masked: list[MaskedTable], limit: int = 5) -> list:
    """The hidden counts that matter and take a single value in every consistent world (should be empty)."""
    per_table = _per_table(linked, masked)
    # A world: one candidate per table, every group of shared entries one value.
    seen: dict[tuple, set[int]] = {}
    for keys in itertools.product(*(list(k) for k in per_table)):
        merged: dict[int, int] = {}
        if any(merged.setdefault(g, v) != v for key in keys for g, v in key):
            continue
        for t, key in enumerate(keys):
            for entries in per_table[t][key]:
                for e, v in entries.items():
                    seen.setdefault((t, e), set()).add(v)
    truth = [_extended(t) for t in linked.tables]
    bad = []
    for t, table in enumerate(masked):
        for e, v in _shown(table).items():
            matters = v is None and ((t, e) not in linked.unpublished or 0 < truth[t][e] <= limit)
            if matters and len(seen.get((t, e), set())) < 2:
                bad.append((t, e, truth[t][e]))
    return bad


def two_breakdowns(micro: list[list[int]]) -> LinkedSet:
    """One population by QPV (the rows of ``micro``) and by sex (its columns): two series, one total."""
    by_qpv = [[sum(row) for row in micro]]
    by_sex = [[sum(row[c] for row in micro) for c in range(len(micro[0]))]]
    shared = [[(0, (0, len(micro))), (0, (1, len(micro))), (1, (0, len(micro[0]))), (1, (1, len(micro[0])))]]
    return LinkedSet([by_qpv, by_sex], shared=shared)


def funnel(spotted: list[int], reached: list[int]) -> LinkedSet:
    """A funnel step: the people spotted per group, and those who reached the step (the others are never shown,
    but they are people too)."""
    n = len(spotted)
    step = [list(reached), [s - r for s, r in zip(spotted, reached, strict=True)]]
    shared = [[(0, (0, g)), (0, (1, g)), (1, (2, g))] for g in range(n)]
    shared.append([(0, (0, n)), (0, (1, n)), (1, (2, n))])
    unpublished = {(1, (1, g)) for g in range(n + 1)}
    return LinkedSet([[list(spotted)], step], shared=shared, unpublished=unpublished)


def check(linked: LinkedSet) -> None:
    masked = mask_linked(linked)
    assert undetermined(linked, masked) == [], (linked.tables, masked)
    for t, cells in enumerate(linked.tables):  # every count of 1 to 5 people is hidden
        truth, shown = _extended(cells), _shown(masked[t])
        assert all(shown[e] is None for e, v in truth.items() if 0 < v <= 5)
        assert all(shown[e] in (None, v) for e, v in truth.items())


def test_a_total_hidden_in_one_breakdown_is_hidden_in_the_other():
    # By sex alone, « M = 5 » is protected by hiding the total; by QPV the total was shown: both must hide it.
    linked = two_breakdowns([[10, 3], [10, 2]])
    masked = mask_linked(linked)
    assert masked[0].total is None and masked[1].total is None or masked[1].cells[0][0] is None
    check(linked)


def test_a_small_complement_of_a_funnel_step_is_not_given_by_differencing():
    # 12 spotted in group 0, 10 contacted: « 2 not contacted » must not be 12 − 10.
    linked = funnel([12, 20], [10, 20])
    masked = mask_linked(linked)
    shown = masked[0].cells[0][0], masked[1].cells[0][0]
    assert None in shown
    check(linked)


@pytest.mark.parametrize(
    "micro", [[list(m[:2]), list(m[2:])] for m in itertools.product(range(0, 8, 2), [0, 1, 3], [1, 4], [0, 6])]
)
def test_two_breakdowns_exhaustively(micro):
    check(two_breakdowns(micro))


@pytest.mark.parametrize("spotted,reached", [((s1, s2), (r1, r2)) for s1 in (0, 3, 7, 12) for s2 in (2, 9)
                                              for r1 in range(0, s1 + 1, 3) for r2 in (0, s2 - 1, s2)])  # fmt: skip
def test_funnel_steps_exhaustively(spotted, reached):
    check(funnel(list(spotted), list(reached)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.integers(0, 6), min_size=2, max_size=2), min_size=2, max_size=3))
def test_two_breakdowns_property(micro):
    check(two_breakdowns(micro))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), min_size=2, max_size=2))
def test_mask_nested_as_the_funnel_uses_it(pairs):
    from citemploi.core.secrecy_linked import mask_nested

    base = [max(a, b) for a, b in pairs]
    subset = [min(a, b) for a, b in pairs]
    linked = funnel(base, subset)
    check(linked)
    (shown_base, base_total), [(shown_subset, subset_total)] = mask_nested(base, [subset])
    masked = mask_linked(linked)
    assert shown_base == masked[0].cells[0] and shown_subset == masked[1].cells[0]
