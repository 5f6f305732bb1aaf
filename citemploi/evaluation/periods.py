"""Periods of the indicators: P = [start, end], both dates included (issue 13 §2), and the calendar rules they use.

A period is picked as a month, a quarter, a year or a free range; its previous period is the one of the same kind
just before it (for a free range: the same number of days just before it); its monthly series is the list of the
calendar months it overlaps, each cut to the period.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from citemploi.core.errors import ValidationFailed
from citemploi.pathways.exits import add_months

KINDS = ("month", "quarter", "year", "range")
#: Dates outside these years are refused (the windows of a period reach 12 months past its end).
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    kind: str = "range"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationFailed(_("La fin de la période doit suivre son début."), field="to")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period just before, of the same kind (same length in days for a free range)."""
        if self.kind == "month":
            return month_of(add_months(self.start, -1))
        if self.kind == "quarter":
            return quarter_of(add_months(self.start, -3))
        if self.kind == "year":
            return year_of(self.start.year - 1)
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def months(self) -> list[Period]:
        """The calendar months the period overlaps, each cut to the period (the monthly series)."""
        out: list[Period] = []
        first = self.start.replace(day=1)
        while first <= self.end:
            month = month_of(first)
            out.append(Period(max(month.start, self.start), min(month.end, self.end), "month"))
            first = add_months(first, 1)
        return out

    def label(self) -> str:
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"


def month_of(day: date) -> Period:
    last = calendar.monthrange(day.year, day.month)[1]
    return Period(day.replace(day=1), day.replace(day=last), "month")


def quarter_of(day: date) -> Period:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    return Period(start, add_months(start, 3) - timedelta(days=1), "quarter")


def year_of(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), "year")


def parse_day(value: str | None, *, field: str) -> date:
    if not value:
        raise ValidationFailed(_("Indiquez une date (AAAA-MM-JJ)."), field=field)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(
            _("« %(value)s » n'est pas une date au format AAAA-MM-JJ.") % {"value": value}, field=field
        ) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationFailed(
            _("Choisissez une date entre %(first)s et %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            field=field,
        )
    return day


def period_from(start: str | None, end: str | None, kind: str = "range") -> Period:
    """A period read from user input (ISO dates); ``kind`` month/quarter/year snaps it to the calendar."""
    first = parse_day(start, field="from")
    if kind == "month":
        return month_of(first)
    if kind == "quarter":
        return quarter_of(first)
    if kind == "year":
        return year_of(first.year)
    return Period(first, parse_day(end, field="to"), "range")


def working_day_after(day: date, count: int) -> date:
    """The ``count``-th Monday–Friday day after ``day`` (public holidays are not skipped)."""
    current = day
    while count > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            count -= 1
    return current


def working_day_offsets(count: int) -> dict[int, int]:
    """ISO weekday (1 = Monday) → days from a day of that weekday to the ``count``-th working day after it."""
    monday = date(2024, 1, 1)
    return {iso: (working_day_after(monday + timedelta(days=iso - 1), count) - monday).days - (iso - 1)
            for iso in range(1, 8)}  # fmt: skip
