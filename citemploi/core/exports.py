"""Safe spreadsheet exports: neutralise formula injection (DESIGN.md §4)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Return the value ready for a spreadsheet cell: text that a spreadsheet would run as a formula gets a quote.

    Numbers stay numbers (a negative number is not a formula); only strings are touched.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


class _Echo:
    def write(self, value: str) -> str:
        return value


def stream_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], *, delimiter: str = ";") -> Iterator[str]:
    """Yield CSV lines (UTF-8 BOM first, so spreadsheets open accents correctly), every cell neutralised."""
    writer = csv.writer(_Echo(), delimiter=delimiter)
    yield "\ufeff"
    yield writer.writerow(safe_row(header))
    for row in rows:
        yield writer.writerow(safe_row(row))
