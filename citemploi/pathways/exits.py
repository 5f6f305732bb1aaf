"""The category of an exit (DOMAIN.md §5), computed from the situation and, for dated contracts, their duration."""

from __future__ import annotations

from datetime import date

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


def exit_category(situation: str, *, start: date, contract_end: date | None) -> str:
    """DOMAIN.md §5: CDD and temporary work count as durable employment from PATHWAYS_DURABLE_EMPLOYMENT_DAYS
    (183 by default) days, as transition employment below. ``contract_end`` is required for them."""
    if situation in DATED_CONTRACTS:
        if contract_end is None:
            raise ValueError("contract_end")
        durable = (contract_end - start).days >= settings.PATHWAYS_DURABLE_EMPLOYMENT_DAYS
        return ExitCategory.DURABLE if durable else ExitCategory.TRANSITION
    return _CATEGORY_OF[situation]
