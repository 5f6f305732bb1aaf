"""Evaluation pages: the dashboard of every role, the people behind a number (coordination), the per-QPV funnel
with its map, the export of the tables, the snapshot of a period. Thin: read the input, call a selector, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from citemploi.core import freshness
from citemploi.evaluation import outputs
from citemploi.evaluation.funnel import DELAYS, STEPS, funnel
from citemploi.evaluation.periods import period_from
from citemploi.evaluation.permissions import can_take_snapshot, needs_masking
from citemploi.evaluation.selectors import dashboard, dashboard_heading, people_for_figure, require_viewer
from citemploi.evaluation.snapshots import snapshot_take
from citemploi.www.evaluation import present
from citemploi.www.evaluation.forms import read_period, render_period_form
from citemploi.www.fragments import render_kept


@require_GET
@freshness.pinned()  # one data version for every figure of the page (GET: nothing written)
def dashboard_page(request: HttpRequest) -> HttpResponse:
    form, period, qpv, by = read_period(request.GET)
    heading = dashboard_heading(request.user, period, qpv=qpv)

    def figures() -> dict[str, Any]:
        return present.dashboard_figures(dashboard(request.user, period, qpv=qpv, by=by))

    context = {
        "period_form": render_period_form(form),
        "board": heading,
        "query": request.GET.urlencode(),
        "can_snapshot": can_take_snapshot(request.user),
        "figures": render_kept("evaluation/_dashboard_figures.html", key=(*heading.key, by), context=figures),
    }
    return render(request, "evaluation/dashboard.html", context)


@require_GET
@freshness.pinned()  # one data version for every figure of the page (GET: nothing written)
def dashboard_export(request: HttpRequest) -> HttpResponse:
    require_viewer(request.user)
    form, period, qpv, by = read_period(request.GET)
    board = dashboard(request.user, period, qpv=qpv, by=by)
    return outputs.dashboard_export(board, fmt=request.GET.get("format", "xlsx"))


@require_GET
def figure_people(request: HttpRequest) -> HttpResponse:
    form, period, qpv, by = read_period(request.GET)
    group = request.GET.get("group")
    indicator, people = people_for_figure(
        request.user, request.GET.get("indicator", ""), period, qpv=qpv, by=by, group=group
    )
    context = {"indicator": indicator, "people": people[:500], "count": people.count(), "period": period}
    return render(request, "evaluation/people.html", context)


@require_GET
@freshness.pinned()  # one data version for every figure of the page (GET: nothing written)
def funnel_page(request: HttpRequest) -> HttpResponse:
    require_viewer(request.user)
    form, period, qpv, _by = read_period(request.GET, with_breakdown=False)
    by = "structure" if request.GET.get("par") == "structure" else "qpv"
    try:
        step = min(max(int(request.GET.get("etape", "1")), 1), len(STEPS) - 1)
    except ValueError:
        step = 1
    result = funnel(period, by=by, masked=bool(needs_masking(request.user)))
    rates = result.rate_of(step) if by == "qpv" else {}
    masked_codes = {code for code, value in rates.items() if value is None and result.masked}

    def figures() -> dict[str, Any]:
        steps = [str(s.label) for s in STEPS]
        rows = present.funnel_rows(result)
        chart = outputs.funnel_chart(result.lines[-1], steps)
        return {"by": by, "steps": steps, "chart": chart, "rows": rows, "delay_labels": [d.label for d in DELAYS]}

    context = {
        "period_form": render_period_form(form),
        "funnel": result,
        "step": step,
        "step_label": f"{STEPS[step - 1].label} → {STEPS[step].label}",
        "step_choices": [(i, f"{STEPS[i - 1].label} → {STEPS[i].label}") for i in range(1, len(STEPS))],
        "map_data": outputs.qpv_map(rates, masked=masked_codes) if by == "qpv" else None,
        "figures": render_kept("evaluation/_funnel_figures.html", key=(period, by, result.masked), context=figures),
        "tile_url": settings.MAP_TILE_URL,
        "query": request.GET.urlencode(),
    }
    return render(request, "evaluation/funnel.html", context)


@require_POST
def snapshot_create(request: HttpRequest) -> HttpResponse:
    start, end = request.POST.get("start"), request.POST.get("end")
    period = period_from(start, end)
    snapshot_take(by=request.user, period=period, qpv=request.POST.get("qpv", ""))  # type: ignore[arg-type]
    messages.success(request, _("Instantané enregistré : les chiffres de cette période sont figés à aujourd'hui."))
    back = reverse("evaluation:dashboard")
    return redirect(f"{back}?kind=range&start={period.start:%Y-%m-%d}&end={period.end:%Y-%m-%d}")
