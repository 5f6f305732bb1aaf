"""The agenda of upcoming appointments (issue 10, item 7): the first meetings planned by or for the user's
structures — the receiving structure that holds the meeting and the sending structure that oriented the person —
and, for the coordinator, all of them. People the user may not see are never listed."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from citemploi.accounts.permissions import is_coordinator
from citemploi.pathways.models import Appointment, AppointmentState, Person


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def appointments_for(user: Any, *, since: date | None = None, until: date | None = None) -> QuerySet[Appointment]:
    """Planned appointments from ``since`` (default today) to ``until`` (excluded; default: no end), in order."""
    since = since or timezone.localdate()
    planned = Appointment.objects.filter(state=AppointmentState.PLANNED, starts_at__gte=_day_start(since))
    if until is not None:
        planned = planned.filter(starts_at__lt=_day_start(until))
    if not is_coordinator(user):
        mine = list(user.structure_ids)
        planned = planned.filter(Q(structure_id__in=mine) | Q(handoff__from_structure_id__in=mine))
    planned = planned.filter(person__in=Person.objects.visible_to(user))
    return planned.select_related("person", "structure", "handoff__from_structure", "planned_by").order_by(
        "starts_at", "id"
    )


def appointments_today(user: Any) -> QuerySet[Appointment]:
    today = timezone.localdate()
    return appointments_for(user, since=today, until=today + timedelta(days=1))
