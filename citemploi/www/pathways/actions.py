"""One screen per action on a person: each parses its form and calls one service (thin views)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citemploi.pathways import services
from citemploi.pathways.choices import UnmetSource
from citemploi.pathways.derivation import MANUAL_STATES
from citemploi.pathways.models import FollowUp, Handoff, Mobilisation, Person
from citemploi.pathways.permissions import (
    can_add_contact,
    can_answer_handoff,
    can_edit_person,
    can_move_mobilisation,
)
from citemploi.pathways.services.locating import person_relocate as person_relocate_service
from citemploi.pathways.services.mobilisations import open_mobilisations, runs_scheme
from citemploi.pathways.states import FreinState, MobilisationState, PathwayState, allowed_targets
from citemploi.schemes.models import Scheme
from citemploi.www.pathways import forms as f
from citemploi.www.pathways.access import AuthedRequest, person_for, run_action


def _post(request: AuthedRequest) -> Any:
    return request.POST if request.method == "POST" else None


def notice_new(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    person, sight = person_for(request, public_id)
    return run_action(
        request,
        person,
        form=f.NoticeForm(_post(request)),
        title=_("Enregistrer la remise de la notice d'information"),
        submit=_("Enregistrer l'information"),
        allowed=can_edit_person(request.user, sight),
        action=lambda d: services.notice_record(by=request.user, person=person, **d),
        success=_("Information enregistrée."),
    )


def notice_object(request: AuthedRequest, public_id: UUID, notice_id: UUID) -> HttpResponse:
    person, sight = person_for(request, public_id)
    notice = get_object_or_404(person.notices, public_id=notice_id)
    return run_action(
        request,
        person,
        form=f.ObjectionForm(_post(request)),
        title=_("Enregistrer une opposition"),
        submit=_("Enregistrer l'opposition"),
        allowed=can_edit_person(request.user, sight),
        action=lambda d: services.notice_object(by=request.user, notice=notice, **d),
        success=_("Opposition enregistrée."),
    )


def consent_new(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    person, sight = person_for(request, public_id)
    return run_action(
        request,
        person,
        form=f.ConsentForm(_post(request)),
        title=_("Recueillir un consentement au partage"),
        submit=_("Enregistrer le consentement"),
        allowed=can_edit_person(request.user, sight),
        action=lambda d: services.consent_give(by=request.user, person=person, **d),
        success=_("Consentement enregistré."),
    )


def consent_revoke(request: AuthedRequest, public_id: UUID, consent_id: UUID) -> HttpResponse:
    person, sight = person_for(request, public_id)
    consent = get_object_or_404(person.consents, public_id=consent_id)
    return run_action(
        request,
        person,
        form=f.RevokeForm(_post(request)),
        title=_("Retirer le consentement (%(partner)s)") % {"partner": consent.partner},
        submit=_("Retirer le consentement"),
        allowed=can_edit_person(request.user, sight),
        action=lambda d: services.consent_revoke(by=request.user, consent=consent, **d),
        success=_("Consentement retiré."),
    )


def referent(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    person, sight = person_for(request, public_id)
    return run_action(
        request,
        person,
        form=f.ReferentForm(_post(request), user=request.user, initial={"referent": request.user.pk}),
        title=_("Désigner le référent unique"),
        submit=_("Désigner le référent"),
        allowed=can_edit_person(request.user, sight),
        action=lambda d: services.referent_assign(by=request.user, person=person, **d),
        success=_("Référent désigné."),
    )


def pathway_state(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    person, sight = person_for(request, public_id)
    labels = dict(PathwayState.choices)
    targets = allowed_targets("pathway", person.pathway.state) & MANUAL_STATES
    choices = [(s, labels[s]) for s in sorted(targets)]
    return run_action(
        request,
        person,
        form=f.PathwayStateForm(_post(request), choices=choices),
        title=_("Changer l'état du parcours"),
        submit=_("Changer l'état"),
        allowed=can_edit_person(request.user, sight),
        action=lambda d: services.pathway_transition(by=request.user, person=person, **d),
        success=_("État du parcours modifié."),
        intro=_(
            "L'état du parcours suit les événements de la fiche (premier contact, diagnostic, orientation, entrée "
            "dans un dispositif, sortie). Seuls « perdu de vue » et « refus » se choisissent ici, avec un motif ; "
            "pour une sortie, utilisez « Enregistrer la sortie »."
        ),
    )


def frein_new(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    person, sight = person_for(request, public_id)
    return run_action(
        request,
        person,
        form=f.FreinForm(_post(request)),
        title=_("Identifier un frein"),
        submit=_("Enregistrer le frein"),
        allowed=can_edit_person(request.user, sight),
        action=lambda d: services.frein_identify(by=request.user, person=person, **d),
        success=_("Frein enregistré."),
    )


def registration_period_new(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    person, sight = person_for(request, public_id)
    return run_action(
        request,
        person,
        form=f.RegistrationPeriodForm(_post(request)),
        title=_("Ajouter une période d'inscription à France Travail"),
        submit=_("Enregistrer la période"),
        allowed=can_edit_person(request.user, sight),
        action=lambda d: services.registration_period_add(by=request.user, person=person, **d),
        success=_("Période d'inscription enregistrée."),
    )


def frein_state(request: AuthedRequest, public_id: UUID, frein_id: UUID) -> HttpResponse:
    person, sight = person_for(request, public_id)
    frein = get_object_or_404(person.freins, public_id=frein_id)
    labels = dict(FreinState.choices)
    choices = [(s, labels[s]) for s in sorted(allowed_targets("frein", frein.state))]
    return run_action(
        request,
        person,
        form=f.StateForm(_post(request), choices=choices),
        title=_("Frein %(theme)s") % {"theme": frein.get_theme_display()},
        submit=_("Changer l'état du frein"),
        allowed=can_edit_person(request.user, sight),
        action=lambda d: services.frein_transition(by=request.user, frein=frein, **d),
        success=_("Frein mis à jour."),
    )


def _no_solution(request: AuthedRequest, person: Person, data: dict[str, Any], source: str) -> object | None:
    """« Aucune solution » ticked: record it (pathways service) instead of the orientation or the proposal."""
    no_solution, thematique = data.pop("no_solution", False), data.pop("thematique", "")
    if not no_solution:
        return None
    return services.unmet_orientation_record(by=request.user, person=person, source=source, thematique=thematique)


def _success(request: AuthedRequest, done: str) -> str:
    return (
        _("Besoin sans solution enregistré pour le registre des besoins non couverts.")
        if request.POST.get("no_solution")
        else done
    )


def mobilisation_new(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    person, sight = person_for(request, public_id)
    scheme = Scheme.objects.filter(code=request.GET.get("dispositif", "")).first()

    def propose(data: dict[str, Any]) -> object:
        unmet = _no_solution(request, person, data, UnmetSource.SCHEME)
        return unmet or services.mobilisation_propose(by=request.user, person=person, **data)

    return run_action(
        request,
        person,
        form=f.MobilisationForm(_post(request), scheme=scheme),
        title=_("Proposer un dispositif"),
        submit=_("Proposer le dispositif"),
        allowed=can_edit_person(request.user, sight),
        action=propose,
        success=_success(request, _("Dispositif proposé.")),
    )


@require_POST
def mobilisation_propose(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    """The « Proposer » button of the eligibility panel: when the referent's structure runs the scheme it is
    proposed at once, that structure in charge; otherwise the proposal form opens, to choose the operator."""
    person, sight = person_for(request, public_id)
    if not can_edit_person(request.user, sight):
        raise PermissionDenied
    form = f.ProposeSchemeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Dispositif inconnu : rien n'a été proposé."))
    else:
        scheme = form.cleaned_data["scheme"]
        if not runs_scheme(person.pathway.structure, scheme):
            messages.info(
                request, _("Choisissez la structure qui portera le dispositif %(scheme)s.") % {"scheme": scheme}
            )
            return redirect(
                reverse("pathways:mobilisation_new", args=[person.public_id])
                + "?"
                + urlencode({"dispositif": scheme.code})
            )
        # A refusal (already proposed…) comes back as a message (www.site.errors.DomainErrorMiddleware).
        services.mobilisation_propose(by=request.user, person=person, scheme=scheme, structure=person.pathway.structure)
        messages.success(request, _("Dispositif proposé : %(scheme)s.") % {"scheme": scheme})
    return redirect(reverse("pathways:person", args=[person.public_id]) + "#dispositifs")


@require_POST
def person_relocate(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    """« Relancer la localisation » (person page): the address is located again in the background."""
    person, _sight = person_for(request, public_id)
    person_relocate_service(by=request.user, person=person)  # refusals: www.site.errors.DomainErrorMiddleware
    messages.info(request, _("Localisation de l'adresse relancée : le résultat QPV s'affichera ici."))
    return redirect(reverse("pathways:person", args=[person.public_id]) + "#identite")


def mobilisation_state(request: AuthedRequest, public_id: UUID, mobilisation_id: UUID) -> HttpResponse:
    person, sight = person_for(request, public_id)
    mobilisations = Mobilisation.objects.visible_to(request.user).filter(person=person).select_related("scheme")
    mobilisation = get_object_or_404(mobilisations, public_id=mobilisation_id)
    labels = dict(MobilisationState.choices)
    choices = [(s, labels[s]) for s in sorted(allowed_targets("mobilisation", mobilisation.state))]
    return run_action(
        request,
        person,
        form=f.StateForm(_post(request), choices=choices),
        title=_("Dispositif %(scheme)s") % {"scheme": mobilisation.scheme},
        submit=_("Changer l'état du dispositif"),
        allowed=can_move_mobilisation(request.user, sight, mobilisation),
        action=lambda d: services.mobilisation_transition(by=request.user, mobilisation=mobilisation, **d),
        success=_("Dispositif mis à jour."),
    )


def handoff_new(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    person, sight = person_for(request, public_id)

    def send(data: dict[str, Any]) -> object:
        unmet = _no_solution(request, person, data, UnmetSource.HANDOFF)
        if unmet is not None:
            return unmet
        mobilisation = (
            person.mobilisations.filter(public_id=data.pop("mobilisation")).first() if data["mobilisation"] else None
        )
        data.pop("mobilisation", None)
        return services.handoff_send(by=request.user, person=person, mobilisation=mobilisation, **data)

    return run_action(
        request,
        person,
        form=f.HandoffForm(_post(request), person=person),
        title=_("Orienter vers une autre structure"),
        submit=_("Envoyer l'orientation"),
        allowed=can_edit_person(request.user, sight),
        action=send,
        success=_success(request, _("Orientation envoyée.")),
    )


def _handoff(request: AuthedRequest, public_id: UUID, handoff_id: UUID) -> tuple[Person, Handoff]:
    person, _sight = person_for(request, public_id, reason="orientation")
    handoff = get_object_or_404(Handoff.objects.visible_to(request.user).filter(person=person), public_id=handoff_id)
    return person, handoff


def handoff_acknowledge(request: AuthedRequest, public_id: UUID, handoff_id: UUID) -> HttpResponse:
    person, handoff = _handoff(request, public_id, handoff_id)
    return run_action(
        request,
        person,
        form=forms.Form(_post(request)),
        title=_("Accuser réception de l'orientation de %(structure)s") % {"structure": handoff.from_structure},
        submit=_("Accuser réception"),
        allowed=can_answer_handoff(request.user, handoff),
        intro=handoff.reason,
        action=lambda d: services.handoff_acknowledge(by=request.user, handoff=handoff),
        success=_("Orientation accusée."),
    )


def handoff_refuse(request: AuthedRequest, public_id: UUID, handoff_id: UUID) -> HttpResponse:
    person, handoff = _handoff(request, public_id, handoff_id)
    return run_action(
        request,
        person,
        form=f.RefuseForm(_post(request)),
        title=_("Refuser l'orientation de %(structure)s") % {"structure": handoff.from_structure},
        submit=_("Refuser l'orientation"),
        allowed=can_answer_handoff(request.user, handoff),
        action=lambda d: services.handoff_refuse(by=request.user, handoff=handoff, **d),
        success=_("Orientation refusée."),
    )


def handoff_first_meeting(request: AuthedRequest, public_id: UUID, handoff_id: UUID) -> HttpResponse:
    person, handoff = _handoff(request, public_id, handoff_id)
    return run_action(
        request,
        person,
        form=f.FirstMeetingForm(_post(request)),
        title=_("Enregistrer le premier rendez-vous"),
        submit=_("Enregistrer le premier rendez-vous"),
        allowed=can_answer_handoff(request.user, handoff),
        action=lambda d: services.handoff_first_meeting(by=request.user, handoff=handoff, **d),
        success=_("Premier rendez-vous enregistré."),
    )


def contact_new(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    person, sight = person_for(request, public_id)
    return run_action(
        request,
        person,
        form=f.ContactForm(_post(request)),
        title=_("Enregistrer un contact"),
        submit=_("Enregistrer le contact"),
        allowed=can_add_contact(request.user, sight),
        action=lambda d: services.contact_record(by=request.user, person=person, **d),
        success=_("Contact enregistré."),
    )


def exit_new(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    person, sight = person_for(request, public_id)
    form = f.ExitForm(_post(request), mobilisations=open_mobilisations(person))
    return run_action(
        request,
        person,
        form=form,
        title=_("Enregistrer la sortie"),
        submit=_("Enregistrer la sortie"),
        allowed=can_edit_person(request.user, sight),
        action=lambda d: services.exit_record(by=request.user, person=person, **form.service_arguments()),
        success=_("Sortie enregistrée."),
    )


def followup(request: AuthedRequest, public_id: UUID, followup_id: UUID) -> HttpResponse:
    person, sight = person_for(request, public_id)
    item = get_object_or_404(
        FollowUp.objects.visible_to(request.user).filter(exit__person=person), public_id=followup_id
    )
    return run_action(
        request,
        person,
        form=f.FollowUpForm(_post(request)),
        title=_("Suivi à %(months)s mois après la sortie") % {"months": item.months},
        submit=_("Enregistrer le suivi"),
        allowed=can_edit_person(request.user, sight),
        action=lambda d: services.followup_record(by=request.user, followup=item, **d),
        success=_("Suivi enregistré."),
    )


def job_new(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    person, sight = person_for(request, public_id)
    return run_action(
        request,
        person,
        form=f.JobForm(_post(request)),
        title=_("Ajouter un métier recherché"),
        submit=_("Ajouter le métier"),
        allowed=can_edit_person(request.user, sight),
        action=lambda d: services.target_job_add(by=request.user, person=person, **d),
        success=_("Métier ajouté."),
    )
