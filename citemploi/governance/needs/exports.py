"""The register as a file (``citemploi needs export``): one row per need — thématique, public, QPV, state,
coverage, signal counts by source, proposals — masked for ``steering`` (core.secrecy: « s »), never a name (the
register holds none), every cell through ``core.exports`` (formula injection neutralised)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from citemploi.core import secrecy
from citemploi.core.exports import SafeCsvWriter, safe_row
from citemploi.governance.needs.selectors import COVERAGE_LABELS, SOURCES, register_rows
from citemploi.governance.needs.states import SignalSource

COORDINATOR, STEERING = "coordinator", "steering"
AUDIENCES = (COORDINATOR, STEERING)
FORMATS = ("csv", "xlsx")


def header() -> list[str]:
    sources = [str(SignalSource(s).label) for s in SOURCES]
    return [
        _("Thématique"),
        _("Code thématique"),
        _("Public"),
        _("QPV"),
        _("Code QPV"),
        _("État"),
        _("Couverture par le recensement"),
        *sources,
        _("Signaux (total)"),
        _("Volume estimé"),
        _("Propositions"),
    ]


def rows(*, audience: str) -> Iterator[list[Any]]:
    """The register's rows as the audience may read them (eight queries)."""
    masked = audience != COORDINATOR
    for row in register_rows(masked=masked):
        need = row.need
        volume = need.estimated_volume
        yield [
            row.thematique_label,
            need.thematique,
            row.public_label,
            row.qpv_label,
            need.qpv_code,
            need.get_state_display(),
            str(COVERAGE_LABELS[row.coverage]),
            *(secrecy.export_value(n) for n in row.counts),
            secrecy.export_value(row.total),
            secrecy.export_value(secrecy.mask_count(volume) if masked else volume) if volume is not None else "",
            row.proposals,
        ]


def write(path: Path, *, audience: str, fmt: str) -> int:
    """Write the register to ``path``; the number of needs written."""
    if audience not in AUDIENCES or fmt not in FORMATS:
        raise ValueError(f"{audience} / {fmt}")
    data = list(rows(audience=audience))
    if fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = SafeCsvWriter(handle, delimiter=";")
            writer.writerow(header())
            for row in data:
                writer.writerow(row)
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = _("Besoins non couverts")[:31]
        sheet.append(safe_row(header()))
        for row in data:
            sheet.append(safe_row(row))
        book.save(path)
    return len(data)
