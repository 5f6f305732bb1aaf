"""The planned first meeting of a hand-off (prefetched ``appointments``): ``{% with planned=h|planned_meeting %}``."""

from __future__ import annotations

from typing import Any

from django import template

from citemploi.pathways.models import AppointmentState

register = template.Library()


@register.filter
def planned_meeting(handoff: Any) -> Any:
    return next((a for a in handoff.appointments.all() if a.state == AppointmentState.PLANNED), None)
