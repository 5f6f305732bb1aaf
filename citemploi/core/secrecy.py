"""Statistical secrecy: mask counts of 1 to N people, with secondary suppression (DESIGN.md §4, DOMAIN.md §6).

Used once for every output below the coordinator (tables, charts, maps, exports, API). ``None`` means masked;
``display`` renders it « < 6 » in pages and ``export_value`` « s » in spreadsheets (N = the setting
``STATISTICAL_SECRECY_THRESHOLD``, 5 by default).

Primary suppression
    Every count between 1 and N is masked: the cells of a table, but also its row totals, column totals and
    grand total. Zero is shown (it reveals nobody) and is never masked.

Secondary suppression, and why it is safe
    A table of R rows and C columns is published with its R row totals, its C column totals and its grand
    total. Write it as the *extended* table X' of (R + 1) × (C + 1) entries: the cells x[r][c], the row totals
    negated in an extra column (x'[r][C] = -T_r), the column totals negated in an extra row
    (x'[R][c] = -S_c) and the grand total in the corner (x'[R][C] = G). "The cells add up to the totals" is
    then exactly "every row and every column of X' adds up to zero".

    See X' as a bipartite graph, one vertex per row and per column (margins included), one edge per entry.
    Take a cycle r1 - c1 - r2 - c2 - … - rk - ck - r1 whose edges are all masked entries, and add +1, -1, +1, …
    alternately to the entries along it: every row and every column of X' meets the cycle in two consecutive
    edges of opposite signs, so all the sums stay zero, and nothing shown changes. If moreover every entry
    whose real value goes down is at least 2, every masked entry stays at least 1 — so even a reader who knows
    that a masked cell is never zero (zeros are shown) finds a second table, with non-negative integer cells,
    consistent with everything shown, in which each entry of the cycle has another value. Every masked entry
    that lies on such a cycle is therefore undetermined.

    ``mask_table`` makes that true of every masked entry. For each primary entry e, in decreasing order of
    value, it looks for the cheapest path in the graph closing a cycle through e, with the orientation that
    makes e go *up*: an arc col → row takes the sign opposite to e's, an arc row → col e's sign, an entry
    whose real value would go down must be at least 2, a zero entry is never used, already masked entries cost
    nothing and the others cost their value plus one (margins twice that, the grand total four times, so that
    the totals stay visible when cells can protect each other). Dijkstra gives a simple path, so e and the
    path form a simple cycle; every entry it masks lies on that cycle. Masking more entries later never
    breaks an earlier cycle (it only removes constraints). A path always exists: for a cell (r, c) the cycle
    cell → S_c → G → T_r → cell raises all four (the row, the column and the grand total each grow by one),
    and every margin has such a cycle through a non-zero cell of its line; so the algorithm always ends with
    every masked entry on a valid cycle. A 1-D series with a total is the 1-row case (its column totals are
    the values themselves, masked with them).

    What this does not claim: a reader who knows the algorithm and every other entry might still narrow a
    masked value to an interval; the guarantee is that none is recomputed exactly (at least the true value
    and one of its neighbours stay possible). Tables that share entries (one population broken down two ways,
    funnel steps that all count within the people spotted) are masked jointly by ``citemploi.core.secrecy_linked``.
    tests/core/test_secrecy*.py check it independently by rebuilding alternative tables (exhaustively on small
    tables, with hypothesis on random ones).

Rates
    ``mask_rate`` masks a rate whose numerator or denominator is masked (``None``) or is itself between 1 and
    N. Pass the numerator and denominator as published by ``mask_table`` when they come from a table, so that
    the secondary suppression covers the rate too.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from django.conf import settings

from citemploi.core.formats import fr_number

MASK = None
EXPORT_MASK = "s"

Entry = tuple[int, int]  # (row, column) in the extended table; row R / column C are the margins.


def threshold() -> int:
    """The largest count that is masked (the setting ``STATISTICAL_SECRECY_THRESHOLD``, 5 by default)."""
    return int(getattr(settings, "STATISTICAL_SECRECY_THRESHOLD", 5))


def _limit(value: int | None) -> int:
    return threshold() if value is None else value


def is_small(value: int, *, limit: int | None = None) -> bool:
    return 0 < value <= _limit(limit)


def mask_count(value: int | None, *, threshold: int | None = None) -> int | None:
    """The count as it may be published: ``None`` (masked) for 1 to N people."""
    if value is None:
        return MASK
    return MASK if is_small(value, limit=threshold) else value


def mask_rate(numerator: int | None, denominator: int | None, *, threshold: int | None = None) -> float | None:
    """numerator ÷ denominator rounded to 4 decimals, or ``None`` when either count is masked (``None`` or 1 to N).

    A zero denominator also gives ``None`` (the rate does not exist); the caller tells it from a masked rate by
    the denominator, which is then a shown 0.
    """
    shown_numerator = mask_count(numerator, threshold=threshold)
    shown_denominator = mask_count(denominator, threshold=threshold)
    if shown_numerator is None or shown_denominator is None or shown_denominator == 0:
        return None
    return round(shown_numerator / shown_denominator, 4)


def display(value: int | float | None, *, decimals: int | None = None) -> str:
    """How a published figure reads in a page: « < 6 » when masked, else the French number (« 1 234 »)."""
    if value is None:
        return f"< {threshold() + 1}"
    return fr_number(value, decimals)


def export_value(value: int | float | None) -> str | int | float:
    """How a published figure is written in an export: « s » (secret statistique) when masked."""
    return EXPORT_MASK if value is None else value


@dataclass(frozen=True)
class MaskedTable:
    """A table as it may be published: ``None`` for every masked cell or total."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    col_totals: list[int | None]
    total: int | None

    def is_masked(self, row: int, col: int) -> bool:
        return self.cells[row][col] is None

    @property
    def masked_count(self) -> int:
        entries = [v for row in self.cells for v in row] + self.row_totals + self.col_totals + [self.total]
        return sum(v is None for v in entries)


