"""Months of the reports and the working days of the reminders."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from citemploi.evaluation.periods import working_day_after
from citemploi.pathways.exits import add_months


def first_day(day: date) -> date:
    return day.replace(day=1)


def previous_month(day: date) -> date:
    """The first day of the month before ``day``'s month."""
    return add_months(first_day(day), -1)


def next_month(month: date) -> date:
    return add_months(first_day(month), 1)


def bounds(month: date) -> tuple[datetime, datetime]:
    """[start, end) of the month as aware datetimes in the local time zone."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(first_day(month), time.min, tzinfo=tz)
    return start, datetime.combine(next_month(month), time.min, tzinfo=tz)


def last_day(month: date) -> date:
    return next_month(month) - timedelta(days=1)


def first_working_day(month: date) -> date:
    """The first Monday–Friday of the month (public holidays are not skipped, like the hand-off deadlines)."""
    day = first_day(month)
    return day if day.weekday() < 5 else working_day_after(day, 1)


def nth_working_day(month: date, count: int) -> date:
    """The working day ``count`` working days after the first working day of the month."""
    return working_day_after(first_working_day(month), count)


def months_of_year(year: int, *, until: date | None = None) -> list[date]:
    """The first days of the months of ``year`` (up to the month of ``until`` included when given)."""
    months = [date(year, m, 1) for m in range(1, 13)]
    return [m for m in months if until is None or m <= first_day(until)]
