"""Per-QPV (and per-relais) funnel (issue 13 §3): of the people spotted in P, how many were contacted, got a
referent, were oriented, entered a droit commun scheme, left with a dynamic exit — with the conversion from each
step to the next and the median delays between steps.

Each step counts the people of the cohort (spotted in P) who reached it, whenever (« later events count »); a step
does not require the previous one (a person may find a job without an orientation), so a conversion rate is
step ÷ previous step as published counts. The steps and delays are indicators of the registry's engine (not in the
registry: they are the funnel's), grouped by the QPV at entry or the referent's structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from citemploi.core import freshness, secrecy, secrecy_linked
from citemploi.evaluation.breakdowns import BREAKDOWNS
from citemploi.evaluation.indicators.people import spotted_in
from citemploi.evaluation.periods import Period
from citemploi.evaluation.registry import COUNT, MEDIAN, TOTAL, Cell, Indicator, Result, Scope, compute, rate
from citemploi.evaluation.sql import days_between
from citemploi.territory.selectors import qpv_labels

BY = ("qpv", "structure")


def _annotations() -> dict[str, Any]:
    """The date each step was reached: the person's stored milestones (``citemploi.pathways.milestones``)."""
    return {
        "has_referent": ExpressionWrapper(Q(first_referent_at__isnull=False), output_field=BooleanField()),
        "oriented_on": F("first_oriented_on"),
        "scheme_on": F("first_scheme_on"),
        "dynamic_on": F("first_dynamic_exit_on"),
    }


def cohort(period: Period, *only: str) -> QuerySet[Any]:
    """The people spotted in P, with the date each step was reached (None when not reached); ``only`` keeps the
    annotations a query needs."""
    notes = {k: v for k, v in _annotations().items() if not only or k in only}
    rows: QuerySet[Any] = spotted_in(period).annotate(**notes)
    return rows


def _step(id: str, label: Any, **condition: Any) -> Indicator:
    step = Indicator(id, label, label, COUNT, _("personnes"), "funnel", rows=lambda p: cohort(p).filter(**condition))
    _CONDITIONS[id] = Q(**condition)
    return step


_CONDITIONS: dict[str, Q] = {}


STEPS = (
    _step("spotted", _("Repérées")),
    _step("contacted", _("Contactées"), qpv_entry_on__isnull=False),
    _step("referent", _("Avec un référent"), has_referent=True),
    _step("oriented", _("Orientées"), oriented_on__isnull=False),
    _step("droit_commun", _("Entrées dans un dispositif"), scheme_on__isnull=False),
    _step("dynamic_exit", _("Sorties dynamiques"), dynamic_on__isnull=False),
)


def _delay(id: str, label: Any, later: str, earlier: str) -> Indicator:
    return Indicator(
        id, label, label, MEDIAN, _("jours"), "funnel",
        rows=lambda p: cohort(p, later, earlier).filter(**{f"{later}__isnull": False, f"{earlier}__isnull": False}),
        value=lambda p: days_between(F(later), F(earlier)),
    )  # fmt: skip


DELAYS = (
    _delay("days_to_contact", _("Repérage → contact"), "qpv_entry_on", "spotted"),
    _delay("days_to_orientation", _("Contact → orientation"), "oriented_on", "qpv_entry_on"),
    _delay("days_to_scheme", _("Orientation → entrée en dispositif"), "scheme_on", "oriented_on"),
    _delay("days_to_exit", _("Contact → sortie dynamique"), "dynamic_on", "qpv_entry_on"),
)


@dataclass
class Line:
    key: str
    label: str
    steps: list[int | None]
    conversions: list[float | None]
    delays: list[Cell]
    is_total: bool = False


@dataclass
class Funnel:
    period: Period
    by: str
    masked: bool
    lines: list[Line] = field(default_factory=list)

    def rate_of(self, step: int) -> dict[str, float | None]:
        """The conversion into step ``step`` per group key (for the map)."""
        return {line.key: line.conversions[step - 1] for line in self.lines if not line.is_total}


