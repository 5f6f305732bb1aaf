"""What each role reads (issue 13 §4): the dashboard of a period for a viewer — masked once below the
coordinator —, the previous period, the monthly series, a breakdown, and the people behind a number."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from citemploi.accounts.permissions import is_caseworker
from citemploi.core import freshness
from citemploi.core.errors import NotFound, PermissionDenied
from citemploi.evaluation import outputs
from citemploi.evaluation.breakdowns import BREAKDOWNS
from citemploi.evaluation.models import Snapshot
from citemploi.evaluation.periods import Period
from citemploi.evaluation.permissions import can_drill_down, can_view_indicators, needs_masking
from citemploi.evaluation.registry import (
    COUNT,
    Cell,
    Indicator,
    Result,
    Scope,
    compute,
    get,
    indicators,
    people_behind,
    series,
)
from citemploi.evaluation.snapshots import Revision, latest_snapshot, revisions
from citemploi.pathways.models import Person
from citemploi.territory.selectors import qpv_labels

#: The counts shown month by month on the dashboard.
SERIES_IDS = ("spotted", "entered", "handoffs_sent", "exits")

_DENIED = "Votre rôle ne donne pas accès aux indicateurs."


@dataclass
class Row:
    indicator: Indicator
    current: Cell
    previous: Cell
    own: Cell | None = None
    revised: Revision | None = None
    groups: list[tuple[str, Cell]] = field(default_factory=list)


@dataclass
class Dashboard:
    period: Period
    previous: Period
    qpv: str
    by: str | None
    masked: bool
    drill_down: bool
    has_own: bool
    rows: list[Row]
    group_keys: list[str]
    group_labels: dict[str, str]
    months: list[Period]
    series: list[tuple[Indicator, list[int | None], int | None]]
    snapshot: Snapshot | None


@dataclass(frozen=True)
class Heading:
    """What sets a viewer's dashboard apart, read before any figure: the page's heading, and ``key``, what the
    figures depend on besides the data and the breakdown (core.freshness)."""

    period: Period
    qpv: str
    masked: bool
    drill_down: bool
    own: Scope | None
    snapshot: Snapshot | None

    @property
    def previous(self) -> Period:
        return self.period.previous()

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.period, self.qpv, self.masked, self.drill_down, self.own.key if self.own is not None else None)


def dashboard_heading(user: Any, period: Period, *, qpv: str = "") -> Heading:
    require_viewer(user)
    return Heading(
        period=period,
        qpv=qpv,
        masked=bool(needs_masking(user)),
        drill_down=bool(can_drill_down(user)),
        own=own_scope(user, qpv or None),
        snapshot=latest_snapshot(period, qpv),
    )


def require_viewer(user: Any) -> None:
    if not can_view_indicators(user):
        raise PermissionDenied(_DENIED)


def own_scope(user: Any, qpv: str | None) -> Scope | None:
    """A caseworker's own caseload (people their structure is referent for or has taken over)."""
    if not is_caseworker(user):
        return None
    return Scope.caseload(user.structure_ids, qpv)


def _publish(result: Result, masked: bool) -> Result:
    return outputs.mask(result) if masked else result


def group_labels(by: str | None, keys: list[str]) -> dict[str, str]:
    if not by:
        return {}
    breakdown = BREAKDOWNS[by]
    labels = {k: str(v) for k, v in breakdown.labels.items()}
    if by == "qpv":
        labels.update(qpv_labels(codes=keys, territory_only=False))
        labels.setdefault("", str(breakdown.labels.get("unknown", "")) or "—")
    return {k: labels.get(k) or k or "—" for k in keys}


@freshness.pinned()
def dashboard(user: Any, period: Period, *, qpv: str = "", by: str | None = None) -> Dashboard:
    """Every indicator of the registry on ``period`` (and the previous period), for ``user``."""
    head = dashboard_heading(user, period, qpv=qpv)
    masked, own, previous, snapshot = head.masked, head.own, head.previous, head.snapshot
    scope = Scope(qpv=qpv or None)
    rows: list[Row] = []
    keys: list[str] = []
    current_results: dict[str, Result] = {}
    for indicator in indicators():
        current = compute(indicator, period, scope=scope, by=by)
        current_results[indicator.id] = current
        shown = _publish(current, masked)
        row = Row(indicator, shown.total, _publish(compute(indicator, previous, scope=scope), masked).total)
        if own is not None and indicator.person is not None:
            row.own = _publish(compute(indicator, period, scope=own), masked).total
        row.groups = list(shown.groups.items())
        keys += [k for k, _ in row.groups if k not in keys]
        rows.append(row)
    revised = revisions(snapshot, current_results)
    for row in rows:
        row.revised = revised.get(row.indicator.id)
    lines = []
    for id in SERIES_IDS:
        values = [n for _, n in series(get(id), period, scope=scope)]
        shown_values: list[int | None] = list(values)
        total: int | None = sum(values)
        if masked:
            shown_values, total = outputs.mask_values(values)
        lines.append((get(id), shown_values, total))
    return Dashboard(
        period=period,
        previous=previous,
        qpv=qpv,
        by=by,
        masked=masked,
        drill_down=head.drill_down,
        has_own=own is not None,
        rows=rows,
        group_keys=sorted(keys),
        group_labels=group_labels(by, keys),
        months=period.months(),
        series=lines,
        snapshot=snapshot,
    )


def people_for_figure(
    user: Any, indicator_id: str, period: Period, *, qpv: str = "", by: str | None = None, group: str | None = None
) -> tuple[Indicator, QuerySet[Person]]:
    """The people behind a number, for the coordinator only, within what they may see (``visible_to``)."""
    if not can_drill_down(user):
        raise PermissionDenied("Seule la coordination voit les personnes derrière un chiffre.")
    try:
        indicator = get(indicator_id)
    except KeyError:
        raise NotFound("Indicateur inconnu.") from None
    if indicator.person is None:
        raise NotFound("Cet indicateur ne porte pas sur des personnes.")
    pks = people_behind(indicator, period, scope=Scope(qpv=qpv or None), by=by, group=group)
    people = Person.objects.visible_to(user).filter(pk__in=pks).select_related("pathway__structure", "qpv_entry")
    return indicator, people


__all__ = [
    "COUNT",
    "SERIES_IDS",
    "Dashboard",
    "Heading",
    "Row",
    "dashboard",
    "dashboard_heading",
    "own_scope",
    "people_for_figure",
]
