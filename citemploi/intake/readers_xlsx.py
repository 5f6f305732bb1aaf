"""XLSX reading for the intake: openpyxl in read-only (streamed) mode, every cell turned into text.

``data_only=False``: a formula is read as its text (« =A1+B1 »), never evaluated nor replaced by the value Excel
cached. Rows are parsed by openpyxl's own worksheet parser, in a loop of ours that keeps memory flat
(``_sheet_rows``); openpyxl is pinned, and the tests read real files through it.
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
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

from citemploi.intake.errors import FileRefused

# SyntaxError: the XML parser's ParseError (a damaged sheet inside the zip); ValueError covers defusedxml's
# DTDForbidden and EntitiesForbidden (a sheet declaring entities: the billion laughs).
_BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError, ValueError, TypeError, IndexError, SyntaxError)


_ROW = f"{{{SHEET_MAIN_NS}}}row"
_SHEET_DATA = f"{{{SHEET_MAIN_NS}}}sheetData"
_INLINE = f"{{{SHEET_MAIN_NS}}}is"
_PLAIN = f"{{{SHEET_MAIN_NS}}}t"


class _Parser(WorkSheetParser):  # type: ignore[misc]
    """openpyxl's parser with a shortcut for the commonest cell of exported files: an inline string made of one
    plain text (``<c t="inlineStr"><is><t>…</t></is></c>``), read as openpyxl reads it (``Text.content``) without
    building its descriptor objects (three quarters of the reading time). Every other cell goes to openpyxl."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        if element.get("t") != "inlineStr":
            return super().parse_cell(element)  # type: ignore[no-any-return]
        children = list(element)
        if len(children) != 1 or children[0].tag != _INLINE:
            return super().parse_cell(element)  # type: ignore[no-any-return]  # a formula, or no text
        parts = list(children[0])
        if len(parts) != 1 or parts[0].tag != _PLAIN or len(parts[0]):
            return super().parse_cell(element)  # type: ignore[no-any-return]  # rich text, phonetic runs
        coordinate = element.get("r")
        if coordinate:
            row, column = coordinate_to_tuple(coordinate)
            self.col_counter = column
        else:
            self.col_counter += 1
            row, column = self.row_counter, self.col_counter
        style = element.get("s", 0)
        return {"row": row, "column": column, "value": parts[0].text or "", "data_type": "s",
                "style_id": int(style) if style else style}  # fmt: skip


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
    except _BROKEN as error:  # DefusedXmlException is a ValueError; openpyxl wraps it in another ValueError
        handle.close()
        raise FileRefused(dtd_message() if _defused(error) else broken_message()) from error
    except BaseException:
        handle.close()
        raise


def broken_message() -> str:
    return _(
        "Classeur XLSX illisible (tronqué ou endommagé) : ouvrez-le dans votre tableur et enregistrez-le à nouveau."
    )


def _defused(error: BaseException | None) -> bool:
    """Whether defusedxml refused the XML (a DTD, an entity), here or as the cause of openpyxl's own error."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, DefusedXmlException):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def dtd_message() -> str:
    return _(
        "Classeur refusé : il contient une déclaration de type de document (DTD), que seul un fichier piégé contient."
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
        rows = _sheet_rows(worksheet)
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except _BROKEN as error:
                raise FileRefused(dtd_message() if _defused(error) else broken_message()) from error
            yield [cell_text(value) for value in values]
    finally:
        workbook.close()
        handle.close()


def _sheet_rows(worksheet: Any) -> Iterator[list[Any]]:
    """The values of each row, a missing row given as ``[]``: openpyxl's own row parser (shared strings, dates,
    formulas as text), in a loop that removes each parsed row from the tree — openpyxl's read-only loop empties
    a row but leaves it in ``sheetData`` (some 80 bytes a row: 80 MB for a million rows). The declared dimension
    of the sheet is not used: a file claiming A1:XFD1048576 is not padded to a million rows of 16,384 cells."""
    workbook = worksheet.parent
    with worksheet._get_source() as source:
        parser = _Parser(
            source,
            worksheet._shared_strings,
            data_only=False,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        expected, sheet_data = 1, None
        for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
            if event == "start":
                if element.tag == _SHEET_DATA:
                    sheet_data = element
                continue
            if element.tag != _ROW:
                continue
            index, cells = parser.parse_row(element)
            (sheet_data if sheet_data is not None else element).clear()
            if index < expected:
                continue  # a row number going backwards: openpyxl ignores it too
            while expected < index:
                expected += 1
                yield []
            expected += 1
            values: list[Any] = [None] * max((cell["column"] for cell in cells), default=0)
            for cell in cells:
                values[cell["column"] - 1] = cell["value"]
            yield values
