"""The category of an exit (DOMAIN.md §5), computed from the situation and, for dated contracts, their duration."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings

from citemploi.pathways.choices import DATED_CONTRACTS, ExitCategory, ExitSituation

_CATEGORY_OF: dict[str, str] = {
    ExitSituation.CDI: ExitCategory.DURABLE,
    ExitSituation.TITULARISATION: ExitCategory.DURABLE,
    ExitSituation.CREATION: ExitCategory.DURABLE,
    ExitSituation.SUBSIDISED: ExitCategory.TRANSITION,
    ExitSituation.TRAINING: ExitCategory.POSITIVE,
    ExitSituation.SIAE: ExitCategory.POSITIVE,
    ExitSituation.UNEMPLOYED: ExitCategory.OTHER,
    ExitSituation.INACTIVE: ExitCategory.OTHER,
    ExitSituation.LOST: ExitCategory.OTHER,
    ExitSituation.REFUSAL: ExitCategory.OTHER,
    ExitSituation.MOVED: ExitCategory.NEUTRAL,
    ExitSituation.HEALTH: ExitCategory.NEUTRAL,
    ExitSituation.DEATH: ExitCategory.NEUTRAL,
    ExitSituation.RETIREMENT: ExitCategory.NEUTRAL,
}


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later; the last day of the month when it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def lasts_months(start: date, end: date, months: int) -> bool:
    """A contract from ``start`` to ``end``, both included, lasts at least ``months`` calendar months:
    ``end + 1 day >= start + months`` (1 January – 30 June is 6 months; 1 January – 29 June is not)."""
    return end + timedelta(days=1) >= add_months(start, months)


def exit_category(
    situation: str,
    *,
    start: date,
    contract_end: date | None,
    contract_start: date | None = None,
    weekly_hours: float | None = None,
) -> str:
    """DOMAIN.md §5: CDD and temporary work of at least PATHWAYS_DURABLE_EMPLOYMENT_MONTHS calendar months, from
    the contract's start (``contract_start``, else the exit date ``start``) to its end both included, are
    durable employment; shorter ones are transition employment; ``contract_end`` is required for them. With
    PATHWAYS_EXIT_DEFINITION = "plie", employment also needs at least PATHWAYS_HALF_TIME_HOURS a week (the PLIE
    variant: ≥ 6 months at least half time), and ``weekly_hours`` is required for every contract."""
    plie = settings.PATHWAYS_EXIT_DEFINITION == "plie"
    category = _CATEGORY_OF.get(situation)
    if situation in DATED_CONTRACTS:
        if contract_end is None:
            raise ValueError("contract_end")
        durable = lasts_months(contract_start or start, contract_end, settings.PATHWAYS_DURABLE_EMPLOYMENT_MONTHS)
        category = ExitCategory.DURABLE if durable else ExitCategory.TRANSITION
    if plie and category == ExitCategory.DURABLE and situation in (*DATED_CONTRACTS, ExitSituation.CDI):
        if weekly_hours is None:
            raise ValueError("weekly_hours")
        if weekly_hours < settings.PATHWAYS_HALF_TIME_HOURS:
            category = ExitCategory.TRANSITION
    assert category is not None
    return category
