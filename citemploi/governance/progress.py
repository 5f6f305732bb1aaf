"""Progress of the roadmap's targets, computed from the indicator registry — never typed (issue 14 §4)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from citemploi.evaluation import registry
from citemploi.evaluation.periods import Period
from citemploi.governance.models import RoadmapTarget


def known_indicator(indicator_id: str) -> bool:
    return indicator_id in {i.id for i in registry.indicators()}


@dataclass(frozen=True)
class Progress:
    target: RoadmapTarget
    label: str
    unit: str
    value: float | int | None  # the indicator now, on the target's period and QPV
    ratio: float | None  # value ÷ target (None when either is unknown or the target is 0)
    provisional: bool

    @property
    def percent(self) -> int | None:
        return None if self.ratio is None else round(self.ratio * 100)


def progress(targets: Iterable[RoadmapTarget]) -> list[Progress]:
    """Each target with the indicator's value on its period (and QPV); one computation per distinct target."""
    found: list[Progress] = []
    cache: dict[tuple[str, str, object, object], registry.Cell] = {}
    for target in targets:
        key = (target.indicator, target.qpv_code, target.period_from, target.period_to)
        if key not in cache:
            indicator = registry.get(target.indicator)
            scope = registry.Scope(qpv=target.qpv_code or None)
            cache[key] = registry.compute(indicator, Period(target.period_from, target.period_to), scope=scope).total
        cell = cache[key]
        indicator = registry.get(target.indicator)
        value = cell.value
        ratio = None if value is None or not target.value else round(float(value) / target.value, 4)
        found.append(Progress(target, str(indicator.label), str(indicator.unit), value, ratio, cell.provisional))
    return found
