"""Past events written now: the history takeover (issue 12 §4b, ``citemploi.intake.history``) replays a partner's
or the coordinator's tracking workbook through the ordinary services, each with its real date.

Inside ``replaying(note)`` every timeline line written by the services ends with ``note`` (« repris de
<fichier> le <date> ») and no hand-off notification is sent: the events are history, already known to the
structures concerned. The services take the events' dates through their own keywords (``on=``, ``at=``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_NOTE: ContextVar[str | None] = ContextVar("pathways_replay_note", default=None)


@contextmanager
def replaying(note: str) -> Iterator[None]:
    """Services called inside write past events taken over from elsewhere (see the module docstring)."""
    token = _NOTE.set(note)
    try:
        yield
    finally:
        _NOTE.reset(token)


def replay_note() -> str | None:
    """The note of the replay in progress, or None outside any replay."""
    return _NOTE.get()


def day_moment(day: dt.date) -> dt.datetime:
    """The moment recorded for an event known by its day only: noon, local time (the day stays the same in every
    time zone of metropolitan France and overseas)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def moment_of(value: dt.date | dt.datetime | None) -> dt.datetime | None:
    """``value`` as a moment (a day becomes its noon); None stays None."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return day_moment(value)


def replayed_moment(value: dt.date | dt.datetime | None) -> dt.datetime | None:
    """The moment to give a timeline line and a pathway move for an event dated ``value``: the event's own date
    inside a replay, None (now) otherwise — a user recording today a contact of this morning moves the pathway
    now, as before."""
    return moment_of(value) if replay_note() is not None else None
