"""Action page (sessions, funders, registrations, attendance, results) and the action calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citemploi.partners import referentials as ref
from citemploi.partners.models import Action, Attendance, Revision, RevisionStatus
from citemploi.partners.permissions import can_edit_structure_offer, can_manage_registrations
from citemploi.partners.selectors import actions_visible_to, agenda
from citemploi.partners.services import (
    action_funder_add,
    action_results_record,
    action_session_add,
    attendance_record,
)
from citemploi.pathways.registrations import followed_people, person_registration_add
from citemploi.www.partners.forms import FunderForm, RegistrationForm, ResultsForm, SessionForm
from citemploi.www.partners.views_directory import require_census


def _action(request: HttpRequest, public_id: str) -> Action:
    require_census(request)
    qs = actions_visible_to(request.user).select_related("carrier").prefetch_related("partners")
    return get_object_or_404(qs, public_id=public_id)


def _operable(request: HttpRequest, public_id: str) -> Action:
    """An action whose operations (sessions, funders, registrations) the user may manage; else 404."""
    action = _action(request, public_id)
    if not (can_edit_structure_offer(request.user, action.carrier) or can_manage_registrations(request.user, action)):
        raise Http404
    return action


def action_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    action = _action(request, public_id)
    manage = can_manage_registrations(request.user, action)
    operate = manage or can_edit_structure_offer(request.user, action.carrier)
    registrations = list(action.registrations.select_related("session")) if manage else []
    followed = followed_people(request.user, registrations)
    for registration in registrations:
        registration.followed = followed.get(registration.pk)  # type: ignore[attr-defined]
    context = {
        "action": action,
        "thematiques": ref.labels(action.thematiques, ref.THEMATIQUE_LABELS),
        "publics": ref.labels(action.publics, ref.PUBLIC_LABELS),
        "sessions": action.sessions.all(),
        "funders": action.funders.all(),
        "registrations": registrations,
        "present": sum(1 for r in registrations if r.attendance == Attendance.PRESENT),
        "can_manage": manage,
        "can_operate": operate,
        "can_edit": can_edit_structure_offer(request.user, action.carrier),
        "pending": Revision.objects.filter(action=action, status=RevisionStatus.PENDING).first(),
        "attendance_choices": Attendance.choices,
        "registration_form": RegistrationForm(action=action) if manage else None,
        "session_form": SessionForm() if operate else None,
        "funder_form": FunderForm() if operate else None,
        "results_form": ResultsForm(instance=action) if operate else None,
    }
    return render(request, "partners/action.html", context)


def _done(request: HttpRequest, action: Action, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("partners:action", public_id=action.public_id)


def _invalid(request: HttpRequest, action: Action, form_errors: object) -> HttpResponse:
    messages.error(request, _("Saisie invalide : %(errors)s") % {"errors": form_errors})
    return redirect("partners:action", public_id=action.public_id)


def _post(
    request: HttpRequest, action: Action, form: forms.BaseForm, save: Callable[[dict[str, Any]], object], message: str
) -> HttpResponse:
    """Save a valid form of the action page, then go back to that page with ``message``; a refusal of the service
    comes back to the page the form was posted from with its message (www.site.errors.DomainErrorMiddleware)."""
    if not form.is_valid():
        return _invalid(request, action, form.errors.as_text())
    save(form.cleaned_data)
    return _done(request, action, message)


@require_POST
def session_add(request: HttpRequest, public_id: str) -> HttpResponse:
    action = _operable(request, public_id)

    def save(data: dict[str, Any]) -> object:
        return action_session_add(actor=request.user, action=action, **data)  # type: ignore[arg-type]

    return _post(request, action, SessionForm(request.POST), save, _("Séance ajoutée."))


@require_POST
def funder_add(request: HttpRequest, public_id: str) -> HttpResponse:
    action = _operable(request, public_id)

    def save(data: dict[str, Any]) -> object:
        return action_funder_add(actor=request.user, action=action, **data)  # type: ignore[arg-type]

    return _post(request, action, FunderForm(request.POST), save, _("Financement ajouté."))


@require_POST
def results(request: HttpRequest, public_id: str) -> HttpResponse:
    action = _operable(request, public_id)
    form = ResultsForm(request.POST, instance=Action.objects.get(pk=action.pk))

    def save(data: dict[str, Any]) -> object:
        return action_results_record(actor=request.user, action=action, **data)  # type: ignore[arg-type]

    return _post(request, action, form, save, _("Résultats enregistrés."))


@require_POST
def registration_create(request: HttpRequest, public_id: str) -> HttpResponse:
    action = _action(request, public_id)
    if not can_manage_registrations(request.user, action):
        raise Http404

    def save(data: dict[str, Any]) -> object:
        data = dict(data)
        person_id = data.pop("person_id", None)
        return person_registration_add(by=request.user, action=action, person_id=person_id, **data)  # type: ignore[arg-type]

    return _post(request, action, RegistrationForm(request.POST, action=action), save, _("Inscription enregistrée."))


@require_POST
def attendance(request: HttpRequest, public_id: str) -> HttpResponse:
    action = _action(request, public_id)
    if not can_manage_registrations(request.user, action):
        raise Http404
    valid = {value for value, _ in Attendance.choices}
    values = {
        k.removeprefix("presence-"): v for k, v in request.POST.items() if k.startswith("presence-") and v in valid
    }
    changed = attendance_record(actor=request.user, action=action, attendance=values)  # type: ignore[arg-type]
    return _done(request, action, _("Présences enregistrées (%(changed)s modification(s)).") % {"changed": changed})


def _month(value: str | None) -> dt.date:
    today = timezone.localdate()
    try:
        year, month = (int(p) for p in (value or "").split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def calendar(request: HttpRequest) -> HttpResponse:
    """The month's sessions and actions, day by day (a list: readable with a screen reader)."""
    require_census(request)
    first = _month(request.GET.get("mois"))
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    items = agenda(actions_visible_to(request.user).exclude(status="cancelled"), first, last)
    days: dict[dt.date, list[object]] = {}
    for item in items:
        days.setdefault(item.day, []).append(item)
    context = {
        "first": first,
        "days": sorted(days.items()),
        "previous": (first - dt.timedelta(days=1)).strftime("%Y-%m"),
        "next": (last + dt.timedelta(days=1)).strftime("%Y-%m"),
    }
    return render(request, "partners/calendar.html", context)
