"""Small pure helpers: name normalisation, working days, exit categories."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from django.conf import settings

from citemploi.pathways.choices import DATED_CONTRACTS, ExitCategory, ExitSituation


def normalise(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: « Éloïse  D'Arc » → « eloise d arc »."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", " ", ascii_text).strip()


def search_name(first_name: str, last_name: str) -> str:
    return normalise(f"{last_name} {first_name}")


def working_days_before(day: date, count: int) -> date:
    """The date ``count`` working days (Monday–Friday) before ``day``. Public holidays are not counted out:
    the alert may come one day early around a holiday, which errs on the side of caution."""
    current = day
    while count > 0:
        current -= timedelta(days=1)
        if current.weekday() < 5:
            count -= 1
    return current


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
