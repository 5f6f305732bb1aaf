"""Facts derived from a profile on a reference date (tri-state: None = unknown)."""

from __future__ import annotations

import datetime as dt

from citemploi.schemes.engine.profile import Profile, age_on, months_between


def age(p: Profile, on: dt.date) -> int | None:
    return None if p.birth_date is None else age_on(p.birth_date, on)


def registered(p: Profile, on: dt.date) -> bool | None:
    """Registered with France Travail on ``on`` (a registration dated after ``on`` does not count yet)."""
    since = p.ft_registered_since
    if since is False:
        return False
    if since is not None:
        return since <= on
    if p.ft_category is None:
        return None
    return p.ft_category != ""


def registration_months(p: Profile, on: dt.date) -> int | None:
    """Completed months of registration on ``on``; 0 when not registered; None when unknown."""
    since = p.ft_registered_since
    if since is False:
        return 0
    if since is None:
        return 0 if p.ft_category == "" else None
    return max(months_between(since, on), 0) if since <= on else 0


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
