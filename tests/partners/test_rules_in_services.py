"""Rules that lived only in forms now hold in the services (issue 9 §19): « tous publics » cannot be combined with
other publics, through the API as through the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from citemploi.core.errors import ValidationFailed
from citemploi.partners.models import Service
from citemploi.partners.services import ServiceChanges, service_submit
from tests.partners.test_self_service import FORM

pytestmark = pytest.mark.django_db


def test_tous_publics_with_another_public_is_refused_by_the_api(world, clients):
    answer = clients["referent"].post(
        reverse("api:partners_services"),
        {**FORM, "publics": ["tous-publics", "jeunes"], "structure": str(world.relais.public_id)},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json() == {"detail": "« Tous publics » ne se combine pas avec d'autres publics."}
    assert not Service.objects.exists()
    alone = clients["referent"].post(
        reverse("api:partners_services"),
        {**FORM, "publics": ["tous-publics"], "structure": str(world.relais.public_id)},
        content_type="application/json",
    )
    assert alone.status_code == 201


def test_tous_publics_with_another_public_is_refused_by_the_service(world):
    with pytest.raises(ValidationFailed, match="Tous publics"):
        service_submit(
            actor=world.users["coordinator"],
            structure=world.relais,
            changes=ServiceChanges.of({**FORM, "publics": ["tous-publics", "jeunes"]}),
        )


def test_each_write_has_a_typed_input_with_exactly_the_editable_fields():
    """The frozen change sets of the offer services name the same fields as the forms (issue 9 §21)."""
    from dataclasses import FrozenInstanceError, fields

    from citemploi.partners import services

    def names(cls) -> set[str]:
        return {f.name for f in fields(cls)}

    assert names(services.ServiceChanges) == set(services.SERVICE_FIELDS)
    assert names(services.ActionChanges) == set(services.ACTION_FIELDS)
    assert names(services.ProfileChanges) == set(services.PROFILE_FIELDS) | services.PROFILE_SYSTEM_FIELDS
    changes = services.ServiceChanges(name="Atelier")
    assert changes.changed() == {"name": "Atelier"}  # what is not given is not written
    with pytest.raises(FrozenInstanceError):
        changes.name = "Autre"  # type: ignore[misc]
    with pytest.raises(services.OfferError, match="Champs inconnus : pirate"):
        services.ServiceChanges.of({"name": "Atelier", "pirate": 1})


def test_a_refused_operation_on_the_action_page_comes_back_with_its_message(world, clients):
    from django.contrib.messages import get_messages

    from tests.factories.partners import ActionFactory

    action = ActionFactory(carrier=world.relais, status="cancelled")
    page = "http://testserver" + reverse("partners:action", args=[action.public_id])
    answer = clients["coordinator"].post(
        reverse("partners:registration_add", args=[action.public_id]),
        {"first_name": "Ada", "last_name": "Martin"},
        headers={"referer": page},
    )
    assert (answer.status_code, answer.url) == (303, page)
    messages = [str(m) for m in get_messages(answer.wsgi_request)]
    assert messages == ["Cette action est annulée : les inscriptions sont closes."]
    assert not action.registrations.exists()
