"""The per-row report of an import (XLSX or CSV), every cell through ``core.exports`` (formula neutralisation)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from citemploi.core.exports import safe_row, stream_csv
from citemploi.intake.models import Import
from citemploi.intake.selectors import report_header, report_rows


def report_csv(user: Any, batch: Import) -> Iterator[str]:
    return stream_csv(report_header(batch), report_rows(user, batch))


def report_xlsx(user: Any, batch: Import) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "strings_to_formulas": False,
                                            "strings_to_numbers": False, "in_memory": True})  # fmt: skip
    sheet = workbook.add_worksheet("Rapport")
    sheet.write_row(0, 0, safe_row(report_header(batch)))
    for r, row in enumerate(report_rows(user, batch), start=1):
        sheet.write_row(r, 0, safe_row(row))
    workbook.close()
    return buffer.getvalue()
