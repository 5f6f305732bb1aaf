"""Cohort, person page, registration with duplicate check, caseload, merge, receipts, preferences."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citemploi.accounts.permissions import is_coordinator
from citemploi.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from citemploi.core.pagination import BoundedPaginator
from citemploi.core.throttle import client_ip
from citemploi.pathways import alerts, duplicates, selectors, services
from citemploi.pathways.models import NotificationPreference, Person
from citemploi.pathways.notifications import preference_set
from citemploi.pathways.permissions import (
    can_edit_person,
    can_merge_people,
    can_merge_records,
    can_register_person,
    can_view_cohort,
)
from citemploi.www.pathways import forms as f
from citemploi.www.pathways import person_band
from citemploi.www.pathways.access import AuthedRequest, add_domain_error, person_for
from citemploi.www.pathways.panels import eligibility_context

PAGE_SIZE = 50


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def cohort(request: AuthedRequest) -> HttpResponse:
    _require(can_view_cohort(request.user))
    form = f.CohortFilterForm(request.GET or None)
    page = BoundedPaginator(selectors.cohort(request.user, filters=form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "pathways/cohort.html", {"form": form, "page": page, "query": query.urlencode()})


def _merged_aware(view: Callable[[AuthedRequest, UUID], HttpResponse]) -> Callable[[AuthedRequest, UUID], HttpResponse]:
    """A record absorbed by a merge answers « cette fiche a été fusionnée avec … » and a link to the kept record
    (404 on a read, 409 on a write) when the user may see the kept record; otherwise 404 as for any unknown id."""

    @functools.wraps(view)
    def wrapped(request: AuthedRequest, public_id: UUID) -> HttpResponse:
        try:
            return view(request, public_id)
        except (Http404, NotFound):
            into = services.person_merged_into(viewer=request.user, public_id=public_id)
            if into is None:
                raise
        message = services.PersonMerged(into=into, into_visible=True).message
        status = 404 if request.method in {"GET", "HEAD"} else 409
        return render(request, "pathways/person_merged.html", {"into": into, "message": message}, status=status)

    return wrapped


@_merged_aware
def person(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    record, sight = person_for(request, public_id)
    page = selectors.person_page(request.user, record, sight)
    can_edit = can_edit_person(request.user, sight)
    primary, others = person_band.split_actions(record, page, can_edit=can_edit, in_caseload=sight.in_caseload)
    context: dict[str, Any] = {
        "person": record,
        "sight": sight,
        "page": page,
        "can_edit": can_edit,
        "is_coordinator": is_coordinator(request.user),
        "structure_ids": list(request.user.structure_ids),
        # The summary band (issue 10, item 8): one query more, the user's open alerts about this person.
        "primary_actions": primary,
        "other_actions": others,
        "next_appointment": person_band.next_appointment(page),
        "open_alerts": alerts.person_alert_count(request.user, record),
    }
    context.update(eligibility_context(record, sight, page.freins))
    return render(request, "pathways/person.html", context)


def person_new(request: AuthedRequest) -> HttpResponse:
    """Registration with the duplicate check first: similar records the user may open are listed; those of other
    structures are never revealed, a review goes to the coordinator when the person is registered anyway."""
    user, structure = request.user, request.user.primary_structure
    if not can_register_person(user) or structure is None:
        raise PermissionDenied
    form = f.PersonCreateForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "similar": []}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        confirmed = data.pop("confirm")
        check = duplicates.duplicate_check(
            actor=user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            birth_date=data.get("birth_date"),
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            client_ip=client_ip(request.META),
            path=request.path,
        )
        if check.visible and not confirmed:
            context.update(similar=check.visible)
            return render(request, "pathways/person_new.html", context)
        try:
            with transaction.atomic():
                created = services.person_register(
                    by=user,
                    structure=structure,
                    channel=data.pop("channel"),
                    spotted_on=data.pop("spotted_on"),
                    place=data.pop("place"),
                    fields=services.PersonFields(**data),
                )
                duplicates.duplicate_reviews_request(actor=user, person=created, candidate_ids=check.hidden_ids)
        except ValidationFailed as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Personne enregistrée."))
            return redirect("pathways:person", public_id=created.public_id)
    return render(request, "pathways/person_new.html", context)


def duplicate_reviews(request: AuthedRequest) -> HttpResponse:
    """The coordinator's list of possible duplicates across structures."""
    reviews = duplicates.duplicate_reviews_open(request.user)  # refused: 403 (www.site.errors)
    for review in reviews:  # the same rule as person_merge: the coordinator, or the structure following both
        review.mergeable = can_merge_records(request.user, review.candidate, review.person)  # type: ignore[attr-defined]
    context = {"reviews": reviews, "can_merge": can_merge_people(request.user)}
    return render(request, "pathways/duplicate_reviews.html", context)


@require_POST
def duplicate_review_merge(request: AuthedRequest, pk: int) -> HttpResponse:
    """« Même personne » : the atomic merge (the record created later goes into the other one)."""
    review = duplicates.duplicate_review_for(request.user, pk)  # 404 outside the user's sight
    kept = duplicates.duplicate_review_merge(actor=request.user, review=review)
    messages.success(request, _("Fiches fusionnées."))
    return redirect("pathways:person", public_id=kept.public_id)


@require_POST
def duplicate_review_resolve(request: AuthedRequest, pk: int) -> HttpResponse:
    review = duplicates.duplicate_review_for(request.user, pk)  # 404 outside the user's sight
    try:
        duplicates.duplicate_review_resolve(actor=request.user, review=review)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Noté : ce ne sont pas les mêmes personnes."))
    return redirect("pathways:duplicate_reviews")


def _detached(record: Person) -> Person:
    """A detached copy of ``record`` (same key and values)."""
    return Person(**{f.attname: getattr(record, f.attname) for f in Person._meta.concrete_fields})


@_merged_aware
def person_edit(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    record, sight = person_for(request, public_id)
    _require(can_edit_person(request.user, sight))
    # The form works on its own copy (validation writes into its instance); the record may vanish meanwhile (a
    # merge): the service then says so.
    copy = Person.objects.visible_to(request.user).filter(pk=record.pk).first() or _detached(record)
    form = f.PersonEditForm(request.POST or None, instance=copy)
    merged_into: Person | None = None
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.person_update(
                by=request.user, person=record, changes=services.PersonChanges(**data), version=version
            )
        except ValidationFailed as error:
            add_domain_error(form, error)
            status = 400
        except services.PersonMerged as error:
            form.add_error(None, error.message)
            merged_into, status = error.into, 409
        except Conflict as error:
            # Stale edit: what the user typed stays in the form, the message says why nothing was saved.
            form.add_error(None, error.message)
            status = 409
        else:
            messages.success(request, _("Fiche modifiée."))
            return redirect("pathways:person", public_id=record.public_id)
    context = {
        "person": record,
        "form": form,
        "title": _("Modifier la fiche"),
        "submit": _("Enregistrer les modifications"),
        "intro": "",
        "merged_into": merged_into,
    }
    return render(request, "pathways/person_edit.html", context, status=status)


def consent_receipt(request: AuthedRequest, public_id: UUID, consent_id: UUID) -> HttpResponse:
    record, sight = person_for(request, public_id, reason="récépissé de consentement")
    _require(can_edit_person(request.user, sight))
    consent = get_object_or_404(record.consents.select_related("partner", "recorded_by"), public_id=consent_id)
    return render(request, "pathways/consent_receipt.html", {"person": record, "consent": consent})


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
