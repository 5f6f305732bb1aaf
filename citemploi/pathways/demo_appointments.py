"""Demo data of issue 10, item 7: first meetings planned for half of the acknowledged hand-offs, on working days
from today to two weeks ahead (some today, so the home page's « Rendez-vous aujourd'hui » is not empty), and a
short reply on some of them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from citemploi.pathways.models import Appointment, Handoff, HandoffReply
from citemploi.pathways.states import HandoffState


def _working_day(start: dt.date, offset: int) -> dt.date:
    day = start + dt.timedelta(days=offset)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def plan_demo_appointments(*, now: dt.datetime) -> int:
    """Plan the demo meetings (bulk, like the rest of the demo cohort); returns how many."""
    acknowledged = list(
        Handoff.objects.filter(state=HandoffState.ACKNOWLEDGED, acknowledged_by__isnull=False).order_by("pk")
    )
    today = timezone.localdate(now)
    appointments, replies = [], []
    for i, handoff in enumerate(acknowledged[::2]):
        day = _working_day(today, i % 12)
        hour = 9 + i % 7
        starts = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30 if i % 2 else 0)))
        if starts <= now:
            starts = timezone.make_aware(dt.datetime.combine(_working_day(today, 1), dt.time(hour)))
        appointments.append(
            Appointment(handoff=handoff, person_id=handoff.person_id, structure_id=handoff.to_structure_id,
                        starts_at=starts, place="Accueil (démonstration)", planned_by=handoff.acknowledged_by)
        )  # fmt: skip
        if i % 3 == 0:
            replies.append(
                HandoffReply(handoff=handoff, message="Rendez-vous fixé, merci pour l'orientation (démonstration).",
                             by=handoff.acknowledged_by, structure_id=handoff.to_structure_id)
            )  # fmt: skip
    Appointment.objects.bulk_create(appointments)
    HandoffReply.objects.bulk_create(replies)
    return len(appointments)
