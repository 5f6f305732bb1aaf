"""Safe spreadsheet exports: neutralise formula injection (DESIGN.md §4).

The one place for it: every CSV or XLSX that leaves the application writes its cells (header row included)
through ``safe_cell`` — ``stream_csv`` for a streamed download, ``SafeCsvWriter`` for a file, ``safe_row`` for
an XLSX row.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A plain signed decimal (a longitude such as -1.55 or -1,55): read as a number, never as a formula.
_SIGNED_NUMBER = re.compile(r"[-+]\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?")


def safe_cell(value: Any) -> Any:
    """Return the value ready for a spreadsheet cell: text that a spreadsheet would run as a formula gets a quote.

    Numbers stay numbers (a negative number is not a formula), and so does text that is only a signed decimal;
    only other strings are touched.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _SIGNED_NUMBER.fullmatch(value):
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


class SafeCsvWriter:
    """``csv.writer`` whose every row (the header too) goes through ``safe_cell``."""

    def __init__(self, handle: IO[str], *, delimiter: str = ",") -> None:
        self._writer = csv.writer(handle, delimiter=delimiter)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow(safe_row(row))
