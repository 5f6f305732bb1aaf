"""The indicator registry (issue 13 §1): each indicator is declared once — id, French label, written definition,
unit, kind, breakdowns — and computed here with SQL aggregates grouped by the breakdown (no loop over people).

An indicator is a population of rows (people, hand-offs, exits, freins, actions…) for the period, and:
- a **count**: the number of rows;
- a **rate**: the rows are the denominator; ``numerator`` is a condition on them; value = n ÷ d to 4 decimals,
  ``None`` when d = 0;
- a **median**: ``value`` is a duration per row (in days); the median (as ``statistics.median``: the middle value,
  or the mean of the two middle ones) is found in SQL with window functions, ``None`` on an empty set.

A rate whose window reaches past today (``window_end(P) ≥ today``) is « provisoire ».
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from functools import partial
from typing import Any, TypeVar

from django.db.models import Count, DateField, F, Q, QuerySet, Value, Window
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone
from django.utils.functional import Promise

from citemploi.core import freshness
from citemploi.evaluation.breakdowns import BREAKDOWNS, Breakdown
from citemploi.evaluation.periods import Period

T = TypeVar("T")

COUNT, RATE, MEDIAN = "count", "rate", "median"
TOTAL = "total"

Notes = dict[str, Any]
Condition = Callable[[Period], tuple[Notes, Q]]


@dataclass(frozen=True)
class Scope:
    """Which people the figures are about: a QPV at entry, and/or a caseload (a relais or partner's own)."""

    qpv: str | None = None
    people: QuerySet[Any] | None = None  # a queryset of Person pks
    #: what ``people`` is, for the figures cache (a scope of people without a name is computed every time)
    name: str = ""

    @classmethod
    def caseload(cls, structure_ids: Iterable[int], qpv: str | None = None) -> Scope:
        """The people these structures are referent for or have taken over."""
        from citemploi.pathways.models import Person

        ids = sorted(structure_ids)
        return cls(qpv=qpv, people=Person.objects.caseload_of(ids).values("pk"), name=f"caseload:{ids}")

    @property
    def key(self) -> tuple[str | None, str] | None:
        """What the figures of this scope depend on besides the data, or None when it cannot be said."""
        return None if self.people is not None and not self.name else (self.qpv, self.name)

    def kept(self, parts: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()`` for this scope, kept until the data changes (core.freshness) when the scope can be named;
        ``parts`` say what else the value depends on."""
        key = self.key
        return compute() if key is None else freshness.remember((*parts, key), compute)

    def condition(self, p: str) -> Q:
        q = Q()
        if self.qpv:
            q &= Q(**{f"{p}qpv_entry__code": self.qpv})
        if self.people is not None:
            q &= Q(**{f"{p}pk__in" if p else "pk__in": self.people})
        return q


@dataclass(frozen=True)
class Cell:
    numerator: int | None
    denominator: int | None
    value: float | int | None
    provisional: bool = False
    #: statistical secrecy hid this figure (``value`` and the masked counts are then None)
    masked: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"numerator": self.numerator, "denominator": self.denominator, "value": self.value}


@dataclass(frozen=True)
class Indicator:
    id: str
    label: Promise
    definition: Promise
    kind: str
    unit: Promise
    section: str
    #: the rows counted (the denominator of a rate), with any annotation they need, for the period
    rows: Callable[[Period], QuerySet[Any]]
    #: the path from a row to its person ("" when the row is the person, None when rows are not about people)
    person: str | None = ""
    numerator: Condition | None = None
    value: Callable[[Period], Any] | None = None
    window_end: Callable[[Period], date] | None = None
    breakdowns: tuple[str, ...] = tuple(BREAKDOWNS)
    source: Promise | str = ""
    #: the indicators of the contract table (CLI and API)
    contract: bool = True
    #: for a count: the date (field or annotation of ``rows``) that places a row in a month (monthly series)
    month_field: str = ""

    def provisional(self, period: Period, today: date | None = None) -> bool:
        return self.window_end is not None and self.window_end(period) >= (today or timezone.localdate())


REGISTRY: dict[str, Indicator] = {}

#: The ids of the contract table (issue 13 §2), in its order: the CLI and the API print them in this order.
CONTRACT_IDS = (
    "spotted",
    "entered",
    "active_at_end",
    "contacted_within_30_days",
    "median_days_to_first_contact",
    "handoffs_sent",
    "handoffs_acknowledged_in_time",
    "median_days_handoff_to_first_meeting",
    "handoffs_lost",
    "droit_commun_6_months",
    "droit_commun_12_months",
    "employment_access_6_months",
    "exits",
    "durable_exit_rate",
    "dynamic_exit_rate",
    "freins_lifted_rate",
)


def register(*indicators: Indicator) -> None:
    for indicator in indicators:
        assert indicator.id not in REGISTRY, indicator.id
        REGISTRY[indicator.id] = indicator


def contract_ids() -> list[str]:
    _load()
    return [i.id for i in indicators() if i.contract]


def indicators() -> list[Indicator]:
    """Every indicator: the contract table in its order, then the others in declaration order."""
    _load()
    rank = {id: n for n, id in enumerate(CONTRACT_IDS)}
    return sorted(REGISTRY.values(), key=lambda i: rank.get(i.id, len(rank)))


def get(id: str) -> Indicator:
    _load()
    return REGISTRY[id]


def _load() -> None:
    from citemploi.evaluation import indicators as _  # noqa: F401 — registers the indicators


def rate(numerator: int, denominator: int) -> float | None:
    if not denominator:
        return None
    return float((Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN))


def _days(value: Any) -> float:
    return value.total_seconds() / 86400 if isinstance(value, timedelta) else float(value)


def _median(values: list[float]) -> float | int:
    mid = sum(values) / len(values)
    return int(mid) if mid == int(mid) else mid


# --- the engine ------------------------------------------------------------------------------------------------


@dataclass
class Result:
    """One indicator for one period: the total, and the groups of the breakdown asked for (if any)."""

    indicator: Indicator
    period: Period
    total: Cell
    by: str | None = None
    groups: dict[str, Cell] = field(default_factory=dict)


def _base(indicator: Indicator, period: Period, scope: Scope) -> QuerySet[Any]:
    rows = indicator.rows(period)
    if indicator.person is not None:
        rows = rows.filter(scope.condition(indicator.person))
    return rows


def _grouped(
    indicator: Indicator, period: Period, rows: QuerySet[Any], key: Any, extra: Q | None = None
) -> dict[str, Cell]:
    provisional = indicator.provisional(period)
    if extra is not None:
        rows = rows.filter(extra)
    if indicator.kind == MEDIAN:
        return _medians(indicator, period, rows, key, provisional)
    aggregates: dict[str, Any] = {"d": Count("pk")}
    if indicator.kind == RATE:
        assert indicator.numerator is not None
        notes, cond = indicator.numerator(period)
        rows = rows.annotate(**notes)
        aggregates["n"] = Count("pk", filter=cond)
    out: dict[str, Cell] = {}
    for row in rows.annotate(k=key).values("k").annotate(**aggregates).order_by():
        k = "" if row["k"] is None else str(row["k"])
        if indicator.kind == COUNT:
            out[k] = Cell(row["d"], None, row["d"], provisional)
        else:
            out[k] = Cell(row["n"], row["d"], rate(row["n"], row["d"]), provisional)
    return out


def _medians(indicator: Indicator, period: Period, rows: QuerySet[Any], key: Any, provisional: bool) -> dict[str, Cell]:
    assert indicator.value is not None
    ranked = (
        rows.order_by()
        .annotate(k=key, v=indicator.value(period))
        .annotate(
            rn=Window(RowNumber(), partition_by=[F("k")], order_by=[F("v").asc(), F("pk").asc()]),
            cnt=Window(Count("pk"), partition_by=[F("k")]),
        )
    )
    middle = ranked.filter(rn__gte=(F("cnt") + 1) / 2, rn__lte=F("cnt") / 2 + 1).values_list("k", "v", "cnt")
    found: dict[str, list[float]] = defaultdict(list)
    sizes: dict[str, int] = {}
    for k, v, cnt in middle:
        name = "" if k is None else str(k)
        found[name].append(_days(v))
        sizes[name] = cnt
    return {k: Cell(sizes[k], None, _median(vs), provisional) for k, vs in found.items()}


def _empty(indicator: Indicator, period: Period) -> Cell:
    provisional = indicator.provisional(period)
    if indicator.kind == RATE:
        return Cell(0, 0, None, provisional)
    if indicator.kind == MEDIAN:
        return Cell(0, None, None, provisional)
    return Cell(0, None, 0, provisional)


def compute(indicator: Indicator, period: Period, *, scope: Scope | None = None, by: str | None = None) -> Result:
    """The indicator on the period, for the scope, with the groups of breakdown ``by`` when asked (computed once
    until the data changes: core.freshness)."""
    scope = scope or Scope()
    grouped = by if by in indicator.breakdowns and indicator.person is not None else None
    work = partial(_cells, indicator, period, scope, grouped)
    total, groups = scope.kept(("compute", indicator.section, indicator.id, period, grouped), work)
    return Result(indicator, period, total, by, groups)


def _cells(indicator: Indicator, period: Period, scope: Scope, by: str | None) -> tuple[Cell, dict[str, Cell]]:
    rows = _base(indicator, period, scope)
    total = _grouped(indicator, period, rows, Value(TOTAL)).get(TOTAL) or _empty(indicator, period)
    if by is None:
        return total, {}
    breakdown: Breakdown = BREAKDOWNS[by]
    p = indicator.person
    assert p is not None
    if breakdown.key is not None:
        return total, _grouped(indicator, period, rows, breakdown.key(p))
    assert breakdown.groups is not None
    groups = {}
    for name, (notes, cond) in breakdown.groups(p).items():
        cells = _grouped(indicator, period, rows.annotate(**notes), Value(TOTAL), cond)
        groups[name] = cells.get(TOTAL) or _empty(indicator, period)
    return total, groups


def people_behind(
    indicator: Indicator,
    period: Period,
    *,
    scope: Scope | None = None,
    by: str | None = None,
    group: str | None = None,
    numerator: bool = True,
) -> QuerySet[Any]:
    """The pks of the people behind a figure (the numerator of a rate, or every row of a count or a median), in
    the group ``group`` of breakdown ``by`` when given: for the coordinator's drill-down, filtered by the caller
    with ``visible_to``."""
    assert indicator.person is not None
    rows = _base(indicator, period, scope or Scope())
    p = indicator.person
    if by and group is not None and by in BREAKDOWNS:
        breakdown = BREAKDOWNS[by]
        if breakdown.key is not None:
            rows = rows.annotate(k=breakdown.key(p))
            rows = rows.filter(Q(k=group) | Q(k__isnull=True)) if group == "" else rows.filter(k=group)
        else:
            assert breakdown.groups is not None
            notes, cond = breakdown.groups(p).get(group, ({}, Q(pk__in=[])))
            rows = rows.annotate(**notes).filter(cond)
    if numerator and indicator.kind == RATE:
        assert indicator.numerator is not None
        notes, cond = indicator.numerator(period)
        rows = rows.annotate(**notes).filter(cond)
    return rows.values(f"{p}id" if p else "pk")


def series(indicator: Indicator, period: Period, *, scope: Scope | None = None) -> list[tuple[Period, int]]:
    """The monthly series of a count: one grouped query (rows of the whole period by calendar month)."""
    assert indicator.kind == COUNT and indicator.month_field
    scope = scope or Scope()

    def work() -> dict[tuple[int, int], int]:
        rows = _base(indicator, period, scope)
        months = rows.annotate(m=TruncMonth(indicator.month_field, output_field=DateField())).values("m")
        return {(row["m"].year, row["m"].month): row["n"] for row in months.annotate(n=Count("pk")).order_by()}

    counts = scope.kept(("series", indicator.section, indicator.id, period), work)
    return [(month, counts.get((month.start.year, month.start.month), 0)) for month in period.months()]


@freshness.pinned()
def compute_all(
    period: Period, *, scope: Scope | None = None, by: str | None = None, ids: Iterable[str] | None = None
) -> dict[str, Result]:
    """Every indicator of the registry (or those of ``ids``) on the period."""
    chosen = [i for i in indicators() if ids is None or i.id in set(ids)]
    return {i.id: compute(i, period, scope=scope, by=by) for i in chosen}
