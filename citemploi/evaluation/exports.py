"""Exports of evaluation tables: XLSX, ODS and CSV, with their definitions, period, generation time and filters.

``export_tables(fmt, tables, definitions=..., meta=...)`` returns ``(content, content_type, extension)``. The
tables arrive as they may be published for the reader (masked by ``citemploi.core.secrecy`` below the
coordinator): a masked value (``None``) is written « s », a value that does not exist (``math.nan``, e.g. a
rate without denominator) is an empty cell. Every text cell (headers, labels, filters, definitions) goes
through ``citemploi.core.exports.safe_cell``, the one neutraliser of formula injection.

Layout (docs/evaluation.md, « Exports »):

- XLSX and ODS: a first sheet « informations » (title, period, generation time, filters, secrecy note), one
  sheet per table (its title and period on two lines, a blank line, then the header row and the rows), and a
  sheet « définitions » (indicator id, label, definition);
- CSV: one table gives one CSV file, ``;``-separated, UTF-8 with BOM, decimal comma, whose first lines are a
  block of lines starting with ``#`` (title, period, generation time, filters, secrecy, definitions) before
  the header row; several tables give a ZIP of such CSV files, one per table, plus ``definitions.csv``.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.utils import timezone
from odf.number import Number, PercentageStyle
from odf.number import Text as NumberText
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import P

from citemploi.core.exports import safe_cell
from citemploi.core.formats import fr_number
from citemploi.core.secrecy import export_value, threshold

FORMATS = ("xlsx", "ods", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "csv": "text/csv; charset=utf-8",
    "zip": "application/zip",
}
INFO_SHEET = "informations"
DEFINITIONS_SHEET = "définitions"
DEFINITION_HEADERS = ("Indicateur", "Libellé", "Définition")
UNITS = ("count", "rate", "days", "text")


@dataclass(frozen=True)
class ExportTable:
    """One table: a sheet of the workbook (or one CSV). ``units`` (one per column: count, rate, days, text)
    only chooses the number format; rates are fractions (0.4523 reads « 45,2 % »)."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    units: Sequence[str] = ()


@dataclass(frozen=True)
class Definition:
    id: str
    label: str
    definition: str


@dataclass(frozen=True)
class ExportMeta:
    """What the figures are: shown in the « informations » sheet and above every table."""

    title: str
    period_from: date
    period_to: date
    filters: Mapping[str, str] = field(default_factory=dict)
    generated_at: datetime | None = None
    masked: bool = True  # False for the coordinator's own exports (nothing masked)


