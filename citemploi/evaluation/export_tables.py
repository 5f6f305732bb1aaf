"""The dashboard's tables as a file (XLSX, ODS or CSV) through ``evaluation.exports``: the indicators (value,
numerator, denominator, previous period), the breakdown asked for, the monthly series, with the « définitions »
sheet, the period, the generation time and the filters. The board is already published for its reader (masked
below the coordinator), so the export writes what the page shows: « s » for a masked figure."""

from __future__ import annotations

import math
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from citemploi.evaluation.exports import FORMATS, Definition, ExportMeta, ExportTable, export_tables
from citemploi.evaluation.registry import COUNT, MEDIAN, Cell

UNIT_OF = {COUNT: "count", "rate": "rate", MEDIAN: "days"}


def figure(cell: Cell | None) -> Any:
    """None (masked: « s »), NaN (does not exist: empty cell) or the number."""
    if cell is None:
        return math.nan
    if cell.masked:
        return None
    return math.nan if cell.value is None else cell.value


def _count(value: int | None, cell: Cell) -> Any:
    if value is None:
        return None if cell.masked else math.nan
    return value


def _tables(board: Any) -> list[ExportTable]:
    head = [_("Indicateur"), _("Identifiant"), _("Valeur"), _("Numérateur"), _("Dénominateur")]
    head += [_("Période précédente")] + ([_("Votre file active")] if board.has_own else [])
    rows = []
    for row in board.rows:
        c = row.current
        line = [str(row.indicator.label), row.indicator.id, figure(c), _count(c.numerator, c)]
        line += [_count(c.denominator, c), figure(row.previous)] + ([figure(row.own)] if board.has_own else [])
        rows.append(line)
    tables = [ExportTable(_("Indicateurs"), head, rows)]
    if board.by:
        labels = [board.group_labels.get(k, k) for k in board.group_keys]
        grouped = [
            [str(r.indicator.label)] + [figure(dict(r.groups).get(k)) for k in board.group_keys] for r in board.rows
        ]
        tables.append(ExportTable(_("Ventilation"), [_("Indicateur"), *labels], grouped))
    months = [f"{m.start:%m/%Y}" for m in board.months]
    series = [[str(i.label), *values, total] for i, values, total in board.series]
    tables.append(ExportTable(_("Série mensuelle"), [_("Indicateur"), *months, _("Total")], series))
    return tables


def dashboard_file(board: Any, *, fmt: str = "xlsx") -> HttpResponse:
    fmt = fmt if fmt in FORMATS else "xlsx"
    filters = {_("Quartier"): board.qpv or _("Tout le territoire"), _("Ventilation"): board.by or _("aucune")}
    meta = ExportMeta(
        title=_("Indicateurs de la Cité de l'emploi"),
        period_from=board.period.start,
        period_to=board.period.end,
        filters=filters,
        masked=board.masked,
    )
    definitions = [Definition(r.indicator.id, str(r.indicator.label), str(r.indicator.definition)) for r in board.rows]
    content, content_type, extension = export_tables(fmt, _tables(board), definitions=definitions, meta=meta)
    response = HttpResponse(content, content_type=content_type)
    name = f"indicateurs-{board.period.start:%Y%m%d}-{board.period.end:%Y%m%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