def mask_series(
    values: list[int], *, threshold: int | None = None, keep_total: bool = False
) -> tuple[list[int | None], int | None]:
    """A 1-D series with its total (the 1-row case of ``mask_table``): (values, total) as published.
    ``keep_total``: the total is shared with other breakdowns of the same population (the same total by QPV, by
    sex…): the secondary suppression protects the cells by each other and hides the total only when it is itself
    small or when no cycle avoids it, so that the total published is the same in every breakdown."""
    rows, cols = 1, len(values)
    table = mask_table([list(values)], threshold=threshold, avoid={(rows, cols)} if keep_total else set())
    return table.cells[0], table.total


def protect(
    extended: dict[Entry, int],
    hidden: set[Entry],
    rows: int,
    cols: int,
    *,
    avoid: set[Entry] | frozenset[Entry] = frozenset(),
) -> set[Entry]:
    """Secondary suppression: ``hidden`` grown until every hidden entry lies on a valid cycle of hidden entries
    (see the module docstring). Entries of ``avoid`` (shared with linked tables) are used only when no cycle
    avoids them."""
    hidden = set(hidden)
    for entry in sorted(hidden, key=lambda e: (-extended[e], e)):
        if extended[entry] > 0:  # a zero (never shown hidden but when unpublished) reveals nobody
            hidden.update(_cheapest_cycle(entry, extended, hidden, rows, cols, avoid))
    return hidden


def mask_table(
    cells: list[list[int]], *, threshold: int | None = None, avoid: set[Entry] | frozenset[Entry] = frozenset()
) -> MaskedTable:
    """Mask a table of counts and its row, column and grand totals (primary and secondary suppression)."""
    limit = _limit(threshold)
    rows, cols = table_shape(cells)
    extended = extended_table(cells)
    hidden = protect(extended, {e for e, value in extended.items() if 0 < value <= limit}, rows, cols, avoid=avoid)
    return published(cells, extended, hidden)


def table_shape(cells: list[list[int]]) -> tuple[int, int]:
    rows = len(cells)
    cols = len(cells[0]) if rows else 0
    if any(len(row) != cols for row in cells):
        raise ValueError("every row of a table must have the same number of cells")
    if any(v < 0 for row in cells for v in row):
        raise ValueError("counts are never negative")
    return rows, cols


