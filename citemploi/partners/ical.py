"""The public agenda as iCalendar (RFC 5545), written by the maintained ``icalendar`` library.

The library escapes every TEXT value (``\\``, ``;``, ``,``, CR and LF, including a lone CR) and folds lines at 75
octets without splitting a UTF-8 character: a title typed by a partner can never end a line and start a property
or an event of its own (DESIGN.md §4).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import icalendar


@dataclass(frozen=True)
class Event:
    uid: str
    summary: str
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False


def _utc(value: dt.datetime | dt.date) -> dt.datetime | dt.date:
    return value.astimezone(dt.UTC) if isinstance(value, dt.datetime) else value


def calendar(events: Iterable[Event], *, name: str, now: dt.datetime) -> str:
    cal = icalendar.Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", "-//citemploi//agenda public//FR")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for event in events:
        item = icalendar.Event()
        item.add("uid", event.uid)
        item.add("dtstamp", now.astimezone(dt.UTC))
        item.add("dtstart", _utc(event.start))
        item.add("dtend", _utc(event.end))
        item.add("summary", event.summary)
        if event.description:
            item.add("description", event.description)
        if event.location:
            item.add("location", event.location)
        if event.url:
            item.add("url", event.url)
        item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
        cal.add_component(item)
    body: bytes = cal.to_ical()
    return body.decode("utf-8")
