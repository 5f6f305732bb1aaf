"""Partner self-service with moderation: own structure only (404 elsewhere, UI and API), coordinator validates."""

from __future__ import annotations

import pytest
from django.urls import reverse

from citemploi.partners.models import Revision, Service
from citemploi.partners.services import ServiceChanges, revision_approve, revision_diff, service_submit
from tests.conftest import login_client
from tests.factories.partners import ActionFactory, ServiceFactory

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Permanence emploi du mardi",
    "description": "Accueil sans rendez-vous pour vos démarches de recherche d'emploi.",
    "type": "accompagnement",
    "thematiques": ["trouver-un-emploi--repondre-a-des-offres-demploi"],
    "publics": ["demandeurs-emploi"],
    "zone_eligibilite": "42218",
}


def test_partner_creates_a_service_that_waits_for_validation(world, clients):
    url = reverse("partners:service_create", args=[world.relais.public_id])
    response = clients["referent"].post(url, FORM)
    assert response.status_code == 302
    service = Service.objects.get(name="Permanence emploi du mardi")
    assert not service.is_published
    assert Revision.objects.get(service=service).status == "pending"
    # Not visible to other structures until validated.
    assert clients["outsider"].get(reverse("partners:service", args=[service.public_id])).status_code == 404
    revision = Revision.objects.get(service=service)
    assert (
        clients["coordinator"]
        .post(reverse("partners:revision", args=[revision.public_id]), {"decision": "approve"})
        .status_code
        == 302
    )
    service.refresh_from_db()
    assert service.is_published
    assert clients["outsider"].get(reverse("partners:service", args=[service.public_id])).status_code == 200


def test_change_to_published_service_keeps_it_until_approved_and_shows_a_diff(world):
    service = ServiceFactory(structure=world.relais, name="Atelier CV")
    partner, coordinator = world.users["referent"], world.users["coordinator"]
    service_submit(
        actor=partner,
        structure=world.relais,
        service=service,
        changes=ServiceChanges.of({"name": "Atelier CV et lettre"}),
    )
    service.refresh_from_db()
    assert service.name == "Atelier CV"  # still the published value
    revision = Revision.objects.get(service=service, status="pending")
    assert revision_diff(revision) == [("nom", "Atelier CV", "Atelier CV et lettre")]
    page = login_client(coordinator).get(reverse("partners:revision", args=[revision.public_id]))
    assert "Atelier CV et lettre" in page.content.decode()
    revision_approve(actor=coordinator, revision=revision)
    service.refresh_from_db()
    assert service.name == "Atelier CV et lettre"


def test_coordinator_edits_are_published_at_once(world):
    service = service_submit(
        actor=world.users["coordinator"],
        structure=world.relais,
        changes=ServiceChanges.of({"name": "Info collective", "description": "Présentation des dispositifs."}),
    )
    assert service.is_published and not Revision.objects.exists()


def test_other_structures_entries_answer_404_in_the_ui(world, clients):
    service = ServiceFactory(structure=world.relais)
    action = ActionFactory(carrier=world.relais)
    outsider = clients["outsider"]
    assert outsider.get(reverse("partners:service_edit", args=[service.public_id])).status_code == 404
    assert outsider.post(reverse("partners:service_edit", args=[service.public_id]), FORM).status_code == 404
    assert outsider.get(reverse("partners:action_edit", args=[action.public_id])).status_code == 404
    assert outsider.post(reverse("partners:service_create", args=[world.relais.public_id]), FORM).status_code == 404
    assert (
        outsider.post(
            reverse("partners:registration_add", args=[action.public_id]), {"first_name": "A", "last_name": "B"}
        ).status_code
        == 404
    )
    service.refresh_from_db()
    assert service.name != FORM["name"]


def test_other_structures_entries_answer_404_in_the_api(world, clients):
    service = ServiceFactory(structure=world.relais)
    action = ActionFactory(carrier=world.relais)
    outsider = clients["outsider"]
    url = reverse("api:partners_service", args=[service.public_id])
    assert outsider.get(url).status_code == 200  # published: readable
    assert outsider.patch(url, {"name": "Piraté"}, content_type="application/json").status_code == 404
    assert (
        outsider.patch(
            reverse("api:partners_action", args=[action.public_id]),
            {"title": "Piraté"},
            content_type="application/json",
        ).status_code
        == 404
    )
    created = outsider.post(
        reverse("api:partners_services"),
        {**FORM, "zone_eligibilite": None, "structure": str(world.relais.public_id)},
        content_type="application/json",
    )
    assert created.status_code == 404
    # The owner's PATCH becomes a proposal.
    own = clients["referent"].patch(url, {"name": "Nouveau nom proposé"}, content_type="application/json")
    assert own.status_code == 200 and own.json()["name"] != "Nouveau nom proposé"
    assert Revision.objects.get(service=service).data == {"name": "Nouveau nom proposé"}


def test_registrations_are_personal_data(world, clients):
    action = ActionFactory(carrier=world.relais, capacity=1)
    url = reverse("partners:registration_add", args=[action.public_id])
    assert (
        clients["referent"].post(url, {"first_name": "Inès", "last_name": "Martin", "lives_in_qpv": "true"}).status_code
        == 302
    )
    page = reverse("partners:action", args=[action.public_id])
    assert "Martin" in clients["colleague"].get(page).content.decode()
    for persona in ("outsider", "state_copilot", "steering_member"):
        assert "Martin" not in clients[persona].get(page).content.decode()
    clients["referent"].post(url, {"first_name": "Paul", "last_name": "Durand"})
    assert action.registrations.count() == 1  # capacity reached
    registration = action.registrations.get()
    clients["referent"].post(
        reverse("partners:attendance", args=[action.public_id]), {f"presence-{registration.public_id}": "present"}
    )
    registration.refresh_from_db()
    assert registration.attendance == "present"


def test_registrant_in_the_cohort_is_linked_within_visibility_rules(world, clients):
    from tests.factories.pathways import make_person

    person = make_person(by=world.users["referent"], structure=world.relais)
    action = ActionFactory(carrier=world.relais, partners=[world.other_relais])
    url = reverse("partners:registration_add", args=[action.public_id])
    # The outsider's relais is a partner of the action but does not follow this person: no link possible.
    clients["outsider"].post(url, {"first_name": "A", "last_name": "B", "person_id": str(person.public_id)})
    assert not action.registrations.exists()
    clients["referent"].post(url, {"first_name": "A", "last_name": "B", "person_id": str(person.public_id)})
    assert action.registrations.get().person_link.person == person
    page = reverse("partners:action", args=[action.public_id])
    person_url = reverse("pathways:person", args=[person.public_id])
    assert person_url in clients["colleague"].get(page).content.decode()
    assert person_url not in clients["outsider"].get(page).content.decode()