def extended_table(cells: list[list[int]]) -> dict[Entry, int]:
    rows, cols = table_shape(cells)
    return _extended(cells, rows, cols)


def published(cells: list[list[int]], extended: dict[Entry, int], hidden: set[Entry]) -> MaskedTable:
    """The table as shown: ``None`` for every hidden entry."""
    rows, cols = table_shape(cells)
    return MaskedTable(
        cells=[[None if (r, c) in hidden else cells[r][c] for c in range(cols)] for r in range(rows)],
        row_totals=[None if (r, cols) in hidden else extended[(r, cols)] for r in range(rows)],
        col_totals=[None if (rows, c) in hidden else extended[(rows, c)] for c in range(cols)],
        total=None if (rows, cols) in hidden else extended[(rows, cols)],
    )


def _extended(cells: list[list[int]], rows: int, cols: int) -> dict[Entry, int]:
    """Every entry's real (non-negative) value: the cells, the row totals (column ``cols``), the column totals
    (row ``rows``) and the grand total (``(rows, cols)``)."""
    values: dict[Entry, int] = {(r, c): cells[r][c] for r in range(rows) for c in range(cols)}
    for r in range(rows):
        values[(r, cols)] = sum(cells[r])
    for c in range(cols):
        values[(rows, c)] = sum(cells[r][c] for r in range(rows))
    values[(rows, cols)] = sum(values[(r, cols)] for r in range(rows))
    return values


def _kind(entry: Entry, rows: int, cols: int) -> int:
    """+1 when X' holds the real value (cells, grand total), -1 when it holds its opposite (row/column totals)."""
    r, c = entry
    return -1 if (r == rows) != (c == cols) else 1


#: The extra cost of hiding an entry shared with linked tables: any cycle avoiding it is cheaper.
AVOIDED = 10**9


def _weight(entry: Entry, value: int, rows: int, cols: int) -> int:
    r, c = entry
    margins = (r == rows) + (c == cols)
    return (value + 1) * (1, 2, 4)[margins]


def _cheapest_cycle(
    target: Entry,
    values: dict[Entry, int],
    hidden: set[Entry],
    rows: int,
    cols: int,
    avoid: set[Entry] | frozenset[Entry] = frozenset(),
) -> list[Entry]:
    """The entries of the cheapest path closing a valid alternating cycle through ``target`` (see the module
    docstring); vertices are ("r", i) and ("c", j), the search goes from target's column to target's row."""
    sign = _kind(target, rows, cols)  # the sign on X' that makes target's real value go up
    start, goal = ("c", target[1]), ("r", target[0])
    best: dict[tuple[str, int], int] = {start: 0}
    previous: dict[tuple[str, int], tuple[tuple[str, int], Entry]] = {}
    queue: list[tuple[int, tuple[str, int]]] = [(0, start)]
    done: set[tuple[str, int]] = set()
    while queue:
        cost, vertex = heapq.heappop(queue)
        if vertex in done:
            continue
        done.add(vertex)
        if vertex == goal:
            break
        side, index = vertex
        if side == "c":  # col → row arcs take the sign opposite to the target's
            arcs = [((i, index), ("r", i), -sign) for i in range(rows + 1)]
        else:
            arcs = [((index, j), ("c", j), sign) for j in range(cols + 1)]
        for entry, nxt, arc_sign in arcs:
            if entry == target or nxt in done:
                continue
            value = values[entry]
            goes_down = arc_sign * _kind(entry, rows, cols) < 0
            if value == 0 or (goes_down and value < 2):
                continue
            step = 0 if entry in hidden else _weight(entry, value, rows, cols) + (AVOIDED if entry in avoid else 0)
            if cost + step < best.get(nxt, cost + step + 1):
                best[nxt] = cost + step
                previous[nxt] = (vertex, entry)
                heapq.heappush(queue, (cost + step, nxt))
    path: list[Entry] = []
    vertex = goal
    if vertex not in previous:  # only for an entry of linked tables whose shared lines are all zero
        return path
    while vertex != start:  # a path always exists (see the module docstring)
        vertex, entry = previous[vertex]
        path.append(entry)
    return path
