"""Safe spreadsheet exports: neutralise formula injection (DESIGN.md §4).

The one place for it: every CSV or XLSX that leaves the application writes its cells (header row included)
through ``safe_cell`` — ``stream_csv`` for a streamed download, ``SafeCsvWriter`` for a file, ``safe_row`` for
an XLSX row.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter
from typing import IO, Any

import numpy as np

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A plain signed decimal (a longitude such as -1.55 or -1,55): read as a number, never as a formula.
_UNSIGNED = r"\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?"
_SIGNED_NUMBER = re.compile(r"[-+]" + _UNSIGNED)
#: The characters a cell to neutralise starts with (a fast search says whether a column can hold one).
_PREFIX_CHARS = "".join(FORMULA_PREFIXES)
#: In a column joined with _SEP before each cell, the start of each cell ``safe_cell`` quotes, per prefix.
_SEP = "\x1f"
_TO_QUOTE = {
    char: re.compile(re.escape(_SEP + char) + (r"(?!" + _UNSIGNED + r"(?:\x1f|\Z))" if char in "-+" else ""))
    for char in _PREFIX_CHARS
}


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


def neutralise_rows(rows: list[list[str]], width: int) -> None:
    """``safe_cell`` on the first ``width`` cells of many rows of text (each has at least ``width``), in place,
    without a Python step per cell: each column is joined once, a fast search skips the prefixes it does not
    hold, and the rule of ``safe_cell`` (as one regular expression per prefix) finds the cells to quote."""
    for column in range(width):
        cells = list(map(itemgetter(column), rows))
        joined = _SEP + _SEP.join(cells)
        present = [char for char in _PREFIX_CHARS if char in joined]
        if not present:
            continue
        if joined.count(_SEP) != len(cells):  # a cell holds the separator itself: cell by cell
            quote = [i for i, cell in enumerate(cells) if safe_cell(cell) is not cell]
        else:
            hits = sorted(match.start() for char in present for match in _TO_QUOTE[char].finditer(joined))
            if not hits:
                continue
            lengths = np.fromiter(map(len, cells), dtype=np.int64, count=len(cells))
            starts = np.arange(len(cells)) + np.concatenate(([0], np.cumsum(lengths)[:-1]))
            quote = np.searchsorted(starts, hits).tolist()
        for i in quote:
            rows[i][column] = "'" + cells[i]


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
        self._handle, self._delimiter = handle, delimiter
        self._writer = csv.writer(handle, delimiter=delimiter)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow(safe_row(row))

    def writerows(self, rows: list[list[str]], *, width: int | None = None) -> None:
        """Many rows of text at once, written in one piece. With ``width``, only the first ``width`` cells of each
        row are neutralised here (in place, by ``neutralise_rows``): the caller made the others with
        ``safe_cell``."""
        if width is None:
            rows = [safe_row(row) for row in rows]
        else:
            neutralise_rows(rows, width)
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=self._delimiter).writerows(rows)
        self._handle.write(buffer.getvalue())
