"""Statistical secrecy: mask cells of 1 to N people, with secondary suppression (DESIGN.md §4).

A table is a list of rows of counts, with row and column totals shown. Primary suppression hides every cell
whose value is between 1 and the threshold. Secondary suppression then hides, in each row and column that has
exactly one hidden cell, the smallest other non-zero cell, so that the hidden one cannot be recomputed from the
total; it repeats until no row or column has a single hidden cell.
"""

from __future__ import annotations

from django.conf import settings

MASK = None


def threshold() -> int:
    return int(getattr(settings, "STATISTICAL_SECRECY_THRESHOLD", 5))


def mask_table(table: list[list[int]], *, limit: int | None = None) -> list[list[int | None]]:
    limit = threshold() if limit is None else limit
    hidden = {(r, c) for r, row in enumerate(table) for c, v in enumerate(row) if 0 < v <= limit}
    changed = True
    while changed:
        changed = False
        lines = [[(r, c) for c in range(len(table[r]))] for r in range(len(table))]
        if table:
            lines += [[(r, c) for r in range(len(table))] for c in range(len(table[0]))]
        for line in lines:
            masked = [cell for cell in line if cell in hidden]
            if len(masked) != 1:
                continue
            candidates = [cell for cell in line if cell not in hidden and table[cell[0]][cell[1]] > 0]
            if candidates:
                hidden.add(min(candidates, key=lambda cell: table[cell[0]][cell[1]]))
                changed = True
    return [[MASK if (r, c) in hidden else v for c, v in enumerate(row)] for r, row in enumerate(table)]


def mask_count(value: int, *, limit: int | None = None) -> int | None:
    limit = threshold() if limit is None else limit
    return MASK if 0 < value <= limit else value
