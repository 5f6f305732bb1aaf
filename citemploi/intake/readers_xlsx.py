"""XLSX reading for the intake: openpyxl in read-only (streamed) mode, every cell turned into text.

``data_only=False``: a formula is read as its text (« =A1+B1 »), never evaluated nor replaced by the value Excel
cached. The declared dimensions of a sheet are ignored (``reset_dimensions``): a file claiming A1:XFD1048576 would
otherwise be padded to a million rows of 16,384 cells.
"""

from __future__ import annotations

import warnings
import zipfile
import zlib
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

import openpyxl
from django.utils.translation import gettext as _

from citemploi.intake.errors import FileRefused

# SyntaxError: the XML parser's ParseError (a damaged sheet inside the zip).
_BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError, ValueError, TypeError, IndexError, SyntaxError)


def cell_text(value: Any) -> str:
    """The text of one cell value as openpyxl gives it: numbers without a useless « .0 », dates as AAAA-MM-JJ."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, timedelta):
        return str(value)
    text = getattr(value, "text", None)  # ArrayFormula, DataTableFormula: their formula text
    return str(text if text is not None else value)


def number_text(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format(value, ".15g")


def _open(path: Path) -> tuple[Any, IO[bytes]]:
    """(workbook, file): a file object, not the path, so that openpyxl does not judge the file by its name."""
    handle = path.open("rb")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # « no default style », unsupported extensions: nothing for the user
            return openpyxl.load_workbook(handle, read_only=True, data_only=False, keep_links=False), handle
    except _BROKEN as error:
        handle.close()
        raise FileRefused(broken_message()) from error
    except BaseException:
        handle.close()
        raise


def broken_message() -> str:
    return _(
        "Classeur XLSX illisible (tronqué ou endommagé) : ouvrez-le dans votre tableur et enregistrez-le à nouveau."
    )


def sheet_names(path: Path) -> list[str]:
    workbook, handle = _open(path)
    try:
        return [sheet.title for sheet in workbook.worksheets]
    finally:
        workbook.close()
        handle.close()


def xlsx_rows(path: Path, sheet: str | None = None) -> Iterator[list[str]]:
    """Rows of ``sheet`` (the first one by default); the workbook is closed when the iteration ends or is dropped."""
    workbook, handle = _open(path)
    try:
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        worksheet.reset_dimensions()
        rows = worksheet.iter_rows(values_only=True)
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except _BROKEN as error:
                raise FileRefused(broken_message()) from error
            yield [cell_text(value) for value in values]
    finally:
        workbook.close()
        handle.close()
