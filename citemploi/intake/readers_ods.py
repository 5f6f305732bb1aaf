"""ODS (LibreOffice) reading for the intake: our own streamed parse of ``content.xml`` with expat.

Why not a library: odfpy and pyexcel-ods3 build the whole document in memory (a DOM) and have had no release for
years; python-calamine is maintained and fast but reads a whole sheet into memory and ships a compiled binary.
A spreadsheet's cells are a small part of the OpenDocument format, and expat (in the standard library) gives
them streamed: memory stays flat in the number of rows. A document type declaration (the door to entity bombs
and external entities) is refused outright.

What a cell gives: a formula as its text (« of:=SUM([.A1:.A2]) » becomes « =SUM([.A1:.A2]) »), never its
result; a date as AAAA-MM-JJ (AAAA-MM-JJ HH:MM:SS with a time); a number as displayed when the display is only
digits (codes keep their leading zeros), otherwise its full value (no rounding to the displayed decimals); text
as typed (paragraphs joined by line breaks, comments ignored). Repeated rows and cells (« number-rows-repeated »,
which LibreOffice uses for the million empty rows after the data) are expanded only when something follows them.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.parsers import expat

from django.utils.translation import gettext as _

from citemploi.intake.errors import FileRefused
from citemploi.intake.readers_xlsx import dtd_message, number_text

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0 "
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0 "
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0 "
_CELLS = {_TABLE + "table-cell", _TABLE + "covered-table-cell"}
_PARAGRAPHS = {_TEXT + "p", _TEXT + "h"}
_NUMBERS = {"float", "percentage", "currency"}
#: Widest row accepted (Excel's limit): a row repeating an empty cell a billion times stops here.
MAX_ROW_CELLS = 16_384
CHUNK_BYTES = 64 * 1024


class _Done(Exception):  # noqa: N818 — control flow: the wanted sheet is read
    pass


def broken_message() -> str:
    return _(
        "Classeur ODS illisible (tronqué ou endommagé) : ouvrez-le dans votre tableur et enregistrez-le à nouveau."
    )


def _refuse_dtd(*_args: Any) -> None:
    raise FileRefused(dtd_message())


class _Parser:
    """Collects the rows of one sheet (the first one, or the one named) as expat reports the XML."""

    def __init__(self, sheet: str | None, *, names_only: bool = False) -> None:
        self.want, self.names_only = sheet, names_only
        self.names: list[str] = []
        self.ready: list[tuple[list[str], int]] = []
        self.selected = False
        self.pending_rows = 0
        self.row: list[str] | None = None
        self.row_repeat = 1
        self.pending_cells = 0
        self.cell: dict[str, str] | None = None
        self.paragraphs: list[list[str]] = []
        self.in_paragraph = 0
        self.annotation = 0
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = _refuse_dtd
        parser.EntityDeclHandler = _refuse_dtd
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        parser.buffer_text = True
        self.parser = parser

    def feed(self, data: bytes, final: bool = False) -> None:
        self.parser.Parse(data, final)

    # --- expat handlers -----------------------------------------------------------------------------------------

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == _TABLE + "table":
            self.names.append(attrs.get(_TABLE + "name", ""))
            self.selected = not self.names_only and (
                self.names[-1] == self.want if self.want is not None else len(self.names) == 1
            )
            self.pending_rows = 0
        elif not self.selected:
            return
        elif name == _TABLE + "table-row":
            self.row, self.pending_cells = [], 0
            self.row_repeat = _count(attrs.get(_TABLE + "number-rows-repeated"))
        elif name in _CELLS and self.row is not None:
            self.cell, self.paragraphs = attrs, []
        elif name == _OFFICE + "annotation":
            self.annotation += 1
        elif self.cell is not None and not self.annotation:
            self._start_text(name, attrs)

    def _start_text(self, name: str, attrs: dict[str, str]) -> None:
        if name in _PARAGRAPHS:
            self.paragraphs.append([])
            self.in_paragraph += 1
        elif self.in_paragraph and name == _TEXT + "s":
            self.paragraphs[-1].append(" " * min(_count(attrs.get(_TEXT + "c")), 1000))
        elif self.in_paragraph and name == _TEXT + "tab":
            self.paragraphs[-1].append("\t")
        elif self.in_paragraph and name == _TEXT + "line-break":
            self.paragraphs[-1].append("\n")

    def text(self, data: str) -> None:
        if self.in_paragraph and not self.annotation and self.cell is not None:
            self.paragraphs[-1].append(data)

    def end(self, name: str) -> None:
        if not self.selected:
            return
        if name in _PARAGRAPHS and self.in_paragraph and not self.annotation:
            self.in_paragraph -= 1
        elif name == _OFFICE + "annotation":
            self.annotation -= 1
        elif name in _CELLS and self.cell is not None:
            self._end_cell(self.cell)
            self.cell = None
        elif name == _TABLE + "table-row" and self.row is not None:
            self._end_row(self.row)
            self.row = None
        elif name == _TABLE + "table":
            raise _Done

    def _end_cell(self, attrs: dict[str, str]) -> None:
        assert self.row is not None
        text = cell_text(attrs, "\n".join("".join(parts) for parts in self.paragraphs))
        repeat = _count(attrs.get(_TABLE + "number-columns-repeated"))
        if not text:
            self.pending_cells += repeat
            return
        if len(self.row) + self.pending_cells + repeat > MAX_ROW_CELLS:
            raise FileRefused(_("Classeur ODS refusé : une ligne a plus de %(max)s cellules.") % {"max": MAX_ROW_CELLS})
        self.row.extend([""] * self.pending_cells)
        self.row.extend([text] * repeat)
        self.pending_cells = 0

    def _end_row(self, row: list[str]) -> None:
        if not row:
            self.pending_rows += self.row_repeat
            return
        if self.pending_rows:
            self.ready.append(([], self.pending_rows))
            self.pending_rows = 0
        self.ready.append((row, self.row_repeat))


def _count(raw: str | None) -> int:
    try:
        return max(1, int(raw)) if raw else 1
    except ValueError:
        return 1


def cell_text(attrs: dict[str, str], shown: str) -> str:
    formula = attrs.get(_TABLE + "formula")
    if formula:
        prefix, colon, rest = formula.partition(":")
        return rest if colon and prefix.isalpha() and rest.startswith("=") else formula
    kind = attrs.get(_OFFICE + "value-type", "")
    if kind == "date":
        value = attrs.get(_OFFICE + "date-value", shown)
        return value.removesuffix("T00:00:00").replace("T", " ")
    if kind == "boolean":
        return "VRAI" if attrs.get(_OFFICE + "boolean-value") == "true" else "FAUX"
    if kind in _NUMBERS and not (shown.isascii() and shown.isdigit()):
        try:
            return number_text(float(attrs.get(_OFFICE + "value", "")))
        except ValueError:
            return shown
    return shown


def _stream(path: Path, parser: _Parser) -> Iterator[list[str]]:
    try:
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as stream:
            while chunk := stream.read(CHUNK_BYTES):
                parser.feed(chunk)
                yield from _drain(parser)
            parser.feed(b"", final=True)
    except _Done:
        pass
    except (expat.ExpatError, zipfile.BadZipFile, zlib.error, KeyError, EOFError, OSError) as error:
        raise FileRefused(broken_message()) from error
    yield from _drain(parser)


def _drain(parser: _Parser) -> Iterator[list[str]]:
    ready, parser.ready = parser.ready, []
    for row, repeat in ready:
        for _n in range(repeat):
            yield list(row)


def ods_rows(path: Path, sheet: str | None = None) -> Iterator[list[str]]:
    """Rows of ``sheet`` (the first one by default), streamed."""
    return _stream(path, _Parser(sheet))


def sheet_names(path: Path) -> list[str]:
    parser = _Parser(None, names_only=True)
    for _row in _stream(path, parser):
        pass
    return parser.names
