"""Portable SQL building blocks of the indicators (the same answer on SQLite and PostgreSQL).

Calendar months without a date-add function: a day D2 is at most ``months`` calendar months after D1 (the same day
``months`` later, or that month's last day) when the month distance ``(Y2 − Y1) × 12 + (M2 − M1)`` is below
``months``, or equal to it with ``day(D2) ≤ day(D1)`` (in that month every day up to the clamped one is ≤ day(D1)).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import (
    Case,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import ExtractDay, ExtractIsoWeekDay, ExtractMonth, ExtractYear

from citemploi.evaluation.periods import working_day_offsets


def month_distance(later: Any, earlier: Any) -> Any:
    return ExpressionWrapper(
        (ExtractYear(later) - ExtractYear(earlier)) * 12 + ExtractMonth(later) - ExtractMonth(earlier),
        output_field=IntegerField(),
    )


def within_months(prefix: str, later: Any, earlier: Any, months: int) -> tuple[dict[str, Any], Q]:
    """Annotations and the condition « ``later`` ≤ ``earlier`` + ``months`` calendar months » (both dates)."""
    notes = {
        f"{prefix}_m": month_distance(later, earlier),
        f"{prefix}_d2": ExtractDay(later),
        f"{prefix}_d1": ExtractDay(earlier),
    }
    cond = Q(**{f"{prefix}_m__lt": months}) | Q(**{f"{prefix}_m": months, f"{prefix}_d2__lte": F(f"{prefix}_d1")})
    return notes, cond


def days_between(later: Any, earlier: Any) -> Any:
    """``later − earlier`` for two dates, as a duration (a whole number of days)."""
    return ExpressionWrapper(later - earlier, output_field=DurationField())


def days(n: int) -> Value:
    return Value(timedelta(days=n), output_field=DurationField())


def working_days_allowance(weekday_field: str, count: int) -> Case:
    """The duration from a day to the ``count``-th working day after it, by that day's ISO weekday (annotated as
    ``weekday_field``)."""
    offsets = working_day_offsets(count)
    return Case(
        *(When(**{weekday_field: iso}, then=days(offset)) for iso, offset in offsets.items()),
        output_field=DurationField(),
    )


def isodow(day: Any) -> ExtractIsoWeekDay:
    return ExtractIsoWeekDay(day)


def first_spotted(p: str = "") -> F:
    """The date of the person's first repérage (stored on the record: ``citemploi.pathways.milestones``); ``p``
    reads the person through a relation (``"person__"``)."""
    return F(f"{p}first_spotted_on")


def first_channel(p: str = "") -> F:
    """The channel of the person's first repérage (stored, as above)."""
    return F(f"{p}first_channel")
