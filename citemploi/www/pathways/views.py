"""Cohort, person page, registration with duplicate check, alerts inbox, caseload, merge, receipts, preferences."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from citemploi.accounts.permissions import is_coordinator
from citemploi.pathways import selectors, services
from citemploi.pathways.models import NotificationPreference, Person
from citemploi.pathways.notifications import preference_set
from citemploi.pathways.permissions import can_edit_person, can_merge_people, can_register_person, can_view_cohort
from citemploi.www.pathways import forms as f
from citemploi.www.pathways.access import AuthedRequest, person_for
from citemploi.www.pathways.panels import eligibility_context

PAGE_SIZE = 50


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def cohort(request: AuthedRequest) -> HttpResponse:
    _require(can_view_cohort(request.user))
    form = f.CohortFilterForm(request.GET or None)
    page = Paginator(selectors.cohort(request.user, filters=form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "pathways/cohort.html", {"form": form, "page": page, "query": query.urlencode()})


def person(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    record, sight = person_for(request, public_id)
    page = selectors.person_page(request.user, record, sight)
    context: dict[str, Any] = {
        "person": record,
        "sight": sight,
        "page": page,
        "can_edit": can_edit_person(request.user, sight),
        "is_coordinator": is_coordinator(request.user),
        "structure_ids": list(request.user.structure_ids),
    }
    context.update(eligibility_context(record, sight, page.freins))
    return render(request, "pathways/person.html", context)


def _duplicates(request: AuthedRequest, form: f.PersonCreateForm) -> tuple[list[Person], int]:
    """Similar records: those the user may open are listed, the others only counted (no name leaks)."""
    data = form.cleaned_data
    similar = selectors.similar_people(
        first_name=data["first_name"],
        last_name=data["last_name"],
        birth_date=data.get("birth_date"),
        email=data.get("email", ""),
        phone=data.get("phone", ""),
    )
    visible_ids = set(
        Person.objects.visible_to(request.user).filter(pk__in=[p.pk for p in similar]).values_list("pk", flat=True)
    )
    return [p for p in similar if p.pk in visible_ids], len(similar) - len(visible_ids)


def person_new(request: AuthedRequest) -> HttpResponse:
    user, structure = request.user, request.user.primary_structure
    if not can_register_person(user) or structure is None:
        raise PermissionDenied
    form = f.PersonCreateForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "similar": [], "hidden_similar": 0}
    if request.method == "POST" and form.is_valid():
        similar, hidden = _duplicates(request, form)
        if (similar or hidden) and not form.cleaned_data["confirm"]:
            context.update(similar=similar, hidden_similar=hidden)
            return render(request, "pathways/person_new.html", context)
        data = dict(form.cleaned_data)
        data.pop("confirm")
        created = services.person_register(by=user, structure=structure, **data)
        messages.success(request, _("Personne enregistrée."))
        return redirect("pathways:person", public_id=created.public_id)
    return render(request, "pathways/person_new.html", context)


def person_edit(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    record, sight = person_for(request, public_id)
    _require(can_edit_person(request.user, sight))
    form = f.PersonForm(request.POST or None, instance=Person.objects.visible_to(request.user).get(pk=record.pk))
    if request.method == "POST" and form.is_valid():
        services.person_update(by=request.user, person=record, **form.cleaned_data)
        messages.success(request, _("Fiche modifiée."))
        return redirect("pathways:person", public_id=record.public_id)
    context = {
        "person": record,
        "form": form,
        "title": _("Modifier la fiche"),
        "submit": _("Enregistrer les modifications"),
        "intro": "",
    }
    return render(request, "pathways/action_form.html", context)


def consent_receipt(request: AuthedRequest, public_id: UUID, consent_id: UUID) -> HttpResponse:
    record, sight = person_for(request, public_id, reason="récépissé de consentement")
    _require(can_edit_person(request.user, sight))
    consent = get_object_or_404(record.consents.select_related("partner", "recorded_by"), public_id=consent_id)
    return render(request, "pathways/consent_receipt.html", {"person": record, "consent": consent})


def alerts(request: AuthedRequest) -> HttpResponse:
    _require(can_view_cohort(request.user))
    inbox = selectors.alerts_for(request.user)
    late = {h.pk for h in inbox.to_acknowledge if selectors.is_late_to_acknowledge(h)}
    return render(request, "pathways/alerts.html", {"alerts": inbox, "late": late})


def caseload(request: AuthedRequest) -> HttpResponse:
    _require(can_view_cohort(request.user))
    return render(request, "pathways/caseload.html", {"rows": selectors.caseload(request.user)})


def merge(request: AuthedRequest) -> HttpResponse:
    _require(can_merge_people(request.user))
    form = f.MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        people = Person.objects.visible_to(request.user)
        keep = get_object_or_404(people, public_id=form.cleaned_data["keep"])
        absorb = get_object_or_404(people, public_id=form.cleaned_data["absorb"])
        services.person_merge(by=request.user, keep=keep, absorb=absorb)
        messages.success(request, _("Fiches fusionnées : tout l'historique est conservé."))
        return redirect("pathways:person", public_id=keep.public_id)
    return render(request, "pathways/merge.html", {"form": form})


def preferences(request: AuthedRequest) -> HttpResponse:
    current = NotificationPreference.objects.filter(user=request.user).values_list("mode", flat=True).first()
    form = f.PreferenceForm(request.POST or None, initial={"mode": current or "immediate"})
    if request.method == "POST" and form.is_valid():
        preference_set(user=request.user, mode=form.cleaned_data["mode"])
        messages.success(request, _("Préférence enregistrée."))
        return redirect("pathways:preferences")
    return render(request, "pathways/preferences.html", {"form": form})
