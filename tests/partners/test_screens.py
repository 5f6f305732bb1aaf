"""Screens render with data (strict templates) and the forms write through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from citemploi.partners.models import Action, Revision
from citemploi.partners.services import ProfileChanges, profile_save
from tests.factories.partners import ActionFactory, RegistrationFactory, ServiceFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_pages_render_with_data(world, clients):
    profile_save(
        actor=None,
        structure=world.relais,
        changes=ProfileChanges.of(
            {"description": "Accueil", "longitude": 4.39, "latitude": 45.44, "reseaux_porteurs": ["communes"]}
        ),
        slots=[(0, dt.time(9), dt.time(12))],
        geocode=False,
    )
    today = timezone.localdate()
    action = ActionFactory(
        carrier=world.relais, starts_on=today, ends_on=today, longitude=4.4, latitude=45.45, capacity=10
    )
    SessionFactory(action=action)
    RegistrationFactory(action=action)
    ServiceFactory(structure=world.relais)
    coordinator = clients["coordinator"]
    for url in (
        reverse("partners:directory") + "?q=atelier",
        reverse("partners:structure", args=[world.relais.public_id]),
        reverse("partners:profile_edit", args=[world.relais.public_id]),
        reverse("partners:action", args=[action.public_id]),
        reverse("partners:calendar") + f"?mois={today:%Y-%m}",
        reverse("partners:map"),
        reverse("public:about"),
        reverse("public:relais"),
    ):
        assert coordinator.get(url).status_code == 200, url
    features = coordinator.get(reverse("partners:map_data")).json()["features"]
    assert {"relais", "action"} <= {f["type"] for f in features}
    public = clients["anonymous"].get(reverse("public:relais_map_data")).json()["features"]
    assert any(f["type"] == "relais" for f in public)


def test_partner_proposes_an_action_with_the_form(world, clients):
    today = timezone.localdate()
    data = {
        "title": "Atelier posture professionnelle",
        "kind": "workshop",
        "axis": "2",
        "starts_on": today.isoformat(),
        "ends_on": today.isoformat(),
        "status": "planned",
        "thematiques": ["preparer-sa-candidature--valoriser-ses-competences"],
        "publics": ["jeunes"],
        "partners": [str(world.other_relais.pk)],
    }
    response = clients["referent"].post(reverse("partners:action_create", args=[world.relais.public_id]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    action = Action.objects.get(title="Atelier posture professionnelle")
    assert not action.is_published and list(action.partners.all()) == [world.other_relais]
    revision = Revision.objects.get(action=action)
    assert clients["coordinator"].get(reverse("partners:moderation")).status_code == 200
    clients["coordinator"].post(
        reverse("partners:revision", args=[revision.public_id]), {"decision": "reject", "comment": ""}
    )
    revision.refresh_from_db()
    assert revision.status == "pending"  # a refusal needs a reason
    clients["coordinator"].post(
        reverse("partners:revision", args=[revision.public_id]), {"decision": "reject", "comment": "Doublon"}
    )
    revision.refresh_from_db()
    assert revision.status == "rejected"


def test_results_cannot_count_more_qpv_residents_than_people_reached(world, clients):
    action = ActionFactory(carrier=world.relais)
    url = reverse("partners:results", args=[action.public_id])
    clients["referent"].post(url, {"status": "done", "people_reached": "10", "people_from_qpv": "12", "outcomes": ""})
    action.refresh_from_db()
    assert action.people_reached is None
    clients["referent"].post(
        url, {"status": "done", "people_reached": "10", "people_from_qpv": "7", "outcomes": "3 embauches"}
    )
    action.refresh_from_db()
    assert (action.status, action.people_reached, action.people_from_qpv) == ("done", 10, 7)


def test_address_goes_through_the_territory_geocoder(world):
    # Local geocoder with no address loaded: the address is not found, the answer says so, nothing breaks.
    profile = profile_save(
        actor=None,
        structure=world.relais,
        changes=ProfileChanges.of({"address": "1 rue Inconnue", "postcode": "42000", "city": "Saint-Étienne"}),
    )
    assert profile.qpv_status in {"error", ""} and profile.longitude is None
