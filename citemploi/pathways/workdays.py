"""Working days (Monday–Friday), the unit of the hand-off deadlines (PATHWAYS_HANDOFF_*_WORKING_DAYS)."""

from __future__ import annotations

from datetime import date, timedelta


def working_days_before(day: date, count: int) -> date:
    """The date ``count`` working days (Monday–Friday) before ``day``. Public holidays are not counted out:
    the alert may come one day early around a holiday, which errs on the side of caution."""
    current = day
    while count > 0:
        current -= timedelta(days=1)
        if current.weekday() < 5:
            count -= 1
    return current
