"""An independent check of statistical secrecy: rebuild other tables consistent with what a table shows.

It knows nothing of how ``mask_table`` chose its cells. A reader of a published table knows every shown cell
and total, that every masked cell or total is at least 1 (zeros are shown) and that cells are non-negative
integers. A masked entry is *undetermined* when two tables consistent with all of that give it different
values. ``undetermined_entries`` proves it by exhibiting such a table (``alternative`` verifies every
candidate from scratch): by enumerating changes of -1, 0, +1 on the masked cells (small tables) or by shifting
along cycles of masked entries (larger ones). A masked entry for which no alternative is found is reported.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from citemploi.core.secrecy import MaskedTable

Entry = tuple[int, int]


def shown_entries(table: MaskedTable, rows: int, cols: int) -> dict[Entry, int | None]:
    """Every published entry, the margins at row ``rows`` / column ``cols`` (None = masked)."""
    entries: dict[Entry, int | None] = {(r, c): table.cells[r][c] for r in range(rows) for c in range(cols)}
    entries.update({(r, cols): table.row_totals[r] for r in range(rows)})
    entries.update({(rows, c): table.col_totals[c] for c in range(cols)})
    entries[(rows, cols)] = table.total
    return entries


def full_entries(cells: list[list[int]]) -> dict[Entry, int]:
    rows, cols = len(cells), len(cells[0])
    entries = {(r, c): cells[r][c] for r in range(rows) for c in range(cols)}
    entries.update({(r, cols): sum(cells[r]) for r in range(rows)})
    entries.update({(rows, c): sum(row[c] for row in cells) for c in range(cols)})
    entries[(rows, cols)] = sum(map(sum, cells))
    return entries


def consistent(candidate: list[list[int]], published: dict[Entry, int | None]) -> bool:
    """True when the candidate table, with its own totals, shows exactly what was published."""
    if any(v < 0 for row in candidate for v in row):
        return False
    for entry, value in full_entries(candidate).items():
        shown = published[entry]
        if (shown is not None and value != shown) or (shown is None and value < 1):
            return False
    return True


def undetermined_entries(cells: list[list[int]], table: MaskedTable, *, exhaustive: bool) -> set[Entry]:
    """The masked entries shown to take at least two values over the tables consistent with ``table``."""
    rows, cols = len(cells), len(cells[0])
    published = shown_entries(table, rows, cols)
    truth = full_entries(cells)
    masked = {e for e, v in published.items() if v is None}
    proven: set[Entry] = set()
    candidates = _by_enumeration(cells, published) if exhaustive else _by_cycles(cells, published)
    for candidate in candidates:
        if masked <= proven:
            break
        if not consistent(candidate, published):
            continue
        other = full_entries(candidate)
        proven |= {e for e in masked if other[e] != truth[e]}
    return proven


def recoverable_entries(cells: list[list[int]], table: MaskedTable, *, exhaustive: bool) -> set[Entry]:
    rows, cols = len(cells), len(cells[0])
    masked = {e for e, v in shown_entries(table, rows, cols).items() if v is None}
    return masked - undetermined_entries(cells, table, exhaustive=exhaustive)


def _by_enumeration(cells: list[list[int]], published: dict[Entry, int | None]) -> Iterator[list[list[int]]]:
    """Every change of -1, 0 or +1 on each masked cell (3^k candidates, k masked cells)."""
    hidden = [e for e, v in published.items() if v is None and e[0] < len(cells) and e[1] < len(cells[0])]
    for steps in itertools.product((-1, 0, 1), repeat=len(hidden)):
        if not any(steps):
            continue
        candidate = [list(row) for row in cells]
        for (r, c), step in zip(hidden, steps, strict=True):
            candidate[r][c] += step
        yield candidate


def _by_cycles(cells: list[list[int]], published: dict[Entry, int | None]) -> Iterator[list[list[int]]]:
    """Shift ±1 along every simple cycle of masked entries of the row/column graph (margins as an extra row
    and column); only the cells' changes are kept, the totals follow from them when checked."""
    rows, cols = len(cells), len(cells[0])
    hidden = {e for e, v in published.items() if v is None}
    for cycle in _cycles(hidden, rows, cols):
        for first in (1, -1):
            candidate = [list(row) for row in cells]
            sign = first
            for r, c in cycle:
                if r < rows and c < cols:
                    candidate[r][c] += sign
                sign = -sign
            yield candidate


def _cycles(hidden: set[Entry], rows: int, cols: int, *, per_entry: int = 500) -> Iterator[list[Entry]]:
    """Simple cycles of masked entries through each masked entry in turn (at most ``per_entry`` each), as
    their entries in order: the entry (r0, c0), then a path from column c0 back to row r0."""
    by_row: dict[int, list[int]] = {}
    by_col: dict[int, list[int]] = {}
    for r, c in sorted(hidden):
        by_row.setdefault(r, []).append(c)
        by_col.setdefault(c, []).append(r)

    def from_col(start: Entry, col: int, path: list[Entry], rows_seen: set[int], cols_seen: set[int]):
        for row in by_col[col]:
            entry = (row, col)
            if entry == start:
                continue
            if row == start[0]:
                yield [start, *path, entry]
            elif row not in rows_seen:
                for nxt in by_row[row]:
                    if nxt not in cols_seen:
                        yield from from_col(
                            start, nxt, [*path, entry, (row, nxt)], rows_seen | {row}, cols_seen | {nxt}
                        )

    for start in sorted(hidden):
        yield from itertools.islice(from_col(start, start[1], [], {start[0]}, {start[1]}), per_entry)
