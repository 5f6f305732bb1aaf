"""Reproducible periods (issue 13 §8): a snapshot keeps the figures as computed; computing the period again later
gives the same numbers unless data changed since, and then the figure is « révisé » with the snapshot's value."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy

from citemploi.accounts.models import User
from citemploi.core.errors import PermissionDenied
from citemploi.evaluation.models import Snapshot
from citemploi.evaluation.periods import Period
from citemploi.evaluation.permissions import can_take_snapshot
from citemploi.evaluation.registry import Result, Scope, compute_all


@transaction.atomic
def snapshot_take(*, by: User | None, period: Period, qpv: str = "", label: str = "") -> Snapshot:
    """Compute every indicator of the registry on the period (and QPV) and store the totals. ``by`` None is the
    operator's command; otherwise only the coordinator takes snapshots."""
    if by is not None and not can_take_snapshot(by):
        raise PermissionDenied(str(gettext_lazy("Seule la coordination enregistre un instantané des indicateurs.")))
    results = compute_all(period, scope=Scope(qpv=qpv or None))
    return Snapshot.objects.create(
        period_start=period.start,
        period_end=period.end,
        qpv=qpv,
        taken_by=by,
        label=label[:200],
        figures={id: r.total.as_json() for id, r in results.items()},
    )


def latest_snapshot(period: Period, qpv: str = "") -> Snapshot | None:
    return Snapshot.objects.filter(period_start=period.start, period_end=period.end, qpv=qpv).first()


@dataclass(frozen=True)
class Revision:
    """An indicator whose figure changed since the snapshot: what the snapshot said."""

    snapshot: Snapshot
    was: dict[str, Any]


def revisions(snapshot: Snapshot | None, results: dict[str, Result]) -> dict[str, Revision]:
    """The indicators whose current figure differs from the snapshot's (« révisé »)."""
    if snapshot is None:
        return {}
    out: dict[str, Revision] = {}
    for id, result in results.items():
        was = snapshot.figures.get(id)
        if was is not None and was != result.total.as_json():
            out[id] = Revision(snapshot, was)
    return out
