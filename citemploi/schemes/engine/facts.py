"""Facts derived from a profile on a reference date (tri-state: None = unknown)."""

from __future__ import annotations

import datetime as dt

from citemploi.schemes.engine.profile import JOB_SEEKER_CATEGORIES, Period, Profile, age_on, months_between


def age(p: Profile, on: dt.date) -> int | None:
    return None if p.birth_date is None else age_on(p.birth_date, on)


def periods(p: Profile) -> tuple[Period, ...]:
    """The registration history, the current single date included as one open period in the current category."""
    since = p.ft_registered_since
    if isinstance(since, dt.date) and p.ft_registered is not False:
        return (*p.ft_periods, (since, None, p.ft_category or None))
    return p.ft_periods


def registered(p: Profile, on: dt.date) -> bool | None:
    """Registered with France Travail on ``on`` (a registration dated after ``on`` does not count yet)."""
    history = periods(p)
    if any(start <= on and (end is None or on <= end) for start, end, _ in history):
        return True
    since = p.ft_registered_since
    if since is False or p.ft_registered is False or isinstance(since, dt.date):
        return False
    if p.ft_registered:
        return True  # registered, date not known
    if history:
        return False  # only past periods
    if p.ft_category is None:
        return None
    return p.ft_category != ""


def registration_months(p: Profile, on: dt.date) -> int | None:
    """Completed months of registration on ``on``; 0 when not registered; None when unknown."""
    since = p.ft_registered_since
    if since is False or p.ft_registered is False:
        return 0
    if since is None:
        return 0 if p.ft_category == "" else None
    return max(months_between(since, on), 0) if since <= on else 0


def job_seeker_months(p: Profile, on: dt.date) -> tuple[int, int] | None:
    """Completed months of the current uninterrupted registration in categories A, B or C on ``on`` (the DARES /
    France Travail seniority behind DELD and DETLD), as (lowest, highest): periods whose category is unknown count
    in the highest only, so the two differ when it matters. Overlapping or adjacent periods (the next one starts at
    the latest the day after) are one run; a gap, or a period in D, E, F or G, breaks it. ``None`` when the
    registration is unknown; (0, 0) when the person is not registered in A, B or C on ``on``."""
    history = periods(p)
    if not history:
        if p.ft_registered_since is False or p.ft_registered is False or p.ft_category == "":
            return (0, 0)
        if p.ft_registered and p.ft_category and p.ft_category not in JOB_SEEKER_CATEGORIES:
            return (0, 0)
        return None
    low = _run_months([(s, e) for s, e, c in history if c in JOB_SEEKER_CATEGORIES], on)
    high = _run_months([(s, e) for s, e, c in history if c is None or c in JOB_SEEKER_CATEGORIES], on)
    return (low, high)


def _run_months(intervals: list[tuple[dt.date, dt.date | None]], on: dt.date) -> int:
    run_start: dt.date | None = None
    run_end: dt.date | None = None
    for start, end in sorted((s, min(e or on, on)) for s, e in intervals if s <= on):
        if run_end is not None and start <= run_end + dt.timedelta(days=1):
            run_end = max(run_end, end)
        else:
            run_start, run_end = start, end
    if run_start is None or run_end is None or run_end < on:
        return 0
    return max(months_between(run_start, on), 0)


def at_least(bounds: tuple[int, int] | None, months: int) -> bool | None:
    """Three-valued ``seniority ≥ months`` over the bounds of ``job_seeker_months``."""
    if bounds is None:
        return None
    low, high = bounds
    if low >= months:
        return True
    return False if high < months else None


def rsa(p: Profile) -> bool | None:
    return None if p.rsa is None else p.rsa != "none"


def any_true(*values: bool | None) -> bool | None:
    """Three-valued OR: True if one is True, False if all are False, else unknown."""
    if True in values:
        return True
    return None if None in values else False


def all_true(*values: bool | None) -> bool | None:
    """Three-valued AND: False if one is False, True if all are True, else unknown."""
    if False in values:
        return False
    return None if None in values else True


def negate(value: bool | None) -> bool | None:
    return None if value is None else not value


def age_band(value: int | None, low: int, high: int) -> bool | None:
    """``low`` to ``high`` years inclusive ("ans révolus")."""
    return None if value is None else low <= value <= high
