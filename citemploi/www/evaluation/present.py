"""Turn a published dashboard into what the template prints (texts, links to the people behind a number)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from citemploi.evaluation.outputs import count_text, monthly_chart, text
from citemploi.evaluation.registry import Cell
from citemploi.evaluation.selectors import Dashboard


def _people_url(base: str, board: Dashboard, indicator_id: str, group: str | None = None) -> str:
    params = {
        "indicator": indicator_id,
        "kind": "range",
        "start": f"{board.period.start:%Y-%m-%d}",
        "end": f"{board.period.end:%Y-%m-%d}",
        "qpv": board.qpv,
    }
    if group is not None and board.by:
        params.update(by=board.by, group=group)
    return f"{base}?{urlencode(params)}"


def dashboard_figures(board: Dashboard) -> dict[str, Any]:
    """The context of the figures of the dashboard (plain data: www.fragments renders it once per content)."""
    return {
        "lines": lines(board),
        "has_own": board.has_own,
        "by": board.by or "",
        "group_keys": board.group_keys,
        "group_labels": board.group_labels,
        "months": [f"{month.start:%m/%Y}" for month in board.months],
        "series": [
            (str(indicator.label), [count_text(v) for v in values], count_text(total))
            for indicator, values, total in board.series
        ],
        "chart": monthly_chart(board),
    }


def lines(board: Dashboard) -> list[dict[str, Any]]:
    base = reverse("evaluation:people")
    out = []
    for row in board.rows:
        i = row.indicator
        drill = board.drill_down and i.person is not None
        groups = dict(row.groups)
        out.append(
            {
                "id": i.id,
                "label": i.label,
                "definition": i.definition,
                "source": i.source,
                "section": i.section,
                "contract": i.contract,
                "value": text(row.current, i.kind),
                "previous": text(row.previous, i.kind),
                "own": text(row.own, i.kind) if board.has_own and i.person is not None else "",
                "provisional": row.current.provisional,
                "revised": text_of_revision(row.revised.was, i.kind) if row.revised else "",
                "url": _people_url(base, board, i.id) if drill and not row.current.masked else "",
                "detail": _detail(row.current, i.kind),
                "groups": [
                    {
                        "key": k,
                        "value": text(groups.get(k), i.kind),
                        "url": _people_url(base, board, i.id, k) if drill and k in groups else "",
                    }
                    for k in board.group_keys
                ],
            }
        )
    return out


def _detail(cell: Any, kind: str) -> str:
    if kind != "rate" or cell.masked or cell.denominator is None:
        return ""
    return f"{cell.numerator} / {cell.denominator}"


def text_of_revision(was: dict[str, Any], kind: str) -> str:
    return text(Cell(was.get("numerator"), was.get("denominator"), was.get("value")), kind)


def funnel_rows(result: Any) -> list[dict[str, Any]]:
    """Each line of the funnel: (count, conversion from the previous step) per step, and the delays."""
    rows = []
    for line in result.lines:
        conversions = [None, *line.conversions]
        cells = [
            (count_text(n), text(Cell(None, None, c), "rate") if c is not None and i else "")
            for i, (n, c) in enumerate(zip(line.steps, conversions, strict=True))
        ]
        delays = [text(d, "median") for d in line.delays]
        rows.append({"label": line.label, "cells": cells, "delays": delays, "is_total": line.is_total})
    return rows