def export_tables(
    fmt: str,
    tables: Sequence[ExportTable],
    *,
    definitions: Sequence[Definition | tuple[str, str, str]],
    meta: ExportMeta,
) -> tuple[bytes, str, str]:
    """The file's bytes, its content type and its extension (``xlsx``, ``ods``, ``csv`` or ``zip``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    for table in tables:
        if table.units and len(table.units) != len(table.headers):
            raise ValueError("one unit per column")
        if any(unit not in UNITS for unit in table.units):
            raise ValueError("unknown unit")
    defs = [d if isinstance(d, Definition) else Definition(*d) for d in definitions]
    generated = meta.generated_at or timezone.now()
    if fmt == "xlsx":
        return _xlsx(tables, defs, meta, generated), CONTENT_TYPES["xlsx"], "xlsx"
    if fmt == "ods":
        return _ods(tables, defs, meta, generated), CONTENT_TYPES["ods"], "ods"
    if len(tables) == 1:
        return _csv(tables[0], defs, meta, generated), CONTENT_TYPES["csv"], "csv"
    return _csv_zip(tables, defs, meta, generated), CONTENT_TYPES["zip"], "zip"


# --- What every format says ------------------------------------------------------------------------------------


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def period_text(meta: ExportMeta) -> str:
    return f"du {_day(meta.period_from)} au {_day(meta.period_to)}"


def generated_text(generated: datetime) -> str:
    local = timezone.localtime(generated) if timezone.is_aware(generated) else generated
    return local.strftime("%d/%m/%Y à %H:%M")


def secrecy_text(meta: ExportMeta) -> str:
    if not meta.masked:
        return "Aucun masquage (export réservé à la coordination)."
    n = threshold()
    return (
        f"Secret statistique : les effectifs de 1 à {n} personnes sont masqués (« s »), ainsi que les cases et "
        "totaux qui permettraient de les recalculer et les taux qui en dépendent."
    )


def info_rows(meta: ExportMeta, generated: datetime) -> list[tuple[str, str]]:
    rows = [("Titre", meta.title), ("Période", period_text(meta)), ("Généré le", generated_text(generated))]
    rows += [(f"Filtre : {name}", value) for name, value in meta.filters.items()]
    if not meta.filters:
        rows.append(("Filtres", "aucun"))
    rows.append(("Secret statistique", secrecy_text(meta)))
    return rows


def cell_value(value: Any) -> Any:
    """The value as written: « s » when masked, empty when it does not exist, text neutralised."""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return generated_text(value)
    if isinstance(value, date):
        return _day(value)
    value = export_value(value)
    return safe_cell(value) if isinstance(value, str) else value


def _unit(table: ExportTable, column: int) -> str:
    return table.units[column] if table.units else "count"


def sheet_names(tables: Sequence[ExportTable]) -> list[str]:
    """Sheet names allowed by spreadsheets (≤ 31 characters, none of []:*?/\\), unique, never a reserved one."""
    taken = {INFO_SHEET, DEFINITIONS_SHEET}
    names = []
    for table in tables:
        base = re.sub(r"[\[\]:*?/\\']", " ", table.title).strip()[:31] or "tableau"
        name, index = base, 2
        while name.lower() in taken:
            suffix = f" ({index})"
            name, index = base[: 31 - len(suffix)] + suffix, index + 1
        taken.add(name.lower())
        names.append(name)
    return names


# --- XLSX ------------------------------------------------------------------------------------------------------


def _xlsx(tables: Sequence[ExportTable], defs: list[Definition], meta: ExportMeta, generated: datetime) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    number_formats = {
        "count": book.add_format({"num_format": "#,##0"}),
        "rate": book.add_format({"num_format": "0.0%"}),
        "days": book.add_format({"num_format": "0.0"}),
        "text": None,
    }
    info = book.add_worksheet(INFO_SHEET)
    info.set_column(0, 0, 28)
    info.set_column(1, 1, 90, wrap)
    for r, (key, value) in enumerate(info_rows(meta, generated)):
        info.write_string(r, 0, safe_cell(key), bold)
        info.write_string(r, 1, safe_cell(value))
    for table, name in zip(tables, sheet_names(tables), strict=True):
        sheet = book.add_worksheet(name)
        sheet.write_string(0, 0, safe_cell(table.title), bold)
        sheet.write_string(1, 0, safe_cell(f"Période {period_text(meta)} · généré le {generated_text(generated)}"))
        sheet.set_column(0, 0, 36)
        sheet.set_column(1, max(1, len(table.headers) - 1), 18)
        for c, header in enumerate(table.headers):
            sheet.write_string(3, c, safe_cell(str(header)), bold)
        for r, row in enumerate(table.rows, start=4):
            for c, value in enumerate(row):
                written = cell_value(value)
                if written == "":
                    continue  # a value that does not exist: an empty cell
                if isinstance(written, str):
                    sheet.write_string(r, c, written)
                else:
                    sheet.write_number(r, c, written, number_formats[_unit(table, c)])
        sheet.freeze_panes(4, 1)
    definitions = book.add_worksheet(DEFINITIONS_SHEET)
    definitions.set_column(0, 0, 34)
    definitions.set_column(1, 1, 40, wrap)
    definitions.set_column(2, 2, 100, wrap)
    for c, header in enumerate(DEFINITION_HEADERS):
        definitions.write_string(0, c, header, bold)
    for r, definition in enumerate(defs, start=1):
        for c, text in enumerate((definition.id, definition.label, definition.definition)):
            definitions.write_string(r, c, safe_cell(text))
    book.close()
    return buffer.getvalue()


# --- ODS -------------------------------------------------------------------------------------------------------


def _percent_style(document: OpenDocumentSpreadsheet) -> Style:
    """The cell style that shows a fraction as « 45,2 % » (a percentage value needs a data style to read so)."""
    data_style = PercentageStyle(name="pourcentage")
    data_style.addElement(Number(decimalplaces="1", minintegerdigits="1"))
    data_style.addElement(NumberText(text="\u00a0%"))
    document.automaticstyles.addElement(data_style)
    cell_style = Style(name="cellule-pourcentage", family="table-cell", datastylename="pourcentage")
    document.automaticstyles.addElement(cell_style)
    return cell_style


def _ods_cell(value: Any, unit: str = "text", percent: Style | None = None) -> TableCell:
    written = cell_value(value)
    if isinstance(written, str):
        cell = TableCell(valuetype="string")
        text = written
    elif unit == "rate":
        cell = TableCell(valuetype="percentage", value=written, stylename=percent)
        text = f"{fr_number(written * 100, 1)} %"
    else:
        cell = TableCell(valuetype="float", value=written)
        text = fr_number(written)
    cell.addElement(P(text=text))
    return cell


def _ods_row(values: Sequence[Any], units: Sequence[str] | None = None, percent: Style | None = None) -> TableRow:
    row = TableRow()
    for index, value in enumerate(values):
        row.addElement(_ods_cell(value, units[index] if units else "text", percent))
    return row


def _ods(tables: Sequence[ExportTable], defs: list[Definition], meta: ExportMeta, generated: datetime) -> bytes:
    document = OpenDocumentSpreadsheet()
    percent = _percent_style(document)
    info = Table(name=INFO_SHEET)
    info.addElement(TableColumn(numbercolumnsrepeated=2))
    for key, value in info_rows(meta, generated):
        info.addElement(_ods_row([key, value]))
    document.spreadsheet.addElement(info)
    for table, name in zip(tables, sheet_names(tables), strict=True):
        sheet = Table(name=name)
        sheet.addElement(TableColumn(numbercolumnsrepeated=max(1, len(table.headers))))
        sheet.addElement(_ods_row([table.title]))
        sheet.addElement(_ods_row([f"Période {period_text(meta)} · généré le {generated_text(generated)}"]))
        sheet.addElement(TableRow())
        sheet.addElement(_ods_row([str(h) for h in table.headers]))
        units = [_unit(table, c) for c in range(len(table.headers))]
        for row in table.rows:
            sheet.addElement(_ods_row(row, units, percent))
        document.spreadsheet.addElement(sheet)
    definitions = Table(name=DEFINITIONS_SHEET)
    definitions.addElement(TableColumn(numbercolumnsrepeated=3))
    definitions.addElement(_ods_row(DEFINITION_HEADERS))
    for definition in defs:
        definitions.addElement(_ods_row([definition.id, definition.label, definition.definition]))
    document.spreadsheet.addElement(definitions)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- CSV -------------------------------------------------------------------------------------------------------


def _csv_number(value: Any) -> Any:
    """Decimal comma, as a French spreadsheet reads a ``;``-separated file."""
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    return value


def _csv_text(table: ExportTable | None, defs: list[Definition], meta: ExportMeta, generated: datetime) -> str:
    handle = io.StringIO()
    handle.write("\ufeff")
    writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
    if table is None:  # definitions.csv of a ZIP
        writer.writerow([safe_cell(h) for h in DEFINITION_HEADERS])
        for d in defs:
            writer.writerow([safe_cell(d.id), safe_cell(d.label), safe_cell(d.definition)])
        return handle.getvalue()
    writer.writerow([f"# {table.title}"])
    for key, value in info_rows(meta, generated)[1:]:
        writer.writerow([f"# {key} : {value}"])
    for d in defs:
        writer.writerow([f"# Définition {d.id} ({d.label}) : {d.definition}"])
    writer.writerow([safe_cell(str(h)) for h in table.headers])
    for row in table.rows:
        writer.writerow([_csv_number(cell_value(v)) for v in row])
    return handle.getvalue()


def _csv(table: ExportTable, defs: list[Definition], meta: ExportMeta, generated: datetime) -> bytes:
    return _csv_text(table, defs, meta, generated).encode()


def _csv_zip(tables: Sequence[ExportTable], defs: list[Definition], meta: ExportMeta, generated: datetime) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (table, name) in enumerate(zip(tables, sheet_names(tables), strict=True), start=1):
            archive.writestr(f"{index:02d} {name}.csv", _csv_text(table, defs, meta, generated).encode())
        archive.writestr("definitions.csv", _csv_text(None, defs, meta, generated).encode())
    return buffer.getvalue()
