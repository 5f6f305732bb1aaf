"""Meetings as iCalendar: the invitation attachment, the ``.ics`` download and the personal feed, written by the
same function as the public agenda (``partners.ical.calendar``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from citemploi.governance.models import Meeting
from citemploi.partners.ical import Event, calendar


def meeting_link(meeting: Meeting) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("governance:meeting", args=[meeting.public_id])


def meeting_event(meeting: Meeting) -> Event:
    url = meeting_link(meeting)
    return Event(
        uid=f"reunion-{meeting.public_id}@citemploi",
        summary=f"{meeting.instance.name} — {meeting.title}",
        start=meeting.starts_at,
        end=meeting.ends_at,
        description=url,
        location=meeting.place or meeting.visio_url,
        url=url,
        cancelled=meeting.cancelled,
    )


def meeting_calendar(meetings: Iterable[Meeting], *, name: str = "Réunions — citemploi") -> str:
    return calendar((meeting_event(m) for m in meetings), name=name, now=timezone.now())
