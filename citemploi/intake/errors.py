"""The two ways an intake file can be wrong: as a whole (``FileRefused``) or in one row (``RowError``).

``FileRefused`` is the upload layer's own class (``citemploi.core.uploads``), re-exported here: a refusal raised by
the shared size, column and zip-bomb checks and one raised by the intake readers are the same error, caught once.
It is a ``ValidationFailed`` (a domain error with a French message): nothing of the file was written.
"""

from __future__ import annotations

from dataclasses import dataclass

from citemploi.core.uploads import FileRefused

__all__ = ["FileRefused", "RowError"]


@dataclass(frozen=True)
class RowError:
    """One problem of one row, shown to the user by row and column."""

    row: int  # 1-based line number as the user sees it in the file (header = 1)
    column: str  # the file's column header ('' when the error is the whole row)
    message: str  # French
    sheet: str = ""  # sheet name for workbooks
