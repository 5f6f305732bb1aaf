"""The receiver's side of a hand-off (plan the first meeting, record it held, cancel it, reply), the agenda of
upcoming appointments with its iCal export, and the alerts inbox. Thin views: each calls one service or selector."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.core.pagination import BoundedPaginator
from citemploi.partners import ical
from citemploi.pathways import agenda, alerts
from citemploi.pathways.models import Appointment, Handoff, Person
from citemploi.pathways.permissions import can_answer_handoff, can_view_cohort
from citemploi.pathways.services import appointments as services
from citemploi.www.pathways import forms_appointments as f
from citemploi.www.pathways.access import AuthedRequest, person_for, submitted

ALERTS_PAGE_SIZE = 25


def _post(request: AuthedRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _answer(
    request: AuthedRequest,
    person: Person,
    handoff: Handoff,
    *,
    form: forms.Form,
    title: str,
    submit: str,
    action: Callable[[dict[str, Any]], object],
    success: str,
    intro: str = "",
) -> HttpResponse:
    """The form of an answer of the receiving structure; a refused service call becomes a form error."""
    if not can_answer_handoff(request.user, handoff):
        raise PermissionDenied
    if request.method == "POST" and form.is_valid() and submitted(form, action):
        messages.success(request, success)
        return redirect(reverse("pathways:person", args=[person.public_id]) + "#orientations")
    context = {"person": person, "form": form, "title": title, "submit": submit, "intro": intro}
    return render(request, "pathways/action_form.html", context, status=400 if form.errors else 200)


def _handoff(request: AuthedRequest, public_id: UUID, handoff_id: UUID) -> tuple[Person, Handoff]:
    person, _sight = person_for(request, public_id, reason="orientation")
    return person, get_object_or_404(person.handoffs.select_related("from_structure"), public_id=handoff_id)


def _appointment(request: AuthedRequest, public_id: UUID, appointment_id: UUID) -> tuple[Person, Appointment]:
    person, _sight = person_for(request, public_id, reason="rendez-vous")
    appointment = get_object_or_404(
        person.appointments.select_related("handoff__mobilisation__scheme", "structure"),
        public_id=appointment_id,
    )
    return person, appointment


def appointment_plan(request: AuthedRequest, public_id: UUID, handoff_id: UUID) -> HttpResponse:
    person, handoff = _handoff(request, public_id, handoff_id)
    return _answer(
        request,
        person,
        handoff,
        form=f.AppointmentPlanForm(_post(request)),
        title=_("Prévoir le premier rendez-vous"),
        submit=_("Prévoir le rendez-vous"),
        intro=_("Motif de l'orientation (%(structure)s) : %(reason)s")
        % {"structure": handoff.from_structure, "reason": handoff.reason},
        action=lambda d: services.appointment_plan(by=request.user, handoff=handoff, **d),
        success=_("Rendez-vous prévu : il apparaît dans l'agenda et les alertes des deux structures."),
    )


def appointment_hold(request: AuthedRequest, public_id: UUID, appointment_id: UUID) -> HttpResponse:
    person, appointment = _appointment(request, public_id, appointment_id)
    return _answer(
        request,
        person,
        appointment.handoff,
        form=f.AppointmentHoldForm(_post(request), appointment=appointment, user=request.user),
        title=_("Enregistrer le rendez-vous comme tenu"),
        submit=_("Enregistrer le rendez-vous tenu"),
        intro=_("Le rendez-vous tenu est aussi enregistré comme un contact de votre structure."),
        action=lambda d: services.appointment_hold(by=request.user, appointment=appointment, **d),
        success=_("Rendez-vous enregistré comme tenu."),
    )


def appointment_cancel(request: AuthedRequest, public_id: UUID, appointment_id: UUID) -> HttpResponse:
    person, appointment = _appointment(request, public_id, appointment_id)
    return _answer(
        request,
        person,
        appointment.handoff,
        form=forms.Form(_post(request)),
        title=_("Annuler le rendez-vous du %(date)s")
        % {"date": f"{timezone.localtime(appointment.starts_at):%d/%m/%Y %H:%M}"},
        submit=_("Annuler le rendez-vous"),
        action=lambda d: services.appointment_cancel(by=request.user, appointment=appointment),
        success=_("Rendez-vous annulé."),
    )


def handoff_reply(request: AuthedRequest, public_id: UUID, handoff_id: UUID) -> HttpResponse:
    person, handoff = _handoff(request, public_id, handoff_id)
    return _answer(
        request,
        person,
        handoff,
        form=f.ReplyForm(_post(request)),
        title=_("Répondre à %(structure)s") % {"structure": handoff.from_structure},
        submit=_("Envoyer la réponse"),
        intro=_("Motif de l'orientation : %(reason)s") % {"reason": handoff.reason},
        action=lambda d: services.handoff_reply(by=request.user, handoff=handoff, **d),
        success=_("Réponse envoyée : elle s'affiche sur l'orientation pour les deux structures."),
    )


def agenda_view(request: AuthedRequest) -> HttpResponse:
    if not can_view_cohort(request.user):
        raise PermissionDenied
    rows = list(agenda.appointments_for(request.user)[:200])
    return render(request, "pathways/agenda.html", {"appointments": rows})


def agenda_ical(request: AuthedRequest) -> HttpResponse:
    """The upcoming appointments of the user's structures as an iCalendar file (behind login, never a public feed).
    Minimal content: the person's first name and initial, the structure, the place and a link to the record."""
    if not can_view_cohort(request.user):
        raise PermissionDenied
    events = []
    for a in agenda.appointments_for(request.user)[:500]:
        person = a.person
        events.append(
            ical.Event(
                uid=f"rdv-{a.public_id}@citemploi",
                summary=_("Rendez-vous : %(name)s (%(structure)s)")
                % {"name": f"{person.first_name} {person.last_name[:1]}.", "structure": a.structure.name},
                start=a.starts_at,
                end=a.starts_at + timedelta(hours=1),
                location=a.place,
                url=settings.SITE_URL + reverse("pathways:person", args=[person.public_id]),
            )
        )
    body = ical.calendar(events, name=_("Rendez-vous prévus"), now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rendez-vous.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


def alerts_inbox(request: AuthedRequest) -> HttpResponse:
    if not can_view_cohort(request.user):
        raise PermissionDenied
    form = f.AlertFilterForm(request.GET or None, user=request.user)
    rows = alerts.alert_rows(request.user, filters=form.filters())
    page: Page[Any] = BoundedPaginator(rows if rows is not None else [], ALERTS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "items": alerts.materialise(page.object_list),
        "query": query.urlencode(),
    }
    return render(request, "pathways/alerts.html", context)
