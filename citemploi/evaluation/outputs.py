"""The three calls every output below the coordinator goes through: masking (statistical secrecy, once), charts
and table exports. Each is one small function so that the pages, the API and the exports share it.

Masking rules (on top of ``core.secrecy``, DOMAIN.md §6):
- a count breakdown is a series whose groups add up to the total (a partition): it is masked as a 1-D table with
  its total (primary and secondary suppression); « public » groups overlap, so each is masked on its own;
- a rate masks its numerators and its denominators as two such series; the rate is hidden when either is;
- a median of 1 to N values is hidden with its number of values;
- the coordinator-only groups (RQTH) are removed.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from django.http import HttpResponse
from django.utils.translation import get_language

from citemploi.core import freshness, secrecy, secrecy_linked
from citemploi.core.formats import fr_number
from citemploi.evaluation.breakdowns import BREAKDOWNS
from citemploi.evaluation.registry import COUNT, MEDIAN, TOTAL, Cell, Result, rate

Series = tuple[list[int | None], int | None]


def _series(values: list[int | None], total: int | None, partition: bool) -> tuple[list[int | None], int | None]:
    if total is None:
        return values, None
    if partition and values:
        # The same total is published by every breakdown of the indicator: it is kept (``keep_total``).
        shown, shown_total = secrecy.mask_series([v or 0 for v in values], keep_total=True)
        return shown, shown_total
    return [secrecy.mask_count(v) for v in values], secrecy.mask_count(total)


def _rate_series(cells: list[Cell], total: Cell, partition: bool) -> tuple[Series, Series]:
    """A rate's numerators count people among its denominators, group by group: both series are masked jointly
    (``secrecy_linked.mask_nested``) so that « denominator − numerator » is never a small count given away."""
    nums, dens = [c.numerator for c in cells], [c.denominator for c in cells]
    if not partition or not cells or total.numerator is None or total.denominator is None:
        return _series(nums, total.numerator, partition), _series(dens, total.denominator, partition)
    den_values = [d or 0 for d in dens]
    num_values = [min(n or 0, d) for n, d in zip(nums, den_values, strict=True)]
    base, (sub,) = secrecy_linked.mask_nested(den_values, [num_values])
    return sub, base


def _masked_cells(result: Result) -> tuple[Cell, list[Cell]]:
    kind = result.indicator.kind
    cells = list(result.groups.values())
    breakdown = BREAKDOWNS.get(result.by or "")
    partition = breakdown is not None and breakdown.key is not None
    nums, num_total = _series([c.numerator for c in cells], result.total.numerator, partition)
    if kind in (COUNT, MEDIAN):
        out = []
        for cell, n in zip([*cells, result.total], [*nums, num_total], strict=True):
            hidden = n is None and cell.numerator is not None
            value = None if hidden else cell.value
            out.append(replace(cell, numerator=n, value=value, masked=hidden))
        return out[-1], out[:-1]
    (nums, num_total), (dens, den_total) = _rate_series(cells, result.total, partition)
    out = []
    for cell, n, d in zip([*cells, result.total], [*nums, num_total], [*dens, den_total], strict=True):
        hidden = n is None or d is None
        value = None if hidden else rate(n or 0, d or 0)
        out.append(replace(cell, numerator=n, denominator=d, value=value, masked=hidden))
    return out[-1], out[:-1]


def mask(result: Result) -> Result:
    """The result as a viewer below the coordinator may see it (secrecy applied once, here)."""
    groups = dict(result.groups)
    breakdown = BREAKDOWNS.get(result.by or "")
    if breakdown is not None:
        for name in breakdown.coordinator_only:
            groups.pop(name, None)
    result = replace(result, groups=groups)
    total, cells = _masked_cells(result)
    return replace(result, total=total, groups=dict(zip(groups, cells, strict=True)))


def mask_values(values: list[int]) -> tuple[list[int | None], int | None]:
    """A monthly series of counts with its total, as published below the coordinator."""
    return secrecy.mask_series(values)


def text(cell: Cell | None, kind: str) -> str:
    """How a figure reads in a page: « < 6 » when masked, « — » when it does not exist (rate over 0, median of
    nothing), « 71,9 % », « 12 j », « 1 234 »."""
    if cell is None:
        return "—"
    if cell.masked:
        return secrecy.display(None)
    if cell.value is None:
        return "—"
    if kind == COUNT:
        return fr_number(cell.value)
    if kind == MEDIAN:
        return f"{fr_number(cell.value)} j"
    return f"{fr_number(cell.value * 100, 1)} %"


def count_text(value: int | None) -> str:
    return secrecy.display(value)


def export_cell(cell: Cell | None, kind: str) -> str | int | float:
    """How a figure is written in an export: « s » when masked, the number otherwise (rates as fractions)."""
    if cell is None or cell.value is None and not cell.masked:
        return ""
    return secrecy.export_value(None if cell.masked else cell.value)


def dashboard_export(board: Any, *, fmt: str = "xlsx") -> HttpResponse:
    """The dashboard's tables as XLSX, ODS or CSV, masked as the page is (the board is already published)."""
    from citemploi.evaluation.export_tables import dashboard_file

    return dashboard_file(board, fmt=fmt)


def monthly_chart(board: Any) -> Any:
    """The monthly series of the dashboard as a chart (SVG, description and data table)."""
    from citemploi.evaluation.charts import line_chart

    months = [m.start for m in board.months]
    series = {str(i.label): list(values) for i, values, _ in board.series}
    return line_chart("Série mensuelle", months, series, unit="count")


def funnel_chart(line: Any, steps: list[str]) -> Any:
    """The territory's funnel as a chart."""
    from citemploi.evaluation.charts import funnel_chart as draw

    shown = [None if d.masked else d.value for d in line.delays]
    # the delay from the step before: contact (0), orientation (1), scheme entry (2); the others are not measured
    delays = [None, shown[0], None, shown[1], shown[2], None]
    return draw("Entonnoir du territoire", steps, list(line.steps), delays=delays[: len(steps)])


def qpv_map(values: dict[str, float | None], *, masked: set[str]) -> dict[str, Any]:
    """The choropleth of the QPV for one rate (GeoJSON with classes, colours and a legend), drawn once per figures
    and perimeters (core.freshness)."""
    from citemploi.evaluation.maps import choropleth

    key = ("qpv_map", get_language(), tuple(sorted(values.items())), tuple(sorted(masked)))
    return freshness.remember(key, partial(choropleth, values, masked=masked, unit="rate"))


__all__ = ["TOTAL", "count_text", "dashboard_export", "export_cell", "mask", "mask_values", "text"]