def _conversions(steps: list[int | None]) -> list[float | None]:
    out: list[float | None] = []
    for before, after in zip(steps, steps[1:], strict=False):
        out.append(None if before is None or after is None else rate(after, before))
    return out


def _masked_columns(columns: list[list[int]], totals: list[int]) -> tuple[list[list[int | None]], list[int | None]]:
    """Every step counts people among those spotted, in the same groups: the steps are masked jointly with the
    « spotted » column (``secrecy_linked.mask_nested``), so that no count — nor « spotted − contacted » in a
    group — is recomputed by differencing one step and another."""
    (spotted, spotted_total), steps = secrecy_linked.mask_nested(columns[0], columns[1:])
    return [spotted, *(values for values, _ in steps)], [spotted_total, *(total for _, total in steps)]


@freshness.pinned()
def funnel(period: Period, *, by: str = "qpv", masked: bool = False, scope: Scope | None = None) -> Funnel:
    """The funnel of every QPV of the territory (or every structure with people) and the territory's, masked when
    asked (kept until the data changes, masking included — secondary suppression is the costly part)."""
    scope = scope or Scope()
    return scope.kept(("funnel_lines", get_language(), period, by, masked), partial(_build, period, by, masked, scope))


def _build(period: Period, by: str, masked: bool, scope: Scope) -> Funnel:
    step_results = _step_counts(period, scope, by)
    delay_results = [compute(delay, period, scope=scope, by=by) for delay in DELAYS]
    if by == "qpv":
        names = qpv_labels()
        keys = sorted(names) + sorted({k for r in step_results for k in r.groups} - set(names))
    else:
        keys = sorted({k for r in step_results for k in r.groups})
        names = {k: k for k in keys}
    raw = [[int(r.groups[k].value or 0) if k in r.groups else 0 for k in keys] for r in step_results]
    totals = [int(r.total.value or 0) for r in step_results]
    columns: list[list[int | None]] = [list(c) for c in raw]
    shown_totals: list[int | None] = list(totals)
    if masked:
        columns, shown_totals = _masked_columns(raw, totals)
    result = Funnel(period, by, masked)
    for i, key in enumerate(keys):
        steps = [column[i] for column in columns]
        delays = [_delay_cell(r.groups.get(key), masked) for r in delay_results]
        result.lines.append(Line(key, names.get(key) or _other(key), steps, _conversions(steps), delays))
    delays = [_delay_cell(r.total, masked) for r in delay_results]
    result.lines.append(Line(TOTAL, str(_("Territoire")), shown_totals, _conversions(shown_totals), delays, True))
    return result


def _step_counts(period: Period, scope: Scope, by: str) -> list[Result]:
    """Every step in one grouped query (and one for the territory): conditional counts over the cohort (computed
    once until the data changes: core.freshness)."""
    total, grouped = scope.kept(("funnel", period, by), partial(_count_steps, period, scope, by))
    results = []
    for step in STEPS:
        groups = {"" if g["k"] is None else str(g["k"]): Cell(g[step.id], None, g[step.id]) for g in grouped}
        results.append(Result(step, period, Cell(total[step.id], None, total[step.id]), by, groups))
    return results


def _count_steps(period: Period, scope: Scope, by: str) -> tuple[dict[str, int], list[dict[str, Any]]]:
    rows = cohort(period).filter(scope.condition(""))
    counts = {step.id: Count("pk", filter=_CONDITIONS[step.id]) for step in STEPS}
    key = BREAKDOWNS[by].key
    assert key is not None
    return rows.aggregate(**counts), list(rows.annotate(k=key("")).values("k").annotate(**counts).order_by())


def _delay_cell(cell: Cell | None, masked: bool) -> Cell:
    if cell is None:
        return Cell(0, None, None)
    if masked and cell.numerator is not None and secrecy.is_small(cell.numerator):
        return Cell(None, None, None, masked=True)
    return cell


def _other(key: str) -> str:
    from citemploi.pathways.choices import QPVStatus

    labels = {s.value: str(s.label) for s in QPVStatus}
    return labels.get(key) or str(_("Non renseigné"))
