"""Joint masking of linked tables (statistical secrecy across tables that share entries, DOMAIN.md §6).

Two tables are *linked* when a reader can put them side by side: one population broken down by QPV and by sex
(the same grand total), the steps of the funnel (every step counts people among those spotted, so « spotted −
contacted » in a QPV is itself a count of people). Masking each table alone is not enough: a total hidden in one
and shown in the other gives the hidden cells back by differencing.

The linked set is written as the extended tables of ``citemploi.core.secrecy`` (cells, negated row and column
totals, grand total: every line adds up to zero), ``shared`` groups of entries that are the same number in
several tables (or twice in one), and ``unpublished`` entries that are never shown but are counts of people all
the same (the « not reached » complement of a funnel step). ``mask_linked``:

1. hides every published entry of 1 to N people, and every unpublished entry (never shown);
2. grows the hidden set of each table by secondary suppression (``secrecy.protect``), avoiding shared entries
   while another cycle exists;
3. hides a shared entry everywhere as soon as it is hidden in one table;
4. checks the whole linked set as one linear system — the equations of every table, shared entries being one
   unknown — with the shown values known: a hidden entry is *recomputable by differencing* when every solution
   gives it the same value, i.e. when no direction of the system's null space (restricted to the hidden
   entries) moves it. A recomputable hidden entry that matters (any published one; an unpublished one of 1 to N
   people) makes the cheapest shown non-zero entry on one of its lines hidden too, and everything starts again
   from step 2.

The hidden set only grows, and with everything hidden nothing is determined (the equations are homogeneous), so
it stops. What is proved at the end: inside each table, the guarantee of ``secrecy.mask_table`` (every hidden
entry on a cycle of hidden entries that keeps the counts positive); across the linked set, no hidden count is
recomputed exactly by adding and subtracting what is shown. tests/core/test_secrecy_linked.py rebuilds every
non-negative integer solution of small linked sets exhaustively and finds at least two values for each masked
count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from citemploi.core import secrecy
from citemploi.core.secrecy import Entry, MaskedTable

Ref = tuple[int, Entry]  # (table index, entry of that table's extended table)


@dataclass
class LinkedSet:
    """The tables (lists of rows of counts), the groups of entries that are one number, and the entries that
    are never published."""

    tables: list[list[list[int]]]
    shared: list[list[Ref]] = field(default_factory=list)
    unpublished: set[Ref] = field(default_factory=set)


def mask_linked(linked: LinkedSet, *, threshold: int | None = None) -> list[MaskedTable]:
    """Every table of the set as it may be published (``None`` for what is hidden, unpublished entries too)."""
    limit = secrecy.threshold() if threshold is None else threshold
    shapes = [secrecy.table_shape(cells) for cells in linked.tables]
    values = [secrecy.extended_table(cells) for cells in linked.tables]
    group_of = {ref: i for i, group in enumerate(linked.shared) for ref in group}
    avoid = [{e for (t, e) in group_of if t == i} for i in range(len(values))]
    hidden = [{e for e, v in table.items() if 0 < v <= limit} for table in values]
    for t, e in linked.unpublished:
        hidden[t].add(e)
    while True:
        for i, (rows, cols) in enumerate(shapes):
            hidden[i] = secrecy.protect(values[i], hidden[i], rows, cols, avoid=avoid[i])
        if _spread(hidden, linked.shared):
            continue
        found = _recomputable(values, hidden, shapes, group_of, linked.unpublished, limit)
        if found is None:
            break
        extra = _cheapest_neighbour(found, values, hidden, shapes, avoid)
        if extra is None:  # nothing left to hide next to it: hide every shown non-zero entry of its table
            t = found[0]
            hidden[t].update(e for e, v in values[t].items() if v)
        else:
            hidden[extra[0]].add(extra[1])
    return [secrecy.published(cells, values[i], hidden[i]) for i, cells in enumerate(linked.tables)]


def _spread(hidden: list[set[Entry]], shared: list[list[Ref]]) -> bool:
    """Hide every member of a group as soon as one is hidden; whether anything changed."""
    changed = False
    for group in shared:
        if any(e in hidden[t] for t, e in group):
            for t, e in group:
                if e not in hidden[t]:
                    hidden[t].add(e)
                    changed = True
    return changed


def _unknowns(values: list[dict[Entry, int]], group_of: dict[Ref, int]) -> dict[Ref, int]:
    """One unknown per entry, shared entries being one."""
    index: dict[Ref, int] = {}
    by_group: dict[int, int] = {}
    for t, table in enumerate(values):
        for e in table:
            g = group_of.get((t, e))
            if g is None:
                index[(t, e)] = len(index) + len(by_group)
            else:
                if g not in by_group:
                    by_group[g] = len(index) + len(by_group)
                index[(t, e)] = by_group[g]
    return index


def _recomputable(
    values: list[dict[Entry, int]],
    hidden: list[set[Entry]],
    shapes: list[tuple[int, int]],
    group_of: dict[Ref, int],
    unpublished: set[Ref],
    limit: int,
) -> Ref | None:
    """A hidden entry that matters and that the shown ones determine (None when there is none)."""
    index = _unknowns(values, group_of)
    unknowns = sorted({index[(t, e)] for t, entries in enumerate(hidden) for e in entries})
    if not unknowns:
        return None
    column = {u: j for j, u in enumerate(unknowns)}
    equations: list[np.ndarray] = []
    for t, (rows, cols) in enumerate(shapes):
        lines = [[(r, c) for c in range(cols + 1)] for r in range(rows + 1)]
        lines += [[(r, c) for r in range(rows + 1)] for c in range(cols + 1)]
        for line in lines:
            row = np.zeros(len(unknowns))
            for e in line:
                if e in hidden[t]:
                    row[column[index[(t, e)]]] += -1 if (e[0] == rows) != (e[1] == cols) else 1
            if row.any():
                equations.append(row)
    matrix = np.array(equations) if equations else np.zeros((1, len(unknowns)))
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9).sum())
    free = vt[rank:]  # a basis of the directions that change hidden entries and nothing shown
    moves = np.abs(free).sum(axis=0) if len(free) else np.zeros(len(unknowns))
    for t, entries in enumerate(hidden):
        for e in sorted(entries):
            matters = (t, e) not in unpublished or 0 < values[t][e] <= limit
            if matters and moves[column[index[(t, e)]]] < 1e-9:
                return (t, e)
    return None


def _cheapest_neighbour(
    found: Ref,
    values: list[dict[Entry, int]],
    hidden: list[set[Entry]],
    shapes: list[tuple[int, int]],
    avoid: list[set[Entry]],
) -> Ref | None:
    """The shown non-zero entry of lowest value on the row or the column of ``found``, in its table (one that is
    not shared with other tables first)."""
    t, (r, c) = found
    rows, cols = shapes[t]
    line = [(r, j) for j in range(cols + 1)] + [(i, c) for i in range(rows + 1)]
    candidates = [e for e in line if e not in hidden[t] and values[t][e] > 0]
    if not candidates:
        return None
    return (t, min(candidates, key=lambda e: (e in avoid[t], values[t][e], e)))


Series = tuple[list[int | None], int | None]


def mask_nested(
    base: list[int], subsets: list[list[int]], *, threshold: int | None = None
) -> tuple[Series, list[Series]]:
    """A partition of a population (``base``, one count per group, with its total) and counts of sub-populations
    in the same groups (each ``subsets[k][g] ≤ base[g]``: the funnel's steps, a rate's numerators over its
    denominators), masked jointly: the complements ``base − subset`` are counts of people too, never shown and
    never recomputable when they are small. Returns (base, total) and (subset, total) per subset, as published."""
    n = len(base)
    tables = [[list(base)]]
    shared: list[list[Ref]] = [[(0, (0, g)), (0, (1, g))] for g in range(n)] + [[(0, (0, n)), (0, (1, n))]]
    unpublished: set[Ref] = set()
    for k, subset in enumerate(subsets, start=1):
        tables.append([list(subset), [max(b - s, 0) for b, s in zip(base, subset, strict=True)]])
        for g in range(n + 1):
            shared[g].append((k, (2, g)))  # the step's column totals are the base's groups and total
            unpublished.add((k, (1, g)))
    masked = mask_linked(LinkedSet(tables, shared, unpublished), threshold=threshold)
    head = (masked[0].cells[0], masked[0].total)
    return head, [(table.cells[0], table.row_totals[0]) for table in masked[1:]]
