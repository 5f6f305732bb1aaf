"""The dashboard's tables as XLSX (interim writer until ``evaluation.exports`` lands): a « indicateurs » sheet, a
« mensuel » sheet and a « définitions » sheet, with the period, the generation time and the filters; every cell
through ``core.exports.safe_row`` (formula neutralisation). Values are those of the published board (masked below
the coordinator: « s »)."""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.core.exports import safe_row
from citemploi.evaluation.outputs import export_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _header(board: Any) -> list[list[Any]]:
    return [
        [_("Période"), board.period.label()],
        [_("Période précédente"), board.previous.label()],
        [_("Quartier"), board.qpv or _("Tout le territoire")],
        [_("Ventilation"), board.by or _("aucune")],
        [_("Généré le"), timezone.localtime().strftime("%d/%m/%Y %H:%M")],
        [_("Secret statistique"), _("« s » : effectif de 1 à 5 personnes masqué") if board.masked else _("non masqué")],
        [],
    ]


def dashboard_workbook(board: Any, *, fmt: str = "xlsx") -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "indicateurs"
    for line in _header(board):
        sheet.append(safe_row(line))
    head = [_("Indicateur"), _("Identifiant"), _("Valeur"), _("Numérateur"), _("Dénominateur"), _("Période précédente")]
    head += [board.group_labels.get(k, k) for k in board.group_keys]
    sheet.append(safe_row(head))
    for row in board.rows:
        kind = row.indicator.kind
        masked = row.current.masked
        values = [
            str(row.indicator.label),
            row.indicator.id,
            export_cell(row.current, kind),
            "s"
            if masked and row.current.numerator is None
            else (row.current.numerator if row.current.numerator is not None else ""),
            "s"
            if masked and row.current.denominator is None and kind == "rate"
            else (row.current.denominator if row.current.denominator is not None else ""),
            export_cell(row.previous, kind),
        ]
        groups = dict(row.groups)
        values += [export_cell(groups.get(k), kind) for k in board.group_keys]
        sheet.append(safe_row(values))
    monthly = book.create_sheet("mensuel")
    monthly.append(safe_row([_("Indicateur")] + [f"{m.start:%m/%Y}" for m in board.months] + [_("Total")]))
    for indicator, values, total in board.series:
        monthly.append(
            safe_row(
                [str(indicator.label)] + ["s" if v is None else v for v in values] + ["s" if total is None else total]
            )
        )
    definitions = book.create_sheet("définitions")
    definitions.append(safe_row([_("Identifiant"), _("Indicateur"), _("Définition"), _("Unité"), _("Source")]))
    for row in board.rows:
        i = row.indicator
        definitions.append(safe_row([i.id, str(i.label), str(i.definition), str(i.unit), str(i.source)]))
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"indicateurs-{board.period.start:%Y%m%d}-{board.period.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
