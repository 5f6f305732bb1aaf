"""Opening hours: structured slots (queryable, "open now") and the OpenStreetMap string data·inclusion uses.

Only the common subset of the OSM syntax is read: day ranges and lists with time ranges
(`Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00`). Rules the census cannot express (public holidays, weeks,
months) are ignored on import and kept in the OSM string.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext_lazy as _

DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
DAY_LABELS = [_("lundi"), _("mardi"), _("mercredi"), _("jeudi"), _("vendredi"), _("samedi"), _("dimanche")]
Slot = tuple[int, dt.time, dt.time]
_TIME = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


def _days(spec: str) -> list[int]:
    days: list[int] = []
    for part in spec.split(","):
        if "-" in part:
            start, end = part.split("-", 1)
            i, j = DAYS.index(start), DAYS.index(end)
            days += list(range(i, j + 1)) if i <= j else list(range(i, 7)) + list(range(0, j + 1))
        else:
            days.append(DAYS.index(part))
    return days


def _times(spec: str) -> list[tuple[dt.time, dt.time]]:
    ranges = []
    for part in spec.split(","):
        match = _TIME.match(part.strip())
        if not match:
            raise ValueError(part)
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        ranges.append((dt.time(h1, m1), dt.time(min(h2, 23), 59 if h2 >= 24 else m2)))
    return ranges


def osm_to_slots(text: str) -> list[Slot]:
    """Slots read from an OSM opening_hours string; unsupported rules are skipped (never guessed)."""
    slots: list[Slot] = []
    for rule in (r.strip() for r in (text or "").split(";")):
        parts = rule.split(None, 1)
        if len(parts) != 2:
            continue
        try:
            days, times = _days(parts[0]), _times(parts[1])
        except ValueError:
            continue
        slots += [(d, o, c) for d in days for o, c in times if c > o]
    return sorted(set(slots))


def slots_to_osm(slots: list[Slot]) -> str:
    """The OSM string for slots, consecutive days with the same hours merged (`Mo-Fr 09:00-12:00`)."""
    by_day: dict[int, str] = {}
    for day, opens, closes in sorted(slots):
        text = f"{opens:%H:%M}-{closes:%H:%M}"
        by_day[day] = f"{by_day[day]},{text}" if day in by_day else text
    rules, day = [], 0
    while day < 7:
        if day not in by_day:
            day += 1
            continue
        end = day
        while end + 1 < 7 and by_day.get(end + 1) == by_day[day]:
            end += 1
        span = DAYS[day] if end == day else f"{DAYS[day]}-{DAYS[end]}" if end > day + 1 else f"{DAYS[day]},{DAYS[end]}"
        rules.append(f"{span} {by_day[day]}")
        day = end + 1
    return "; ".join(rules)


def is_open(slots: list[Slot], at: dt.datetime) -> bool:
    """Whether one slot covers this local date and time."""
    return any(d == at.weekday() and o <= at.time() < c for d, o, c in slots)


def describe(slots: list[Slot]) -> list[tuple[str, str]]:
    """(day label, "09:00–12:00, 13:30–17:00") for each open day, for pages."""
    by_day: dict[int, list[str]] = {}
    for day, opens, closes in sorted(slots):
        by_day.setdefault(day, []).append(f"{opens:%H:%M}–{closes:%H:%M}")
    return [(str(DAY_LABELS[d]), ", ".join(t)) for d, t in sorted(by_day.items())]
